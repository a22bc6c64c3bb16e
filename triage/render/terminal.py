"""The self-check at a terminal: show each screen, read one line.

`Terminal` is the `prompt` that `SelfCheck.run` is given when a person sits
at the keyboard; tests give it a list of strings instead.  `before_prompt`
runs before each screen (the CLI saves the answers so far there), so an
answer is kept as soon as it is given.

An entry that is not text (bytes that are not UTF-8, say from a terminal set
to another encoding) is refused on the same screen and asked again; it never
ends the self-check.  `--plain` reads each line itself, as bytes: the C
reader behind `input()` without line editing ends an entry at a NUL and drops
the rest, so `38<NUL>abc` would be taken as 38.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from triage.model import Content
from triage.render import check as screens
from triage.render.results import result
from triage.results.contract import Outcome
from triage.selfcheck.screens import Ask, EarlyNotice, Emergency, Screen

UNREADABLE = "that was not readable text; type the answer again"
_UNDECODED = re.compile("[\ud800-\udfff]")  # bytes that were not UTF-8, kept by surrogateescape


def read_line(prompt: str) -> str:
    """One line typed at the keyboard, without line editing: the prompt on standard
    output, then the line read as bytes and decoded as UTF-8, every character kept
    (a NUL too).  Raises `UnicodeDecodeError` for bytes that are not UTF-8 and
    `EOFError` at the end of input."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.buffer.readline()
    if not line:
        raise EOFError
    return line.decode("utf-8").removesuffix("\n").removesuffix("\r")


class Terminal:
    """Shows screens on `console` and reads the person's answers with `read`
    (`input`, with line editing where the platform has it, or `read_line` when
    `plain`)."""

    def __init__(
        self,
        content: Content,
        console: Any,
        plain: bool = False,
        before_prompt: Callable[[], None] | None = None,
        read: Callable[[str], str] | None = None,
    ) -> None:
        self.content = content
        self.console = console
        self.plain = plain
        self.before_prompt = before_prompt
        self.read = read or (read_line if plain else input)
        if self.read is input:
            with contextlib.suppress(ImportError):  # line editing where the platform has it
                import readline  # noqa: F401

    def __call__(self, screen: Screen) -> str:
        """Show `screen` and return the line typed; a line that is not text is
        refused on the same screen, which is shown again."""
        while True:
            if self.before_prompt is not None:
                self.before_prompt()
            self.console.print(self._drawn(screen))
            try:
                text = self.read(screens.PLAIN_PROMPT if self.plain else screens.PROMPT)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _UNDECODED.search(text):
                return text
            screen = replace(screen, entered="", problem=UNREADABLE)

    def _drawn(self, screen: Screen) -> Any:
        if isinstance(screen, Ask):
            return screens.question(screen, self.plain)
        if isinstance(screen, Emergency):
            return screens.emergency(screen, self.content, self.plain)
        if isinstance(screen, EarlyNotice):
            return screens.early_notice(screen, self.content, self.plain)
        return screens.review(screen, self.plain)

    def welcome(self, saving_to: str | None) -> None:
        self.console.print(screens.welcome(self.content, saving_to, self.plain))

    def result(self, data: Outcome) -> None:
        self.console.print()
        self.console.print(result(data, self.content, self.plain))
