"""Reading an answer typed at the prompt, then passing it to the one validation.

A person types a choice's number, code or label, `y`/`n`/`u`, several choices
as "1, 3", or a number (with a unit for durations); `parse_typed` turns that
into what an answers file would hold and gives it to `parse_answer`, so a
typed answer is checked exactly as a file's is.
"""

from __future__ import annotations

import re
from typing import Any

from triage.engine.answers import expectation, parse_answer, quote
from triage.model import Question

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
        raise ValueError(f"there is no choice {quote(text)}; {typing_hint(q)}")
    if q.type in ("yes_no", "yes_no_unsure") and word in _LETTERS and _LETTERS[word] in q.codes:
        return _LETTERS[word]
    for code, label in shown:
        if word in (code.lower(), label.lower()):
            return code
    raise ValueError(f"{quote(text)} is not one of the choices; {typing_hint(q)}")


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
