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
from itertools import islice
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__, catalog, files, records, report
from .engine import RECORD_ID
from .errors import ContentError, ExitStatus, TriageError
from .loader import load
from .output import Output

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
        out = Output(fmt, len(opened) == 1 and opened[0][0] in ("yaml", "json"), content)
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


SAVED_HEADER = (
    "Answers to the triage headache self-check, saved as they were given.\n"
    "To go on where you stopped: triage check --answers {path}"
)


@app.command()
def check(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            dir_okay=False,
            help="Pre-fill answers from this file (as assess reads it); ask only what is missing.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", metavar="FILE", dir_okay=False, help="Also write the result JSON here."
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            metavar="FILE",
            dir_okay=False,
            help="Keep the answers here as they are given (also on Ctrl-C); "
            "--answers FILE resumes.",
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Linear text for screen readers: no boxes or rules."),
    ] = False,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt: refuse to start (for scripts).")
    ] = False,
) -> None:
    """Answer the questions one at a time, then see the result. Interactive.

    Warning signs come first; an emergency answer stops at once with the
    advice. Type ? for help and b to go back; Ctrl-C stops (with --save the
    answers so far are kept, and --answers picks up from them). Exit status:
    0 result shown, 2 no terminal, usage or content error, 130 interrupted.

    Example: triage check --save my-answers.yaml
    """
    if no_input or not _keyboard():
        why = "--no-input was given" if no_input else "standard input is not a terminal"
        _err(f"error: triage check asks questions, but {why}.")
        _err(
            "To assess answers without questions, use: triage assess FILE "
            "(triage questions --template prints a blank answers file)."
        )
        raise typer.Exit(ExitStatus.USAGE)
    if answers is not None and str(answers) == records.STDIN:
        raise typer.BadParameter(
            "standard input is the keyboard here; name a file", param_hint="--answers"
        )
    from . import render
    from .selfcheck import SelfCheck
    from .terminal import Terminal

    with _reporting():
        content = load(questions, rules)
        prefill, source = _prefill(answers)
        session = SelfCheck(content, prefill)

        def keep() -> None:
            if save is not None:
                header = SAVED_HEADER.format(path=save)
                files.atomic_write(save, files.answers_text(session.snapshot(), save, header))

        keep()  # a --save that cannot be written fails before the first question
        terminal = Terminal(content, render.console(sys.stdout), plain, keep)
        terminal.welcome(str(save) if save else None)
        try:
            result = session.run(terminal)
        except (KeyboardInterrupt, EOFError):
            print(flush=True)
            keep()
            where = (
                f"your answers so far are in {save}; to go on: triage check --answers {save}"
                if save
                else "no answers were saved (--save FILE keeps them)"
            )
            _err(f"stopped: {where}")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        data = report.result_dict(content, result, prefill.get(RECORD_ID), source)
        keep()
        if output is not None:
            files.atomic_write(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        terminal.result(data)
        if output is not None:
            _err(f"result written to {output}")


def _keyboard() -> bool:
    """Whether someone can type answers: standard input is a terminal."""
    return sys.stdin.isatty()


def _prefill(path: Path | None) -> tuple[dict[str, Any], str | None]:
    """The one record of an `--answers` file, and where it came from."""
    if path is None:
        return {}, None
    _, found = records.read(str(path), None)
    got = list(islice(found, 2))
    if len(got) != 1:
        held = "no record" if not got else "more than one record"
        raise TriageError(f"{path}: --answers takes one record, and this file holds {held}")
    record = got[0]
    if record.answers is None:
        raise TriageError(record.error or f"{path}: cannot be read")
    _, problem = report.record_id_of(record.answers)
    if problem:
        raise TriageError(f"{path}: id {problem}")
    return record.answers, record.source


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
