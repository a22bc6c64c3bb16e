"""The condition language as a tree (`triage.logic.tree`): plain words, what a
condition reads, and which items of a count decide it."""

from __future__ import annotations

from typing import Any

import pytest

from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Not, Ref, all_of, any_of, count_of, refs


def cmp(question: str, op: str, value: Any) -> Compare:
    return Compare(question, OPERATORS[op], value)


YES = {name: cmp(name, "eq", "yes") for name in ("a", "b", "c")}


def test_describe_reads_as_plain_words() -> None:
    condition = all_of((cmp("sex", "in", ("female", "other")), cmp("age", "le", 55)))
    assert condition.describe() == "(sex is female or other and age is at most 55)"
    assert cmp("d", "between", (4, 72)).describe() == "d is from 4 to 72"
    assert count_of("at_least", 2, (YES["a"], YES["b"])).describe() == (
        "at least 2 of (a is yes; b is yes)"
    )


def test_reads_and_refs_name_what_a_condition_uses() -> None:
    condition = all_of((YES["a"], Not(any_of((YES["b"], Ref("fact", "f"))))))
    assert condition.reads == frozenset({"a", "b"})
    assert refs(condition) == frozenset({("fact", "f")})


@pytest.mark.parametrize(
    ("word", "held", "relevant"),
    [
        ("all", True, None),
        ("all", False, False),
        ("any", True, True),
        ("any", False, None),
        ("at_least", True, True),
        ("at_least", False, False),
        ("at_most", True, None),
        ("exactly", False, None),
    ],
)
def test_which_items_decide_a_count(word: str, held: bool, relevant: bool | None) -> None:
    items = tuple(YES.values())
    count = {"all": all_of(items), "any": any_of(items)}.get(word) or count_of(word, 1, items)
    assert count.relevant(held) is relevant
