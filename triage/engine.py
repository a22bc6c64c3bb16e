"""The engine: content + answers -> `Result`.  Pure: no printing, prompting or files.

- `asked` / `next_question`: which questions are asked, given the answers so far.
- `validate`: the one validation every answer goes through, whatever its source.
- `red_flags`: the warning signs that fire, read three times for `unsure` answers.
- `evaluate`: the whole result, or `AnswerError` naming every missing and
  invalid answer, carrying the red flags the valid answers already fire.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .answers import parse_answer
from .conditions import Evaluation, questions_read
from .errors import AnswerError
from .explain import criteria
from .model import (
    LEVELS,
    Content,
    DryNeedling,
    FiredFlag,
    FoundPattern,
    Question,
    Result,
    ScreenResult,
)
from .reader import did_you_mean

RECORD_ID = "id"
_NO_TABLE: Mapping[tuple[str, str], Any] = MappingProxyType({})


@dataclass(frozen=True)
class Validated:
    """Answers after validation: the valid values of asked questions, in order,
    the asked questions with no answer, the invalid ones, and warnings.

    `undecided` holds valid answers to questions whose ask-if reads a missing
    or invalid answer: an incomplete record's red flags read them too.
    """

    answers: Mapping[str, Any]
    missing: tuple[str, ...] = ()
    invalid: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    undecided: Mapping[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid


@dataclass(frozen=True)
class Partial:
    """What a record that cannot be assessed still shows: its red flags."""

    red_flags: tuple[FiredFlag, ...]
    triage_level_at_least: str
    warnings: tuple[str, ...]


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_asked(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether a question is asked, given the valid answers to earlier questions."""
    return question.ask_if is None or question.ask_if.holds(Evaluation(answers, _NO_TABLE))


def asked(content: Content, answers: Mapping[str, Any]) -> Iterator[Question]:
    """The questions asked, in order, given (already valid) answers."""
    seen: dict[str, Any] = {}
    for question in content.questions:
        if is_asked(question, seen):
            yield question
            if question.id in answers:
                seen[question.id] = answers[question.id]


def next_question(content: Content, answers: Mapping[str, Any]) -> Question | None:
    """The first asked question that has no answer yet, or None when all are answered."""
    return next((q for q in asked(content, answers) if q.id not in answers), None)


def validate(content: Content, raw: Mapping[str, Any]) -> Validated:
    """Check every answer of a record against the questionnaire, in order.

    Answers to questions that are not asked are dropped with a warning; an
    unknown answer ID is dropped with a warning ("did you mean" for a near
    miss); the record ID key is not an answer.
    """
    questions = content.questions.questions
    warnings = [
        f"unknown answer ID '{key}' ignored{did_you_mean(key, questions)}"
        for key in raw
        if key not in questions and key != RECORD_ID
    ]
    values: dict[str, Any] = {}
    missing: list[str] = []
    invalid: dict[str, str] = {}
    undecided: dict[str, Any] = {}
    scope = Evaluation(values, _NO_TABLE)  # ask-ifs read only the answers before them
    for question in content.questions:
        given = raw.get(question.id)
        if question.ask_if is not None and not question.ask_if.holds(scope):
            unknown = set(missing) | set(invalid) | set(undecided)
            if question.ask_if is not None and questions_read(question.ask_if) & unknown:
                # whether it is asked depends on an answer that is missing or
                # invalid: kept aside so that a partial record's red flags can
                # still read it (a partial record never hides a warning sign)
                if not _empty(given):
                    with suppress(ValueError):
                        undecided[question.id] = parse_answer(question, given)
            elif not _empty(given):
                warnings.append(_ignored(question, values))
            continue
        if given is None or (given.__class__ is str and not given.strip()):
            missing.append(question.id)
            continue
        try:
            values[question.id] = parse_answer(question, given)
        except ValueError as exc:
            invalid[question.id] = str(exc)
    return Validated(
        MappingProxyType(values),
        tuple(missing),
        invalid,
        tuple(warnings),
        MappingProxyType(undecided),
    )


def _ignored(question: Question, values: Mapping[str, Any]) -> str:
    assert question.ask_if is not None
    read = [qid for qid in questions_read(question.ask_if)]
    shown = [
        f"'{qid}' is {_show(values[qid])}" if qid in values else f"'{qid}' has no valid answer"
        for qid in sorted(read)
    ]
    head = f"answer to '{question.id}' ignored: "
    if len(read) == 1:
        return head + shown[0]
    return head + f"it is asked only when {question.ask_if.describe()}; here {', '.join(shown)}"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return f"'{value}'" if isinstance(value, str) else str(value)


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
    content: Content, why: frozenset[str], answers: Mapping[str, Any]
) -> tuple[tuple[str, Any], ...]:
    """The answers named in `why`, in questionnaire order, as they were given."""
    return tuple(
        (q.id, answers[q.id]) for q in content.questions if q.id in why and q.id in answers
    )


