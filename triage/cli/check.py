"""`triage check`: the interactive self-check at a terminal."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Annotated, Any

import typer

from triage.content.load import load
from triage.engine.evaluate import red_flags, undone_of
from triage.engine.validate import SUGGESTED, WARNED_UNKNOWN, asked, validate
from triage.errors import ExitStatus, TriageError
from triage.files import answers_text, atomic_write, check_writable
from triage.intake import read as records
from triage.model import RECORD_ID, UNDONE, Content, Result
from triage.results.contract import result_object
from triage.results.record import record_id_of
from triage.text import did_you_mean, listed

from .common import QuestionsOption, RulesOption, app, reporting
from .exits import err, fhir_questionnaire, plural

RESERVED = (RECORD_ID, UNDONE)  # keys of an answers file that are not answers

SAVED_HEADER = (
    "Answers to the triage headache self-check, saved as they were given.\n"
    "To go on where you stopped: {command}"
)
UNDONE_NOTE = (
    f"{UNDONE} is not an answer: it lists the questions whose answer first\n"
    "showed an emergency warning sign and was then changed. Results made from this\n"
    "file report it."
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
            "--answers FILE --save FILE goes on from them.",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE.html",
            dir_okay=False,
            help="Also write a one-page clinician handoff (HTML, A4) here.",
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
    answers so far are kept, and --answers FILE --save FILE goes on from them,
    or starts afresh if FILE is not there yet). --report FILE.html writes a
    one-page handoff for a clinician. Exit status: 0 result shown,
    2 no terminal, a file that cannot be read or written, usage or content
    error, 130 interrupted.

    Example: triage check --answers my-answers.yaml --save my-answers.yaml
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
        content = load(questions, rules, cache=True)
        fresh = _fresh(answers, save)
        prefill, source = _prefill(None if fresh else answers, content)
        undone_before = _undone(content, prefill, answers)
        session = SelfCheck(content, prefill)

        def undone() -> tuple[str, ...]:
            return tuple(dict.fromkeys((*undone_before, *session.undone)))

        def keep() -> None:
            if save is not None:
                kept = session.snapshot()
                kept.pop(UNDONE, None)
                header = SAVED_HEADER.format(command=resume_command(save))
                if undone():
                    kept[UNDONE] = list(undone())
                    header += "\n" + UNDONE_NOTE
                atomic_write(save, answers_text(kept, save, header))

        keep()  # a --save, --output or --report that cannot be written fails before the start
        for path in (output, report):
            if path is not None:
                check_writable(path)
        terminal = Terminal(content, render.console(sys.stdout), plain, keep)
        terminal.welcome(str(save) if save else None)
        if fresh:
            err(f"{answers} does not exist yet: starting from the first question.")
        elif answers is not None:
            for line in loaded(content, prefill, answers):
                err(line)
        try:
            result = session.run(terminal)
        except (KeyboardInterrupt, EOFError):
            print(flush=True)
            keep()
            where = (
                f"your answers so far are in {save}; to go on: {resume_command(save)}"
                if save
                else "no answers were saved (--save FILE keeps them)"
            )
            err(f"stopped: {where}")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        result = replace(result, emergency_undone=undone())
        data = result_object(content, result, prefill.get(RECORD_ID), source)
        terminal.result(data)  # first: a file that cannot be written never hides the result
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        page = _handoff(content, result, prefill.get(RECORD_ID), source) if report else ""
        problems = [
            problem
            for problem in (
                _attempt(keep),
                _attempt(lambda: atomic_write(output, text)) if output is not None else None,
                _attempt(lambda: atomic_write(report, page)) if report is not None else None,
            )
            if problem
        ]
        for problem in problems:
            err(f"error: {problem}")
        if problems:
            raise typer.Exit(ExitStatus.USAGE)
        if output is not None:
            err(f"result written to {output}")
        if report is not None:
            err(f"clinician report written to {report}")


def _handoff(content: Content, result: Result, record_id: Any, source: str | None) -> str:
    """The clinician's one-page handoff of a self-check: its result with the answers."""
    from triage.render.handoff import document
    from triage.results.handoff import handoff

    data = result_object(content, result, record_id, source, with_answers=True)
    return document([handoff(content, data)])


