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
from .compiled import NO_MEMO, Memo, Program
from .compiled import RECORD_ID as RECORD_ID
from .conditions import Evaluation, questions_read
from .errors import AnswerError
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
    return _validate(content, raw)[0]


def _validate(content: Content, raw: Mapping[str, Any]) -> tuple[Validated, dict[str, Any]]:
    """`validate`, and the dict its answers are a view of (for `evaluate` alone)."""
    program = content.compiled
    questions = content.questions.questions
    warnings: list[str] = []
    if not program.known.issuperset(raw):
        warnings = [
            f"unknown answer ID '{key}' ignored{did_you_mean(key, questions)}"
            for key in raw
            if key not in questions and key != RECORD_ID
        ]
    values: dict[str, Any] = {}
    missing: list[str] = []
    invalid: dict[str, str] = {}
    undecided: dict[str, Any] = {}
    get = raw.get
    for qid, ask, spelled, entry in program.plan:
        given: Any = get(qid)
        if ask is not None and not ask(values, NO_MEMO):
            # ask-ifs read only the answers before them
            unknown = (missing or invalid or undecided) and {*missing, *invalid, *undecided}
            if unknown and entry.reads & unknown:
                # whether it is asked depends on an answer that is missing or
                # invalid: kept aside so that a partial record's red flags can
                # still read it (a partial record never hides a warning sign)
                if not _empty(given):
                    with suppress(ValueError):
                        undecided[qid] = parse_answer(entry.question, given)
            elif not _empty(given):
                warnings.append(_ignored(entry.question, values))
            continue
        if given.__class__ is str:
            value = spelled.get(given)  # a usual spelling, read once per content
            if value is not None:
                values[qid] = value
                continue
        if given is None or (given.__class__ is str and not given.strip()):
            missing.append(qid)
            continue
        try:
            values[qid] = entry.parse(given)
        except ValueError as exc:
            invalid[qid] = str(exc)
    checked = Validated(
        MappingProxyType(values),
        tuple(missing),
        invalid,
        tuple(warnings),
        MappingProxyType(undecided),
    )
    return checked, values


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
    program = content.compiled
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
        for q in content.compiled.ignore_unsure
        if answers.get(q.id) == "unsure"
    ]


# --- the whole result ---------------------------------------------------------


def evaluate(content: Content, raw: Mapping[str, Any]) -> Result:
    """Assess one record of raw answers (as read from a file or typed).

    Raises `AnswerError` when an asked question has no answer or an invalid
    one; its `partial` is a `Partial` with the red flags that already fire.
    """
    checked, values = _validate(content, raw)
    if not checked.complete:
        present = {**checked.answers, **checked.undecided}
        flags = red_flags(content, present)
        warnings = checked.warnings + tuple(_unsure_warnings(content, present))
        raise AnswerError(
            checked.missing, checked.invalid, Partial(flags, triage_level(flags), warnings)
        )
    return _assess(content, checked, values)


def assess(
    content: Content,
    checked: Validated,
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """The result for validated answers (complete, or a confirmed early stop)."""
    return _assess(content, checked, dict(checked.answers), stopped_early, emergency_undone)


def _assess(
    content: Content,
    checked: Validated,
    answers: dict[str, Any],
    stopped_early: str | None = None,
    emergency_undone: tuple[str, ...] = (),
) -> Result:
    """`assess`, given `answers`: the checked answers as a dict no one else changes."""
    program = content.compiled
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
            ScreenResult(s.id, score >= s.positive_at, score, len(s.items))
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
