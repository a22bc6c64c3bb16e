"""`triage assess`: answers files in, one result per record out, never a prompt."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import chain, islice
from pathlib import Path
from typing import Annotated, Any

import typer

from triage.content.load import load
from triage.errors import ExitStatus
from triage.files import atomic_file
from triage.intake import read as records
from triage.intake.record import Record
from triage.results.batch import Assessor
from triage.results.tally import Tally
from triage.results.writers import Output, Show

from .common import (
    ASSESS_FORMATS,
    Command,
    NoInputOption,
    QuestionsOption,
    RulesOption,
    app,
    choice_check,
    err,
    fhir_questionnaire,
    format_option,
    reporting,
)

FAIL_LEVELS = ("emergency", "urgent", "soon")


def _delimiter(value: str) -> str:
    """`--csv-delimiter`: one character; `tab` (or `\\t`) for a tab."""
    value = {"tab": "\t", "\\t": "\t"}.get(value, value)
    if len(value) != 1 or value in '"\r\n':
        raise typer.BadParameter(f"'{value}' is not one character such as , ; or tab.")
    return value


@app.command(cls=Command)
def assess(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            show_default=False,
            help="Answers files (.yaml, .yml, .json, .jsonl, .csv) or FHIR QuestionnaireResponses "
            "(.json); - reads standard input.",
        ),
    ],
    output_format: Annotated[
        str | None,
        format_option(
            "[json|jsonl|csv|text]",
            "json, jsonl, csv (a flat row per record) or text  "
            "[default: text on a terminal, else json]",
            ASSESS_FORMATS,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="FILE",
            dir_okay=False,
            help="Write the results to FILE, replacing it only once all are written.",
        ),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            metavar="[yaml|json|jsonl|csv|redcap|fhir]",
            callback=choice_check(*records.INPUT_FORMATS),
            help="Read every input as this format instead of guessing.",
        ),
    ] = None,
    csv_delimiter: Annotated[
        str,
        typer.Option(
            "--csv-delimiter",
            metavar="CHAR",
            callback=_delimiter,
            help="CSV field separator, in and out; with ; multi values are joined by |.",
        ),
    ] = ",",
    print_tally: Annotated[
        bool,
        typer.Option("--summary", help="Count levels, red flags, patterns on standard error."),
    ] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="[emergency|urgent|soon]",
            callback=choice_check(*FAIL_LEVELS),
            help="Exit 3 if any record reaches this level (or a more urgent one).",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=1, metavar="N", help="Spread a batch over N processes."),
    ] = 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no warnings.")
    ] = False,
    with_answers: Annotated[
        bool,
        typer.Option(
            "--with-answers",
            help="Add each result's answers (json, jsonl), e.g. for `triage report`.",
        ),
    ] = False,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
    no_input: NoInputOption = False,
) -> None:
    """Assess answers files and print one result per record. Never prompts.

    A single YAML/JSON file gives one JSON object; JSONL, CSV, a FHIR Bundle
    or several files give a JSON array. A .json file holding a FHIR
    QuestionnaireResponse (or a Bundle of them) is read as one; see
    docs/fhir.md. Records are read and written one at a time, in
    input order. Exit status: 0 every record assessed; 1 some record (or
    answers file) could not be assessed (it still gets an object with an
    `error`); 3 with --fail-on, some record reached that level (3 wins over
    1; a record that could not be assessed counts with the level its answers
    already show); 2 usage or content error (nothing assessed); 130
    interrupted, 143 terminated; 141 standard output closed early; 74
    standard output cannot be written; 70 internal error (please report it).

    Example: triage assess intake.jsonl --format jsonl --fail-on urgent
    """
    if files.count(records.STDIN) > 1:
        raise typer.BadParameter("'-' (standard input) can be given only once", param_hint="FILE")
    if records.STDIN in files and sys.stdin.isatty():
        raise typer.BadParameter(
            "standard input is a terminal; pipe the answers in, or name a file", param_hint="FILE"
        )
    to_terminal = output is None and sys.stdout.isatty()
    fmt = output_format or ("text" if to_terminal else "json")
    if with_answers and fmt not in ("json", "jsonl"):
        raise typer.BadParameter(
            "the answers go into JSON results; give --format json or --format jsonl",
            param_hint="--with-answers",
        )
    with reporting():
        content = load(questions, rules)
        questionnaire = fhir_questionnaire(content)
        opened = [
            records.read(
                path,
                input_format,
                sys.stdin,
                csv_delimiter=csv_delimiter,
                questionnaire=questionnaire,
                answer_ids=content.questions.questions,
            )
            for path in files
        ]
        single = len(opened) == 1 and _one_record(opened)
        tally = Tally()
        with ExitStack() as stack:
            stream = stack.enter_context(atomic_file(output)) if output else sys.stdout
            out = Output(fmt, single, stream, csv_delimiter, _text_writer(fmt, stream, content))
            assessor = stack.enter_context(
                Assessor(content, jobs, questions, rules, out.way, csv_delimiter, with_answers)
            )
            advance = _progress(stack, files, opened, quiet or to_terminal)
            for path, (_, found) in zip(files, opened, strict=True):
                before = tally.records
                for done in assessor.assessed(found):
                    tally.add(done.brief)
                    if fmt != "text" or output is not None:
                        for line in done.errors + (() if quiet else done.warnings):
                            err(line)
                    out.write(done.output)
                    advance()
                if tally.records == before:
                    name = records.STDIN_NAME if path == records.STDIN else path
                    err(f"{name}: warning: no records")
            out.close()
        if tally.failed and tally.records > 1:
            err(f"{tally.failed} of {tally.records} records could not be assessed")
        if print_tally:
            from triage.render import console
            from triage.render.batch import tally_table

            console(sys.stderr).print(tally_table(tally, sys.stderr.isatty()))
    if fail_on is not None and tally.reached(fail_on):
        raise typer.Exit(ExitStatus.FAIL_ON)
    raise typer.Exit(ExitStatus.RECORD_ERROR if tally.failed else ExitStatus.OK)


def _one_record(opened: list[tuple[str | None, Iterator[Record]]]) -> bool:
    """Whether one input is one record: a YAML or JSON document, unless it is a FHIR
    Bundle (whose first record, read to tell, is put back)."""
    fmt, found = opened[0]
    if fmt == "yaml":
        return True
    if fmt not in ("json", "fhir"):
        return False
    first = list(islice(found, 1))
    opened[0] = (fmt, chain(first, found))
    return bool(first) and not getattr(first[0], "batch", False)


def _text_writer(fmt: str, stream: Any, content: Any) -> Show | None:
    """What draws results as text, for `--format text` (rich is loaded only then)."""
    if fmt != "text":
        return None
    from triage.render import writer

    return writer(stream, content)


def _progress(
    stack: ExitStack, files: list[str], opened: list[tuple[str | None, Any]], silent: bool
) -> Callable[[], None]:
    """A progress bar on standard error when it is a terminal (and not `silent`);
    returns what to call after each record."""
    if silent or not sys.stderr.isatty():
        return lambda: None
    from triage.render.batch import BatchProgress

    total: int | None = 0
    for path, (fmt, _) in zip(files, opened, strict=True):
        if path == records.STDIN or total is None:
            total = None
        elif fmt in ("jsonl", "csv"):
            total += _lines(path) - (fmt == "csv")
        else:
            total += 1
    bar = stack.enter_context(BatchProgress(sys.stderr, total))
    return bar.advance


def _lines(path: str) -> int:
    """How many lines a file holds (for the progress bar's estimate), or 0."""
    count, last = 0, b"\n"
    try:
        with open(path, "rb") as data:
            while block := data.read(1 << 20):
                count, last = count + block.count(b"\n"), block[-1:]
    except OSError:
        return 0
    return count + (last != b"\n")
