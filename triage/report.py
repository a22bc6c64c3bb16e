"""Results as plain data: the `triage.result/1` objects of the scripting contract.

Plain dicts and lists only, so that JSON, JSONL and the terminal rendering
all show the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import AnswerError
from .model import Content, FiredFlag, Result

SCHEMA = "triage.result/1"


def _value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _because(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return {qid: _value(value) for qid, value in pairs}


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


def result_dict(content: Content, result: Result, record_id: Any = None,
                source: str | None = None) -> dict[str, Any]:
    """The contract's result object for one assessed record."""
    rules = content.rules
    level = rules.levels[result.triage_level]
    out = _head(record_id, source)
    out.update({
        "triage_level": result.triage_level,
        "advice": level.advice,
        "red_flags": [flag_dict(f) for f in result.red_flags],
        "headache_types": [
            {
                "id": p.rule.id,
                "certainty": p.rule.certainty,
                "source": p.rule.source,
                "summary": p.rule.summary,
                **({"advice": p.rule.advice} if p.rule.advice else {}),
                **({"pericranial_tenderness": p.pericranial_tenderness}
                   if p.rule.tension_type else {}),
                "because": _because(p.because),
            }
            for p in result.headache_types
        ],
        "dry_needling": {
            "recommendation": result.dry_needling.recommendation,
            "reasons": list(result.dry_needling.reasons),
            "contraindications": list(result.dry_needling.contraindications),
            "precautions": list(result.dry_needling.precautions),
            "targets": list(result.dry_needling.targets),
        },
        "screens": {s.id: {"positive": s.positive, "score": s.score, "of": s.of}
                    for s in result.screens},
        "content": content_dict(content),
        "warnings": list(result.warnings),
        "notice": rules.notice,
    })
    if result.stopped_early is not None:
        out["stopped_early"] = {"after": result.stopped_early}
    if result.emergency_undone:
        out["emergency_undone"] = list(result.emergency_undone)
    return out


def content_dict(content: Content) -> dict[str, str]:
    return {
        "questions_sha256": content.questions.sha256,
        "rules_sha256": content.rules.sha256,
        "version": content.rules.version,
    }


def error_dict(content: Content | None, message: str, record_id: Any = None,
               source: str | None = None, error: AnswerError | None = None) -> dict[str, Any]:
    """The contract's object for a record (or a file) that cannot be assessed.

    A partial record never hides a warning sign: the red flags that fire on
    its valid answers are reported, with the level they imply.
    """
    partial = getattr(error, "partial", None)
    flags: tuple[FiredFlag, ...] = getattr(partial, "red_flags", ())
    out = _head(record_id, source)
    out["error"] = {
        "message": message,
        "missing": list(error.missing) if error else [],
        "invalid": dict(error.invalid) if error else {},
    }
    out["red_flags"] = [flag_dict(f) for f in flags]
    out["triage_level_at_least"] = getattr(partial, "triage_level_at_least", "routine")
    if partial is not None:
        out["warnings"] = list(partial.warnings)
    if content is not None:
        level = content.rules.levels[out["triage_level_at_least"]]
        if flags:
            out["advice"] = level.advice
        out["notice"] = content.rules.notice
    return out


def record_id_of(raw: Mapping[str, Any]) -> tuple[Any, str | None]:
    """The record's `id` (a string or a number) and a problem with it, if any."""
    rid = raw.get("id")
    if rid is None or (isinstance(rid, (str, int, float)) and not isinstance(rid, bool)):
        return rid, None
    return None, "'id' must be a string or a number"
