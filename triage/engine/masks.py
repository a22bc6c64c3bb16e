"""Which answers decided a condition, as generated code giving a bit mask.

`MaskWriter(compiler, universe)` writes, for a condition, a function
`why(a, m, value)` that does what `Linker.why` of `triage.engine.closures`
does (the reference it is tested against), with the IDs of the answers as a
bit mask: bit `n` for `universe[n]`, the questionnaire's IDs first, in order
(`views.Because` names them).  The rules are the closures':

- a comparison is decided by its answer, when one is given;
- `not` by what decided its child;
- a count by the items that decided it (`Count.relevant`), given whether it
  holds: when every item decided it, each comparison's answer that is given;
- a named condition by what decided its definition, worked out once for a
  set of answers: its mask is kept in the memo, where the closures keep a set.

The function is statements OR-ing into `w`: counts are written inline a few
levels deep (their value known, or read once), then by a function of their
own; a named condition that is only a comparison is written in place.  The
source follows the rules of `triage.engine.source`.
"""

from __future__ import annotations

from triage.engine.closures import _unknown
from triage.engine.compiled import MAX_DEPTH, Compiler, indent
from triage.logic.tree import Compare, Condition, Count, Not, Ref

INLINE = 3  # levels of counts written in place
TESTED = MAX_DEPTH - 2  # an item's test is written this deep before its own function is called
Key = tuple[str, str]


class MaskWriter:
    """Writes the `why` functions of one `Compiler`'s table."""

    def __init__(self, code: Compiler, universe: list[str]) -> None:
        self.code, self.src, self.link = code, code.src, code.link
        self.universe = list(universe)  # the answer ID of each bit
        self._bits: dict[str, str] = {}  # answer ID: the generated name of its bit
        self._whys: dict[Key, str] = {}  # a named condition's why function
        self._counts: dict[int, str] = {}  # id(node): a count's why function
        self._kept: list[Condition] = []  # the nodes keyed by id, kept alive

    def why(self, condition: Condition) -> str:
        """The name of a function `why(a, m, value)`: the mask of the answers that
        decided `condition`, given whether it holds."""
        name = self.src.name("y")
        self.code.write(
            name, "a, m, value", ["w = 0", *self.lines(condition, "value", 0), "return w"]
        )
        return name

    def bit(self, qid: str) -> str:
        """The generated name bound to an answer ID's bit."""
        name = self._bits.get(qid)
        if name is None:
            if qid not in self.universe:
                self.universe.append(qid)
            name = self._bits[qid] = self.src.bind(1 << self.universe.index(qid))
        return name

    def lines(self, node: Condition, value: str, depth: int) -> list[str]:
        """Statements adding to `w` what decided `node`, whose value is `value`:
        True, False, or an expression read at most once."""
        if isinstance(node, Compare):
            question = node.question
            default = self.link.defaults.get(question, question)
            present = f"{self.code.key(question)} in a"
            if default != question:
                present = f"{present} or {self.code.key(default)} in a"
            return [f"if {present}:", f"    w = w | {self.bit(question)}"]
        if isinstance(node, Ref):
            return self._named(node, value)
        if isinstance(node, Not):
            return self.lines(node.child, negate(value), depth)
        if isinstance(node, Count):
            held, failed = node.relevant(True), node.relevant(False)
            if value in ("True", "False") or held == failed:
                which = held if value != "False" else failed
                if depth >= INLINE:
                    return [f"w = w | {self._count(node)}(a, m, {value})"]
                return self._decided(node, which, depth)
            if depth > 0:
                return [f"w = w | {self._count(node)}(a, m, {value})"]
            return [
                f"if {value}:",
                *indent(self._decided(node, held, depth + 1)),
                "else:",
                *indent(self._decided(node, failed, depth + 1)),
            ]
        raise TypeError(f"cannot compile {node!r}")

    def _named(self, ref: Ref, value: str) -> list[str]:
        key = (ref.kind, ref.name)
        slot = self.link.slots.get(key)
        if slot is None:  # the content reader lets no unknown name through
            return [f"{self.src.bind(_unknown(key))}(a, m, {value})"]
        target = self.link.table[key]
        if isinstance(target, Compare):  # as cheap as the memo: written in place
            return self.lines(target, value, 0)
        held = len(self.link.slots) + slot
        name = self._whys.get(key)
        if name is None:
            name = self._whys[key] = self.src.name("w")
            self.code.later(lambda: self._write_named(name, held, target))
        return [f"w = w | (_t if (_t := m[{held}]) is not None else {name}(a, m, {value}))"]

    def _write_named(self, name: str, held: int, target: Condition) -> None:
        body = ["w = 0", *self.lines(target, "value", 0), f"m[{held}] = w", "return w"]
        self.code.write(name, "a, m, value", body)

    def _count(self, count: Count) -> str:
        name = self._counts.get(id(count))
        if name is None:
            name = self._counts[id(count)] = self.src.name("x")
            self._kept.append(count)
            self.code.later(
                lambda: self.code.write(
                    name, "a, m, value", ["w = 0", *self.lines(count, "value", 0), "return w"]
                )
            )
        return name

    def _given_if_held(self, leaf: Compare) -> bool:
        """Whether the comparison holds only when its answer is given (`question in a`):
        it reads no default, and no value it compares with is None."""
        if leaf.question in self.link.defaults:
            return False
        value = leaf.value
        return value is not None and not (isinstance(value, (list, tuple)) and None in value)

    def _decided(self, count: Count, which: bool | None, depth: int) -> list[str]:
        """As `Linker._count_collect`: comparisons first, then the other items."""
        lines: list[str] = ["pass"]
        for leaf in (item for item in count.items if isinstance(item, Compare)):
            key, bit = self.code.key(leaf.question), self.bit(leaf.question)
            if which is None:
                lines += [f"if {key} in a:", f"    w = w | {bit}"]
            elif which and self._given_if_held(leaf):
                lines += [f"if {self.code.compare(leaf)}:", f"    w = w | {bit}"]
            else:
                test = self.code.compare(leaf)
                lines += [
                    f"if {'' if which else 'not '}{test} and {key} in a:",
                    f"    w = w | {bit}",
                ]
        for item in (item for item in count.items if not isinstance(item, Compare)):
            test = self.code.expr(item, TESTED)
            if which is None:
                lines += self.lines(item, test, depth)
            else:
                inner = self.lines(item, str(which), depth + 1)
                lines += [f"if {'' if which else 'not '}{test}:", *indent(inner)]
        return lines


def negate(value: str) -> str:
    """The expression for `not value`: True and False flipped, `(not x)` undone."""
    if value in ("True", "False"):
        return "False" if value == "True" else "True"
    if value.startswith("(not ") and value.endswith(")"):
        inner, depth = value[5:-1], 0
        for char in inner:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                break
        else:
            if depth == 0:
                return inner
    return f"(not {value})"
