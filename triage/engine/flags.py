"""The red flags that fire on a record's views, read three times for `unsure` answers.

Pure: no printing, prompting or files.

- `red_flags`: every red flag that fires on valid answers, most urgent first.
- `fired`: the same on views whose memos the patterns then reuse.
- `new_memos`: a memo per view, the person's patterns seeded into the other.
- `unsure_warnings`: what an `unsure` answer that cannot count says to do.

Most records have no `unsure` answer: each view is then read once, on its own
memo, and the flags come in the order they are written, so that only those
of different levels need sorting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage.engine.closures import Memo
from triage.engine.program import Program, program_of
from triage.engine.views import View
from triage.model import LEVELS, Content, FiredFlag

Reading = tuple[View, Mapping[str, Any], Memo]


def red_flags(content: Content, answers: Mapping[str, Any]) -> tuple[FiredFlag, ...]:
    """Every red flag that fires on valid answers, most urgent first.

    Absent answers behave like `no`, so this also serves a partial record and
    the answers given so far in the interactive self-check.
    """
    program = program_of(content)
    views = program.views.of(answers)
    return fired(content, program, answers, views, new_memos(program, views))


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


def fired(
    content: Content,
    program: Program,
    answers: Mapping[str, Any],
    views: list[View],
    memos: list[Memo],
    unsure: bool | None = None,
) -> tuple[FiredFlag, ...]:
    """`red_flags`; `memos` are the views' (each serves the one reading there is
    when no answer is `unsure`, and the patterns then reuse what it holds);
    `unsure`: whether any answer is `unsure`, when already known.

    Every view is read in each pass before the next pass, so a flag reported
    on either headache is `reported`, else `possible` at the highest level."""
    if unsure is None:
        unsure = "unsure" in answers.values()
    if not unsure:  # one reading a view: every flag found is reported, at its own level
        return _reported(program, answers, views, memos)
    passes: dict[int, list[Reading]] = {1: [], 2: [], 3: []}
    _unsure_passes(content, program, views, memos, passes)
    found: dict[str, FiredFlag] = {}
    flags = program.flags
    for number, readings in passes.items():
        for view, reading, scope in readings:
            for n in program.fire(reading, scope):  # every flag tested: tests are pure
                flag, _, why = flags[n]
                if flag.id in found:
                    continue
                level = "urgent" if number == 3 and flag.level == "emergency" else flag.level
                found[flag.id] = FiredFlag(
                    flag,
                    level,
                    "reported" if number == 1 else "possible",
                    program.explain(view, why(reading, scope, True), answers),
                )
    position = program.position
    return tuple(sorted(found.values(), key=lambda f: (LEVELS.index(f.level), position[f.rule.id])))


def _reported(
    program: Program, answers: Mapping[str, Any], views: list[View], memos: list[Memo]
) -> tuple[FiredFlag, ...]:
    """`fired` when no answer is `unsure`: each flag at its own level, ordered by
    (level, position), the same order as the general case's."""
    flags, explain, fire = program.flags, program.explain, program.fire
    if len(views) == 1:
        view, memo = views[0], memos[0]
        found = fire(view.answers, memo)
        if not found:
            return ()
        out = []
        for n in sorted(found, key=program.rank.__getitem__):
            flag, _, why = flags[n]
            out.append(
                FiredFlag(
                    flag,
                    flag.level,
                    "reported",
                    explain(view, why(view.answers, memo, True), answers),
                )
            )
        return tuple(out)
    seen: dict[int, FiredFlag] = {}
    for view, memo in zip(views, memos, strict=True):
        for n in fire(view.answers, memo):
            if n not in seen:
                flag, _, why = flags[n]
                because = explain(view, why(view.answers, memo, True), answers)
                seen[n] = FiredFlag(flag, flag.level, "reported", because)
    return tuple(seen[n] for n in sorted(seen, key=program.rank.__getitem__))


def _unsure_passes(
    content: Content,
    program: Program,
    views: list[View],
    memos: list[Memo],
    passes: dict[int, list[Reading]],
) -> None:
    """Each view's readings of its `unsure` answers, each with a memo of its own
    (seeded with what was found for the person on the main view)."""
    for view in views:
        for number, reading in _readings(content, view.answers):
            seeded: Memo = [None] * program.memo_size
            for pattern, _, _, _ in program.person:
                seeded[program.slot[pattern.id]] = memos[0][program.slot[pattern.id]]
            passes[number].append((view, reading, seeded))


def _readings(content: Content, answers: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """The answers as each red-flag pass reads them (clinical-logic, "Unsure answers").

    1. every `unsure` read as `no` (flags fire as `reported`);
    2. `unsure` read as `yes` for `escalate` questions (`possible`, full level);
    3. `unsure` read as `yes` for `escalate` and `cap` questions (`possible`,
       emergency capped at urgent).
    A pass that reads the answers exactly as the one before it is left out.
    """
    questions = content.questions.questions
    # only a yes/no/unsure answer is read three ways: a choice may have a code `unsure`
    unsure = [
        qid
        for qid, value in answers.items()
        if value == "unsure" and qid in questions and questions[qid].type == "yes_no_unsure"
    ]
    first = {**answers, **{qid: "no" for qid in unsure}}
    readings: list[tuple[int, Mapping[str, Any]]] = [(1, first)]
    for number, policies in ((2, ("escalate",)), (3, ("escalate", "cap"))):
        view = {**first, **{qid: "yes" for qid in unsure if questions[qid].unsure in policies}}
        if view != readings[-1][1]:
            readings.append((number, view))
    return readings


def triage_level(flags: tuple[FiredFlag, ...]) -> str:
    """The most urgent level among fired flags, or `routine`."""
    return min((f.level for f in flags), key=LEVELS.index, default="routine")


def unsure_warnings(
    content: Content, answers: Mapping[str, Any], unsure: bool | None = None
) -> list[str]:
    """For each `ignore` question answered `unsure`: it cannot count, and what to do."""
    if not (("unsure" in answers.values()) if unsure is None else unsure):
        return []
    return [
        f"'{q.id}' was answered unsure, so it cannot count as a warning sign: {q.unsure_advice}"
        for q in program_of(content).ignore_unsure
        if answers.get(q.id) == "unsure"
    ]
