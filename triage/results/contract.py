"""The `triage.result/1` contract: the result object and the error object, typed.

Plain dicts and lists only (as `TypedDict`s, so that every reader's keys are
checked), so that JSON, JSONL, CSV and the terminal rendering all show the
same thing.  The key order of each object is the order the contract lists.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping, Sequence
from types import UnionType
from typing import Any, NotRequired, TypedDict, cast, final

from triage.engine.evaluate import Partial
from triage.errors import TriageError
from triage.model import LEVELS, Content, FiredFlag, FoundPattern, Result

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
    answers: NotRequired[dict[str, Any]]  # only when asked for (`with_answers`)


class ErrorDetail(TypedDict):
    message: str
    missing: list[str]
    invalid: dict[str, str]


@final
class ErrorObject(TypedDict):
    """A record (or a file) that cannot be assessed, with the red flags its
    answers already fire and the level they imply (see `level_at_least`)."""

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
    content: Content,
    result: Result,
    record_id: Any = None,
    source: str | None = None,
    with_answers: bool = False,
) -> ResultObject:
    """The contract's result object for one assessed record; `with_answers` adds
    `answers`: the valid answers of the questions asked, in questionnaire order,
    as JSON values (what a clinician's report needs to show what was denied)."""
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
    if with_answers:
        out["answers"] = _because(tuple(result.answers.items()))
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


# --- reading an object back (a clinician's report reads saved results) ---------------


def outcome_of(obj: Any, where: str) -> Outcome:
    """`obj` (parsed JSON) as the contract's result or error object, or
    `TriageError` naming the first member that does not fit the `TypedDict`s."""
    if not isinstance(obj, dict):
        raise TriageError(f"{where}: not a {SCHEMA} object: it is {_kind(obj)}")
    if obj.get("schema") != SCHEMA:
        found = f"its schema is {_json(obj['schema'])}" if "schema" in obj else "it has no schema"
        raise TriageError(f"{where}: not a {SCHEMA} object: {found}")
    top = "triage_level_at_least" if "error" in obj else "triage_level"
    problem = _misfit(obj, ErrorObject if "error" in obj else ResultObject, "")
    flags = enumerate(obj["red_flags"] if problem is None else [])
    levels = {top: obj.get(top), **{f"red_flags[{n}].level": f["level"] for n, f in flags}}
    wrong = next((path for path, level in levels.items() if level not in LEVELS), None)
    if problem is None and wrong is not None:
        problem = f"{wrong} is {_json(levels[wrong])}, not one of {', '.join(LEVELS)}"
    if problem is not None:
        raise TriageError(f"{where}: not a valid {SCHEMA} object: {problem}")
    return cast(Outcome, obj)


def _misfit(value: Any, hint: Any, path: str) -> str | None:
    """What in `value` does not fit the type `hint`, or None."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return None
    if origin in (typing.Union, UnionType):
        problems = [_misfit(value, arg, path) for arg in args]
        return None if None in problems else problems[0]
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return f"{path or 'it'} must be an object, not {_kind(value)}"
        for key, kind in typing.get_type_hints(hint, include_extras=True).items():
            optional = typing.get_origin(kind) is NotRequired
            where = f"{path}.{key}" if path else key
            if key not in value:
                if not optional:
                    return f"{where} is missing"
            elif problem := _misfit(
                value[key], typing.get_args(kind)[0] if optional else kind, where
            ):
                return problem
        return None
    if origin in (list, dict):
        if not isinstance(value, origin):
            return f"{path} must be {_KINDS[origin]}, not {_kind(value)}"
        items = enumerate(value) if origin is list else value.items()
        return next(
            (p for key, item in items if (p := _misfit(item, args[-1], f"{path}[{key}]"))),
            None,
        )
    if hint is type(None):
        return None if value is None else f"{path} must be null, not {_kind(value)}"
    if isinstance(value, hint) and not (isinstance(value, bool) and hint is not bool):
        return None
    return f"{path} must be {_KINDS.get(hint, hint.__name__)}, not {_kind(value)}"


_KINDS: dict[Any, str] = {dict: "an object", list: "a list", str: "text", bool: "true or false"}
_KINDS |= {int: "a whole number", float: "a number", type(None): "null"}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
