"""Reading one answer: the single validation used for every way an answer arrives.

Typed at the prompt, read from a YAML/JSON/CSV file, or written as a literal
in a rule: each value passes through `parse_answer`, which returns the
normalised value or raises `ValueError` with what would be valid.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .model import Question

_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$"
)
_HOURS_PER = {"m": 1 / 60, "h": 1.0, "d": 24.0}
MAX_TEXT = 200  # how much of a bad value is quoted back


def _quote(raw: Any) -> str:
    try:
        text = repr(raw) if not isinstance(raw, str) else f"'{raw}'"
    except ValueError:  # an integer of more digits than Python converts to text
        return "a number too long to show"
    except RecursionError:
        return "a list or mapping nested too deeply to show"
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…'"


def _fmt(n: float | None) -> str:
    return "" if n is None else (str(int(n)) if float(n).is_integer() else str(n))


def expectation(q: Question) -> str:
    """What a valid answer to this question looks like, in a few words."""
    if q.type in ("yes_no", "yes_no_unsure"):
        return "must be " + (
            " or ".join(("yes", "no")) if q.type == "yes_no" else "yes, no or unsure"
        )
    if q.type == "choice":
        return "must be one of " + ", ".join(q.codes)
    if q.type == "multi":
        least = " (at least one)" if q.min_items else ""
        return f"must be a list of codes from {', '.join(q.codes)}{least}"
    noun = "a whole number" if q.type == "integer" else "a number"
    if q.greater_than is not None:
        text = f"must be {noun} greater than {_fmt(q.greater_than)} and at most {_fmt(q.max)}"
    else:
        text = f"must be {noun} from {_fmt(q.min)} to {_fmt(q.max)}"
    if q.unit == "hours":
        text += " (hours, or with a unit: 45m, 6h, 3d)"
    return text


def parse_answer(q: Question, raw: Any) -> Any:
    """The normalised value of one answer, or `ValueError` saying what is valid.

    yes/no types give "yes", "no" or "unsure"; numbers give an int when whole,
    else a float; choice gives its code; multi gives a tuple of codes in the
    questionnaire's order.  `None` and "" are handled by the caller (missing).
    """
    if type(raw) is str and raw in q.exact:
        return q.exact[raw]
    whole = type(raw) is int and q.type == "integer"
    if whole and q.min is not None and q.max is not None and q.min <= raw <= q.max:
        return raw  # the common case, at once
    if q.type in ("yes_no", "yes_no_unsure"):
        return _parse_yes_no(q, raw)
    if q.type == "choice":
        return _parse_code(q, raw)
    if q.type == "multi":
        return _parse_multi(q, raw)
    return _parse_number(q, raw)


def _parse_yes_no(q: Question, raw: Any) -> str:
    if raw is True:
        return "yes"
    if raw is False:
        return "no"
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE:
            return "yes"
        if word in _FALSE:
            return "no"
        if word == "unsure" and q.type == "yes_no_unsure":
            return "unsure"
    raise ValueError(f"{expectation(q)}, not {_quote(raw)}")


def _parse_code(q: Question, raw: Any) -> str:
    if raw is False and "no" in q.codes:
        return "no"
    if isinstance(raw, str):
        word = raw.strip().lower()
        for code in q.codes:
            if code.lower() == word:
                return code
    if isinstance(raw, (list, dict)):
        raise ValueError(f"{expectation(q)}, not a list or mapping")
    raise ValueError(f"unknown code {_quote(raw)}; expected one of {', '.join(q.codes)}")


def _parse_multi(q: Question, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        items: list[Any] = [part for part in raw.split(";") if part.strip()]
    elif isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        raise ValueError(f"{expectation(q)}, not {_quote(raw)}")
    chosen = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{expectation(q)}; {_quote(item)} is not a code")
        word = item.strip().lower()
        match = next((code for code in q.codes if code.lower() == word), None)
        if match is None:
            raise ValueError(
                f"unknown code {_quote(item)}; expected codes from {', '.join(q.codes)}"
            )
        chosen.add(match)
    if len(chosen) < q.min_items:
        raise ValueError(f"must name at least one of {', '.join(q.codes)}")
    return tuple(code for code in q.codes if code in chosen)


def _parse_number(q: Question, raw: Any) -> int | float:
    value: float
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{expectation(q)}, not {_quote(raw)}")
    value = _number_from_text(q, raw) if isinstance(raw, str) else raw
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{expectation(q)}, not {_quote(raw)}")
    if q.type == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{expectation(q)}, not {_quote(raw)}")
        value = int(value)
    elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    too_low = (q.greater_than is not None and value <= q.greater_than) or (
        q.min is not None and value < q.min
    )
    if too_low and q.below_min:
        raise ValueError(q.below_min)
    if too_low or (q.max is not None and value > q.max):
        raise ValueError(f"{expectation(q)}, not {_quote(raw)}")
    return value


def _number_from_text(q: Question, text: str) -> float:
    if q.unit == "hours":
        match = _DURATION.match(text.lower())
        if match:
            unit = (match.group(2) or "h")[0]
            return float(match.group(1)) * _HOURS_PER[unit]
    else:
        try:
            return int(text.strip()) if text.strip().lstrip("+-").isdigit() else float(text)
        except ValueError:
            pass
    raise ValueError(f"{expectation(q)}, not {_quote(text)}")


# --- typed at the prompt ----------------------------------------------------------

_LETTERS = {"y": "yes", "n": "no", "u": "unsure"}
_SEPARATORS = re.compile(r"[,;]")


def choices(q: Question) -> tuple[tuple[str, str], ...]:
    """The numbered choices of a question as (code, label), in the order shown."""
    if q.type in ("yes_no", "yes_no_unsure"):
        return tuple((code, code.capitalize()) for code in q.codes)
    return q.options


def parse_typed(q: Question, text: str) -> Any:
    """An answer typed at the prompt, read as `parse_answer` reads a file's value.

    Choices accept their number, code or label, case-insensitively; yes/no
    accept y, n (and u for unsure); several choices are separated by commas or
    spaces ("1, 3" or "1 3").  Numbers accept what `parse_answer` does (with
    units for durations).  Raises `ValueError` saying what may be typed.
    """
    text = text.strip()
    if q.type in ("integer", "number"):
        return parse_answer(q, text)
    if q.type == "multi":
        parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
        if len(parts) == 1 and all(word.isdecimal() for word in parts[0].split()):
            parts = parts[0].split()
        return parse_answer(q, [_choice(q, part) for part in parts])
    return parse_answer(q, _choice(q, text))


def _choice(q: Question, text: str) -> str:
    """The code a typed number, letter, code or label stands for."""
    shown = choices(q)
    word = text.strip().lower()
    if word.isdecimal():  # not isdigit: int() refuses '²'; and a long number is no choice
        if len(word) < 10 and 1 <= int(word) <= len(shown):
            return shown[int(word) - 1][0]
        raise ValueError(f"there is no choice {_quote(text)}; {typing_hint(q)}")
    if q.type in ("yes_no", "yes_no_unsure") and word in _LETTERS and _LETTERS[word] in q.codes:
        return _LETTERS[word]
    for code, label in shown:
        if word in (code.lower(), label.lower()):
            return code
    raise ValueError(f"{_quote(text)} is not one of the choices; {typing_hint(q)}")


def typing_hint(q: Question) -> str:
    """What may be typed for a question, in a few words."""
    count = len(choices(q))
    if q.type in ("yes_no", "yes_no_unsure"):
        letters = "y, n or u" if q.type == "yes_no_unsure" else "y or n"
        return f"type {letters}, or a number from 1 to {count}"
    if q.type == "choice":
        return f"type a number from 1 to {count}, or the choice's words"
    if q.type == "multi":
        return f"type one or more of 1 to {count}, such as 1, 3"
    return "type " + expectation(q).removeprefix("must be ")
