"""Results as plain data: the `triage.result/1` objects of the scripting contract.

Plain dicts and lists only, so that JSON, JSONL and the terminal rendering
all show the same thing.  `assess` turns one record of an answers file into
its result object, or its error object, and the lines to show on stderr.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .engine import RECORD_ID, Partial, evaluate, triage_level
from .errors import AnswerError, describe_answer_problems
from .model import Content, FiredFlag, FoundPattern, Result
from .records import Record

SCHEMA = "triage.result/1"
SHOWN_MISSING = 8  # how many missing IDs a one-line diagnostic names
_CONTROL = {
    code: f"\\x{code:02x}"
    for code in (*range(0x20), *range(0x7F, 0xA0))
    if code not in (0x09, 0x0A)
}


def printable(text: str) -> str:
    """`text` with control characters written as `\\x1b`: an answers file cannot drive
    the terminal that shows a message or a result."""
    return text.translate(_CONTROL)


def _because(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return {qid: list(value) if isinstance(value, tuple) else value for qid, value in pairs}


def flag_dict(flag: FiredFlag) -> dict[str, Any]:
    return {
        "id": flag.rule.id,
        "level": flag.level,
        "certainty": flag.certainty,
        "summary": flag.rule.summary,
        "because": _because(flag.because),
        "source": flag.rule.source,
    }


def _head(record_id: Any, source: str | None) -> dict[str, Any]:
    head: dict[str, Any] = {"schema": SCHEMA, "id": record_id}
    if source:
        head["source"] = source
    return head


def result_dict(
    content: Content, result: Result, record_id: Any = None, source: str | None = None
) -> dict[str, Any]:
    """The contract's result object for one assessed record."""
    rules = content.rules
    needling = result.dry_needling
    out = _head(record_id, source)
    out["triage_level"] = result.triage_level
    out["advice"] = rules.levels[result.triage_level].advice
    out["red_flags"] = [flag_dict(f) for f in result.red_flags]
    out["headache_types"] = [_pattern_dict(p) for p in result.headache_types]
    out["dry_needling"] = {
        "recommendation": needling.recommendation,
        "reasons": list(needling.reasons),
        "contraindications": list(needling.contraindications),
        "precautions": list(needling.precautions),
        "targets": list(needling.targets),
    }
    out["screens"] = {
        s.id: {"positive": s.positive, "score": s.score, "of": s.of} for s in result.screens
    }
    out["content"] = content_dict(content)
    out["warnings"] = list(result.warnings)
    out["notice"] = rules.notice
    if result.stopped_early is not None:
        out["stopped_early"] = {"after": result.stopped_early}
    if result.emergency_undone:
        out["emergency_undone"] = list(result.emergency_undone)
    return out


def _pattern_dict(found: FoundPattern) -> dict[str, Any]:
    rule = found.rule
    out: dict[str, Any] = {"id": rule.id, "certainty": rule.certainty, "source": rule.source}
    out["summary"] = rule.summary
    if rule.advice:
        out["advice"] = rule.advice
    if rule.tension_type:
        out["pericranial_tenderness"] = found.pericranial_tenderness
    out["because"] = _because(found.because)
    out["criteria"] = list(found.criteria)
    return out


def content_dict(content: Content) -> dict[str, str]:
    return {
        "questions_sha256": content.questions.sha256,
        "rules_sha256": content.rules.sha256,
        "version": content.rules.version,
    }


def error_dict(
    content: Content,
    message: str,
    record_id: Any = None,
    source: str | None = None,
    missing: Sequence[str] = (),
    invalid: Mapping[str, str] | None = None,
    partial: Partial | None = None,
) -> dict[str, Any]:
    """The contract's object for a record (or a file) that cannot be assessed.

    A partial record never hides a warning sign: the red flags that fire on
    its valid answers are reported, with the level they imply.
    """
    flags = partial.red_flags if partial else ()
    level = partial.triage_level_at_least if partial else "routine"
    out = _head(record_id, source)
    out["error"] = {"message": message, "missing": list(missing), "invalid": dict(invalid or {})}
    out["red_flags"] = [flag_dict(f) for f in flags]
    out["triage_level_at_least"] = level
    if flags:
        out["advice"] = content.rules.levels[level].advice
    out["content"] = content_dict(content)
    out["warnings"] = list(partial.warnings) if partial else []
    out["notice"] = content.rules.notice
    return out


def record_id_of(raw: Mapping[str, Any]) -> tuple[Any, str | None]:
    """The record's `id` (a string or a number) and what is wrong with it, if anything."""
    rid = raw.get(RECORD_ID)
    if rid is None or isinstance(rid, str):
        return rid, None
    if isinstance(rid, (int, float)) and not isinstance(rid, bool) and math.isfinite(rid):
        return rid, None
    what = {list: "a list", dict: "a mapping", bool: "true or false"}.get(type(rid))
    return None, f"must be a string or a number, not {what or repr(rid)}"


# --- one record -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One record's object for the output, and the lines to show on stderr."""

    result: dict[str, Any]
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return "error" in self.result


def assess(content: Content, record: Record) -> Outcome:
    """Assess one record; a record that cannot be assessed gets an error object.

    A bad `id` is one more invalid answer: the record's red flags are still
    reported with it.
    """
    if record.answers is None:
        message = record.error or f"{record.source}: cannot be read"
        return Outcome(error_dict(content, message, record.fallback_id, record.source), (message,))
    rid, id_problem = record_id_of(record.answers)
    invalid = {RECORD_ID: id_problem} if id_problem else {}
    missing: tuple[str, ...] = ()
    try:
        result = evaluate(content, record.answers)
    except AnswerError as exc:
        missing, invalid = exc.missing, {**invalid, **exc.invalid}
        partial = exc.partial if isinstance(exc.partial, Partial) else None
    else:
        if not id_problem:
            return Outcome(
                result_dict(content, result, rid, record.source),
                warnings=_located(record.source, "warning: ", result.warnings),
            )
        partial = Partial(result.red_flags, triage_level(result.red_flags), result.warnings)
    message = describe_answer_problems(missing, invalid)
    out = error_dict(content, message, rid, record.source, missing, invalid, partial)
    errors = [f"{record.source}: {_brief(missing, invalid)}"]
    if partial and partial.red_flags:
        names = ", ".join(f"{f.rule.id} ({f.level})" for f in partial.red_flags)
        noun = "a warning sign" if len(partial.red_flags) == 1 else "warning signs"
        errors.append(
            f"{record.source}: even so, the answers given show {noun}, so at least "
            f"{partial.triage_level_at_least}: {names}"
        )
    warnings = _located(record.source, "warning: ", partial.warnings if partial else ())
    return Outcome(out, tuple(errors), warnings)


def _brief(missing: Sequence[str], invalid: Mapping[str, str]) -> str:
    """`describe_answer_problems`, naming only the first few of many missing answers."""
    if len(missing) <= SHOWN_MISSING + 1:
        return describe_answer_problems(missing, invalid)
    more = len(missing) - SHOWN_MISSING
    text = f"{len(missing)} answers missing: {', '.join(missing[:SHOWN_MISSING])} and {more} more"
    return text + (f"; {describe_answer_problems((), invalid)}" if invalid else "")


def _located(source: str, tag: str, lines: Sequence[str]) -> tuple[str, ...]:
    return tuple(f"{source}: {tag}{line}" for line in lines)
