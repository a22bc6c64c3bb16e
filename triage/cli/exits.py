"""How a command ends, without typer: its messages on standard error, the checks
of option values, and the one place that turns an exception into a message and
an exit status.

`common.reporting` (for the typer commands) and `assessing.run` (for `triage
assess`, whose plain command lines run without typer: see `quick`) both end
through `handled`; `triage.cli.main` uses `failure` for what ends a run
outside them.  A check of an option's value raises `ParameterError`, which
the typer commands turn into typer's own `BadParameter`, with the same message.

Usage errors are typer's own (exit 2).  Data goes to stdout, diagnostics
to stderr.  Every exit status is named in `triage.errors.ExitStatus` and
listed in the README's "Exit statuses".
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from triage.errors import ContentError, ExitStatus, TriageError
from triage.text import printable

if TYPE_CHECKING:
    from triage.model import Content

REPORT_IT = "please report this at the project's issue tracker with the command you ran"
LONGEST_SAID = 300  # characters of an unexpected exception's message shown


class OutputError(TriageError):
    """Standard output (or standard error) could not be written."""

    def __init__(self, stream: str, errno_: int | None, why: str) -> None:
        self.stream, self.errno = stream, errno_
        super().__init__(why)


class ParameterError(TriageError):
    """A value given on the command line is refused, before anything is read: typer's
    `BadParameter` (usage, exit 2) with the same message and `param_hint`."""

    def __init__(self, message: str, param_hint: str | None = None) -> None:
        self.param_hint = param_hint
        super().__init__(message)


def one_of(*choices: str) -> Callable[[str | None], str | None]:
    """A check that an option's value is one of `choices`, saying which they are."""

    def check(value: str | None) -> str | None:
        if value is None or value in choices:
            return value
        raise ParameterError(f"'{value}' is not one of {', '.join(choices)}.")

    return check


def err(message: str) -> None:
    """A message on standard error, or `OutputError` if it cannot be written."""
    try:
        print(printable(message), file=sys.stderr, flush=True)
    except OSError as exc:
        raise OutputError("standard error", exc.errno, exc.strerror or str(exc)) from None


def say(line: str) -> None:
    """One line on standard error; nothing if it cannot be written."""
    try:
        print(printable(line), file=sys.stderr, flush=True)
    except (OSError, OutputError):
        _silence(2)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fhir_questionnaire(content: Content) -> Callable[[], Mapping[str, Any]]:
    """What gives the FHIR Questionnaire that responses are read against, built
    only when a FHIR resource is met."""

    @cache
    def questionnaire() -> Mapping[str, Any]:
        from triage.content.fhir import questionnaire

        return questionnaire(content)

    return questionnaire


def handled(exc: BaseException) -> int:
    """Say what ended a command and return its exit status: the errors of the tool
    (2) here, the rest through `failure` (interrupted, standard output failing, an
    unexpected exception).  What `failure` does not take (SIGTERM's `Terminated`,
    `SystemExit`) is raised again, for `triage.cli.main`."""
    if isinstance(exc, OutputError):  # a TriageError, but not a usage error
        return failure(exc) or ExitStatus.OUTPUT_ERROR
    if isinstance(exc, ContentError):
        for problem in exc.problems:
            err(str(problem))
        err(f"{plural(len(exc.problems), 'problem')} found in the questionnaire or rules")
        return ExitStatus.USAGE
    if isinstance(exc, TriageError):
        err(f"error: {exc}")
        return ExitStatus.USAGE
    status = failure(exc)
    if status is None:
        raise exc
    return status


def failure(exc: BaseException) -> int | None:
    """Say what ended a command (one line on standard error, or nothing for a broken
    pipe) and return its exit status; None for what `main` handles (SIGTERM's
    `Terminated`) or passes on (`SystemExit`)."""
    if isinstance(exc, KeyboardInterrupt):
        say("interrupted")
        return ExitStatus.INTERRUPTED
    if isinstance(exc, (OutputError, OSError)) and exc.errno == errno.EPIPE:
        _silence(1)  # what is still buffered goes nowhere instead of failing again at exit
        _silence(2)
        return ExitStatus.BROKEN_PIPE
    if isinstance(exc, OutputError):
        _silence(1)
        if exc.stream == "standard output":
            say(f"cannot write the results to standard output: {exc}")
        return ExitStatus.OUTPUT_ERROR
    if isinstance(exc, Exception):
        say(f"triage: internal error: {type(exc).__name__}: {_said(exc)}; {REPORT_IT}")
        return ExitStatus.INTERNAL
    return None


def _said(exc: BaseException) -> str:
    """An exception's message on one line, not too long (or why it cannot be shown)."""
    try:
        text = " ".join(str(exc).split())
    except Exception:
        return "(its message cannot be shown)"
    return text if len(text) <= LONGEST_SAID else text[: LONGEST_SAID - 1] + "…"


def _silence(fd: int) -> None:
    """Send a failed standard stream to `/dev/null`, as Python's documentation advises
    for a broken pipe: what is still in its buffer goes nowhere instead of failing
    again when the program exits."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    replacement = open(os.devnull, "w")  # noqa: SIM115
    if fd == 1:
        sys.stdout = replacement
    else:
        sys.stderr = replacement
