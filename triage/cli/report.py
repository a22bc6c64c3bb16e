"""`triage report`: a one-page clinician handoff (HTML) from saved results."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from triage.content.load import load
from triage.errors import TriageError
from triage.files import atomic_write
from triage.intake.jsontext import json_value
from triage.results.contract import SCHEMA, Outcome, outcome_of

from .common import Command, QuestionsOption, RulesOption, app, reporting
from .exits import err, plural

STDIN = "-"


@app.command(cls=Command)
def report(
    results: Annotated[
        str,
        typer.Argument(
            metavar="RESULT.json",
            help="Results as triage assess or check --output wrote them (- for standard input).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE.html",
            dir_okay=False,
            help="Write the report here (replaced in one step) instead of standard output.",
        ),
    ] = None,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
) -> None:
    """Write a one-page clinician handoff for each result, as HTML to print on A4.

    Reads one result object, a JSON array of them, or JSONL; each result gets
    a page: the level, the warning signs with the answers behind them, the
    headache patterns, dry needling, and what to examine.  A result made with
    triage assess --with-answers (or triage check --report) also shows the
    red-flag questions asked and denied and the headache history.  Exit
    status: 0 written, 2 a file that cannot be read or written, or that holds
    no triage.result/1 objects.

    Example: triage report result.json -o handoff.html
    """
    with reporting():
        content = load(questions, rules, cache=True)
        name = "<stdin>" if results == STDIN else results
        outcomes = read_outcomes(_text(results), name)
        from triage.render.handoff import document
        from triage.results.handoff import handoff

        page = document([handoff(content, outcome) for outcome in outcomes])
        if output is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(page.encode("utf-8"))
            sys.stdout.flush()
            return
        atomic_write(output, page)
    err(f"report written to {output} ({plural(len(outcomes), 'page')})")


def read_outcomes(text: str, name: str) -> list[Outcome]:
    """The result and error objects of a saved output: one JSON object, a JSON
    array of them, or JSONL (when the first line is a JSON text of its own)."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise TriageError(f"{name}: empty; expected {SCHEMA} results as JSON or JSONL")
    value, problem = json_value(text)
    if problem is None:
        if not isinstance(value, list):
            return [outcome_of(value, name)]
        if not value:
            raise TriageError(f"{name}: an empty list; expected {SCHEMA} results")
        return [outcome_of(item, f"{name}: item {n}") for n, item in enumerate(value, 1)]
    if len(lines) == 1 or json_value(lines[0][1])[1] is not None:
        line, column, what = problem
        raise TriageError(f"{name}:{line}:{column}: {what}")
    out = []
    for number, line_text in lines:  # JSONL: a JSON text a line
        value, problem = json_value(line_text)
        if problem is not None:
            raise TriageError(f"{name}:{number}:{problem[1]}: {problem[2]}")
        out.append(outcome_of(value, f"{name}:{number}"))
    return out


def _text(path: str) -> str:
    """The text of a results file (or of standard input), or `TriageError`."""
    name = "<stdin>" if path == STDIN else path
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except FileNotFoundError:
        raise TriageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise TriageError(f"{name}: is a directory, not a results file") from None
    except OSError as exc:
        raise TriageError(f"{name}: cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TriageError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
