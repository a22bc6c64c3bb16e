"""The result for one record: red flags first, then patterns and dry needling.

Pure: no printing, prompting or files.

- `red_flags` (`triage.engine.flags`): the warning signs that fire, read three
  times for `unsure` answers.
- `evaluate`: the whole result, or `AnswerError` naming every missing and
  invalid answer, carrying the red flags the valid answers already fire.
- `conclude`: the result for answers already validated (the self-check's).
- `undone_of`: a record's `emergency_undone` (not an answer: the questions
  whose emergency answer the person undid), carried into the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from triage.engine.answers import quote
from triage.engine.findings import Findings
from triage.engine.flags import fired, new_memos, red_flags, triage_level, unsure_warnings
from triage.engine.program import Program, program_of, replace_program
from triage.engine.validate import Validated, asked, validate_into
from triage.errors import AnswerError
from triage.model import UNDONE, Content, FiredFlag, Question, Result

__all__ = ["Partial", "conclude", "evaluate", "next_question", "red_flags", "triage_level"]
from triage.text import did_you_mean


@dataclass(frozen=True)
class Partial:
    """What a record that cannot be assessed still shows: its red flags."""

    red_flags: tuple[FiredFlag, ...]
    triage_level_at_least: str
    warnings: tuple[str, ...]


# --- the whole result ---------------------------------------------------------


def evaluate(content: Content, raw: Mapping[str, Any]) -> Result:
    """Assess one record of raw answers (as read from a file or typed).

    Raises `AnswerError` when an asked question has no answer or an invalid
    one; its `partial` is a `Partial` with the red flags that already fire.
    A record's `emergency_undone` is carried into the result (a bad one is
    an invalid answer under that key).
    """
    program = _counted(content)
    checked, values = validate_into(content, raw, program)
    undone: tuple[str, ...] = ()
    if UNDONE in raw:
        try:
            undone = undone_of(content, raw[UNDONE])
        except ValueError as exc:
            checked = replace(checked, invalid={**checked.invalid, UNDONE: str(exc)})
    if not checked.complete:
        present = {**checked.answers, **checked.undecided}
        flags = red_flags(content, present)
        if flags:  # the dry-needling safety questions wait: a doctor must see them first
            optional = program_of(content).optional
            missing = tuple(qid for qid in checked.missing if qid not in optional)
            checked = replace(checked, missing=missing)
            if checked.complete:
                return _conclude(content, program, checked, values, emergency_undone=undone)
        warnings = checked.warnings + tuple(unsure_warnings(content, present))
        raise AnswerError(
            checked.missing, checked.invalid, Partial(flags, triage_level(flags), warnings)
        )
    return _conclude(content, program, checked, values, emergency_undone=undone)


def _counted(content: Content) -> Program:
    """The program for one more record; after `COMPILE_AFTER` records, the compiled
    one (imported only then: a single record never pays for it)."""
    program = program_of(content)
    if program.left > 0:
        program.left -= 1
        if program.left == 0:
            from triage.engine.fast import compiled

            program = compiled(program, content)
            replace_program(content, program)
    return program


def undone_of(content: Content, value: Any) -> tuple[str, ...]:
    """A record's `emergency_undone`: question IDs, as a list or as text joined
    by `;` (a CSV cell); nothing when empty.  `ValueError` says what is wrong."""
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = [part.strip() for part in value.split(";") if part.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise ValueError(f"must be a list of question IDs, not {quote(value)}")
    questions = content.questions.questions
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"must be a list of question IDs; {quote(item)} is not one")
        if item not in questions:
            hint = did_you_mean(item, questions) or "; triage questions lists the IDs"
            raise ValueError(f"unknown question ID {quote(item)}{hint}")
    return tuple(dict.fromkeys(items))


def next_question(content: Content, answers: Mapping[str, Any]) -> Question | None:
    """The first asked question that has no answer yet, or None when all are answered.

    A question that is optional once a red flag fires is passed over when the
    answers so far already fire one.
    """
    flagged: bool | None = None
    for question in asked(content, answers):
        if question.id in answers:
            continue
        if question.optional_after_red_flag:
            if flagged is None:
                flagged = bool(red_flags(content, answers))
            if flagged:
                continue
        return question
    return None


def conclude(
    content: Content,
    checked: Validated,
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """The result for validated answers (complete, or a confirmed early stop)."""
    program = program_of(content)
    return _conclude(
        content, program, checked, dict(checked.answers), stopped_early, emergency_undone
    )


def _conclude(
    content: Content,
    program: Program,
    checked: Validated,
    answers: dict[str, Any],
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """`conclude`, given `answers`: the checked answers as a dict no one else changes."""
    views = program.views.of(answers)
    memos = new_memos(program, views)  # named facts and patterns, per view
    unsure = "unsure" in answers.values()
    flags = fired(content, program, answers, views, memos, unsure)
    found = Findings(content, program, answers, views, memos)
    patterns = found.patterns() if stopped_early is None else ()
    return Result(
        triage_level=triage_level(flags),
        red_flags=flags,
        headache_types=patterns,
        dry_needling=found.dry_needling(flags, patterns),
        screens=found.screens(),
        answers=MappingProxyType(answers),
        warnings=checked.warnings + tuple(unsure_warnings(content, answers, unsure)),
        stopped_early=stopped_early,
        emergency_undone=emergency_undone,
    )
