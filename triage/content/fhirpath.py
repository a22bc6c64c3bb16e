"""Ask-ifs in FHIR: `enableWhen` where it says exactly the same, else FHIRPath.

An ask-if holds on the answers given so far; an absent answer (not given, or
its question not asked) makes a comparison false and its `not` true.  FHIR
R4's `enableWhen` reads an unanswered or disabled question the same way for
`=`, `>`, `>=`, `<`, `<=` (false) and `exists false` (true), but `!=` means
"no answer equals", so it is true when the question is unanswered.  Hence:

- `x is c` is `x = c`, and `not (x is c)` is `x != c`;
- a choice's `x is one of a, b` is `x = a` or `x = b`; among comparisons that
  must all hold it is `x exists` and `x != c` for each other code `c`
  (`x is not c` is `x is one of` the other codes);
- `age >= 50` is `age >= 50`, but `not (age >= 50)` is `age exists false` or
  `age < 50`, and `between` is two comparisons (or, negated, three);
- a multi answer's `includes c` is `x = c` (some answer is `c`), and its
  negation `x != c` (no answer is `c`).

Comparisons are joined by one `enableBehavior` (all or any), so an ask-if
whose parts need both, one that counts ("at least 2 of", "exactly 1 of"),
or one that compares a duration or a multi answer's codes as a whole, is
written in FHIRPath for SDC's `enableWhenExpression` instead.  There, each
comparison is written to give true or false, never an empty result, so that
`not()` and counting read an absent answer as the engine does; a duration
is compared in hours (`min` divided by 60, `d` times 24).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from triage.logic.tree import Compare, Condition, Count, Not
from triage.model import Question

CODED = ("yes_no", "yes_no_unsure", "choice")
_SIGNS = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_OPPOSITE = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
HOURS = "iif(code = 'min', value / 60, iif(code = 'd', value * 24, value))"


@dataclass(frozen=True)
class Test:
    """One enableWhen: `question`, `operator` (exists, =, !=, >, >=, <, <=) and
    `answer` (true or false for exists, else an answer code or a number)."""

    question: str
    operator: str
    answer: Any


@dataclass(frozen=True)
class Tests:
    """enableWhen comparisons joined by one enableBehavior, `all` or `any`."""

    behavior: str
    tests: tuple[Test, ...]


def enable_when(condition: Condition, questions: Mapping[str, Question]) -> Tests | None:
    """The fewest enableWhen comparisons that hold exactly when `condition` does,
    or None when no flat list of them can say it."""
    found = _flat(condition, False, questions)
    return min(found, key=lambda t: len(t.tests)) if found else None


def _flat(node: Condition, negated: bool, questions: Mapping[str, Question]) -> list[Tests]:
    """Every way found to write `node` (or its negation) as one flat list."""
    if isinstance(node, Not):
        return _flat(node.child, not negated, questions)
    if isinstance(node, Compare):
        return _compare(node, negated, questions[node.question])
    if not isinstance(node, Count) or node.word == "exactly":
        return []
    n = len(node.items)
    # at least k of the items hold; "at most m" is "not at least m + 1"
    k, negated = (node.high + 1, not negated) if node.word == "at_most" else (node.low, negated)
    if negated:  # fewer than k hold: at least n - k + 1 of them fail
        k = n - k + 1
    join = "all" if k == n else "any" if k == 1 else ""
    if not join:
        return []
    tests: list[Test] = []
    for item in node.items:
        fits = [
            t for t in _flat(item, negated, questions) if len(t.tests) == 1 or t.behavior == join
        ]
        if not fits:
            return []
        tests += [test for test in min(fits, key=lambda t: len(t.tests)).tests if test not in tests]
    return [Tests(join, tuple(tests))]


def _compare(node: Compare, negated: bool, q: Question) -> list[Tests]:
    op, value, qid = node.op.name, node.value, node.question

    def tests(behavior: str, *found: tuple[str, Any]) -> Tests:
        return Tests(behavior, tuple(Test(qid, sign, answer) for sign, answer in found))

    if q.type == "multi":
        if op not in ("includes", "includes_any"):  # a whole multi answer, or how many codes
            return []
        codes = (value,) if op == "includes" else tuple(value)
        if negated:
            return [tests("all", *(("!=", code) for code in codes))]
        return [tests("any", *(("=", code) for code in codes))]
    if q.type in CODED:
        # every comparison of one code is "one of" some codes
        chosen = tuple(value) if op == "in" else (value,)
        others = tuple(code for code in q.codes if code not in chosen)
        if op == "ne":  # given and different: one of the other codes
            chosen, others = others, chosen
        if not chosen:
            return []
        if negated:  # absent, or one of the others
            return [
                tests("all", *(("!=", code) for code in chosen)),
                tests("any", ("exists", False), *(("=", code) for code in others)),
            ]
        return [
            tests("any", *(("=", code) for code in chosen)),
            tests("all", ("exists", True), *(("!=", code) for code in others)),
        ]
    if q.unit == "hours":  # a duration in another unit is compared in hours: FHIRPath
        return []
    if op == "between":
        low, high = value
        if negated:
            return [tests("any", ("exists", False), ("<", low), (">", high))]
        return [tests("all", (">=", low), ("<=", high))]
    sign = _SIGNS[op]
    if op == "eq":
        return [tests("all", ("!=" if negated else "=", value))]
    if op == "ne":
        if negated:
            return [tests("any", ("exists", False), ("=", value))]
        return [tests("all", ("exists", True), ("!=", value))]
    if negated:
        return [tests("any", ("exists", False), (_OPPOSITE[sign], value))]
    return [tests("all", (sign, value))]


# --- FHIRPath -------------------------------------------------------------------


def answers_of(qid: str) -> str:
    """FHIRPath for the answers given to a question, anywhere in the response."""
    return f"%resource.repeat(item).where(linkId = '{qid}').answer.value"


def expression(condition: Condition, questions: Mapping[str, Question]) -> str:
    """FHIRPath that is true exactly when `condition` holds, false otherwise.

    `ValueError` names what cannot be written: a named fact or pattern (never
    in an ask-if), or a multi answer compared with no codes, which a response
    cannot tell from no answer.
    """
    if isinstance(condition, Not):
        return f"({expression(condition.child, questions)}).not()"
    if isinstance(condition, Count):
        parts = [expression(item, questions) for item in condition.items]
        if condition.word in ("all", "any"):
            word = " and " if condition.word == "all" else " or "
            return word.join(f"({part})" for part in parts)
        sign, n = {
            "at_least": (">=", condition.low),
            "at_most": ("<=", condition.high),
            "exactly": ("=", condition.low),
        }[condition.word]
        return f"({' + '.join(f'iif({part}, 1, 0)' for part in parts)}) {sign} {n}"
    if isinstance(condition, Compare):
        return _compare_path(condition, questions[condition.question])
    raise ValueError(f"an ask-if cannot read {condition.describe()!r}; it compares answers")


def _codes(codes: Any) -> str:
    return "(" + " | ".join(f"'{code}'" for code in codes) + ")"


def literal(value: float) -> str:
    """A number as FHIRPath (and FHIR JSON) writes it: plain digits, no exponent."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(float(value))), "f")


def _compare_path(node: Compare, q: Question) -> str:
    op, value, answers = node.op.name, node.value, answers_of(node.question)
    if q.type == "multi":
        if op == "count_ge":
            return f"{answers}.count() >= {value}"
        if op == "eq":  # exactly these codes
            if not value:
                raise ValueError(
                    f"an ask-if compares '{q.id}' with no codes, which a FHIR response "
                    "cannot tell from no answer"
                )
            each = " and ".join(f"{answers}.where(code = '{code}').exists()" for code in value)
            return f"{answers}.all(code in {_codes(value)}) and {each}"
        codes = (value,) if op == "includes" else value
        return f"{answers}.where(code in {_codes(codes)}).exists()"
    if q.type in CODED:
        test = {"eq": "=", "ne": "!="}.get(op)
        where = f"code {test} '{value}'" if test else f"code in {_codes(value)}"
        return f"{answers}.where({where}).exists()"
    this = HOURS if q.unit == "hours" else "$this"
    if op == "between":
        where = f"{this} >= {literal(value[0])} and {this} <= {literal(value[1])}"
    else:
        where = f"{this} {_SIGNS[op]} {literal(value)}"
    return f"{answers}.where({where}).exists()"
