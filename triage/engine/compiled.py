"""Conditions compiled into generated Python functions: the compiled engine's tests.

`Compiler(source, linker)` writes, for a condition, a function `test(a, m)`
that does what `Linker.test` of `triage.engine.closures` does: the same
value, the same memo slots, the same order of evaluation (the closures are
the reference it is tested against); `holding` and `scoring` test a group of
conditions in one call.  `expr` is the template of each node, for the other
writers (`masks`, `criteria`, `plan`).

The source follows the rules of `triage.engine.source`: fixed templates,
generated names for every question ID, code and number, no builtins.  A node
nested deeper than `MAX_DEPTH`, or a list of more than `MAX_ITEMS` items, gets
a function of its own, so that the source stays linear in the content's size
and within what Python compiles.  Functions are written from a work list, not
by recursion through named conditions (a chain of a hundred facts is fine).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from triage.engine.closures import Linker, _unknown
from triage.engine.source import Source
from triage.logic.operators import OPERATORS, Operator
from triage.logic.tree import Compare, Condition, Count, Not, Ref

MAX_DEPTH = 8
MAX_ITEMS = 24
_SIMPLE = {"eq": "==", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
Key = tuple[str, str]


class Compiler:
    """Writes generated functions for the conditions of one `Linker`'s table."""

    def __init__(self, source: Source, link: Linker) -> None:
        self.src, self.link = source, link
        self._keys: dict[str, str] = {}  # answer ID: the generated name bound to it
        self._tests: dict[Key, str] = {}  # a named condition's test function
        self._helpers: dict[int, str] = {}  # id(node): the test function of a deep node
        self._kept: list[Condition] = []  # the nodes keyed by id, kept alive
        self._work: list[Callable[[], None]] = []
        # while a sweep is written (`triage.engine.sweep`): the locals holding the
        # answers it read at its start, and the named conditions it worked out
        self.answers: dict[str, str] = {}
        self.named: dict[Key, str] = {}

    # --- what callers ask for -----------------------------------------------------

    def test(self, condition: Condition) -> str:
        """The name of a function `test(a, m)` deciding whether `condition` holds."""
        name = self.src.name("f")
        self.write(name, "a, m", [f"return {self.expr(condition, 0)}"])
        return name

    def holding(self, conditions: list[Condition]) -> str:
        """The name of a function `held(a, m)`: the positions of the conditions that
        hold, in order (every one is tested)."""
        name, lines = self.src.name("l"), ["out = []"]
        for n, condition in enumerate(conditions):
            lines += [f"if {self.expr(condition, 0)}:", f"    out.append({n})"]
        self.write(name, "a, m", [*lines, "return out"])
        return name

    def scoring(self, groups: list[list[Condition]]) -> str:
        """The name of a function `scores(a, m)`: how many conditions of each group hold."""
        name, lines = self.src.name("k"), ["out = []"]
        for group in groups:
            lines.append("w = 0")
            for condition in group:
                lines += [f"if {self.expr(condition, 0)}:", "    w = w + 1"]
            lines.append("out.append(w)")
        self.write(name, "a, m", [*lines, "return out"])
        return name

    def finish(self) -> None:
        """Write every function still owed (named conditions, deep nodes)."""
        while self._work:
            self._work.pop()()

    def later(self, job: Callable[[], None]) -> None:
        """Write a function once the one being written is done (`finish`)."""
        self._work.append(job)

    def key(self, qid: str) -> str:
        """The generated name bound to an answer ID."""
        name = self._keys.get(qid)
        if name is None:
            name = self._keys[qid] = self.src.bind(qid)
        return name

    # --- tests ----------------------------------------------------------------------

    def expr(self, node: Condition, depth: int) -> str:
        """An expression deciding whether `node` holds, over `a` (answers) and `m` (memo)."""
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, Ref):
            return self._ref(node)
        if depth >= MAX_DEPTH or (isinstance(node, Count) and len(node.items) > MAX_ITEMS):
            return f"{self._helper(node)}(a, m)"
        if isinstance(node, Not):
            return f"(not {self.expr(node.child, depth + 1)})"
        if isinstance(node, Count):
            items = [self.expr(item, depth + 1) for item in node.items]
            if node.word == "all":
                return "(" + " and ".join(items) + ")" if items else "True"
            if node.word == "any":
                return "(" + " or ".join(items) + ")" if items else "False"
            low, high = self.src.bind(node.low), self.src.bind(node.high)
            counted = " + ".join(f"(1 if {item} else 0)" for item in items) or "0"
            return f"({low} <= {counted} <= {high})"
        raise TypeError(f"cannot compile {node!r}")

    def compare(self, node: Compare) -> str:
        """As `closures.compare_test`: the same operators get the same short forms.
        In a `sweep`, an answer read once at its start is read from its local."""
        key, op, value = self.key(node.question), node.op, node.value
        default = self.link.defaults.get(node.question)
        if default is not None:
            return (
                f"((_v := a.get({key}, a.get({self.key(default)}))) is not None"
                f" and {self._op(op, value, '_v')})"
            )
        given = self.answers.get(node.question)
        if given is None:
            given, is_given = f"a.get({key})", f"(_v := a.get({key})) is not None"
        else:
            is_given = f"{given} is not None"
        if op.name == "eq":
            return f"({given} == {self.src.bind(value)})"
        if op.name == "in" and isinstance(value, (list, tuple)):
            return f"({given} in {self.src.bind(frozenset(value))})"
        read = "_v" if given.startswith("a.") else given
        return f"({is_given} and {self._op(op, value, read)})"

    def _op(self, op: Operator, value: Any, v: str) -> str:
        """`op.test(v, value)` as an expression: written out for the table's own
        operators whose test is a plain comparison, else called."""
        own = OPERATORS.get(op.name) is op
        if own and op.name in _SIMPLE:
            return f"{v} {_SIMPLE[op.name]} {self.src.bind(value)}"
        if own and op.name == "between" and isinstance(value, tuple) and len(value) == 2:
            return f"{self.src.bind(value[0])} <= {v} <= {self.src.bind(value[1])}"
        if own and op.name == "includes":
            return f"{self.src.bind(value)} in {v}"
        return f"{self.src.bind(op.test)}({v}, {self.src.bind(value)})"

    def _ref(self, ref: Ref) -> str:
        key = (ref.kind, ref.name)
        slot = self.link.slots.get(key)
        if slot is None:  # the content reader lets no unknown name through
            return f"{self.src.bind(_unknown(key))}(a, m)"
        if key in self.named:  # in a sweep, worked out already
            return self.named[key]
        name = self._tests.get(key)
        if name is None:  # worked out by the closures the first time, as they would
            name = self._tests[key] = self.src.bind(self.link.named(ref))
        return f"(_t if (_t := m[{slot}]) is not None else {name}(a, m))"

    def _helper(self, node: Condition) -> str:
        """A function of its own for a deep node or a long list."""
        name = self._helpers.get(id(node))
        if name is None:
            name = self._helpers[id(node)] = self.src.name("h")
            self._kept.append(node)
            self._work.append(lambda: self.write(name, "a, m", self._statements(node)))
        return name

    def _statements(self, node: Condition) -> list[str]:
        """A function body deciding whether `node` holds; a list as statements, not
        one expression, so that a list of any length compiles."""
        if not isinstance(node, Count):
            return [f"return {self.expr(node, 0)}"]
        lines: list[str] = []
        items = [self.expr(each, 1) for each in node.items]
        if node.word in ("all", "any"):  # `every` and `some` of the closures
            stop = "False" if node.word == "all" else "True"
            for each in items:
                lines += [f"if {'not ' if node.word == 'all' else ''}{each}:", f"    return {stop}"]
            return [*lines, f"return {'True' if node.word == 'all' else 'False'}"]
        lines.append("w = 0")
        for each in items:
            lines += [f"if {each}:", "    w = w + 1"]
        low, high = self.src.bind(node.low), self.src.bind(node.high)
        return [*lines, f"return {low} <= w <= {high}"]

    def write(self, name: str, params: str, body: list[str]) -> None:
        self.src.add(0, f"def {name}({params}):")
        for line in body:
            self.src.add(1, line)


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]
