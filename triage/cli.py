"""The only module that imports typer: parse -> call the engine -> render -> exit.

`main` is the one place that turns errors into messages and exit statuses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from . import records, report
from .engine import evaluate
from .errors import AnswerError, ContentError, ExitStatus, TriageError
from .loader import load
from .model import Content

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Headache self-triage: warning signs first, then the headache pattern and whether "
    "dry needling fits. Not a diagnosis; in an emergency call emergency services.",
)


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


class InputFormat(str, Enum):
    yaml = "yaml"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


QuestionsOption = Annotated[
    Path | None,
    typer.Option("--questions", help="Use this questionnaire instead of the shipped one.",
                 dir_okay=False),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Use these rules instead of the shipped ones.", dir_okay=False),
]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


@app.command()
def assess(
    files: Annotated[list[str], typer.Argument(metavar="FILE...",
                     help="Answers files (.yaml, .yml, .json, .jsonl, .csv); - reads stdin.")],
    output_format: Annotated[OutputFormat | None, typer.Option(
        "--format", help="json, jsonl or text [default: json when piped, text on a terminal]",
        show_default=False)] = None,
    input_format: Annotated[InputFormat | None, typer.Option(
        "--input-format", help="Read every input as this format instead of guessing.")] = None,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
    no_input: Annotated[bool, typer.Option("--no-input",
                        help="Never prompt (assess never does; accepted for scripts).")] = False,
) -> None:
    """Assess answers files and print one result per record. Never prompts.

    Exit status: 0 every record assessed, 1 some record could not be assessed
    (it still gets an object with an `error`), 2 usage or content error,
    130 interrupted.

    Example: triage assess intake.yaml --format json
    """
    content = load(questions, rules)
    fmt = output_format.value if output_format else ("text" if sys.stdout.isatty() else "json")
    in_fmt = input_format.value if input_format else None
    opened = [records.read(path, in_fmt, sys.stdin) for path in files]
    single = len(opened) == 1 and opened[0][0] in ("yaml", "json")
    failed = False
    out = _Output(fmt, single, sys.stdout)
    for _, recs in opened:
        for obj in _assess_records(content, recs):
            failed = failed or "error" in obj
            out.write(obj)
    out.close()
    raise typer.Exit(ExitStatus.RECORD_ERROR if failed else ExitStatus.OK)


def _assess_records(content: Content, recs: Iterator[records.Record]) -> Iterator[dict[str, Any]]:
    """The result object of each record; a record's error never stops the others."""
    for rec in recs:
        if rec.answers is None:
            message = rec.error or "cannot be read"
            _err(message)
            yield report.error_dict(content, message, rec.fallback_id, rec.source)
            continue
        rid, problem = report.record_id_of(rec.answers)
        if problem:
            _err(f"{rec.source}: {problem}")
            yield report.error_dict(content, problem, None, rec.source)
            continue
        try:
            result = evaluate(content, rec.answers)
        except AnswerError as exc:
            _err(f"{rec.source}: {exc}")
            yield report.error_dict(content, str(exc), rid, rec.source, exc)
            continue
        yield report.result_dict(content, result, rid, rec.source)


class _Output:
    """Writes result objects as they come: one JSON object, a JSON array, JSONL or text."""

    def __init__(self, fmt: str, single: bool, stream: IO[str]) -> None:
        self.fmt = fmt
        self.single = single
        self.stream = stream
        self.count = 0
        self.console: Any = None

    def write(self, obj: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            text = json.dumps(obj, ensure_ascii=False, indent=None if not self.single else 2)
            if self.single:
                self.stream.write(text + "\n")
            else:
                self.stream.write(("[\n" if self.count == 0 else ",\n") + text)
        else:
            from . import render

            if self.console is None:
                self.console = render.console(self.stream)
            self.console.print(render.result(obj))
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json" and not self.single:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


@app.command()
def validate(questions: QuestionsOption = None, rules: RulesOption = None) -> None:
    """Check the questionnaire and rules files and report every problem with file:line:col.

    Exit status: 0 no problems, 2 problems found.

    Example: triage validate --rules my-rules.yaml
    """
    content = load(questions, rules)
    qs = content.questions
    r = content.rules
    print(f"questions: {len(qs.questions)} questions in {len(qs.sections)} sections; "
          f"rules {r.version}: {len(r.red_flags)} red flags, {len(r.patterns)} patterns, "
          f"{len(r.facts)} facts: no problems found")


@app.command("questions")
def list_questions(
    output_format: Annotated[OutputFormat | None, typer.Option(
        "--format", help="text (a table) or json")] = None,
    template: Annotated[bool, typer.Option(
        "--template", help="Print a blank answers file (YAML) to fill in.")] = False,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
) -> None:
    """List the questionnaire: ID, type, allowed values and when each question is asked.

    Example: triage questions --template > answers.yaml
    """
    from . import catalog

    content = load(questions, rules)
    if template:
        sys.stdout.write(catalog.template(content))
    elif output_format in (OutputFormat.json, OutputFormat.jsonl):
        print(json.dumps(catalog.as_list(content), ensure_ascii=False, indent=2))
    else:
        from . import render

        render.console(sys.stdout).print(render.questions_table(content.questions))


def main(argv: list[str] | None = None) -> None:
    """Run the command line; the one place errors become messages and exit statuses.

    Usage errors are reported by typer itself (exit 2); a command ends with
    `typer.Exit(status)`.
    """
    try:
        app(args=argv, prog_name="triage")
    except ContentError as exc:
        _err(str(exc))
        sys.exit(ExitStatus.USAGE)
    except TriageError as exc:
        _err(f"error: {exc}")
        sys.exit(ExitStatus.USAGE)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
