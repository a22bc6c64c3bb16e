"""The rules and questionnaire of one content, compiled once for the engine.

`Program(content)`, built once per content (`Content.compiled`), holds what
the engine runs for every record:

- each condition as a closure `test(answers, memo)` (`Condition.compile`), in
  which every named fact and pattern has a slot of `memo`, a list made afresh
  for each set of answers, so that each is worked out at most once;
- `why(answers, memo, holds)`: the IDs of the answers that decided a
  condition, as `Condition.explain` says, reading the memoised tests and
  following only the items that decided it (each named one once);
- each pattern's plain-words criteria (`triage.explain.compile_criteria`);
- a plan for validating a record: per question, its compiled ask-if and the
  answers `parse_answer` gives for the usual spellings of its codes.

As with `Condition.test`, no code is generated or evaluated: every closure is
a fixed function of this package with a node's values bound in.  Nothing
here is keyed on answers: a program depends on the content alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any

from .answers import parse_answer
from .conditions import NO_ANSWER, Answers, Compare, Condition, Count, Fast, Not, Ref
from .explain import Said, compile_criteria
from .model import Content, Item, Pattern, Question, RedFlag, Screen

RECORD_ID = "id"  # the key of a record's ID: not an answer
Memo = list[Any]
NO_MEMO: Memo = []  # for conditions that read no named condition (ask-ifs)
Why = Callable[[Answers, Memo, bool], set[str]]
Collect = Callable[[Answers, Memo, set[str], bool], None]
Key = tuple[str, str]


def _unknown(key: Key) -> Callable[..., Any]:
    def named(*args: Any) -> Any:
        raise KeyError(key)  # as `Evaluation` does for a name not in its table

    return named


class Linker:
    """Compiles conditions against one table of named conditions.

    A memo for one set of answers is `[None] * linker.size`: a test's value
    at the name's slot, its `why` `len(table)` further on.
    """

    def __init__(self, table: Mapping[Key, Condition]) -> None:
        self.table = table
        self.slots = {key: n for n, key in enumerate(table)}
        self.size = 2 * len(self.slots)
        self._tests: dict[Key, Fast] = {}
        self._whys: dict[Key, Collect] = {}

    def test(self, condition: Condition) -> Fast:
        return condition.compile(self.named)

    def named(self, ref: Ref) -> Fast:
        """The memoised test of a named fact or pattern."""
        key = (ref.kind, ref.name)
        found = self._tests.get(key)
        if found is not None:
            return found
        if key not in self.slots:
            return _unknown(key)
        slot, target = self.slots[key], self.test(self.table[key])

        def named(a: Answers, m: Memo) -> bool:
            value = m[slot]
            if value is None:
                value = m[slot] = target(a, m)
            return value  # type: ignore[no-any-return]

        self._tests[key] = named
        return named

    def why(self, condition: Condition) -> Why:
        """The closure giving the IDs of the answers that decided `condition`,
        given whether it holds: `why(answers, memo, holds)`."""
        collect = self._collect(condition)

        def why(a: Answers, m: Memo, value: bool) -> set[str]:
            out: set[str] = set()
            collect(a, m, out, value)
            return out

        return why

    def _collect(self, condition: Condition) -> Collect:
        """A closure adding the IDs of the answers that decided `condition` to a
        set, given whether it holds (as `Condition.explain` says)."""
        if isinstance(condition, Compare):
            question = condition.question

            def compare(a: Answers, m: Memo, out: set[str], value: bool) -> None:
                if question in a:
                    out.add(question)

            return compare
        if isinstance(condition, Ref):
            return self._named_collect((condition.kind, condition.name))
        if isinstance(condition, Not):
            child = self._collect(condition.child)
            return lambda a, m, out, value: child(a, m, out, not value)
        if isinstance(condition, Count):
            return self._count_collect(condition)
        raise TypeError(f"cannot compile {condition!r}")

    def _named_collect(self, key: Key) -> Collect:
        found = self._whys.get(key)
        if found is not None:
            return found
        if key not in self.slots:
            return _unknown(key)
        slot, target = len(self.slots) + self.slots[key], self._collect(self.table[key])

        def named(a: Answers, m: Memo, out: set[str], value: bool) -> None:
            why = m[slot]
            if why is None:
                why = m[slot] = set()
                target(a, m, why, value)
            out |= why

        self._whys[key] = named
        return named

    def _count_collect(self, count: Count) -> Collect:
        """Which items decided a count depends on whether it holds (`Count.relevant`).

        When every item decided it, its comparisons need not be tested: each
        answer they read that is given counts.  Comparisons are taken before
        the other items; the order does not matter, the IDs go into a set.
        """
        leaves = tuple((i.fast, i.question) for i in count.items if isinstance(i, Compare))
        questions = tuple(question for _, question in leaves)
        others = tuple(
            (self.test(item), self._collect(item))
            for item in count.items
            if not isinstance(item, Compare)
        )
        when_held, when_not = count.relevant(True), count.relevant(False)

        def collect(a: Answers, m: Memo, out: set[str], value: bool) -> None:
            which = when_held if value else when_not
            if which is None:
                for question in questions:
                    if question in a:
                        out.add(question)
                for test, each in others:
                    each(a, m, out, test(a, m))
                return
            for test, question in leaves:
                if test(a, m) is which and question in a:
                    out.add(question)
            for test, each in others:
                if test(a, m) is which:
                    each(a, m, out, which)

        return collect


class Entry:
    """How one question's answer is validated (see `engine.validate`): what
    `parse_answer` gives, with the usual forms of an answer read at once.

    `spelled` maps the usual spellings of its codes (`yes`, `Yes`, `YES`,
    `true`, ...) and `truth` the values true and false to what `parse_answer`
    gives for them, worked out here once; `whole` is (min, max) of an integer
    question; `codes` maps each code of a multi question to itself.
    """

    __slots__ = ("question", "reads", "spelled", "truth", "whole", "codes")

    def __init__(self, q: Question) -> None:
        self.question = q
        self.reads = q.ask_if.reads if q.ask_if is not None else NO_ANSWER
        self.spelled: dict[str, Any] = dict(q.exact)
        self.truth: dict[bool, Any] = {}
        self.whole: tuple[float, float] | None = None
        self.codes: dict[str, str] | None = None
        words = q.codes + (("true", "false") if q.type in ("yes_no", "yes_no_unsure") else ())
        if q.type != "multi":
            for spelling in {f(word) for word in words for f in _SPELLINGS}:
                _keep(self.spelled, q, spelling)
            for value in (True, False):
                _keep(self.truth, q, value)
        else:
            try:
                self.codes = {code: parse_answer(q, [code])[0] for code in q.codes}
            except ValueError:  # one code alone is not a valid answer (min_items)
                self.codes = None
        if q.type == "integer" and q.min is not None and q.max is not None:
            self.whole = (q.min, q.max)

    def parse(self, given: Any) -> Any:
        """`parse_answer(question, given)`, quicker for whole numbers in range,
        true and false, and a list of codes."""
        kind = given.__class__
        if kind is int and self.whole is not None:
            if self.whole[0] <= given <= self.whole[1]:
                return given
        elif kind is bool and given in self.truth:
            return self.truth[given]
        elif (kind is list or kind is tuple) and self.codes is not None:
            chosen = set()
            for item in given:
                code = self.codes.get(item) if item.__class__ is str else None
                if code is None:
                    break
                chosen.add(code)
            else:
                if len(chosen) >= self.question.min_items:  # as `parse_answer` orders them
                    return tuple(code for code in self.question.codes if code in chosen)
        return parse_answer(self.question, given)


_SPELLINGS = (str.lower, str.upper, str.capitalize)


def _keep(known: dict[Any, Any], q: Question, given: Any) -> None:
    with suppress(ValueError):
        known[given] = parse_answer(q, given)


class Program:
    """Everything the engine runs for each record, compiled for one content."""

    def __init__(self, content: Content) -> None:
        questions, rules = content.questions, content.rules
        link = Linker(rules.table)
        self.memo_size = link.size
        self.order = {q.id: n for n, q in enumerate(questions)}
        self.known = frozenset((*questions.questions, RECORD_ID))
        # ask-ifs read only earlier answers, never a named condition
        asks = Linker({})
        self.plan: tuple[tuple[str, Fast | None, dict[str, Any], Entry], ...] = tuple(
            (q.id, asks.test(q.ask_if) if q.ask_if is not None else None, entry.spelled, entry)
            for q in questions
            for entry in [Entry(q)]
        )
        self.ignore_unsure = tuple(q for q in questions if q.unsure == "ignore")
        self.flags: tuple[tuple[RedFlag, Fast, Why], ...] = tuple(
            (flag, link.test(flag.when), link.why(flag.when)) for flag in rules.red_flags
        )
        # fired flags are listed most urgent first, then in the order written
        self.position = {flag.id: n for n, flag in enumerate(rules.red_flags)}
        named = {p.id: p for p in rules.patterns}
        self.patterns: tuple[tuple[Pattern, Fast, Why, Said], ...] = tuple(
            (
                p,
                link.named(Ref("pattern", p.id)),
                link.why(p.when),
                compile_criteria(p.when, rules.facts, named, questions.questions, link.test),
            )
            for p in rules.patterns
            if p.when is not None
        )
        self.catch_all = tuple(p for p in rules.patterns if p.when is None)
        needling = rules.dry_needling
        self.tender = link.test(needling.pericranial_tenderness)
        self.contraindications = _items(link, needling.contraindications)
        self.precautions = _items(link, needling.precautions)
        self.targets = _items(link, needling.targets)
        self.screens: tuple[tuple[Screen, tuple[Fast, ...]], ...] = tuple(
            (s, tuple(link.test(item) for item in s.items)) for s in rules.screens
        )


def _items(link: Linker, items: tuple[Item, ...]) -> tuple[tuple[Item, Fast], ...]:
    return tuple((item, link.test(item.when)) for item in items)
