"""What the answers fit, per headache: the patterns, dry needling and screens.

Pure.  The pattern table is read on each view of the record (`engine.views`);
a pattern found for the person (`person`) is read once, on the main
headache's view.  A pattern `excluded_by` another is dropped on every view
when that other is found on any view; a view whose only patterns were dropped
reports none, and a view with no pattern at all reports the catch-all.
Dry needling reads its targets on each view (as found after the drops), and
the person's contraindications and precautions once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage.engine.closures import Memo
from triage.engine.program import Program
from triage.engine.views import View, because
from triage.model import Content, DryNeedling, FiredFlag, FoundPattern, Item, ScreeningScore

HEADACHE_WORDS = {1: "your main headache", 2: "your other headache"}


class Findings:
    """The patterns, dry needling and screens of one record's views."""

    def __init__(
        self,
        content: Content,
        program: Program,
        answers: Mapping[str, Any],
        views: list[View],
        memos: list[Memo],
    ) -> None:
        self.content, self.program, self.answers = content, program, answers
        self.views, self.memos = views, memos
        self.dropped: frozenset[str] = frozenset()  # excluded by a pattern found on a view

    def patterns(self) -> tuple[FoundPattern, ...]:
        """View 1's patterns in table order (the person's in their place), then view 2's."""
        program = self.program
        held = [
            [entry for entry in program.patterns if entry[1](view.answers, memo)]
            for view, memo in zip(self.views, self.memos, strict=True)
        ]
        slot, dropped = program.slot, self.dropped
        excluding = {x for x in program.excluding for memo in self.memos if memo[slot[x]]}
        if excluding:
            dropped = self.dropped = frozenset(
                pid for pid, by in program.excluded_by.items() if excluding.intersection(by)
            )
        found: list[FoundPattern] = []
        for view, memo, entries in zip(self.views, self.memos, held, strict=True):
            number, own = view.number, False
            for pattern, _, why, criteria in entries:
                if pattern.person:
                    if number != 1:
                        continue
                else:
                    own = True
                if pattern.id in dropped:
                    continue
                found.append(
                    FoundPattern(
                        pattern,
                        because(view, why(view.answers, memo, True), self.answers, program.order),
                        program.tender(view.answers, memo) if pattern.tension_type else None,
                        criteria(view.answers, memo),
                        None if pattern.person else number,
                    )
                )
            if not own:
                found.extend(FoundPattern(p, (), headache=number) for p in program.catch_all)
        return tuple(found)

    def _target_memos(self) -> list[Memo]:
        """Each view's memo as dry needling reads it: a dropped pattern is not
        reported there (a fresh memo, so that no fact keeps the old reading)."""
        if not self.dropped:
            return self.memos
        slots = self.program.slot
        memos = []
        for memo in self.memos:
            if not any(memo[slots[pid]] for pid in self.dropped):
                memos.append(memo)
                continue
            fresh: Memo = [None] * self.program.memo_size
            for pid, slot in slots.items():
                if memo[slot] is not None:
                    fresh[slot] = memo[slot] and pid not in self.dropped
            memos.append(fresh)
        return memos

    def dry_needling(
        self, flags: tuple[FiredFlag, ...], patterns: tuple[FoundPattern, ...]
    ) -> DryNeedling:
        program, reasons = self.program, self.content.rules.dry_needling.reasons
        main, memo = self.views[0].answers, self.memos[0]
        contra = [i for i, test in program.contraindications if test(main, memo)]
        prec = [i for i, test in program.precautions if test(main, memo)]
        targets: dict[str, Item] = {}
        target_reasons: list[str] = []
        if patterns:
            two = len(self.views) > 1
            for view, seen in zip(self.views, self._target_memos(), strict=True):
                for item, test in program.targets:
                    if test(view.answers, seen):
                        targets.setdefault(item.id, item)
                        words = HEADACHE_WORDS[view.number]
                        target_reasons.append(f"For {words}: {item.reason}" if two else item.reason)
        if flags:
            recommendation, why = "refer_first", [reasons["refer_first"]]
        elif contra:
            recommendation = "not_recommended"
            why = [reasons["contraindicated"]] + [i.reason for i in contra]
        elif targets:
            why = target_reasons
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
            tuple(targets),
        )

    def screens(self) -> tuple[ScreeningScore, ...]:
        """Each screen's score: with two headaches, the higher of the two views'."""
        out = []
        for screening, tests in self.program.screens:
            score = 0
            for view, memo in zip(self.views, self.memos, strict=True):
                held = 0
                for test in tests:
                    if test(view.answers, memo):
                        held += 1
                score = max(score, held)
            out.append(
                ScreeningScore(screening.id, score >= screening.positive_at, score, len(tests))
            )
        return tuple(out)
