"""Which questions can still show an emergency.

A self-check that stops at the early notice (an urgent warning sign) still
asks these, so that stopping early never hides an emergency: every question
an emergency red flag reads, directly or through facts and patterns, on
either headache (the twins and totals of `second_headache`, and whether there
is a second headache), with every question their ask-ifs read, so that none
is passed over as not asked for want of an earlier answer.
"""

from __future__ import annotations

from functools import lru_cache

from triage.logic.tree import Condition, Ref
from triage.model import Content


@lru_cache(maxsize=8)  # a Content is hashed by identity
def emergency_reads(content: Content) -> frozenset[str]:
    """The question IDs that can make an emergency red flag fire (see the module)."""
    rules, questions = content.rules, content.questions
    patterns = {p.id: p for p in rules.patterns}
    seen: set[tuple[str, str]] = set()

    def reads(condition: Condition | None) -> set[str]:
        if condition is None:  # the catch-all pattern: reported when no other is
            return {qid for p in rules.patterns if p.when for qid in reads(p.when)}
        found = set(condition.reads)
        for node in condition.walk():
            if isinstance(node, Ref) and (node.kind, node.name) not in seen:
                seen.add((node.kind, node.name))
                if node.kind == "fact":
                    found |= reads(rules.facts[node.name].when)
                else:
                    pattern = patterns[node.name]
                    found |= reads(pattern.when)
                    for other in pattern.excluded_by:
                        found |= reads(patterns[other].when)
        return found

    needed: set[str] = set()
    for flag in rules.red_flags:
        if flag.level == "emergency":
            needed |= reads(flag.when)
    second = questions.second
    if second is not None:
        needed = {second.totals.get(qid, qid) for qid in needed}
        needed |= {second.twins[qid] for qid in needed if qid in second.twins}
        needed |= reads(second.when)
    todo = list(needed)
    while todo:  # the questions deciding whether a needed question is asked
        q = questions.questions.get(todo.pop())
        for qid in reads(q.ask_if) if q is not None and q.ask_if is not None else ():
            if qid not in needed:
                needed.add(qid)
                todo.append(qid)
    return frozenset(qid for qid in needed if qid in questions.questions)
