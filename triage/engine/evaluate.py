"""The result for one record: red flags first, then patterns and dry needling.

Pure: no printing, prompting or files.

- `red_flags`: the warning signs that fire, read three times for `unsure` answers.
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
from triage.engine.closures import Memo
from triage.engine.findings import Findings
from triage.engine.program import Program, program_of
from triage.engine.validate import Validated, asked, validate_into
from triage.engine.views import View, because
from triage.errors import AnswerError
from triage.model import LEVELS, UNDONE, Content, FiredFlag, Question, Result
from triage.text import did_you_mean


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


def red_flags(content: Content, answers: Mapping[str, Any]) -> tuple[FiredFlag, ...]:
    """Every red flag that fires on valid answers, most urgent first.

    Absent answers behave like `no`, so this also serves a partial record and
    the answers given so far in the interactive self-check.
    """
    program = program_of(content)
    views = program.views.of(answers)
    return _red_flags(content, program, answers, views, new_memos(program, views))


def new_memos(program: Program, views: list[View]) -> list[Memo]:
    """A memo for each view; a pattern found for the person (on view 1) is
    seeded into the others, so that every view reads the same."""
    memos: list[Memo] = [[None] * program.memo_size for _ in views]
    if len(views) == 1:
        return memos
    for pattern, reported, _, _ in program.person:
        value = reported(views[0].answers, memos[0])
        for memo in memos[1:]:
            memo[program.slot[pattern.id]] = value
    return memos


def _red_flags(
    content: Content,
    program: Program,
    answers: Mapping[str, Any],
    views: list[View],
    memos: list[Memo],
) -> tuple[FiredFlag, ...]:
    """`red_flags`; `memos` are the views' (each serves the one reading there is
    when no answer is `unsure`, and the patterns then reuse what it holds).

    Every view is read in each pass before the next pass, so a flag reported
    on either headache is `reported`, else `possible` at the highest level."""
    passes: dict[int, list[tuple[View, Mapping[str, Any], Memo]]] = {1: [], 2: [], 3: []}
    if "unsure" not in answers.values():  # one reading a view: the patterns reuse its memo
        passes[1] = [(view, view.answers, memo) for view, memo in zip(views, memos, strict=True)]
    else:
        _unsure_passes(content, program, views, memos, passes)
    fired: dict[str, FiredFlag] = {}
    for number, readings in passes.items():
        for view, reading, scope in readings:
            for flag, test, why in program.flags:
                if flag.id in fired or not test(reading, scope):
                    continue
                level = "urgent" if number == 3 and flag.level == "emergency" else flag.level
                fired[flag.id] = FiredFlag(
                    flag,
                    level,
                    "reported" if number == 1 else "possible",
                    because(view, why(reading, scope, True), answers, program.order),
                )
    position = program.position
    return tuple(sorted(fired.values(), key=lambda f: (LEVELS.index(f.level), position[f.rule.id])))


def _unsure_passes(
    content: Content,
    program: Program,
    views: list[View],
    memos: list[Memo],
    passes: dict[int, list[tuple[View, Mapping[str, Any], Memo]]],
) -> None:
    """Each view's readings of its `unsure` answers, each with a memo of its own
    (seeded with what was found for the person on the main view)."""
    for view in views:
        for number, reading in _readings(content, view.answers):
            seeded: Memo = [None] * program.memo_size
            for pattern, _, _, _ in program.person:
                seeded[program.slot[pattern.id]] = memos[0][program.slot[pattern.id]]
            passes[number].append((view, reading, seeded))


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
    A record's `emergency_undone` is carried into the result (a bad one is
    an invalid answer under that key).
    """
    checked, values = validate_into(content, raw)
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
                return _conclude(content, checked, values, emergency_undone=undone)
        warnings = checked.warnings + tuple(_unsure_warnings(content, present))
        raise AnswerError(
            checked.missing, checked.invalid, Partial(flags, triage_level(flags), warnings)
        )
    return _conclude(content, checked, values, emergency_undone=undone)


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
    views = program.views.of(answers)
    memos = new_memos(program, views)  # named facts and patterns, per view
    flags = _red_flags(content, program, answers, views, memos)
    found = Findings(content, program, answers, views, memos)
    patterns = found.patterns() if stopped_early is None else ()
    return Result(
        triage_level=triage_level(flags),
        red_flags=flags,
        headache_types=patterns,
        dry_needling=found.dry_needling(flags, patterns),
        screens=found.screens(),
        answers=MappingProxyType(answers),
        warnings=checked.warnings + tuple(_unsure_warnings(content, answers)),
        stopped_early=stopped_early,
        emergency_undone=emergency_undone,
    )
