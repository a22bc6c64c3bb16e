"""Each headache's view of a record (spec v3): rules written once, read per headache.

View 1 is the record as it is.  When the content declares a second headache
(`second_headache` in `questions.yaml`) and its `when` holds, view 2 is the
record with each question of a pair replaced by its twin's answer (absent
where the twin has none); every other answer is shared.  With two views, each
also holds the totals the rules may read (an answer plus its twin's, capped
at the question's `max`); a one-headache record holds none, and a rule
reading a total reads its question's answer (`closures.Linker` `defaults`).

A view says where each answer it holds came from, so that a flag or pattern
found on the other headache explains itself with the `other_` answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from triage.engine.closures import NO_MEMO, Test
from triage.model import Content


class View(NamedTuple):
    """One headache's view: `number` 1 (main) or 2 (other), the answers the
    rules read, and for each answer the IDs of the record it came from."""

    number: int
    answers: Mapping[str, Any]
    sources: Mapping[str, tuple[str, ...]]  # only where not the ID itself


class Views:
    """How a content builds views, compiled once (part of `engine.program`)."""

    def __init__(self, content: Content, when: Test | None) -> None:
        questionnaire = content.questions
        second = questionnaire.second
        self.when = when
        self.reads = second.when.reads if second else frozenset()
        self.twins = dict(second.twins) if second else {}
        self.totals = {
            name: (base, self.twins[base], questionnaire.questions[base].max)
            for name, base in (second.totals.items() if second else ())
        }
        self.renamed = {base: (twin,) for base, twin in self.twins.items()}
        # a one-headache record holds no total: rules read its question instead
        self.single = {name: (base,) for name, (base, _, _) in self.totals.items()}

    def of(self, answers: Mapping[str, Any]) -> list[View]:
        """The views of a record's (valid) answers: one, or two with a second headache.

        When whether there is a second headache cannot be told (a partial record
        whose `other_headache` is missing) but answers about it are given, it is
        read too: a partial record never hides a warning sign.
        """
        two = self.when is not None and (
            self.when(answers, NO_MEMO)
            or (
                not self.reads <= answers.keys()
                and any(twin in answers for twin in self.twins.values())
            )
        )
        if not two:
            return [View(1, answers, self.single)]
        first = dict(answers)
        sources: dict[str, tuple[str, ...]] = {}
        for name, (base, twin, cap) in self.totals.items():
            parts = [(qid, answers.get(qid)) for qid in (base, twin)]
            given = [(qid, value) for qid, value in parts if value is not None]
            if given:
                total = sum(value for _, value in given)
                first[name] = total if cap is None else min(total, cap)
                sources[name] = tuple(qid for qid, _ in given)
        other = {key: value for key, value in first.items() if key not in self.twins}
        for base, twin in self.twins.items():
            if twin in answers:
                other[base] = answers[twin]
        return [View(1, first, sources), View(2, other, {**self.renamed, **sources})]


def because(
    view: View, why: set[str], answers: Mapping[str, Any], order: Mapping[str, int]
) -> tuple[tuple[str, Any], ...]:
    """The answers named in `why`, as the record gave them, in questionnaire order:
    on the other headache's view its `other_` answers, for a total what it adds."""
    sources = view.sources
    if sources and not sources.keys().isdisjoint(why):
        named: set[str] = set()
        for qid in why:
            found = sources.get(qid)
            if found is None:
                named.add(qid)
            else:
                named.update(found)
        why = named
    shown = [qid for qid in why if qid in answers and qid in order]
    shown.sort(key=order.__getitem__)
    return tuple((qid, answers[qid]) for qid in shown)
