"""The condition language: a small, closed set of operators and its evaluator.

Conditions are built once by the loader from YAML and never run code.  Each
node answers two questions about a set of answers: does it hold
(`holds`), and which answers decided that (`explain`), so that every result
can say why a rule fired.

An answer that is absent (not asked, or not yet given) makes a comparison
false and its `not` true.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from .operators import OPERATORS as OPERATORS  # re-exported: the table lives there
from .operators import Operator as Operator

Answers = Mapping[str, Any]


class Scope(Protocol):
    """What a condition is evaluated against: answers and named conditions."""

    answers: Answers

    def named(self, kind: str, name: str) -> bool: ...

    def explain_named(self, kind: str, name: str) -> tuple[bool, frozenset[str]]: ...


NO_ANSWER: frozenset[str] = frozenset()

Test = Callable[[Scope], bool]
# A compiled test: a closure over the answers and `m`, whatever the named
# conditions are read through (a `Scope`, or the memo of `triage.compiled`).
Fast = Callable[[Answers, Any], bool]
Link = Callable[["Ref"], Fast]  # how a compiled test reads a named condition


def _through_scope(ref: Ref) -> Fast:
    kind, name = ref.kind, ref.name
    return lambda a, scope: scope.named(kind, name)


class Condition:
    """A node of the condition language.

    `holds` runs `test`, a closure built once from the node (no code is
    generated or evaluated: each closure is a fixed function of this module
    with the node's values bound in), which is much quicker than walking the
    tree for every record.  `compile` builds the same closures with named
    conditions read another way (`triage.compiled` gives each a memo slot).
    """

    def holds(self, scope: Scope) -> bool:
        return self.test(scope)

    @cached_property
    def test(self) -> Test:
        return self.build()

    def build(self) -> Test:
        """The closure that decides whether this node holds, reading named
        conditions through the scope."""
        test = self.compile(_through_scope)
        return lambda scope: test(scope.answers, scope)

    def compile(self, link: Link) -> Fast:
        """The closure `test(answers, m)`; `link` makes the one for a named condition."""
        raise NotImplementedError

    @cached_property
    def reads(self) -> frozenset[str]:
        """The question IDs this condition compares directly (not through facts)."""
        return frozenset(c.question for c in self.walk() if isinstance(c, Compare))

    def explain(self, scope: Scope) -> tuple[bool, frozenset[str]]:
        """Whether it holds, and the IDs of the answers that decided it."""
        raise NotImplementedError

    def describe(self) -> str:
        """The condition in plain words."""
        raise NotImplementedError

    def children(self) -> tuple[Condition, ...]:
        return ()

    def walk(self) -> Iterator[Condition]:
        """This node and every node below it."""
        yield self
        for child in self.children():
            yield from child.walk()


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Compare(Condition):
    """`{question: {op: value}}`: compares one answer with a value."""

    question: str
    op: Operator
    value: Any

    def compile(self, link: Link) -> Fast:
        return self.fast

    @cached_property
    def fast(self) -> Fast:
        """The test of the comparison; the common operators get a closure of their own."""
        question, value, op = self.question, self.value, self.op
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

    def explain(self, scope: Scope) -> tuple[bool, frozenset[str]]:
        if self.question in scope.answers:
            return self.test(scope), self.reads
        return False, NO_ANSWER

    def describe(self) -> str:
        if self.op.operand == "range":
            return f"{self.question} is from {self.value[0]} to {self.value[1]}"
        if self.op.name == "in":
            return f"{self.question} is {' or '.join(self.value)}"
        if self.op.name == "includes_any":
            return f"{self.question} includes {' or '.join(self.value)}"
        if self.op.name == "count_ge":
            return f"{self.question} has at least {self.value} answers"
        return f"{self.question} {self.op.words} {_show(self.value)}"


@dataclass(frozen=True)
class Ref(Condition):
    """A named fact (`kind` "fact") or a reported pattern (`kind` "pattern")."""

    kind: str
    name: str

    def compile(self, link: Link) -> Fast:
        return link(self)

    def explain(self, scope: Scope) -> tuple[bool, frozenset[str]]:
        return scope.explain_named(self.kind, self.name)

    def describe(self) -> str:
        return self.name if self.kind == "fact" else f"the {self.name} pattern is reported"


@dataclass(frozen=True)
class Not(Condition):
    """`{not: C}`."""

    child: Condition

    def compile(self, link: Link) -> Fast:
        child = self.child.compile(link)
        return lambda a, m: not child(a, m)

    def explain(self, scope: Scope) -> tuple[bool, frozenset[str]]:
        value, why = self.child.explain(scope)
        return not value, why

    def describe(self) -> str:
        return f"not ({self.child.describe()})"

    def children(self) -> tuple[Condition, ...]:
        return (self.child,)


@dataclass(frozen=True)
class Count(Condition):
    """`all`, `any`, `at_least`, `at_most` and `exactly` over a list of conditions.

    `all` is "at least len(items)" and `any` is "at least 1"; `word` keeps the
    form that was written so that `describe` reads as the file does.
    """

    word: str
    low: int
    high: int
    items: tuple[Condition, ...]

    def compile(self, link: Link) -> Fast:
        tests = tuple(item.compile(link) for item in self.items)
        low, high = self.low, self.high

        # plain loops: quicker than all() or any() over a generator
        def every(a: Answers, m: Any) -> bool:
            for test in tests:  # noqa: SIM110
                if not test(a, m):
                    return False
            return True

        def some(a: Answers, m: Any) -> bool:
            for test in tests:  # noqa: SIM110
                if test(a, m):
                    return True
            return False

        def counted(a: Answers, m: Any) -> bool:
            count = 0
            for test in tests:
                if test(a, m):
                    count += 1
            return low <= count <= high

        return every if self.word == "all" else some if self.word == "any" else counted

    def relevant(self, value: bool) -> bool | None:
        """Which items decided it, given whether it holds: those that hold
        (True), those that do not (False), or every item (None)."""
        word = self.word
        if word == "any" and not value or word == "all" and value:
            return None  # every item decided it
        if value and word in ("any", "at_least"):
            return True
        if not value and word in ("all", "at_least"):
            return False
        return None

    def explain(self, scope: Scope) -> tuple[bool, frozenset[str]]:
        results = [item.explain(scope) for item in self.items]
        count = 0
        for value, _ in results:
            if value:
                count += 1
        value = self.low <= count <= self.high
        which = self.relevant(value)
        relevant = results if which is None else [r for r in results if bool(r[0]) is which]
        return value, NO_ANSWER.union(*[why for _, why in relevant])

    def describe(self) -> str:
        parts = [item.describe() for item in self.items]
        if self.word == "all":
            return "(" + " and ".join(parts) + ")"
        if self.word == "any":
            return "(" + " or ".join(parts) + ")"
        n = {"at_least": self.low, "at_most": self.high, "exactly": self.low}[self.word]
        return f"{self.word.replace('_', ' ')} {n} of ({'; '.join(parts)})"

    def children(self) -> tuple[Condition, ...]:
        return self.items


def all_of(items: tuple[Condition, ...]) -> Count:
    return Count("all", len(items), len(items), items)


def any_of(items: tuple[Condition, ...]) -> Count:
    return Count("any", 1, len(items), items)


def count_of(word: str, n: int, items: tuple[Condition, ...]) -> Count:
    low, high = {"at_least": (n, len(items)), "at_most": (0, n), "exactly": (n, n)}[word]
    return Count(word, low, high, items)


def questions_read(condition: Condition) -> frozenset[str]:
    """The question IDs a condition compares directly (not through facts)."""
    return condition.reads


def refs(condition: Condition) -> frozenset[tuple[str, str]]:
    """The facts and patterns a condition refers to, as (kind, name)."""
    return frozenset((c.kind, c.name) for c in condition.walk() if isinstance(c, Ref))


@dataclass
class Evaluation:
    """Answers plus the named facts and patterns, each worked out once.

    `table` maps (kind, name) to the condition that defines it; the loader has
    checked that every reference resolves and that there are no cycles.
    """

    answers: Answers
    table: Mapping[tuple[str, str], Condition]

    def __post_init__(self) -> None:
        self._memo: dict[tuple[str, str], bool] = {}
        self._why: dict[tuple[str, str], tuple[bool, frozenset[str]]] = {}

    def named(self, kind: str, name: str) -> bool:
        key = (kind, name)
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = self.table[key].holds(self)
        return value

    def explain_named(self, kind: str, name: str) -> tuple[bool, frozenset[str]]:
        key = (kind, name)
        why = self._why.get(key)
        if why is None:
            why = self._why[key] = self.table[key].explain(self)
        return why
