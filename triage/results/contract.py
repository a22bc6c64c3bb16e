"""The `triage.result/1` contract: the result object and the error object, typed.

Plain dicts and lists only (as `TypedDict`s, so that every reader's keys are
checked), so that JSON, JSONL, CSV and the terminal rendering all show the
same thing.  The key order of each object is the order the contract lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, cast, final

from triage.engine.evaluate import Partial
from triage.model import Content, FiredFlag, FoundPattern, Result

SCHEMA = "triage.result/1"


class FlagObject(TypedDict):
    """A red flag that fired."""

    id: str
    level: str
    certainty: str
    summary: str
    because: dict[str, Any]
    source: str


class PatternObject(TypedDict):
    """A headache pattern the answers fit (`certainty` null: unclassified)."""

    id: str
    certainty: str | None
    source: str
    summary: str
    advice: NotRequired[str]
    pericranial_tenderness: NotRequired[bool | None]
    because: dict[str, Any]
    criteria: list[str]
    headache: int | None  # 1 the main headache, 2 the other, None the person (spec v3)


class DryNeedlingObject(TypedDict):
    recommendation: str
    reasons: list[str]
    contraindications: list[str]
    precautions: list[str]
    targets: list[str]


class ScreeningObject(TypedDict):
    positive: bool
    score: int
    of: int


class ContentObject(TypedDict):
    """Which content the result was made with."""

    questions_sha256: str
    rules_sha256: str
    version: str


class StoppedEarly(TypedDict):
    after: str


@final
class ResultObject(TypedDict):
    """The result of one assessed record."""

    schema: str
    id: Any
    source: NotRequired[str]
    triage_level: str
    advice: str
    red_flags: list[FlagObject]
    headache_types: list[PatternObject]
    dry_needling: DryNeedlingObject
    screens: dict[str, ScreeningObject]
    content: ContentObject
    warnings: list[str]
    notice: str
    stopped_early: NotRequired[StoppedEarly]
    emergency_undone: NotRequired[list[str]]


class ErrorDetail(TypedDict):
    message: str
    missing: list[str]
    invalid: dict[str, str]


@final
class ErrorObject(TypedDict):
    """A record (or a file) that cannot be assessed, with the red flags its
    answers already fire and the level they imply."""

    schema: str
    id: Any
    source: NotRequired[str]
    error: ErrorDetail
    red_flags: list[FlagObject]
    triage_level_at_least: str
    advice: NotRequired[str]
    content: ContentObject
    warnings: list[str]
    notice: str


Outcome = ResultObject | ErrorObject  # what the output holds for one record


def failed(obj: Outcome) -> bool:
    """Whether an object is an error object."""
    return "error" in obj


def _because(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return {qid: list(value) if isinstance(value, tuple) else value for qid, value in pairs}


def flag_object(flag: FiredFlag) -> FlagObject:
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


def result_object(
    content: Content, result: Result, record_id: Any = None, source: str | None = None
) -> ResultObject:
    """The contract's result object for one assessed record."""
    rules = content.rules
    needling = result.dry_needling
    out = cast(ResultObject, _head(record_id, source))
    out["triage_level"] = result.triage_level
    out["advice"] = rules.levels[result.triage_level].advice
    out["red_flags"] = [flag_object(f) for f in result.red_flags]
    out["headache_types"] = [_pattern_object(p) for p in result.headache_types]
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
    out["content"] = content_object(content)
    out["warnings"] = list(result.warnings)
    out["notice"] = rules.notice
    if result.stopped_early is not None:
        out["stopped_early"] = {"after": result.stopped_early}
    if result.emergency_undone:
        out["emergency_undone"] = list(result.emergency_undone)
    return out


def _pattern_object(found: FoundPattern) -> PatternObject:
    rule = found.rule
    head = {"id": rule.id, "certainty": rule.certainty, "source": rule.source}
    out = cast(PatternObject, head)
    out["summary"] = rule.summary
    if rule.advice:
        out["advice"] = rule.advice
    if rule.tension_type:
        out["pericranial_tenderness"] = found.pericranial_tenderness
    out["because"] = _because(found.because)
    out["criteria"] = list(found.criteria)
    out["headache"] = found.headache
    return out


def content_object(content: Content) -> ContentObject:
    return {
        "questions_sha256": content.questions.sha256,
        "rules_sha256": content.rules.sha256,
        "version": content.rules.version,
    }


def error_object(
    content: Content,
    message: str,
    record_id: Any = None,
    source: str | None = None,
    missing: Sequence[str] = (),
    invalid: Mapping[str, str] | None = None,
    partial: Partial | None = None,
) -> ErrorObject:
    """The contract's object for a record (or a file) that cannot be assessed.

    A partial record never hides a warning sign: the red flags that fire on
    its valid answers are reported, with the level they imply.
    """
    flags = partial.red_flags if partial else ()
    level = partial.triage_level_at_least if partial else "routine"
    out = cast(ErrorObject, _head(record_id, source))
    out["error"] = {"message": message, "missing": list(missing), "invalid": dict(invalid or {})}
    out["red_flags"] = [flag_object(f) for f in flags]
    out["triage_level_at_least"] = level
    if flags:
        out["advice"] = content.rules.levels[level].advice
    out["content"] = content_object(content)
    out["warnings"] = list(partial.warnings) if partial else []
    out["notice"] = content.rules.notice
    return out
