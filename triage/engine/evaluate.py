"""The result for one record: red flags first, then patterns and dry needling.

Pure: no printing, prompting or files.

- `red_flags`: the warning signs that fire, read three times for `unsure` answers.
- `evaluate`: the whole result, or `AnswerError` naming every missing and
  invalid answer, carrying the red flags the valid answers already fire.
- `conclude`: the result for answers already validated (the self-check's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from triage.engine.closures import Memo
from triage.engine.program import Program, program_of
from triage.engine.validate import Validated, validate_into
from triage.errors import AnswerError
from triage.model import (
    LEVELS,
    Content,
    DryNeedling,
    FiredFlag,
    FoundPattern,
    Result,
    ScreeningScore,
)


@dataclass(frozen=True)
class Partial:
    """What a record that cannot be assessed still shows: its red flags."""

    red_flags: tuple[FiredFlag, ...]
    triage_level_at_least: str
    warnings: tuple[str, ...]


# --- red flags ---------------------------------------------------------------


def _readings(content: Content, answers: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """The answers as each red-flag pass reads them (clinical-logic, "Unsure answers").

    1. every `unsure` read as `no` (flags fire as `reported`);
    2. `unsure` read as `yes` for `escalate` questions (`possible`, full level);
    3. `unsure` read as `yes` for `escalate` and `cap` questions (`possible`,
       emergency capped at urgent).
    A pass that reads the answers exactly as the one before it is left out.
    """
    questions = content.questions.questions
    unsure = [qid for qid, value in answers.items() if value == "unsure"]
    first = {**answers, **{qid: "no" for qid in unsure}}
    readings: list[tuple[int, Mapping[str, Any]]] = [(1, first)]
    for number, policies in ((2, ("escalate",)), (3, ("escalate", "cap"))):
        view = {**first, **{qid: "yes" for qid in unsure if questions[qid].unsure in policies}}
        if view != readings[-1][1]:
            readings.append((number, view))
    return readings


def _because(
    order: Mapping[str, int], why: set[str], answers: Mapping[str, Any]
) -> tuple[tuple[str, Any], ...]:
    """The answers named in `why`, in questionnaire order, as they were given."""
    named = [qid for qid in why if qid in answers and qid in order]
    named.sort(key=order.__getitem__)
    return tuple((qid, answers[qid]) for qid in named)


def red_flags(content: Content, answers: Mapping[str, Any]) -> tuple[FiredFlag, ...]:
    """Every red flag that fires on valid answers, most urgent first.

    Absent answers behave like `no`, so this also serves a partial record and
    the answers given so far in the interactive self-check.
    """
    program = program_of(content)
    return _red_flags(content, program, answers, [None] * program.memo_size)


def _red_flags(
    content: Content, program: Program, answers: Mapping[str, Any], memo: Memo
) -> tuple[FiredFlag, ...]:
    """`red_flags`; `memo` is for `answers`, and serves the one reading there is
    when no answer is `unsure` (the patterns then reuse what it holds)."""
    if "unsure" in answers.values():
        readings = [
            (number, view, [None] * program.memo_size)
            for number, view in _readings(content, answers)
        ]
    else:
        readings = [(1, answers, memo)]
    fired: dict[str, FiredFlag] = {}
    for number, view, scope in readings:
        for flag, test, why in program.flags:
            if flag.id in fired or not test(view, scope):
                continue
            level = "urgent" if number == 3 and flag.level == "emergency" else flag.level
            fired[flag.id] = FiredFlag(
                flag,
                level,
                "reported" if number == 1 else "possible",
                _because(program.order, why(view, scope, True), answers),
            )
    position = program.position
    return tuple(sorted(fired.values(), key=lambda f: (LEVELS.index(f.level), position[f.rule.id])))


def triage_level(flags: tuple[FiredFlag, ...]) -> str:
    """The most urgent level among fired flags, or `routine`."""
    return min((f.level for f in flags), key=LEVELS.index, default="routine")


def _unsure_warnings(content: Content, answers: Mapping[str, Any]) -> list[str]:
    if "unsure" not in answers.values():
        return []
    return [
        f"'{q.id}' was answered unsure, so it cannot count as a warning sign: {q.unsure_advice}"
        for q in program_of(content).ignore_unsure
        if answers.get(q.id) == "unsure"
    ]


# --- the whole result ---------------------------------------------------------


def evaluate(content: Content, raw: Mapping[str, Any]) -> Result:
    """Assess one record of raw answers (as read from a file or typed).

    Raises `AnswerError` when an asked question has no answer or an invalid
    one; its `partial` is a `Partial` with the red flags that already fire.
    """
    checked, values = validate_into(content, raw)
    if not checked.complete:
        present = {**checked.answers, **checked.undecided}
        flags = red_flags(content, present)
        warnings = checked.warnings + tuple(_unsure_warnings(content, present))
        raise AnswerError(
            checked.missing, checked.invalid, Partial(flags, triage_level(flags), warnings)
        )
    return _conclude(content, checked, values)


def conclude(
    content: Content,
    checked: Validated,
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """The result for validated answers (complete, or a confirmed early stop)."""
    return _conclude(content, checked, dict(checked.answers), stopped_early, emergency_undone)


def _conclude(
    content: Content,
    checked: Validated,
    answers: dict[str, Any],
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """`conclude`, given `answers`: the checked answers as a dict no one else changes."""
    program = program_of(content)
    memo: Memo = [None] * program.memo_size  # named facts and patterns, for these answers
    flags = _red_flags(content, program, answers, memo)
    patterns: tuple[FoundPattern, ...] = ()
    if stopped_early is None:
        patterns = _patterns(program, answers, memo)
    return Result(
        triage_level=triage_level(flags),
        red_flags=flags,
        headache_types=patterns,
        dry_needling=_dry_needling(content, program, answers, memo, flags, patterns),
        screens=tuple(
            ScreeningScore(s.id, score >= s.positive_at, score, len(s.items))
            for s, tests in program.screens
            for score in [sum(1 for test in tests if test(answers, memo))]
        ),
        answers=MappingProxyType(answers),
        warnings=checked.warnings + tuple(_unsure_warnings(content, answers)),
        stopped_early=stopped_early,
        emergency_undone=emergency_undone,
    )


def _patterns(program: Program, answers: dict[str, Any], memo: Memo) -> tuple[FoundPattern, ...]:
    found = []
    for pattern, reported, why, criteria in program.patterns:
        if not reported(answers, memo):
            continue
        found.append(
            FoundPattern(
                pattern,
                _because(program.order, why(answers, memo, True), answers),
                program.tender(answers, memo) if pattern.tension_type else None,
                criteria(answers, memo),
            )
        )
    if not found:
        found = [FoundPattern(p, ()) for p in program.catch_all]
    return tuple(found)


def _dry_needling(
    content: Content,
    program: Program,
    answers: dict[str, Any],
    memo: Memo,
    flags: tuple[FiredFlag, ...],
    patterns: tuple[FoundPattern, ...],
) -> DryNeedling:
    reasons = content.rules.dry_needling.reasons
    contra = [i for i, test in program.contraindications if test(answers, memo)]
    prec = [i for i, test in program.precautions if test(answers, memo)]
    targets = [i for i, test in program.targets if patterns and test(answers, memo)]
    if flags:
        recommendation, why = "refer_first", [reasons["refer_first"]]
    elif contra:
        recommendation, why = (
            "not_recommended",
            [reasons["contraindicated"]] + [i.reason for i in contra],
        )
    elif targets:
        why = [i.reason for i in targets]
        if prec:
            recommendation = "suitable_with_precautions"
            why += [reasons["with_precautions"]] + [i.reason for i in prec]
        else:
            recommendation = "suitable"
    else:
        recommendation, why = "not_recommended", [reasons["no_target"]]
    return DryNeedling(
        recommendation,
        tuple(why),
        tuple(i.id for i in contra),
        tuple(i.id for i in prec),
        tuple(i.id for i in targets),
    )
