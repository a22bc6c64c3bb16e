"""The condition language as a tree: a small, closed set of nodes.

Conditions are built once by the content reader from YAML and never run code.
A node is data: what it compares, how its items count, and its meaning in
plain words (`describe`).  Deciding whether a condition holds for a set of
answers is the engine's work (`triage.engine.closures` turns each node into a
closure, once per content).

An answer that is absent (not asked, or not yet given) makes a comparison
false and its `not` true.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from triage.logic.operators import Operator


class Condition:
    """A node of the condition language."""

    @cached_property
    def reads(self) -> frozenset[str]:
        """The question IDs this condition compares directly (not through facts)."""
        return frozenset(c.question for c in self.walk() if isinstance(c, Compare))

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

    def describe(self) -> str:
        return self.name if self.kind == "fact" else f"the {self.name} pattern is reported"


@dataclass(frozen=True)
class Not(Condition):
    """`{not: C}`."""

    child: Condition

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


def refs(condition: Condition) -> frozenset[tuple[str, str]]:
    """The facts and patterns a condition refers to, as (kind, name)."""
    return frozenset((c.kind, c.name) for c in condition.walk() if isinstance(c, Ref))


def depths(table: Mapping[tuple[str, str], Condition]) -> dict[tuple[str, str], int]:
    """How many levels of conditions each named condition of `table` nests, counting
    those of the facts and patterns it names (a name is one level, then its own).

    Worked out without recursion through the names, so that a long chain of facts
    is measured, not followed: engines and readers recurse, and a chain too deep
    for them is refused by its depth.  Cycles must have been refused already
    (a name met again on its own path counts one level).
    """
    done: dict[tuple[str, str], int] = {}
    started: set[tuple[str, str]] = set()
    for start in table:
        stack = [(start, False)]
        while stack:
            key, ready = stack.pop()
            if ready:
                done[key] = _depth(table[key], done)
                continue
            if key in started:
                continue
            started.add(key)
            stack.append((key, True))
            stack.extend((dep, False) for dep in refs(table[key]) if dep in table)
    return done


def _depth(condition: Condition, done: Mapping[tuple[str, str], int]) -> int:
    if isinstance(condition, Ref):
        return 1 + done.get((condition.kind, condition.name), 0)
    return 1 + max((_depth(child, done) for child in condition.children()), default=0)
