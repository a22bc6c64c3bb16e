"""Words in messages: escaping for a terminal, near-miss suggestions, lists of choices.

The lowest layer with `errors`: it imports nothing from the package, so every
layer can use it.  `printable` is the one escaping function that text from a
record or a content file passes through before it reaches a terminal or
standard error; `printable_lines` applies it to each line of a text whose
lines the program itself wrote (a report, a template).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

# Made visible: control characters (C0, DEL, C1: escape sequences, CR, NEL, ...),
# every line or paragraph break, the bidirectional controls (U+202A-202E,
# U+2066-2069, U+200E/F, U+061C), zero-width and other invisible format
# characters (U+200B-200D, U+2060-2064, the BOM U+FEFF, tags U+E0000-E007F),
# and lone surrogates, which no terminal can be sent.  All are outside
# `str.isprintable`, which lets ordinary text through at once.  Compiled when
# first needed (`_hidden`, also as `_HIDDEN`): most runs never write one.
_HIDDEN_CLASS = (
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
LONGEST_ID = 100  # a word longer than this is no near miss of an ID: not compared


@cache
def _hidden() -> re.Pattern[str]:
    return re.compile(_HIDDEN_CLASS)


def __getattr__(name: str) -> re.Pattern[str]:
    if name == "_HIDDEN":
        return _hidden()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` on one line, with every character that could drive a terminal, break
    the line, reverse or hide text written as an escape (`\\x1b`, `\\n`, `\\u202e`):
    an answers file or a content file cannot forge a line of a message, hide a
    word or drive the terminal that shows it."""
    if text.isprintable():
        return text
    return _hidden().sub(_visible, text)


def printable_lines(text: str) -> str:
    """`printable` for each line of a text whose line breaks (`\\n` only) are its own."""
    return "\n".join(printable(line) for line in text.split("\n"))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` for a near miss, else ''."""
    import difflib  # only when a name is wrong: kept off the start-up path

    if len(str(word)) > LONGEST_ID:
        return ""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def listed(choices: Iterable[str]) -> str:
    """Choices as a message lists them: `a, b, c`."""
    return ", ".join(choices)
