"""The screens of the self-check, as data: what `SelfCheck` shows its prompt.

`Ask` a question, `Emergency` the emergency stop, `EarlyNotice` the first
urgent warning sign, `Review` every answer.  Each carries what the person
just typed and why it was refused (`entered`, `problem`), so a screen can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from triage.model import FiredFlag, Question, Section


@dataclass(frozen=True)
class Ask:
    """Ask one question.  `number` of `of` counts the questions asked in its section.

    `current` is the answer it has now (Enter keeps it), `entered` and
    `problem` the entry just refused and why, `help` whether to show the help
    line, `first` whether there is no earlier question to go back to, `skipped`
    the sections just passed over as a red flag fired (on the screen saying so),
    `text` the words to ask with, fitting the answers so far (`engine.wording`).
    """

    question: Question
    section: Section
    number: int
    of: int
    current: Any = None
    entered: str = ""
    problem: str = ""
    help: bool = False
    first: bool = False
    skipped: tuple[Section, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Emergency:
    """The answers so far fire emergency red flags: end now (1) or undo `question` (2)."""

    question: Question
    flags: tuple[FiredFlag, ...]
    entered: str = ""
    problem: str = ""


@dataclass(frozen=True)
class EarlyNotice:
    """The answers so far fire urgent red flags (as reported, no emergency): the
    level and why, then stop (1, or Enter) once the `needed` questions left that
    can still show an emergency are answered, or go on (2) to learn about the
    headache pattern, with about `left` questions to go."""

    level: str
    flags: tuple[FiredFlag, ...]
    left: int
    needed: int = 0
    entered: str = ""
    problem: str = ""


@dataclass(frozen=True)
class ReviewLine:
    """One line of the review screen: its number, the question and its answer."""

    number: int
    section: Section
    question: Question
    value: Any


@dataclass(frozen=True)
class Review:
    """Every answer, one line each, by section: Enter to finish, a number to change
    one, or `b` to go back to the last question (`skipped`: see Ask)."""

    lines: tuple[ReviewLine, ...]
    entered: str = ""
    problem: str = ""
    skipped: tuple[Section, ...] = ()


Screen = Ask | Emergency | EarlyNotice | Review
Prompt = Callable[[Screen], str]


Choice = TypeVar("Choice", Emergency, EarlyNotice)


def choose(
    prompt: Prompt, screen: Choice, ways: Mapping[str, tuple[str, ...]], problem: str
) -> str:
    """Show `screen` until the person types one of the words of `ways` (Enter is
    ""); the way chosen.  Anything else is shown back with `problem`."""
    while True:
        text = prompt(screen).strip()
        chosen = next((way for way, words in ways.items() if text.lower() in words), None)
        if chosen is not None:
            return chosen
        screen = replace(screen, entered=text, problem=problem)
