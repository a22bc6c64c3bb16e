"""The exception family of `triage`; this module imports nothing from the package.

Every error the tool can report is a `TriageError`.  The command line turns
each one into a message and an exit status in one place (`cli.exits.handled`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum


class TriageError(Exception):
    """Base class of every error `triage` reports to a user."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, with where it is."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if not self.line:  # the whole file, e.g. it cannot be read
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ContentError(TriageError):
    """A questionnaire or rules file is unreadable or invalid.

    Carries every problem found, not only the first, each as
    `file:line:col: what is wrong; what would be valid`.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.path, p.line, p.column)))
        super().__init__("\n".join(str(p) for p in self.problems))


class AnswerError(TriageError):
    """A record cannot be assessed: answers are missing or invalid.

    `invalid` maps answer IDs to what is wrong and what would be valid;
    `missing` lists the IDs of asked questions that have no answer.
    `partial` is what the valid answers present already show (the red flags
    that fire on them), so that a partial record never hides a warning sign.
    """

    def __init__(
        self,
        missing: Sequence[str],
        invalid: Mapping[str, str],
        partial: object = None,
        message: str | None = None,
    ) -> None:
        self.missing = tuple(missing)
        self.invalid = dict(invalid)
        self.partial = partial
        super().__init__(message or describe_answer_problems(self.missing, self.invalid))


def describe_answer_problems(missing: Sequence[str], invalid: Mapping[str, str]) -> str:
    """One sentence naming every missing and invalid answer."""
    parts = []
    if missing:
        noun = "answer" if len(missing) == 1 else "answers"
        parts.append(f"{len(missing)} {noun} missing: {', '.join(missing)}")
    for qid, why in invalid.items():
        # "'age' must be …" reads as a sentence; "'sex': unknown code …" needs the colon
        parts.append(f"'{qid}' {why}" if why.startswith("must") else f"'{qid}': {why}")
    return "; ".join(parts) if parts else "record cannot be assessed"


class ExitStatus(IntEnum):
    """The exit statuses of the `triage` command (the README's "Exit statuses")."""

    OK = 0
    RECORD_ERROR = 1  # at least one record could not be assessed
    USAGE = 2  # bad option, unreadable or invalid questionnaire/rules file
    FAIL_ON = 3  # assess --fail-on: some record reached that level
    INTERNAL = 70  # an unexpected error, a bug to report (EX_SOFTWARE)
    OUTPUT_ERROR = 74  # standard output could not be written (EX_IOERR)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # standard output was closed early, as by `| head` (128 + SIGPIPE)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)
