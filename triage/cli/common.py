"""What every command shares: the typer app, common options, and the one place
that turns errors into messages and exit statuses (`reporting`, with
`failure`, which `triage.cli.main` uses too for what ends a run outside a
command's `reporting`).

Usage errors are typer's own (exit 2).  Data goes to stdout, diagnostics
to stderr.  Every exit status is named in `triage.errors.ExitStatus` and
listed in the README's "Exit statuses".
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from triage import __version__
from triage.errors import ContentError, ExitStatus, TriageError
from triage.text import printable

if TYPE_CHECKING:
    from triage.model import Content

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    add_completion=False,
    context_settings=HELP_OPTIONS,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    help="Headache self-triage: warning signs first, then the headache pattern and whether "
    "dry needling fits. Not a diagnosis; in an emergency call emergency services.",
)


class Command(TyperCommand):
    """A command whose help names each argument as it is typed (`FILE...`), without
    typer's type after it (`FILE <list[str]>`)."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            row = param.get_help_record(ctx)
            if row is None:
                continue
            if param.param_type_name == "argument":
                name = param.metavar or str(param.name).upper()
                arguments.append((name + ("..." if param.nargs != 1 else ""), row[1]))
            else:
                options.append(row)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


OUTPUT_FORMATS = ("json", "jsonl", "text")
ASSESS_FORMATS = ("json", "jsonl", "csv", "text")


def choice_check(*choices: str) -> Callable[[str | None], str | None]:
    """A check that an option's value is one of `choices`, saying which they are."""

    def check(value: str | None) -> str | None:
        if value is None or value in choices:
            return value
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(choices)}.")

    return check


def format_option(metavar: str, help: str, choices: tuple[str, ...] = OUTPUT_FORMATS) -> Any:
    """The `--format` option of a command, checked against its output formats."""
    return typer.Option("--format", metavar=metavar, callback=choice_check(*choices), help=help)


QuestionsOption = Annotated[
    Path | None,
    typer.Option(
        "--questions",
        metavar="PATH",
        dir_okay=False,
        help="Use this questionnaire instead of the shipped one.",
    ),
]
NoInputOption = Annotated[
    bool, typer.Option("--no-input", help="Never prompt (for scripts and schedulers).")
]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="PATH",
        dir_okay=False,
        help="Use these rules instead of the shipped ones.",
    ),
]


REPORT_IT = "please report this at the project's issue tracker with the command you ran"
LONGEST_SAID = 300  # characters of an unexpected exception's message shown


class OutputError(TriageError):
    """Standard output (or standard error) could not be written."""

    def __init__(self, stream: str, errno_: int | None, why: str) -> None:
        self.stream, self.errno = stream, errno_
        super().__init__(why)


def err(message: str) -> None:
    """A message on standard error, or `OutputError` if it cannot be written."""
    try:
        print(printable(message), file=sys.stderr, flush=True)
    except OSError as exc:
        raise OutputError("standard error", exc.errno, exc.strerror or str(exc)) from None


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


def say(line: str) -> None:
    """One line on standard error; nothing if it cannot be written."""
    try:
        print(printable(line), file=sys.stderr, flush=True)
    except (OSError, OutputError):
        _silence(2)


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


@contextmanager
def reporting() -> Iterator[None]:
    """Turn what ends a command into a message on stderr and an exit status: the
    errors of the tool (2) here, the rest through `failure` (interrupted,
    standard output failing, an unexpected exception); SIGTERM's `Terminated`
    goes on to `triage.cli.main`."""
    try:
        yield
    except OutputError as exc:  # a TriageError, but not a usage error
        raise typer.Exit(failure(exc) or ExitStatus.OUTPUT_ERROR) from None
    except ContentError as exc:
        for problem in exc.problems:
            err(str(problem))
        err(f"{plural(len(exc.problems), 'problem')} found in the questionnaire or rules")
        raise typer.Exit(ExitStatus.USAGE) from None
    except TriageError as exc:
        err(f"error: {exc}")
        raise typer.Exit(ExitStatus.USAGE) from None
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except BaseException as exc:
        status = failure(exc)
        if status is None:
            raise
        raise typer.Exit(status) from None


def _version(value: bool) -> None:
    """Print the program's version and that of the shipped content its results are tied to."""
    if value:
        from triage.content.load import load

        with reporting():
            content = load()
        print(f"triage {__version__} (content {printable(content.rules.version)})")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the program and content versions and exit.",
        ),
    ] = False,
) -> None:
    pass
