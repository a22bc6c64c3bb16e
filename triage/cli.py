"""The only module that imports typer: parse -> call the engine -> render -> exit.

`_reporting` is the one place that turns errors into messages and exit
statuses; usage errors are typer's own (exit 2).  Data goes to stdout,
diagnostics to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from . import __version__, catalog, records, report
from .errors import ContentError, ExitStatus, TriageError
from .loader import load
from .model import Content

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    help="Headache self-triage: warning signs first, then the headache pattern and whether "
    "dry needling fits. Not a diagnosis; in an emergency call emergency services.",
)


OUTPUT_FORMATS = ("json", "jsonl", "text")


def _one_of(*choices: str) -> Callable[[str | None], str | None]:
    """A check that an option's value is one of `choices`, saying which they are."""

    def check(value: str | None) -> str | None:
        if value is None or value in choices:
            return value
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(choices)}.")

    return check


def _format_option(metavar: str, help: str) -> Any:
    """The `--format` option of a command, checked against the output formats."""
    return typer.Option("--format", metavar=metavar, callback=_one_of(*OUTPUT_FORMATS), help=help)


QuestionsOption = Annotated[
    Path | None,
    typer.Option(
        "--questions",
        metavar="PATH",
        dir_okay=False,
        help="Use this questionnaire instead of the shipped one.",
    ),
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


def _err(message: str) -> None:
    print(report.printable(message), file=sys.stderr, flush=True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@contextmanager
def _reporting() -> Iterator[None]:
    """Turn the errors a command can meet into a message on stderr and an exit status."""
    try:
        yield
    except ContentError as exc:
        for problem in exc.problems:
            _err(str(problem))
        _err(f"{_plural(len(exc.problems), 'problem')} found in the questionnaire or rules")
        raise typer.Exit(ExitStatus.USAGE) from None
    except TriageError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(ExitStatus.USAGE) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(ExitStatus.INTERRUPTED) from None


def _version(value: bool) -> None:
    if value:
        print(f"triage {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    pass


@app.command()
def assess(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            show_default=False,
            help="Answers files (.yaml, .yml, .json, .jsonl, .csv); - reads standard input.",
        ),
    ],
    output_format: Annotated[
        str | None,
        _format_option(
            "[json|jsonl|text]", "json, jsonl or text  [default: text on a terminal, else json]"
        ),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            metavar="[yaml|json|jsonl|csv]",
            callback=_one_of(*records.FORMATS),
            help="Read every input as this format instead of guessing.",
        ),
    ] = None,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never prompt (assess never does; accepted for scripts)."),
    ] = False,
) -> None:
    """Assess answers files and print one result per record. Never prompts.

    A single YAML/JSON file gives one JSON object; JSONL, CSV or several
    files give a JSON array. Exit status: 0 every record assessed, 1 some
    record could not be assessed (it still gets an object with an `error`),
    2 usage or content error, 130 interrupted.

    Example: triage assess intake.yaml --format json
    """
    if files.count(records.STDIN) > 1:
        raise typer.BadParameter("'-' (standard input) can be given only once", param_hint="FILE")
    if records.STDIN in files and sys.stdin.isatty():
        raise typer.BadParameter(
            "standard input is a terminal; pipe the answers in, or name a file", param_hint="FILE"
        )
    with _reporting():
        content = load(questions, rules)
        fmt = output_format or ("text" if sys.stdout.isatty() else "json")
        opened = [records.read(path, input_format, sys.stdin) for path in files]
        out = _Output(fmt, len(opened) == 1 and opened[0][0] in ("yaml", "json"), content)
        total = failed = 0
        for path, (_, recs) in zip(files, opened, strict=True):
            before = total
            for record in recs:
                outcome = report.assess(content, record)
                total, failed = total + 1, failed + outcome.failed
                if fmt != "text":
                    for line in outcome.errors + outcome.warnings:
                        _err(line)
                out.write(outcome.result)
            if total == before:
                _err(
                    f"{records.STDIN_NAME if path == records.STDIN else path}: warning: no records"
                )
        out.close()
        if failed and total > 1:
            _err(f"{failed} of {total} records could not be assessed")
    raise typer.Exit(ExitStatus.RECORD_ERROR if failed else ExitStatus.OK)


class _Output:
    """Writes result objects as they come: one JSON object, a JSON array, JSONL or text."""

    def __init__(
        self, fmt: str, single: bool, content: Content, stream: IO[str] | None = None
    ) -> None:
        self.fmt = fmt
        self.single = single
        self.content = content
        self.stream = stream or sys.stdout
        self.count = 0
        self.console: Any = None

    def write(self, obj: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
        elif self.fmt == "json" and self.single:
            self.stream.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
        elif self.fmt == "json":
            self.stream.write(
                ("[\n" if self.count == 0 else ",\n") + json.dumps(obj, ensure_ascii=False)
            )
        else:
            from . import render

            if self.console is None:
                self.console = render.console(self.stream)
            elif self.count:
                self.console.print()
            self.console.print(render.result(obj, self.content))
        self.count += 1
        self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json" and not self.single:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


@app.command()
def validate(questions: QuestionsOption = None, rules: RulesOption = None) -> None:
    """Check the questionnaire and rules files; report every problem as file:line:col.

    Exit status: 0 no problems, 2 problems found (listed on standard error).

    Example: triage validate --rules my-rules.yaml
    """
    with _reporting():
        content = load(questions, rules)
    print(catalog.summary(content, questions, rules))


@app.command("questions")
def list_questions(
    output_format: Annotated[
        str | None,
        _format_option(
            "[text|json|jsonl]", "text (a table), json (an array) or jsonl (one question per line)"
        ),
    ] = None,
    template: Annotated[
        bool, typer.Option("--template", help="Print a blank answers file (YAML) to fill in.")
    ] = False,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
) -> None:
    """List the questionnaire: ID, allowed values and when each question is asked.

    Example: triage questions --template > answers.yaml
    """
    with _reporting():
        content = load(questions, rules)
    if template:
        sys.stdout.write(catalog.template(content))
    elif output_format == "json":
        print(json.dumps(catalog.as_list(content), ensure_ascii=False, indent=2))
    elif output_format == "jsonl":
        for entry in catalog.as_list(content):
            print(json.dumps(entry, ensure_ascii=False))
    else:
        from . import render

        render.console(sys.stdout).print(render.questions_table(content))


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the `triage` script and `python -m triage`)."""
    try:
        app(args=argv, prog_name="triage")
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