def red_flags(content: Content, answers: Mapping[str, Any]) -> tuple[FiredFlag, ...]:
    """Every red flag that fires on valid answers, most urgent first.

    Absent answers behave like `no`, so this also serves a partial record and
    the answers given so far in the interactive self-check.
    """
    table = content.rules.table
    fired: dict[str, FiredFlag] = {}
    for number, view in _readings(content, answers):
        scope = Evaluation(view, table)
        for flag in content.rules.red_flags:
            if flag.id in fired or not flag.when.holds(scope):
                continue
            level = "urgent" if number == 3 and flag.level == "emergency" else flag.level
            _, why = flag.when.explain(scope)
            fired[flag.id] = FiredFlag(
                flag,
                level,
                "reported" if number == 1 else "possible",
                _because(content, why, answers),
            )
    order = {flag.id: i for i, flag in enumerate(content.rules.red_flags)}
    return tuple(sorted(fired.values(), key=lambda f: (LEVELS.index(f.level), order[f.rule.id])))


def triage_level(flags: tuple[FiredFlag, ...]) -> str:
    """The most urgent level among fired flags, or `routine`."""
    return min((f.level for f in flags), key=LEVELS.index, default="routine")


def _unsure_warnings(content: Content, answers: Mapping[str, Any]) -> list[str]:
    return [
        f"'{q.id}' was answered unsure, so it cannot count as a warning sign: {q.unsure_advice}"
        for q in content.questions
        if q.unsure == "ignore" and answers.get(q.id) == "unsure"
    ]


# --- the whole result ---------------------------------------------------------


def evaluate(content: Content, raw: Mapping[str, Any]) -> Result:
    """Assess one record of raw answers (as read from a file or typed).

    Raises `AnswerError` when an asked question has no answer or an invalid
    one; its `partial` is a `Partial` with the red flags that already fire.
    """
    checked = validate(content, raw)
    if not checked.complete:
        present = {**checked.answers, **checked.undecided}
        flags = red_flags(content, present)
        warnings = checked.warnings + tuple(_unsure_warnings(content, present))
        raise AnswerError(
            checked.missing, checked.invalid, Partial(flags, triage_level(flags), warnings)
        )
    return assess(content, checked)


def assess(
    content: Content,
    checked: Validated,
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """The result for validated answers (complete, or a confirmed early stop)."""
    answers = checked.answers
    rules = content.rules
    flags = red_flags(content, answers)
    scope = Evaluation(answers, rules.table)
    patterns: tuple[FoundPattern, ...] = ()
    if stopped_early is None:
        patterns = _patterns(content, scope)
    return Result(
        triage_level=triage_level(flags),
        red_flags=flags,
        headache_types=patterns,
        dry_needling=_dry_needling(content, scope, flags, patterns),
        screens=tuple(
            ScreenResult(s.id, score >= s.positive_at, score, len(s.items))
            for s in rules.screens
            for score in [sum(1 for item in s.items if item.holds(scope))]
        ),
        answers=MappingProxyType(dict(answers)),
        warnings=checked.warnings + tuple(_unsure_warnings(content, answers)),
        stopped_early=stopped_early,
        emergency_undone=emergency_undone,
    )


def _patterns(content: Content, scope: Evaluation) -> tuple[FoundPattern, ...]:
    rules = content.rules
    tender = rules.dry_needling.pericranial_tenderness
    named = {p.id: p for p in rules.patterns}
    found = []
    for pattern in rules.patterns:
        if pattern.when is None or not scope.named("pattern", pattern.id):
            continue
        _, why = pattern.when.explain(scope)
        found.append(
            FoundPattern(
                pattern,
                _because(content, why, scope.answers),
                tender.holds(scope) if pattern.tension_type else None,
                criteria(
                    pattern.when,
                    scope,
                    rules.facts,
                    patterns=named,
                    questions=content.questions.questions,
                ),
            )
        )
    if not found:
        found = [FoundPattern(p, ()) for p in content.rules.patterns if p.when is None]
    return tuple(found)


def _dry_needling(
    content: Content,
    scope: Evaluation,
    flags: tuple[FiredFlag, ...],
    patterns: tuple[FoundPattern, ...],
) -> DryNeedling:
    rules = content.rules.dry_needling
    reasons = rules.reasons
    contra = [i for i in rules.contraindications if i.when.holds(scope)]
    prec = [i for i in rules.precautions if i.when.holds(scope)]
    targets = [i for i in rules.targets if patterns and i.when.holds(scope)]
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
