"""One record of an answers file assessed: its object for the output, and the
lines to show on standard error.

A record that cannot be assessed (unreadable, answers missing or invalid, a
bad `id`) gets an error object that still carries the red flags its valid
answers fire: a partial record never hides a warning sign.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from triage.engine.evaluate import Partial, evaluate, triage_level
from triage.errors import AnswerError, describe_answer_problems
from triage.intake.record import Record
from triage.model import RECORD_ID, Content
from triage.results.contract import Outcome, error_object, failed, result_object

SHOWN_MISSING = 8  # how many missing IDs a one-line diagnostic names


def record_id_of(raw: Mapping[str, Any]) -> tuple[Any, str | None]:
    """The record's `id` (a string or a number) and what is wrong with it, if anything."""
    rid = raw.get(RECORD_ID)
    if rid is None or isinstance(rid, str):
        return rid, None
    if isinstance(rid, (int, float)) and not isinstance(rid, bool) and math.isfinite(rid):
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
    """
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
        partial = Partial((), "routine", ()) if found is None else found
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
    errors = [f"{record.source}: {_brief(missing, invalid)}"]
    if partial.red_flags:
        names = ", ".join(f"{f.rule.id} ({f.level})" for f in partial.red_flags)
        noun = "a warning sign" if len(partial.red_flags) == 1 else "warning signs"
        errors.append(
            f"{record.source}: even so, the answers given show {noun}, so at least "
            f"{partial.triage_level_at_least}: {names}"
        )
    warnings = _located(record.source, "warning: ", partial.warnings)
    return Assessed(out, tuple(errors), warnings)


def _brief(missing: Sequence[str], invalid: Mapping[str, str]) -> str:
    """`describe_answer_problems`, naming only the first few of many missing answers."""
    if len(missing) <= SHOWN_MISSING + 1:
        return describe_answer_problems(missing, invalid)
    more = len(missing) - SHOWN_MISSING
    text = f"{len(missing)} answers missing: {', '.join(missing[:SHOWN_MISSING])} and {more} more"
    return text + (f"; {describe_answer_problems((), invalid)}" if invalid else "")


def _located(source: str, tag: str, lines: Sequence[str]) -> tuple[str, ...]:
    return tuple(f"{source}: {tag}{line}" for line in lines)
