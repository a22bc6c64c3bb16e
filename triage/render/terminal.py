"""The self-check at a terminal: show each screen, read one line.

`Terminal` is the `prompt` that `SelfCheck.run` is given when a person sits
at the keyboard; tests give it a list of strings instead.  `before_prompt`
runs before each screen (the CLI saves the answers so far there), so an
answer is kept as soon as it is given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from triage.model import Content
from triage.render import check as screens
from triage.render.results import result
from triage.results.contract import Outcome
from triage.selfcheck.screens import Ask, EarlyNotice, Emergency, Screen


class Terminal:
    """Shows screens on `console` and reads the person's answers with `read`."""

    def __init__(
        self,
        content: Content,
        console: Any,
        plain: bool = False,
        before_prompt: Callable[[], None] | None = None,
        read: Callable[[str], str] = input,
    ) -> None:
        self.content = content
        self.console = console
        self.plain = plain
        self.before_prompt = before_prompt
        self.read = read
        if not plain and read is input:
            with contextlib.suppress(ImportError):  # line editing where the platform has it
                import readline  # noqa: F401

    def __call__(self, screen: Screen) -> str:
        if self.before_prompt is not None:
            self.before_prompt()
        if isinstance(screen, Ask):
            shown = screens.question(screen, self.plain)
        elif isinstance(screen, Emergency):
            shown = screens.emergency(screen, self.content, self.plain)
        elif isinstance(screen, EarlyNotice):
            shown = screens.early_notice(screen, self.content, self.plain)
        else:
            shown = screens.review(screen, self.plain)
        self.console.print(shown)
        return self.read(screens.PLAIN_PROMPT if self.plain else screens.PROMPT)

    def welcome(self, saving_to: str | None) -> None:
        self.console.print(screens.welcome(self.content, saving_to, self.plain))

    def result(self, data: Outcome) -> None:
        self.console.print()
        self.console.print(result(data, self.content, self.plain))
