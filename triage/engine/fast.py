"""The compiled program: a copy of a content's program whose rules, explanations
and record validation run as generated functions.

`compiled(program, content)` is what `triage.engine.evaluate` swaps in once a
program has evaluated `program.COMPILE_AFTER` records.  Each red flag,
pattern, dry-needling item and screening item gets a generated test
(`triage.engine.compiled`), each flag and pattern a generated `why` (a mask,
named by `views.Because`) and each pattern its criteria
(`criteria.CriteriaWriter`); a record is validated by one generated function
(`triage.engine.plan`).  The memo layout is the closures' own, so the rest of
the engine reads either program the same way.

Should the content be one the generator cannot write (a bug, never a result),
the closures serve on: `compile_error` says why.
"""

from __future__ import annotations

import copy

from triage.engine.compiled import Compiler
from triage.engine.criteria import Said, reads, remembered
from triage.engine.masks import MaskWriter
from triage.engine.plan import write_validation
from triage.engine.program import Program
from triage.engine.source import Source
from triage.engine.sweep import GROUPS, read_swept, write_sweep
from triage.engine.views import Because
from triage.logic.tree import Condition, Ref
from triage.model import Content, Pattern


def compiled(program: Program, content: Content) -> Program:
    """A copy of `program` running generated functions (or `program` itself,
    never to be compiled again, when they cannot be written)."""
    try:
        return _compiled(program, content)
    except Exception as exc:  # noqa: BLE001 - the closures give the same results
        program.left, program.compile_error = 0, exc
        return program


def _remembered(said: Said, pattern: Pattern, program: Program) -> Said:
    """A pattern's criteria, kept for each distinct reason (`criteria.remembered`)."""
    assert pattern.when is not None
    named, asked = reads(pattern.when, program.link.table)
    slots = program.link.slots
    if not named <= slots.keys():  # an unknown name: said afresh, to raise where it is read
        return said
    return remembered(said, tuple(sorted(slots[key] for key in named)), asked)


def _compiled(program: Program, content: Content) -> Program:
    src = Source()
    code = Compiler(src, program.link)
    masks = MaskWriter(code, list(program.order))
    asks = Compiler(src, program.ask_link)
    refs = [Ref("pattern", p.id) for p, _, _, _ in program.patterns]
    groups: list[list[Condition]] = [[flag.when for flag, _, _ in program.flags], list(refs)]
    groups += [
        [item.when for item, _ in items]
        for items in (program.contraindications, program.precautions)
    ]
    items = [list(s.items) for s, _ in program.screens]
    sweep = write_sweep(code, groups, items)
    if sweep is None:  # work each name out when first asked for, as the closures do
        swept = [code.holding(group) for group in groups] + [code.scoring(items)]
    else:
        swept = [read_swept(code, sweep, program.link.size + n) for n in range(len(GROUPS))]
    whys = [masks.why(flag.when) for flag, _, _ in program.flags]
    # a pattern's why is its name's: what decided `when` is what decided the pattern
    pattern_whys = [masks.why(ref) for ref in refs]
    aimed = code.holding([item.when for item, _ in program.targets])
    validates = write_validation(asks, program.checks)
    code.finish()
    asks.finish()
    space = src.compile()
    fast = copy.copy(program)
    fast.left, fast.compiled = 0, True
    # each group's tests at once; each flag and pattern explained by generated code
    fast.fire, fast.fit, fast.contraindicated, fast.cautioned, fast.scored = (
        space[name] for name in swept
    )
    fast.aimed = space[aimed]
    if sweep is not None:  # a memo also holds what the sweep found
        fast.memo_size = program.link.size + len(GROUPS)
    fast.flags = tuple(
        (flag, test, space[why]) for (flag, test, _), why in zip(program.flags, whys, strict=True)
    )
    fast.patterns = tuple(
        (p, test, space[why], _remembered(said, p, program))
        for (p, test, _, said), why in zip(program.patterns, pattern_whys, strict=True)
    )
    fast.person = tuple(entry for entry in fast.patterns if entry[0].person)
    fast.validates = space[validates]
    fast.explain = Because(masks.universe, program.order)
    return fast
