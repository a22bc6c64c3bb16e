"""What the typer commands share: the app, common options, `typed` (a typer-free
check of `exits` as a typer callback) and `reporting`, which ends a command
through `exits.handled`, the one place that turns errors into messages and exit
statuses.  What needs no typer is in `exits`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from triage import __version__
from triage.text import printable

from .exits import ParameterError, handled, one_of

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


def typed(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`check` as a typer callback: its `ParameterError` becomes typer's `BadParameter`,
    with the same message (`__wrapped__` is `check`)."""

    @wraps(check)  # typer reads the parameters of `check`, and passes them by name
    def callback(*args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except ParameterError as exc:
            raise typer.BadParameter(str(exc), param_hint=exc.param_hint) from None

    return callback


def format_option(metavar: str, help: str, check: Callable[[Any], Any] | None = None) -> Any:
    """The `--format` option of a command, checked by `check` (by default, one of
    `OUTPUT_FORMATS`)."""
    callback = typed(check or one_of(*OUTPUT_FORMATS))
    return typer.Option("--format", metavar=metavar, callback=callback, help=help)


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


@contextmanager
def reporting() -> Iterator[None]:
    """Turn what ends a command into a message on stderr and an exit status
    (`exits.handled`); SIGTERM's `Terminated` goes on to `triage.cli.main`."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except BaseException as exc:
        raise typer.Exit(handled(exc)) from None


def _version(value: bool) -> None:
    """Print the program's version and that of the shipped content its results are tied to."""
    if value:
        from triage.content.load import load

        with reporting():
            content = load(cache=True)
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
