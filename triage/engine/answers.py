"""Reading one answer: the single validation used for every way an answer arrives.

Typed at the prompt, read from a YAML/JSON/CSV file, or written as a literal
in a rule: each value passes through `parse_answer`, which returns the
normalised value or raises `ValueError` with what would be valid.

A number written as text is read by one grammar (see docs/answers.md): digits
with a decimal point or comma (`0,5`), `N/10` on a 1 to 10 scale, and for a
duration in hours a unit (`45m`, `6h`, `3d`, `2w`).  An exponent (`1e-05`) is
read from a file, where a program may have written a float so, but refused
when typed at the prompt, where a person never means one.
"""

from __future__ import annotations

import math
import re
from typing import Any

from triage.model import Question

_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}
# A number as text: digits with one decimal point or comma, an optional exponent,
# then an optional unit (durations) or "/ 10" (a 1 to 10 scale).  \d is any decimal
# digit, as float() reads them.
_NUMBER = re.compile(
    r"\s*(?P<number>[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))(?P<exponent>[eE][+-]?\d+)?"
    r"\s*(?:(?P<unit>[a-zA-Z]+)|/\s*(?P<scale>\d+))?\s*"
)
# A comma before exactly three digits may separate thousands ("1,440"): not guessed.
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")
# Other ways of writing a number (YAML 1.1's among them), refused with a hint
_BASED = re.compile(r"\s*[+-]?0[xXoObB][0-9a-fA-F_]*\s*")
_UNDERSCORED = re.compile(r"\s*[+-]?[0-9][0-9_]*(?:[.,][0-9_]*)?\s*")
_CLOCK = re.compile(r"\s*([0-9]+):([0-5][0-9])\s*")
_PLAIN = ": write the number in plain decimal digits"
_HOURS_PER = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1 / 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 1.0),
    **dict.fromkeys(("d", "day", "days"), 24.0),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 168.0),
}
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
        text += " (hours, or with a unit: 45m, 6h, 3d, 2w)"
    return text


def parse_answer(q: Question, raw: Any, *, typed: bool = False) -> Any:
    """The normalised value of one answer, or `ValueError` saying what is valid.

    yes/no types give "yes", "no" or "unsure"; numbers give an int when whole,
    else a float; choice gives its code; multi gives a tuple of codes in the
    questionnaire's order.  `None` and "" are handled by the caller (missing).
    A number given as text may have a decimal comma, `N/10` (1 to 10 scale) or
    a unit (durations); `typed` (at the prompt) refuses an exponent.
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
    return _parse_number(q, raw, typed)


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


def _parse_number(q: Question, raw: Any, typed: bool = False) -> int | float:
    value: float
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{expectation(q)}, not {quote(raw)}")
    value = _number_from_text(q, raw, typed) if isinstance(raw, str) else raw
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


def _number_from_text(q: Question, text: str, typed: bool) -> float:
    """The number a text stands for (see the module's docstring), before range checks."""
    if len(text) < 20 and text.isascii():  # the common cases, at once: 12 and 0.5
        if text.isdigit():
            return int(text)
        if text.replace(".", "", 1).isdigit():
            return float(text)
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(f"{expectation(q)}, not {quote(text)}{_odd(q, text)}")
    number, exponent, unit, scale = match.group("number", "exponent", "unit", "scale")
    if exponent and (typed or unit or scale or q.unit == "hours"):
        raise ValueError(
            f"{expectation(q)}, not {quote(text)}: "
            "write the number in plain digits, without an exponent"
        )
    if _THOUSANDS.fullmatch(number):
        decimal = "" if q.type == "integer" else f", or {number.replace(',', '.')} for a decimal"
        raise ValueError(
            f"{expectation(q)}, not {quote(text)}: a comma before three digits may separate "
            f"thousands; write {number.replace(',', '')}{decimal}"
        )
    per = 1.0
    if unit is not None:
        per = _HOURS_PER.get(unit.lower(), 0.0) if q.unit == "hours" else 0.0
    scaled = scale is None or (scale == "10" and q.type == "integer" and q.max == 10)
    if not per or not scaled:
        raise ValueError(f"{expectation(q)}, not {quote(text)}")
    written = number.replace(",", ".") + (exponent or "")
    try:
        value = float(written) if "." in written or exponent else int(written)
    except ValueError:  # an integer of more digits than Python converts
        value = math.inf
    return value * per if unit is not None else value


def _odd(q: Question, text: str) -> str:
    """A hint for a number written another way: hex, octal or binary (`0x26`), with
    underscores (`1_000`), or as a time (`1:30`), which YAML 1.1 would read as 90."""
    if len(text) > MAX_TEXT:
        return ""
    if _BASED.fullmatch(text):
        return _PLAIN
    if "_" in text and _UNDERSCORED.fullmatch(text):
        plain = text.replace("_", "").strip()
        return f": write it without _, as {plain}" if _NUMBER.fullmatch(plain) else _PLAIN
    clock = _CLOCK.fullmatch(text)
    if clock and q.unit == "hours":
        minutes = int(clock[1]) * 60 + int(clock[2])
        hours = minutes / 60
        decimal = f"{hours:g} or " if round(hours, 2) == hours else ""
        return f": write {minutes} minutes as {decimal}{minutes} min"
    return _PLAIN if ":" in text and text.replace(":", "").strip().isdigit() else ""