def resume_command(save: Path) -> str:
    """The command that goes on from the answers saved in `save` and keeps saving them."""
    path = shlex.quote(str(save))
    return f"triage check --answers {path} --save {path}"


def loaded(content: Content, prefill: Mapping[str, Any], path: Path) -> list[str]:
    """What the person is told about an `--answers` file before the first question:
    the keys that are not questions (if any), then how many answers were loaded
    and about how many questions are left."""
    questions = content.questions.questions
    lines = []
    unknown = [str(key) for key in prefill if key not in questions and key not in RESERVED]
    if unknown:
        named = [
            _with_hint(key, did_you_mean(key, questions) if n < SUGGESTED else "")
            for n, key in enumerate(unknown[:WARNED_UNKNOWN])
        ]
        if len(unknown) > WARNED_UNKNOWN:
            named.append(f"{len(unknown) - WARNED_UNKNOWN} more")
        lines.append(f"Not used from {path} (not questions of this questionnaire): {listed(named)}")
    count = sum(1 for key, value in prefill.items() if key in questions and _given(value))
    left = _left(content, prefill)
    about = f"about {plural(left, 'question')} left" if left else "no questions left"
    lines.append(f"Loaded {plural(count, 'answer')} from {path}; {about}.")
    return lines


def _with_hint(key: str, hint: str) -> str:
    """`key (did you mean 'x'?)` from `did_you_mean`'s `; did you mean 'x'?`."""
    return f"{key} ({hint.removeprefix('; ')})" if hint else key


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _left(content: Content, prefill: Mapping[str, Any]) -> int:
    """About how many questions are still to ask: those asked on the valid
    answers so far without an answer (as `next_question` passes over them)."""
    answers = dict(validate(content, prefill).answers)
    left = [q for q in asked(content, answers) if q.id not in answers]
    if any(q.optional_after_red_flag for q in left) and red_flags(content, answers):
        left = [q for q in left if not q.optional_after_red_flag]
    return len(left)


def _attempt(action: Callable[[], None]) -> str | None:
    """Run `action`; what went wrong, if it could not write its file."""
    try:
        action()
    except TriageError as exc:
        return str(exc)
    return None


def _fresh(answers: Path | None, save: Path | None) -> bool:
    """Whether `--answers F --save F` names a file not there yet: start afresh."""
    if answers is None or save is None or answers.exists():
        return False
    return answers == save or answers.resolve() == save.resolve()


def _undone(content: Content, prefill: Mapping[str, Any], path: Path | None) -> tuple[str, ...]:
    """The `emergency_undone` of an `--answers` file, refused before the first question if bad."""
    try:
        return undone_of(content, prefill.get(UNDONE))
    except ValueError as exc:
        why = str(exc)
        raise TriageError(
            f"{path}: {UNDONE} {why}" if why.startswith("must") else f"{path}: {UNDONE}: {why}"
        ) from None


def _keyboard() -> bool:
    """Whether someone can type answers: standard input is a terminal."""
    return sys.stdin.isatty()


def _prefill(path: Path | None, content: Content) -> tuple[dict[str, Any], str | None]:
    """The one record of an `--answers` file (a FHIR QuestionnaireResponse too), and
    where it came from; what its reader warned of goes to standard error."""
    if path is None:
        return {}, None
    _, found = records.read(
        str(path),
        None,
        questionnaire=fhir_questionnaire(content),
        answer_ids=content.questions.questions,
    )
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
    for line in record.file_warnings:  # a CSV column that is no question, say
        err(line)
    for warning in record.warnings:
        err(f"{record.source}: warning: {warning}")
    return record.answers, record.source
