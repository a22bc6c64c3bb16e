"""One record of an answers file assessed: its object for the output, and the
lines to show on standard error.

A record that cannot be assessed (unreadable, answers missing or invalid, a
bad `id`) gets an error object that still carries the red flags its valid
answers fire: a partial record never hides a warning sign.

`assess_record` is the one boundary around a record: whatever goes wrong
while it is assessed (a bug, something no one foresaw in a record) becomes
that record's error object, saying "internal error while assessing this
record: ...; please report it", with the red flags its answers still fire
when they can be worked out, and the batch goes on (`broken`).  A number
`id` is echoed as given, a whole number of any size too: JSON allows it, and
the readers refuse a number too long to be written back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Any

from triage.engine.answers import parse_answer
from triage.engine.evaluate import Partial, evaluate, red_flags, triage_level
from triage.engine.validate import validate
from triage.errors import AnswerError, describe_answer_problems
from triage.intake.documents import parsed
from triage.intake.record import Record
from triage.model import RECORD_ID, Content
from triage.results.contract import Outcome, error_object, failed, result_object

SHOWN_MISSING = 8  # how many missing IDs a one-line diagnostic names
INTERNAL = "internal error while assessing this record: {kind}: {why}; please report it"
LONGEST_WHY = 300  # characters of an unexpected exception's message shown
_NONE_SHOWN = Partial((), "routine", ())


def record_id_of(raw: Mapping[str, Any]) -> tuple[Any, str | None]:
    """The record's `id` (a string or a number) and what is wrong with it, if anything."""
    rid = raw.get(RECORD_ID)
    if rid is None or isinstance(rid, str):
        return rid, None
    if isinstance(rid, int) and not isinstance(rid, bool):
        return rid, None  # any size: never turned into a float
    if isinstance(rid, float) and math.isfinite(rid):
        return rid, None
    what = {list: "a list", dict: "a mapping", bool: "true or false"}.get(type(rid))
    return None, f"must be a string or a number, not {what or repr(rid)}"


@dataclass(frozen=True)
class Assessed:
    """One record's object for the output, and the lines to show on stderr."""

    result: Outcome
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return failed(self.result)


def assess_record(content: Content, record: Record, with_answers: bool = False) -> Assessed:
    """Assess one record; a record that cannot be assessed gets an error object.

    A bad `id` is one more invalid answer: the record's red flags are still
    reported with it.  `with_answers` gives a result object its `answers`
    (see `result_object`); an error object never carries them.  What the
    reader warned of (`record.warnings`) comes first among the warnings.
    Nothing raises: an unexpected failure is the record's error (`broken`).
    """
    try:
        done = _assessed(content, record, with_answers)
    except Exception as exc:  # the one boundary: a record never takes the batch down
        done = broken(content, record, exc)
    said = record.file_warnings  # its file's own, said once, first
    return replace(done, warnings=(*said, *done.warnings)) if said else done


def _assessed(content: Content, record: Record, with_answers: bool) -> Assessed:
    record = parsed(record)
    if record.answers is None:
        message = record.error or f"{record.source}: cannot be read"
        return Assessed(
            error_object(content, message, record.fallback_id, record.source), (message,)
        )
    read = record.warnings
    rid, id_problem = record_id_of(record.answers)
    invalid = {RECORD_ID: id_problem} if id_problem else {}
    missing: tuple[str, ...] = ()
    try:
        result = evaluate(content, record.answers)
    except AnswerError as exc:
        missing, invalid = exc.missing, {**invalid, **exc.invalid}
        found = exc.partial if isinstance(exc.partial, Partial) else None
        partial = _NONE_SHOWN if found is None else found
        partial = replace(partial, warnings=(*read, *partial.warnings))
    else:
        if read:
            result = replace(result, warnings=(*read, *result.warnings))
        if not id_problem:
            return Assessed(
                result_object(content, result, rid, record.source, with_answers),
                warnings=_located(record.source, "warning: ", result.warnings),
            )
        partial = Partial(result.red_flags, triage_level(result.red_flags), result.warnings)
    message = describe_answer_problems(missing, invalid)
    out = error_object(content, message, rid, record.source, missing, invalid, partial)
    errors = _told(record.source, _brief(missing, invalid), partial)
    return Assessed(out, errors, _located(record.source, "warning: ", partial.warnings))


def broken(content: Content, record: Record, exc: Exception) -> Assessed:
    """What a record whose assessment (or writing) failed unexpectedly gets: an error
    object that says so and asks for a report, with the red flags that its answers
    still fire if they can be worked out, and its `id` if that is plain."""
    try:
        why = " ".join(str(exc).split())
    except Exception:
        why = "(its message cannot be shown)"
    if len(why) > LONGEST_WHY:
        why = why[: LONGEST_WHY - 1] + "…"
    message = INTERNAL.format(kind=type(exc).__name__, why=why)
    partial = _still_shown(content, record.answers)
    rid: Any = None
    with suppress(Exception):
        rid = record.fallback_id if record.answers is None else record.answers.get(RECORD_ID)
    if type(rid) not in (str, int, float) or (isinstance(rid, float) and not math.isfinite(rid)):
        rid = None
    out = error_object(content, message, rid, record.source, partial=partial)
    return Assessed(out, _told(record.source, message, partial))


def _still_shown(content: Content, answers: Mapping[str, Any] | None) -> Partial:
    """The red flags that fire on the answers, or on those that can be read one by
    one when the whole cannot; none when even that fails."""
    if not answers:
        return _NONE_SHOWN
    with suppress(Exception):
        return _red_flags_of(content, answers)
    with suppress(Exception):
        questions = content.questions.questions
        readable = {}
        for qid, value in answers.items():
            with suppress(Exception):
                parse_answer(questions[qid], value)  # a KeyError for anything else
                readable[qid] = value
        return _red_flags_of(content, readable)
    return _NONE_SHOWN


def _red_flags_of(content: Content, answers: Mapping[str, Any]) -> Partial:
    checked = validate(content, answers)
    flags = red_flags(content, {**checked.answers, **checked.undecided})
    return Partial(flags, triage_level(flags), ())


def _told(source: str, problem: str, partial: Partial) -> tuple[str, ...]:
    """The lines for standard error: the problem, then any warning sign still shown."""
    errors = [f"{source}: {problem}"]
    if partial.red_flags:
        names = ", ".join(f"{f.rule.id} ({f.level})" for f in partial.red_flags)
        noun = "a warning sign" if len(partial.red_flags) == 1 else "warning signs"
        errors.append(
            f"{source}: even so, the answers given show {noun}, so at least "
            f"{partial.triage_level_at_least}: {names}"
        )
    return tuple(errors)


def _brief(missing: Sequence[str], invalid: Mapping[str, str]) -> str:
    """`describe_answer_problems`, naming only the first few of many missing answers."""
    if len(missing) <= SHOWN_MISSING + 1:
        return describe_answer_problems(missing, invalid)
    more = len(missing) - SHOWN_MISSING
    text = f"{len(missing)} answers missing: {', '.join(missing[:SHOWN_MISSING])} and {more} more"
    return text + (f"; {describe_answer_problems((), invalid)}" if invalid else "")


def _located(source: str, tag: str, lines: Sequence[str]) -> tuple[str, ...]:
    return tuple(f"{source}: {tag}{line}" for line in lines)
