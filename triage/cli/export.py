"""`triage export FORMAT`: the questionnaire in another system's own format (redcap, fhir)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from triage.content.load import load
from triage.errors import TriageError
from triage.files import atomic_file

from .common import Command, NoInputOption, QuestionsOption, RulesOption, app, reporting


class Target(StrEnum):
    """The formats `triage export` writes (typer offers them as the choices of FORMAT)."""

    redcap = "redcap"
    fhir = "fhir"


@app.command("export", cls=Command)
def export(
    target: Annotated[
        Target,
        typer.Argument(
            metavar="FORMAT",
            help="redcap: a REDCap data dictionary (CSV); fhir: a FHIR R4 Questionnaire (JSON).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="FILE",
            dir_okay=False,
            help="Write to FILE instead, replacing it only once all is written.",
        ),
    ] = None,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
    no_input: NoInputOption = False,
) -> None:
    """Write the questionnaire in another system's format (redcap, fhir) to standard output.

    redcap: a REDCap data dictionary (CSV, REDCap's 18 columns), to upload
    under Project Setup > Data Dictionary. Export the data as 'CSV /
    Microsoft Excel (raw data)' and read it with
    `triage assess EXPORT.csv --input-format redcap`.

    fhir: a FHIR R4 Questionnaire (JSON, with SDC extensions) for a form
    renderer such as LHC-Forms. Read the QuestionnaireResponses it gives
    with `triage assess response.json` (a Bundle of them too).

    Example: triage export redcap --output dictionary.csv
    """
    with reporting():
        content = load(questions, rules, cache=True)
        try:
            if target is Target.fhir:
                from triage.content import fhir

                text = fhir.json_text(content)
            else:
                from triage.content import redcap

                text = redcap.csv_text(content)
        except ValueError as exc:
            what = "FHIR Questionnaire" if target is Target.fhir else "REDCap data dictionary"
            raise TriageError(f"cannot write the {what}: {exc}") from None
        if output is None:
            sys.stdout.write(text)
        else:
            with atomic_file(output) as stream:
                stream.write(text)
