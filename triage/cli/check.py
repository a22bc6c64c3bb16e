"""`triage check`: the interactive self-check at a terminal."""

from __future__ import annotations

import json
import sys
from itertools import islice
from pathlib import Path
from typing import Annotated, Any

import typer

from triage.content.load import load
from triage.errors import ExitStatus, TriageError
from triage.files import answers_text, atomic_write
from triage.intake import read as records
from triage.model import RECORD_ID
from triage.results.contract import result_object
from triage.results.record import record_id_of

from .common import QuestionsOption, RulesOption, app, err, reporting

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
        err(f"error: triage check asks questions, but {why}.")
        err(
            "To assess answers without questions, use: triage assess FILE "
            "(triage questions --template prints a blank answers file)."
        )
        raise typer.Exit(ExitStatus.USAGE)
    if answers is not None and str(answers) == records.STDIN:
        raise typer.BadParameter(
            "standard input is the keyboard here; name a file", param_hint="--answers"
        )
    from triage import render
    from triage.render.terminal import Terminal
    from triage.selfcheck.flow import SelfCheck

    with reporting():
        content = load(questions, rules)
        prefill, source = _prefill(answers)
        session = SelfCheck(content, prefill)

        def keep() -> None:
            if save is not None:
                header = SAVED_HEADER.format(path=save)
                atomic_write(save, answers_text(session.snapshot(), save, header))

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
            err(f"stopped: {where}")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        data = result_object(content, result, prefill.get(RECORD_ID), source)
        keep()
        if output is not None:
            atomic_write(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        terminal.result(data)
        if output is not None:
            err(f"result written to {output}")


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
    _, problem = record_id_of(record.answers)
    if problem:
        raise TriageError(f"{path}: id {problem}")
    return record.answers, record.source
