"""The comparison operators of the condition language, in one table.

Each `Operator` names the answer types it fits, what its operand is, and
its meaning in words (for `describe` and the content reference).  The
table is closed: content files can use these and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Operator:
    """One comparison of an answer with a value from the content file."""

    name: str
    test: Callable[[Any, Any], bool]
    types: frozenset[str]
    operand: str  # "value", "values" (a list), "range" ([low, high]) or "count"
    words: str
    doc: str


_NUMERIC = frozenset({"integer", "number"})
_CODED = frozenset({"yes_no", "yes_no_unsure", "choice"})
_MULTI = frozenset({"multi"})

OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator(
            "eq",
            lambda a, v: a == v,
            _NUMERIC | _CODED | _MULTI,
            "value",
            "is",
            "the answer equals the value (for a multi answer: exactly these codes)",
        ),
        Operator(
            "ne",
            lambda a, v: a != v,
            _NUMERIC | _CODED,
            "value",
            "is not",
            "the answer is given and differs from the value",
        ),
        Operator(
            "gt",
            lambda a, v: a > v,
            _NUMERIC,
            "value",
            "is more than",
            "the number is greater than the value",
        ),
        Operator(
            "ge",
            lambda a, v: a >= v,
            _NUMERIC,
            "value",
            "is at least",
            "the number is greater than or equal to the value",
        ),
        Operator(
            "lt",
            lambda a, v: a < v,
            _NUMERIC,
            "value",
            "is less than",
            "the number is less than the value",
        ),
        Operator(
            "le",
            lambda a, v: a <= v,
            _NUMERIC,
            "value",
            "is at most",
            "the number is less than or equal to the value",
        ),
        Operator(
            "between",
            lambda a, v: v[0] <= a <= v[1],
            _NUMERIC,
            "range",
            "is between",
            "the number lies from low to high, both ends included",
        ),
        Operator(
            "in",
            lambda a, v: a in v,
            _CODED,
            "values",
            "is one of",
            "the answer is one of the listed codes",
        ),
        Operator(
            "includes",
            lambda a, v: v in a,
            _MULTI,
            "value",
            "includes",
            "the multi answer holds this code",
        ),
        Operator(
            "includes_any",
            lambda a, v: any(c in a for c in v),
            _MULTI,
            "values",
            "includes any of",
            "the multi answer holds at least one of the codes",
        ),
        Operator(
            "count_ge",
            lambda a, v: len(a) >= v,
            _MULTI,
            "count",
            "has at least",
            "the multi answer holds at least this many codes",
        ),
    )
}
