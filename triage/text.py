"""Words in messages: escaping for a terminal, near-miss suggestions, lists of choices.

The lowest layer with `errors`: it imports nothing from the package, so every
layer can use it.  `printable` is the one escaping function that text from a
record or a content file passes through before it reaches a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

_CONTROL = {
    code: f"\\x{code:02x}"
    for code in (*range(0x20), *range(0x7F, 0xA0))
    if code not in (0x09, 0x0A)
}


def printable(text: str) -> str:
    """`text` with control characters written as `\\x1b`: an answers file cannot drive
    the terminal that shows a message or a result."""
    return text.translate(_CONTROL)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` for a near miss, else ''."""
    import difflib  # only when a name is wrong: kept off the start-up path

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def listed(choices: Iterable[str]) -> str:
    """Choices as a message lists them: `a, b, c`."""
    return ", ".join(choices)
