"""`triage assess`: the typer declaration of the command (its options and help).

What it does is `assessing.run`, which needs no typer: a plain command line
runs it through `quick`, without building the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .assessing import delimiter, fail_on_check, format_check, input_format_check, run
from .common import Command, NoInputOption, QuestionsOption, RulesOption, app, format_option, typed
from .exits import ParameterError


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
            format_check,
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
            callback=typed(input_format_check),
            help="Read every input as this format instead of guessing.",
        ),
    ] = None,
    csv_delimiter: Annotated[
        str,
        typer.Option(
            "--csv-delimiter",
            metavar="CHAR",
            callback=typed(delimiter),
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
            callback=typed(fail_on_check),
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
    line_buffered: Annotated[
        bool,
        typer.Option(
            "--line-buffered",
            help="Write each result as soon as it is made, for a pipe whose reader needs "
            "each line at once.",
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
    try:
        status = run(
            files,
            output_format=output_format,
            output=output,
            input_format=input_format,
            csv_delimiter=csv_delimiter,
            print_tally=print_tally,
            fail_on=fail_on,
            jobs=jobs,
            quiet=quiet,
            with_answers=with_answers,
            line_buffered=line_buffered,
            questions=questions,
            rules=rules,
            no_input=no_input,
        )
    except ParameterError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.param_hint) from None
    raise typer.Exit(status)
