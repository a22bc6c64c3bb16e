"""Conditions compiled into closures: whether one holds, and which answers decided it.

`Linker(table)` turns each node of the condition language into a closure
`test(answers, memo)`; every named fact and pattern of `table` gets a slot of
`memo`, a list made afresh for each set of answers, so that each is worked out
at most once.  `why(answers, memo, holds)` gives the IDs of the answers that
decided a condition, following only the items that decided it (each named
one once).

No code is generated or evaluated: every closure is a fixed function of this
module with a node's values bound in.  Nothing here is keyed on answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.logic.tree import Compare, Condition, Count, Not, Ref

Answers = Mapping[str, Any]
Memo = list[Any]
NO_MEMO: Memo = []  # for conditions that read no named condition (ask-ifs)
Test = Callable[[Answers, Memo], bool]
Why = Callable[[Answers, Memo, bool], set[str]]
Collect = Callable[[Answers, Memo, set[str], bool], None]
Key = tuple[str, str]


def _unknown(key: Key) -> Callable[..., Any]:
    def named(*args: Any) -> Any:
        raise KeyError(key)  # the content reader lets no unknown name through

    return named


def compare_test(node: Compare, default: str | None = None) -> Test:
    """The test of a comparison; the common operators get a closure of their own.

    With `default`, an absent answer is read as that answer instead (a total
    that a one-headache record does not hold is its question's answer)."""
    question, value, op = node.question, node.value, node.op
    if default is not None:
        test = op.test
        return lambda a, m: (v := a.get(question, a.get(default))) is not None and test(v, value)
    if op.name == "eq":
        return lambda a, m: a.get(question) == value
    if op.name == "in" and isinstance(value, (list, tuple)):
        codes = frozenset(value)
        return lambda a, m: a.get(question) in codes
    if op.name == "ge":
        return lambda a, m: (v := a.get(question)) is not None and v >= value
    if op.name == "lt":
        return lambda a, m: (v := a.get(question)) is not None and v < value
    test = op.test
    return lambda a, m: (v := a.get(question)) is not None and test(v, value)


def _count_test(tests: tuple[Test, ...], word: str, low: int, high: int) -> Test:
    # plain loops: quicker than all() or any() over a generator
    def every(a: Answers, m: Memo) -> bool:
        for test in tests:  # noqa: SIM110
            if not test(a, m):
                return False
        return True

    def some(a: Answers, m: Memo) -> bool:
        for test in tests:  # noqa: SIM110
            if test(a, m):
                return True
        return False

    def counted(a: Answers, m: Memo) -> bool:
        count = 0
        for test in tests:
            if test(a, m):
                count += 1
        return low <= count <= high

    return every if word == "all" else some if word == "any" else counted


class Linker:
    """Compiles conditions against one table of named conditions.

    A memo for one set of answers is `[None] * linker.size`: a test's value
    at the name's slot, its `why` `len(table)` further on.
    """

    def __init__(
        self, table: Mapping[Key, Condition], defaults: Mapping[str, str] | None = None
    ) -> None:
        self.table = table
        self.defaults = defaults or {}  # answer ID: the one read when it is absent
        self.slots = {key: n for n, key in enumerate(table)}
        self.size = 2 * len(self.slots)
        self._tests: dict[Key, Test] = {}
        self._whys: dict[Key, Collect] = {}
        self._compares: dict[Compare, Test] = {}

    def test(self, condition: Condition) -> Test:
        """The closure `test(answers, memo)` deciding whether `condition` holds."""
        if isinstance(condition, Compare):
            found = self._compares.get(condition)
            if found is None:
                default = self.defaults.get(condition.question)
                found = self._compares[condition] = compare_test(condition, default)
            return found
        if isinstance(condition, Ref):
            return self.named(condition)
        if isinstance(condition, Not):
            child = self.test(condition.child)
            return lambda a, m: not child(a, m)
        if isinstance(condition, Count):
            tests = tuple(self.test(item) for item in condition.items)
            return _count_test(tests, condition.word, condition.low, condition.high)
        raise TypeError(f"cannot compile {condition!r}")

    def named(self, ref: Ref) -> Test:
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
        set, given whether it holds.

        A comparison is decided by its answer, when one is given; `not` by
        what decided its child; a count by the items that decided it
        (`Count.relevant`); a named condition by what decided its definition.
        """
        if isinstance(condition, Compare):
            question = condition.question
            default = self.defaults.get(question, question)

            def compare(a: Answers, m: Memo, out: set[str], value: bool) -> None:
                if question in a or default in a:
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
        leaves = tuple((self.test(i), i.question) for i in count.items if isinstance(i, Compare))
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
