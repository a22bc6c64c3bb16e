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
from triage.engine.kept import kept
from triage.engine.program import Program
from triage.engine.views import View
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
        entries = program.patterns
        held = [
            [entries[n] for n in program.fit(view.answers, memo)]
            for view, memo in zip(self.views, self.memos, strict=True)
        ]
        slot, dropped = program.slot, self.dropped
        excluding = {x for x in program.excluding for memo in self.memos if memo[slot[x]]}
        if excluding:
            dropped = self.dropped = frozenset(
                pid for pid, by in program.excluded_by.items() if excluding.intersection(by)
            )
        found: list[FoundPattern] = []
        for view, memo, holding in zip(self.views, self.memos, held, strict=True):
            number, own = view.number, False
            for pattern, _, why, criteria in holding:
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
                        program.explain(view, why(view.answers, memo, True), self.answers),
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
        """The decision, built once for each distinct reason: whether a flag fired,
        which contraindications and precautions apply, and which targets each
        view aims at (it holds content's words and IDs only, so it is shared)."""
        program = self.program
        main, memo = self.views[0].answers, self.memos[0]
        contra = tuple(program.contraindicated(main, memo))
        prec = tuple(program.cautioned(main, memo))
        aimed: tuple[tuple[int, tuple[int, ...]], ...] | None = None
        if patterns:
            aimed = tuple(
                (view.number, tuple(program.aimed(view.answers, seen)))
                for view, seen in zip(self.views, self._target_memos(), strict=True)
            )
        key = (bool(flags), contra, prec, aimed)
        return kept(program.decisions, key, lambda: self._dry_needling(*key))

    def _dry_needling(
        self,
        flagged: bool,
        contra_at: tuple[int, ...],
        prec_at: tuple[int, ...],
        aimed: tuple[tuple[int, tuple[int, ...]], ...] | None,
    ) -> DryNeedling:
        program, reasons = self.program, self.content.rules.dry_needling.reasons
        contra = [program.contraindications[n][0] for n in contra_at]
        prec = [program.precautions[n][0] for n in prec_at]
        targets: dict[str, Item] = {}
        target_reasons: list[str] = []
        if aimed is not None:
            two = len(aimed) > 1
            for number, positions in aimed:
                for n in positions:
                    item = program.targets[n][0]
                    targets.setdefault(item.id, item)
                    words = HEADACHE_WORDS[number]
                    target_reasons.append(f"For {words}: {item.reason}" if two else item.reason)
        if flagged:
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
        """Each screen's score: with two headaches, the higher of the two views'
        (the scores built once for each distinct set of them)."""
        program = self.program
        views = zip(self.views, self.memos, strict=True)
        scores = [program.scored(view.answers, memo) for view, memo in views]
        top = tuple(scores[0]) if len(scores) == 1 else tuple(map(max, *scores))
        return kept(
            program.scores,
            top,
            lambda: tuple(
                ScreeningScore(screening.id, score >= screening.positive_at, score, len(tests))
                for (screening, tests), score in zip(program.screens, top, strict=True)
            ),
        )
