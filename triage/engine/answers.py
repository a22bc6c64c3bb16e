"""Reading one answer: the single validation used for every way an answer arrives.

Typed at the prompt, read from a YAML/JSON/CSV file, or written as a literal
in a rule: each value passes through `parse_answer`, which returns the
normalised value or raises `ValueError` with what would be valid.
"""

from __future__ import annotations

import math
import re
from typing import Any

from triage.model import Question

_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$"
)
_HOURS_PER = {"m": 1 / 60, "h": 1.0, "d": 24.0}
MAX_TEXT = 200  # how much of a bad value is quoted back


def quote(raw: Any) -> str:
    """A value as a message quotes it back: short, and never failing."""
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
    raise ValueError(f"{expectation(q)}, not {quote(raw)}")


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
    raise ValueError(f"unknown code {quote(raw)}; expected one of {', '.join(q.codes)}")


def _parse_multi(q: Question, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        items: list[Any] = [part for part in raw.split(";") if part.strip()]
    elif isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        raise ValueError(f"{expectation(q)}, not {quote(raw)}")
    chosen = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{expectation(q)}; {quote(item)} is not a code")
        word = item.strip().lower()
        match = next((code for code in q.codes if code.lower() == word), None)
        if match is None:
            raise ValueError(
                f"unknown code {quote(item)}; expected codes from {', '.join(q.codes)}"
            )
        chosen.add(match)
    if len(chosen) < q.min_items:
        raise ValueError(f"must name at least one of {', '.join(q.codes)}")
    return tuple(code for code in q.codes if code in chosen)


def _parse_number(q: Question, raw: Any) -> int | float:
    value: float
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{expectation(q)}, not {quote(raw)}")
    value = _number_from_text(q, raw) if isinstance(raw, str) else raw
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{expectation(q)}, not {quote(raw)}")
    if q.type == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{expectation(q)}, not {quote(raw)}")
        value = int(value)
    elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    too_low = (q.greater_than is not None and value <= q.greater_than) or (
        q.min is not None and value < q.min
    )
    if too_low and q.below_min:
        raise ValueError(q.below_min)
    if too_low or (q.max is not None and value > q.max):
        raise ValueError(f"{expectation(q)}, not {quote(raw)}")
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
    raise ValueError(f"{expectation(q)}, not {quote(text)}")
