"""One generated function that tests everything a view needs, in one pass.

The closures (and the compiled program's other functions) work a named fact
or pattern out when a rule first asks for it.  `write_sweep` writes instead
one function `sweep(a, m)` for the compiled program that:

1. reads each answer the rules compare once, into a local;
2. works out every named fact and pattern in an order where each comes after
   those it names, into a local and its memo slot; a slot already filled (a
   pattern seeded for the person, see `flags.new_memos`) is read, not
   worked out again;
3. tests every red flag, pattern, contraindication and precaution, and
   counts each screen's items, leaving the positions of those that hold
   (and the counts) in the memo, after the named conditions' slots.

`sweep_of` gives, for each of those groups, the function the engine calls
(`program.fire`, `fit`, ...): it sweeps a memo the first time and reads the
result after.  Tests are pure and the answers valid, so working a name out
that the closures would not have needed changes nothing but the memo; the
results are the closures' (tested against them).  A table that names an
unknown condition, or whose names form a cycle, gets no sweep.
"""

from __future__ import annotations

from collections.abc import Mapping

from triage.engine.compiled import Compiler
from triage.logic.tree import Compare, Condition, refs

Key = tuple[str, str]
GROUPS = ("fire", "fit", "contraindicated", "cautioned", "scored")


def write_sweep(
    code: Compiler, groups: list[list[Condition]], screens: list[list[Condition]]
) -> str | None:
    """The name of the sweep function, or None when the table cannot be swept.

    `groups` are the conditions of `fire`, `fit`, `contraindicated` and
    `cautioned`, in order; `screens` each screen's items.  Their results go
    to memo slots `code.link.size` on, in the order of `GROUPS`."""
    link = code.link
    order = _order(link.table)
    if order is None:
        return None
    src = code.src
    conditions = [*link.table.values(), *(c for group in groups for c in group)]
    conditions += [c for items in screens for c in items]
    read: dict[str, None] = {}
    for condition in conditions:
        for node in condition.walk():
            if isinstance(node, Compare) and node.question not in link.defaults:
                read[node.question] = None
    lines: list[str] = []
    for qid in read:
        local = code.answers[qid] = src.name("q")
        lines.append(f"{local} = a.get({code.key(qid)})")
    try:
        for key in order:
            slot, local = link.slots[key], src.name("v")
            body = code.expr(link.table[key], 0)
            lines += [
                f"{local} = m[{slot}]",
                f"if {local} is None:",
                f"    {local} = m[{slot}] = {body}",
            ]
            code.named[key] = local
        base = link.size
        for n, group in enumerate(groups):
            lines.append("out = []")
            for k, condition in enumerate(group):
                lines += [f"if {code.expr(condition, 0)}:", f"    out.append({k})"]
            lines.append(f"m[{base + n}] = out")
        lines.append("out = []")
        for items in screens:
            lines.append("w = 0")
            for item in items:
                lines += [f"if {code.expr(item, 0)}:", "    w = w + 1"]
            lines.append("out.append(w)")
        lines.append(f"m[{base + len(groups)}] = out")
    finally:
        code.answers, code.named = {}, {}
    name = src.name("g")
    code.write(name, "a, m", lines or ["pass"])
    return name


def read_swept(code: Compiler, sweep: str, slot: int) -> str:
    """The name of a function `group(a, m)`: a group's result, sweeping `m` first
    when it has not been swept."""
    name = code.src.name("r")
    body = [
        f"_r = m[{slot}]",
        "if _r is None:",
        f"    {sweep}(a, m)",
        f"    _r = m[{slot}]",
        "return _r",
    ]
    code.write(name, "a, m", body)
    return name


def _order(table: Mapping[Key, Condition]) -> list[Key] | None:
    """The table's names, each after those it names; None with an unknown name or a cycle."""
    done: dict[Key, None] = {}
    state: dict[Key, int] = {}  # 1: being ordered, 2: done
    for start in table:
        stack: list[tuple[Key, bool]] = [(start, False)]
        while stack:
            key, ready = stack.pop()
            if ready:
                state[key] = 2
                done[key] = None
                continue
            if state.get(key) == 2:
                continue
            if state.get(key) == 1:
                return None  # a cycle: the content reader refuses them
            state[key] = 1
            stack.append((key, True))
            for dep in refs(table[key]):
                if dep not in table:
                    return None  # an unknown name: it must raise where it is read
                if state.get(dep) != 2:
                    stack.append((dep, False))
    return list(done)
