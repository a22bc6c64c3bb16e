"""What every command shares: the typer app, common options, and the one place
that turns errors into messages and exit statuses (`reporting`).

Usage errors are typer's own (exit 2).  Data goes to stdout, diagnostics
to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

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


def err(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)


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


@contextmanager
def reporting() -> Iterator[None]:
    """Turn the errors a command can meet into a message on stderr and an exit status."""
    try:
        yield
    except ContentError as exc:
        for problem in exc.problems:
            err(str(problem))
        err(f"{plural(len(exc.problems), 'problem')} found in the questionnaire or rules")
        raise typer.Exit(ExitStatus.USAGE) from None
    except TriageError as exc:
        err(f"error: {exc}")
        raise typer.Exit(ExitStatus.USAGE) from None
    except KeyboardInterrupt:
        err("interrupted")
        raise typer.Exit(ExitStatus.INTERRUPTED) from None


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
