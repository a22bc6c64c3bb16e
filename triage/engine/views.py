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

`because` names a finding's answers from a set of IDs (the closures');
`Because` does the same from a bit mask (the compiled engine's), the IDs in
questionnaire order worked out once per mask, in a cache of bounded size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
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
        self.nones = (None,) * len(self.twins)
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
        other = first.copy()  # the shared answers in their order, then each twin's
        deque(map(other.pop, self.twins, self.nones), maxlen=0)
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


# the IDs a finding names, in questionnaire order, and what reads their answers
Shown = tuple[tuple[str, ...], Callable[[Mapping[str, Any]], Any]]


class Because:
    """`because` for a mask of answer IDs (bit `n` for `universe[n]`, the
    questionnaire's IDs first, in order).

    What depends on the mask alone (its IDs, those in order) is worked out once
    per mask; where the view renames some of them, once per mask and renaming;
    the record's own values are read each time.  Both caches are bounded."""

    def __init__(self, universe: Sequence[str], order: Mapping[str, int], size: int = 1024):
        self.universe, self.order = tuple(universe), order
        self._names = lru_cache(maxsize=size)(self._names_of)
        self._renamed = lru_cache(maxsize=size)(self._renamed_of)

    def __call__(
        self, view: View, mask: set[str] | int, answers: Mapping[str, Any]
    ) -> tuple[tuple[str, Any], ...]:
        assert isinstance(mask, int)
        names, shown = self._names(mask)
        sources = view.sources
        if sources and not sources.keys().isdisjoint(names):
            shown = self._renamed(names, tuple(map(sources.get, names)))
        qids, read = shown
        try:  # every one is given, as a rule: read at once
            return tuple(zip(qids, read(answers), strict=True))
        except KeyError:
            return tuple([(qid, answers[qid]) for qid in qids if qid in answers])

    def _names_of(self, mask: int) -> tuple[tuple[str, ...], Shown]:
        """The mask's IDs, and those in the questionnaire, in its order."""
        found, universe = [], self.universe
        while mask:
            low = mask & -mask
            found.append(universe[low.bit_length() - 1])
            mask ^= low
        names = tuple(found)
        return names, self._in_order(names)

    def _renamed_of(
        self, names: tuple[str, ...], found: tuple[tuple[str, ...] | None, ...]
    ) -> Shown:
        """As `because`: each ID where the view's answer came from (`found`), in order."""
        named: set[str] = set()
        for qid, sources in zip(names, found, strict=True):
            if sources is None:
                named.add(qid)
            else:
                named.update(sources)
        return self._in_order(named)

    def _in_order(self, qids: Any) -> Shown:
        """The IDs in the questionnaire, in its order, and what reads their answers."""
        order = self.order
        shown = tuple(sorted((qid for qid in qids if qid in order), key=order.__getitem__))
        if len(shown) > 1:
            return shown, itemgetter(*shown)
        return shown, lambda answers: tuple(answers[qid] for qid in shown)
