"""The criteria behind a pattern, in everyday words (`triage.engine.criteria`):
facts' `means`, never a `not`; checked against fixed expected text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import triage
from triage.engine.closures import Linker
from triage.engine.criteria import compile_criteria, pattern_name, reads, remembered
from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Condition, Not, Ref, all_of, any_of, count_of
from triage.model import Content, Fact, Pattern, Question

from .test_engine import base


def means(content: Content, *names: str) -> tuple[str, ...]:
    return tuple(content.rules.facts[name].means for name in names)


def found(content: Content, answers: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {p.rule.id: p.criteria for p in triage.evaluate(content, answers).headache_types}


# --- on the shipped content -------------------------------------------------------


def test_migraine_without_aura_lists_the_four_criteria_not_their_composite(
    content: Content,
) -> None:
    assert found(content, base("adult_migraine_without_aura")) == {
        "migraine_without_aura": means(
            content, "migraine_A", "migraine_B", "migraine_C", "migraine_D"
        )
    }


def test_exclusions_are_not_criteria(content: Content) -> None:
    """Chronic tension-type holds through `not cluster` and `not chronic migraine`."""
    (listed,) = found(content, base()).values()
    assert listed == means(
        content,
        "days_15_or_more_a_month",
        "long_standing",
        "tension_chronic_B",
        "tension_C",
        "tension_D_chronic",
    )
    assert not any("luster" in line or "igraine" in line for line in listed)


def test_an_any_lists_only_the_branch_that_held(content: Content) -> None:
    """Chronic migraine through its aura branch: migraine B fails, so A-D is not said."""
    answers = base("adult_migraine_with_aura") | {
        "headache_days_per_month": 20,
        "attack_duration_hours": 2,
    }
    listed = found(content, answers)["chronic_migraine"]
    assert listed == (
        *means(content, "chronic_migraine_days", "long_standing"),
        "Migraine with aura",
        *means(content, "migraine_A"),
    )
    assert content.rules.facts["migraine_B"].means not in listed


def test_both_branches_that_held_are_listed_once_each(content: Content) -> None:
    answers = base("adult_migraine_with_aura") | {"headache_days_per_month": 20}
    listed = found(content, answers)["chronic_migraine"]
    assert listed.count(content.rules.facts["migraine_A"].means) == 1
    assert listed[-1] == "Migraine with aura"
    assert len(listed) == len(set(listed)) == 7


def test_a_comparison_in_the_rule_itself_is_said_as_question_and_answer(
    content: Content,
) -> None:
    answers = base() | {"neck_movement_triggers": "yes", "side": "one_side_same"}
    assert found(content, answers)["cervicogenic"] == (
        "Can moving your neck, or holding your head in an awkward position, bring on "
        "your usual headache? Yes",
        "Which side of your head does the pain usually affect? One side, always the same side",
    )


def test_no_criteria_read_as_raw_ids(content: Content) -> None:
    answers = base() | {"neck_movement_triggers": "yes", "side": "one_side_same"}
    for listed in found(content, answers).values():
        for line in listed:
            assert "_" not in line and "≥" not in line, line


UNCLASSIFIED = {
    "headache_days_per_month": 8,
    "attacks_count": "two_to_four",
    "attack_duration_hours": 0.4,
}


def test_the_catch_all_pattern_has_no_criteria(content: Content) -> None:
    answers = base() | UNCLASSIFIED
    assert found(content, answers) == {"unclassified": ()}


def test_pattern_name_is_the_summary_up_to_its_dash() -> None:
    assert pattern_name("Chronic migraine — headache on 15 or more days.") == "Chronic migraine"
    assert pattern_name("No clear pattern; a clinician can help.") == "No clear pattern"


# --- on small inline content ------------------------------------------------------

YES_NO = Question("pain", "yes_no", "Does it hurt? Answer yes or no.", "s")
HOURS = Question("hours", "number", "How long does it last?", "s", unit="hours")
WHERE = Question(
    "where",
    "multi",
    "Where? Choose all that apply.",
    "s",
    options=(("eye", "Around the eye"), ("neck", "Neck"), ("top", "Top")),
)
QUESTIONS = {q.id: q for q in (YES_NO, HOURS, WHERE)}


def yes(qid: str) -> Compare:
    return Compare(qid, OPERATORS["eq"], "yes")


def fact(name: str) -> Ref:
    return Ref("fact", name)


FACTS = {
    "a": Fact("a", yes("qa"), "a holds"),
    "b": Fact("b", yes("qb"), "b holds"),
    "c": Fact("c", yes("qc"), "c holds"),
    "a_and_b": Fact("a_and_b", all_of((fact("a"), fact("b"))), "both a and b"),
    "a_or_b": Fact("a_or_b", any_of((fact("a"), fact("b"))), "a or b"),
    "a_and_pain": Fact("a_and_pain", all_of((fact("a"), yes("pain"))), "a, and it hurts"),
    "alias": Fact("alias", fact("a_and_b"), "the same as both"),
}
PATTERNS = {"p": Pattern("p", "definite", yes("qa"), "Pattern P — a pattern; with words.", "s")}


def said(
    condition: Condition,
    questions: Mapping[str, Question] = QUESTIONS,
    **answers: Any,
) -> tuple[str, ...]:
    """The criteria compiled as the engine compiles them, said for `answers`."""
    table: dict[tuple[str, str], Condition] = {("fact", f.id): f.when for f in FACTS.values()}
    table.update({("pattern", p.id): p.when for p in PATTERNS.values() if p.when})
    linker = Linker(table)
    criteria = compile_criteria(condition, FACTS, PATTERNS, questions, linker.test)
    return criteria(answers, [None] * linker.size)


def test_all_says_every_member_in_order() -> None:
    assert said(all_of((fact("b"), fact("a"))), qa="yes", qb="yes") == ("b holds", "a holds")


@pytest.mark.parametrize("word", ["any", "at_least"])
def test_any_and_at_least_say_only_the_members_that_held(word: str) -> None:
    items = (fact("a"), fact("b"), fact("c"))
    condition = any_of(items) if word == "any" else count_of("at_least", 2, items)
    assert said(condition, qa="yes", qb="no", qc="yes") == ("a holds", "c holds")


def test_exactly_says_the_members_that_held_and_at_most_says_none() -> None:
    items = (fact("a"), fact("b"), fact("c"))
    assert said(count_of("exactly", 2, items), qa="yes", qc="yes") == ("a holds", "c holds")
    assert said(count_of("at_most", 1, items), qa="yes") == ()


def test_not_is_never_followed_even_when_what_it_hides_holds() -> None:
    condition = all_of((fact("a"), Not(Not(fact("b")))))
    assert said(condition, qa="yes", qb="yes") == ("a holds",)


def test_an_all_of_facts_fact_is_said_as_its_parts_once_each() -> None:
    assert said(all_of((fact("a_and_b"), fact("a"))), qa="yes", qb="yes") == (
        "a holds",
        "b holds",
    )
    assert said(fact("alias"), qa="yes", qb="yes") == ("a holds", "b holds")


def test_any_other_fact_is_said_with_its_means() -> None:
    assert said(fact("a_or_b"), qa="yes") == ("a or b",)
    assert said(fact("a_and_pain"), qa="yes", pain="yes") == ("a, and it hurts",)


def test_a_condition_that_does_not_hold_has_no_criteria() -> None:
    assert said(all_of((fact("a"), fact("b"))), qa="yes", qb="no") == ()


def test_a_pattern_is_said_by_its_name() -> None:
    assert said(Ref("pattern", "p"), qa="yes") == ("Pattern P",)


def test_comparisons_say_the_question_and_the_answer_in_words() -> None:
    assert said(yes("pain"), pain="yes") == ("Does it hurt? Yes",)
    assert said(Compare("hours", OPERATORS["ge"], 1), hours=1) == ("How long does it last? 1 hour",)
    assert said(Compare("hours", OPERATORS["ge"], 1), hours=2.5) == (
        "How long does it last? 2.5 hours",
    )
    includes = Compare("where", OPERATORS["includes_any"], ("eye", "top"))
    assert said(includes, where=("eye", "neck", "top")) == ("Where? Around the eye; Top",)
    assert said(Compare("where", OPERATORS["count_ge"], 2), where=("eye", "neck")) == (
        "Where? Around the eye; Neck",
    )


def test_without_the_questionnaire_a_comparison_is_left_out() -> None:
    assert said(all_of((yes("pain"), yes("qa"))), {}, pain="yes", qa="yes") == ()
    assert said(all_of((yes("pain"), fact("a"))), {}, pain="yes", qa="yes") == ("a holds",)


# --- work stays linear in the content's size (issue 12, item 4) ----------------------


def doubling_chain(length: int) -> dict[str, Fact]:
    """`x0` a comparison, then `x_i: {all: [x_{i-1}, x_{i-1}]}`: each fact names the one
    before twice, so expanding facts without a memo does 2**length work."""
    facts = {"x0": Fact("x0", yes("qa"), "x0 holds")}
    for i in range(1, length + 1):
        facts[f"x{i}"] = Fact(f"x{i}", all_of((fact(f"x{i - 1}"),) * 2), f"x{i} holds")
    return facts


def test_a_doubling_chain_of_facts_is_compiled_and_said_in_linear_work() -> None:
    """16 levels: 2**16 steps without a memo.  Counted: the nodes the compiler asks
    a test for, and the tests run while saying the criteria for one record."""
    length = 16
    facts = doubling_chain(length)
    linker = Linker({("fact", f.id): f.when for f in facts.values()})
    compiled: list[Condition] = []
    ran: list[int] = []

    def counted(condition: Condition) -> Any:
        compiled.append(condition)
        inner = linker.test(condition)

        def test(a: Any, m: Any) -> bool:
            ran.append(1)
            return inner(a, m)

        return test

    criteria = compile_criteria(fact(f"x{length}"), facts, {}, QUESTIONS, counted)
    assert len(compiled) == length + 1  # one test per fact, each compiled once
    assert criteria({"qa": "yes"}, [None] * linker.size) == ("x0 holds",)
    assert len(ran) == length + 1  # each fact's test run once for the record
    assert criteria({"qa": "no"}, [None] * linker.size) == ()


def test_remembered_criteria_tell_apart_answers_read_under_not() -> None:
    """The criteria kept per distinct reason: two records with the same facts, told
    apart only by an answer under a `not`, are said apart."""
    table: dict[tuple[str, str], Condition] = {("fact", f.id): f.when for f in FACTS.values()}
    linker = Linker(table)
    condition = any_of((all_of((fact("a"), Not(yes("qb")))), fact("c")))
    named, asked = reads(condition, table)
    assert asked == ("qb",)
    slots = tuple(sorted(linker.slots[key] for key in named))
    criteria = remembered(
        compile_criteria(condition, FACTS, PATTERNS, QUESTIONS, linker.test), slots, asked
    )

    def said_once(**answers: Any) -> tuple[str, ...]:
        memo: list[Any] = [None] * linker.size
        for key in named:  # every name worked out, as the compiled program's sweep does
            linker.test(Ref(*key))(answers, memo)
        return criteria(answers, memo)

    assert said_once(qa="yes", qb="no", qc="yes") == ("a holds", "c holds")
    assert said_once(qa="yes", qb="yes", qc="yes") == ("c holds",)
    assert said_once(qa="yes", qb="no", qc="yes") == ("a holds", "c holds")


def test_remembered_criteria_tell_apart_equal_numbers_of_other_types() -> None:
    """1 and 1.0 are one key of a dict, but may be said apart."""
    assert reads(Compare("hours", OPERATORS["ge"], 1), {}) == (frozenset(), ("hours",))
    criteria = remembered(lambda a, m: (repr(a["hours"]),), (), ("hours",))
    assert criteria({"hours": 1}, []) == ("1",)
    assert criteria({"hours": 1.0}, []) == ("1.0",)
    assert criteria({"hours": 1}, []) == ("1",)
