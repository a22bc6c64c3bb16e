"""Conditions compiled into closures (`triage.engine.closures`): operators,
counting, absent answers, which answers decided a condition, and named
conditions worked out once per memo."""

from __future__ import annotations

from typing import Any

import pytest

import triage
from triage.engine.closures import Linker
from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Condition, Not, Ref, all_of, any_of, count_of

Table = dict[tuple[str, str], Condition]


def cmp(question: str, op: str, value: Any) -> Compare:
    return Compare(question, OPERATORS[op], value)


def holds(condition: Condition, answers: dict[str, Any], table: Table | None = None) -> bool:
    linker = Linker(table or {})
    return linker.test(condition)(answers, [None] * linker.size)


def why(condition: Condition, answers: dict[str, Any], table: Table | None = None) -> set[str]:
    """The answers that decided `condition`, as a result's `because` names them."""
    linker = Linker(table or {})
    memo = [None] * linker.size
    return linker.why(condition)(answers, memo, linker.test(condition)(answers, memo))


YES = {name: cmp(name, "eq", "yes") for name in ("a", "b", "c")}


@pytest.mark.parametrize(
    ("op", "value", "answer", "result"),
    [
        ("eq", "yes", "yes", True),
        ("eq", "yes", "unsure", False),
        ("ne", "none", "mild", True),
        ("ne", "none", "none", False),
        ("gt", 60, 61, True),
        ("gt", 60, 60, False),
        ("ge", 50, 50, True),
        ("lt", 1, 0.5, True),
        ("le", 6, 7, False),
        ("between", (4, 72), 4, True),
        ("between", (4, 72), 72, True),
        ("between", (4, 72), 72.5, False),
        ("between", (4, 72), 3.9, False),
        ("in", ("days", "weeks"), "weeks", True),
        ("in", ("days", "weeks"), "years", False),
        ("includes", "around_eye", ("temples", "around_eye"), True),
        ("includes", "around_eye", ("whole_head",), False),
        ("includes_any", ("triptan", "opioid"), ("simple", "opioid"), True),
        ("includes_any", ("triptan", "opioid"), ("simple",), False),
        ("eq", ("simple",), ("simple",), True),
        ("eq", ("simple",), ("simple", "triptan"), False),
        ("count_ge", 2, ("visual", "speech"), True),
        ("count_ge", 2, ("visual",), False),
    ],
)
def test_operators(op: str, value: Any, answer: Any, result: bool) -> None:
    assert holds(cmp("q", op, value), {"q": answer}) is result


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "ge", "lt", "le", "in", "includes"])
def test_an_absent_answer_makes_a_comparison_false_and_its_not_true(op: str) -> None:
    condition = cmp("q", op, 1)
    assert holds(condition, {}) is False
    assert holds(Not(condition), {}) is True


def test_counts() -> None:
    items = tuple(YES.values())
    answers = {"a": "yes", "b": "no", "c": "yes"}
    assert holds(all_of(items), answers) is False
    assert holds(any_of(items), answers) is True
    assert holds(count_of("at_least", 2, items), answers) is True
    assert holds(count_of("at_most", 1, items), answers) is False
    assert holds(count_of("exactly", 2, items), answers) is True
    assert holds(count_of("exactly", 3, items), answers) is False


def test_why_names_the_answers_that_decided() -> None:
    items = tuple(YES.values())
    answers = {"a": "yes", "b": "no", "c": "yes"}
    assert why(any_of(items), answers) == {"a", "c"}  # the items that held
    assert why(all_of(items), answers) == {"b"}  # the item that failed
    assert why(all_of((YES["a"], YES["c"])), answers) == {"a", "c"}  # every item
    assert why(any_of((YES["b"],)), answers) == {"b"}  # every item: none held
    assert why(count_of("at_least", 2, items), answers) == {"a", "c"}
    assert why(count_of("exactly", 2, items), answers) == {"a", "b", "c"}
    assert why(Not(YES["b"]), answers) == {"b"}
    # an absent answer decides nothing that can be shown
    assert why(YES["a"], {}) == set()
    assert why(any_of((YES["a"], YES["b"])), {"b": "no"}) == {"b"}


