"""The condition language: operators, counting, absent answers and explanations,
and the same conditions compiled for one content (`triage.compiled`)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import triage
from triage.compiled import Linker
from triage.conditions import (
    OPERATORS,
    Compare,
    Evaluation,
    Not,
    Ref,
    all_of,
    any_of,
    count_of,
)

from .strategies import answer_sets, conditions, parsed


def scope(answers: dict[str, Any], table: dict[tuple[str, str], Any] | None = None) -> Evaluation:
    return Evaluation(answers, table or {})


def cmp(question: str, op: str, value: Any) -> Compare:
    return Compare(question, OPERATORS[op], value)


YES = {name: cmp(name, "eq", "yes") for name in ("a", "b", "c")}


@pytest.mark.parametrize(
    ("op", "value", "answer", "holds"),
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
def test_operators(op: str, value: Any, answer: Any, holds: bool) -> None:
    assert cmp("q", op, value).holds(scope({"q": answer})) is holds


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "ge", "lt", "le", "in", "includes"])
def test_an_absent_answer_makes_a_comparison_false_and_its_not_true(op: str) -> None:
    condition = cmp("q", op, 1)
    assert condition.holds(scope({})) is False
    assert Not(condition).holds(scope({})) is True


def test_counts() -> None:
    items = tuple(YES.values())
    answers = scope({"a": "yes", "b": "no", "c": "yes"})
    assert all_of(items).holds(answers) is False
    assert any_of(items).holds(answers) is True
    assert count_of("at_least", 2, items).holds(answers) is True
    assert count_of("at_most", 1, items).holds(answers) is False
    assert count_of("exactly", 2, items).holds(answers) is True
    assert count_of("exactly", 3, items).holds(answers) is False


def test_explain_names_the_answers_that_decided() -> None:
    items = tuple(YES.values())
    answers = scope({"a": "yes", "b": "no", "c": "yes"})
    assert any_of(items).explain(answers) == (True, frozenset({"a", "c"}))
    assert all_of(items).explain(answers) == (False, frozenset({"b"}))
    assert count_of("at_least", 2, items).explain(answers) == (True, frozenset({"a", "c"}))
    assert Not(YES["b"]).explain(answers) == (True, frozenset({"b"}))
    # an absent answer decides nothing that can be shown
    assert YES["a"].explain(scope({})) == (False, frozenset())


def test_named_facts_are_worked_out_once_and_explain_through() -> None:
    calls = []

    class Counting(Compare):
        def holds(self, s: Any) -> bool:
            calls.append(1)
            return super().holds(s)

    fact = Counting("a", OPERATORS["eq"], "yes")
    s = scope({"a": "yes"}, {("fact", "f"): fact})
    ref = Ref("fact", "f")
    assert all_of((ref, ref, ref)).holds(s) is True
    assert len(calls) == 1
    assert ref.explain(s) == (True, frozenset({"a"}))


def test_describe_reads_as_plain_words() -> None:
    condition = all_of((cmp("sex", "in", ("female", "other")), cmp("age", "le", 55)))
    assert condition.describe() == "(sex is female or other and age is at most 55)"
    assert cmp("d", "between", (4, 72)).describe() == "d is from 4 to 72"
    assert count_of("at_least", 2, (YES["a"], YES["b"])).describe() == (
        "at least 2 of (a is yes; b is yes)"
    )


# --- compiled for one content (triage.compiled) ----------------------------------

CONTENT = triage.load()
TABLE = CONTENT.rules.table
EVERY = list(conditions(CONTENT))
QUESTION_IDS = sorted(CONTENT.questions.questions)


@settings(max_examples=80, deadline=None)
@given(answer_sets(CONTENT), st.sets(st.sampled_from(QUESTION_IDS), max_size=12))
def test_compiled_tests_and_explanations_agree_with_the_tree(
    raw: dict[str, Any], dropped: set[str]
) -> None:
    """Every condition of the shipped content, on answers some of which are absent."""
    answers = {k: v for k, v in parsed(CONTENT, raw).items() if k not in dropped}
    linker = Linker(TABLE)
    memo = [None] * linker.size
    tree = Evaluation(answers, TABLE)
    for condition in EVERY:
        value = linker.test(condition)(answers, memo)
        assert value is condition.holds(tree)
        assert linker.why(condition)(answers, memo, value) == condition.explain(tree)[1]


def test_a_compiled_name_is_worked_out_once_per_memo() -> None:
    calls = []

    class Counting(Compare):
        def compile(self, link: Any) -> Any:
            test = super().compile(link)

            def counted(a: Any, m: Any) -> bool:
                calls.append(1)
                return bool(test(a, m))

            return counted

    linker = Linker({("fact", "f"): Counting("a", OPERATORS["eq"], "yes")})
    ref = Ref("fact", "f")
    test = linker.test(all_of((ref, ref, Not(Not(ref)))))
    memo = [None] * linker.size
    assert test({"a": "yes"}, memo) is True
    assert len(calls) == 1
    assert linker.why(ref)({"a": "yes"}, memo, True) == {"a"}
    assert test({"a": "yes"}, [None] * linker.size) is True
    assert len(calls) == 2  # a new memo for other answers


def test_a_name_not_in_the_table_is_a_key_error_either_way() -> None:
    ref = Ref("fact", "nowhere")
    with pytest.raises(KeyError):
        ref.holds(scope({}))
    linker = Linker({})
    with pytest.raises(KeyError):
        linker.test(any_of((YES["a"], ref)))({}, [])
    with pytest.raises(KeyError):
        linker.why(ref)({}, [], False)


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
