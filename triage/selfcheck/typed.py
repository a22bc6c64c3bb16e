"""Reading an answer typed at the prompt, then passing it to the one validation.

A person types a choice's number, words or first letter, `y`/`n`/`u`, `1`/`0`,
`true`/`false`, several choices as "1, 3", or a number (`0,5`, `8/10`, a
duration with a unit); `parse_typed` turns that into what an answers file
would hold and gives it to `parse_answer`, so a typed answer is checked
exactly as a file's is.  The rules are listed in docs/answers.md.
"""

from __future__ import annotations

import re
from typing import Any

from triage.engine.answers import expectation, parse_answer, quote
from triage.model import Question

_YES_NO = ("yes_no", "yes_no_unsure")
# Beyond the shown numbers, codes, labels and first letters: yes/no as a file
# writes them (true, false) and 0 for no, as in 1/0 (1 is Yes, the first choice).
_TRUTH = {"true": "yes", "false": "no", "0": "no"}
_BACK = "b"  # the key that goes back (selfcheck.flow), never read as a first letter
_SEPARATORS = re.compile(r"[,;]")


def choices(q: Question) -> tuple[tuple[str, str], ...]:
    """The numbered choices of a question as (code, label), in the order shown."""
    if q.type in _YES_NO:
        return tuple((code, code.capitalize()) for code in q.codes)
    return q.options


def parse_typed(q: Question, text: str) -> Any:
    """An answer typed at the prompt, read as `parse_answer` reads a file's value.

    A choice is its shown number, its code or label (case, spaces and
    underscores aside), or the first letter of its label or code when no other
    choice has that letter; yes/no also take true/false and 0 for no.  Several
    choices are separated by commas or semicolons, or by spaces between
    numbers and letters ("1, 3", "1 3", "f n").  Numbers are read by
    `parse_answer`, with an exponent refused.  Raises `ValueError` saying what
    was typed and what may be typed.
    """
    text = text.strip()
    if q.type in ("integer", "number"):
        return parse_answer(q, text, typed=True)
    if q.type == "multi":
        parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
        if len(parts) == 1 and all(_short(word) for word in parts[0].split()):
            parts = parts[0].split()
        return parse_answer(q, [_choice(q, part) for part in parts])
    return parse_answer(q, _choice(q, text))


def _short(word: str) -> bool:
    """A number or a single letter: what may stand alone between spaces in "1 3"."""
    return word.isdecimal() or (len(word) == 1 and word.isalpha())


def _words(text: str) -> str:
    """Text compared with codes and labels: lower case, `_` as a space, spaces single."""
    return " ".join(text.lower().replace("_", " ").split())


def _choice(q: Question, text: str) -> str:
    """The code a typed number, word, code, label or first letter stands for."""
    shown = choices(q)
    word = _words(text)
    if q.type in _YES_NO and word in _TRUTH and _TRUTH[word] in q.codes:
        return _TRUTH[word]
    if word.isdecimal():  # not isdigit: int() refuses '²'; and a long number is no choice
        if len(word) < 10 and 1 <= int(word) <= len(shown):
            return shown[int(word) - 1][0]
        raise ValueError(f"there is no choice {quote(text)}; {typing_hint(q)}")
    for code, label in shown:
        if word in (_words(code), _words(label)):
            return code
    if len(word) == 1 and word.isalpha():
        return _by_letter(q, text, word)
    raise ValueError(f"{quote(text)} is not one of the choices; {typing_hint(q)}")


def _by_letter(q: Question, text: str, letter: str) -> str:
    """The one choice whose label or code starts with `letter`."""
    shown = choices(q)
    if letter == _BACK:
        raise ValueError(f"'b' is the key for going back, not a choice's letter; {typing_hint(q)}")
    fits = [
        (number, code, label)
        for number, (code, label) in enumerate(shown, 1)
        if letter in (_words(label)[:1], _words(code)[:1])
    ]
    if len(fits) == 1:
        return fits[0][1]
    if not fits:
        raise ValueError(f"{quote(text)} is not one of the choices; {typing_hint(q)}")
    could = [f"choice {number} ({label})" for number, _, label in fits]
    either = ", ".join(could[:-1]) + " or " + could[-1]
    raise ValueError(
        f"{quote(text)} could mean {either}; type the number or the words of the one you mean"
    )


def typing_hint(q: Question) -> str:
    """What may be typed for a question, in a few words."""
    count = len(choices(q))
    if q.type in _YES_NO:
        letters = "y, n or u" if q.type == "yes_no_unsure" else "y or n"
        return f"type {letters}, or a number from 1 to {count}"
    if q.type == "choice":
        return f"type a number from 1 to {count}, or the choice's words"
    if q.type == "multi":
        return f"type one or more of 1 to {count}, such as 1, 3"
    return "type " + expectation(q).removeprefix("must be ")