def test_why_follows_named_facts_and_nested_counts() -> None:
    table: Table = {
        ("fact", "f"): any_of((YES["a"], YES["b"])),
        ("fact", "g"): all_of((Ref("fact", "f"), Not(YES["c"]))),
    }
    answers = {"a": "no", "b": "yes", "c": "no"}
    assert holds(Ref("fact", "g"), answers, table) is True
    assert why(Ref("fact", "g"), answers, table) == {"b", "c"}
    assert why(Not(Ref("fact", "f")), answers, table) == {"b"}
    answers = {"a": "no", "b": "no", "c": "yes"}
    assert holds(Ref("fact", "g"), answers, table) is False
    # `all` failed: only its failing items decided it, here both
    assert why(Ref("fact", "g"), answers, table) == {"a", "b", "c"}


def test_shipped_facts_on_fixed_answers() -> None:
    """Two facts of the shipped rules: whether they hold and the answers behind them."""
    table = triage.load().rules.table
    fact = Ref("fact", "new_or_changing")  # any of: new_headache, pattern_change, progressive
    new = {"headache_history": "weeks", "pattern_change": "no", "progressive": "no", "age": 40}
    assert holds(fact, new, table) is True
    assert why(fact, new, table) == {"headache_history"}
    old = {**new, "headache_history": "years"}
    assert holds(fact, old, table) is False
    assert why(fact, old, table) == {"headache_history", "pattern_change", "progressive"}
    assert holds(Ref("fact", "age_50_or_over"), {"age": 50}, table) is True
    assert holds(Ref("fact", "age_50_or_over"), {"age": 49}, table) is False


def test_a_compiled_name_is_worked_out_once_per_memo() -> None:
    calls = []

    def counted(a: Any, m: Any) -> bool:
        calls.append(1)
        return a.get("a") == "yes"

    linker = Linker({("fact", "f"): YES["a"]})
    linker._compares[YES["a"]] = counted  # count each time the fact's comparison runs
    ref = Ref("fact", "f")
    test = linker.test(all_of((ref, ref, Not(Not(ref)))))
    memo = [None] * linker.size
    assert test({"a": "yes"}, memo) is True
    assert len(calls) == 1
    assert linker.why(ref)({"a": "yes"}, memo, True) == {"a"}
    assert test({"a": "yes"}, [None] * linker.size) is True
    assert len(calls) == 2  # a new memo for other answers


def test_a_name_not_in_the_table_is_a_key_error() -> None:
    ref = Ref("fact", "nowhere")
    linker = Linker({})
    with pytest.raises(KeyError):
        linker.test(any_of((YES["a"], ref)))({}, [])
    with pytest.raises(KeyError):
        linker.why(ref)({}, [], False)


def test_a_doubling_chain_of_named_facts_is_worked_out_once_per_fact() -> None:
    """`x_i: {all: [x_{i-1}, x_{i-1}]}`, 60 deep: 2**60 steps without the memo.  Each
    fact has one slot, filled once; the test and the answers behind it both come back."""
    table: Table = {("fact", "x0"): YES["a"]}
    for i in range(1, 61):
        table[("fact", f"x{i}")] = all_of((Ref("fact", f"x{i - 1}"),) * 2)
    linker = Linker(table)
    memo: list[Any] = [None] * linker.size
    top = Ref("fact", "x60")
    assert linker.test(top)({"a": "yes"}, memo) is True
    assert linker.why(top)({"a": "yes"}, memo, True) == {"a"}
    assert all(slot is not None for slot in memo)
    assert len(linker._tests) == len(linker._whys) == 61
