"""Hostile content files: odd numbers, deep and repeated facts, huge lists, escapes.

Each either fails loading with every problem as `file:line:col` (a
`ContentError`) or loads and assesses a record, with a bounded amount of work:
compiling and evaluating are linear in the content's size (issue 12, items 2,
4 and 12).  Work is counted, never timed.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import triage
from triage.errors import AnswerError, ContentError
from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Condition, Not, Ref, depths
from triage.model import Content
from triage.text import _HIDDEN, printable

from .test_loader import QUESTIONS, RULES, problems, write

FINITE = "is not a finite number; write a number in plain decimal digits, such as 12 or 0.5"
DECIMAL = "write numbers in plain decimal digits, such as 12 or 0.5"


# --- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", [".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1" + "0" * 400 + ".5"]
)
def test_a_threshold_that_is_not_finite_is_refused(tmp_path: Path, written: str) -> None:
    """`{age: {ge: .nan}}` made every comparison false: urgent became soon."""
    rules = RULES.replace("{age: {ge: 50}}", f"{{age: {{ge: {written}}}}}")
    assert problems(tmp_path, rules=rules) == [f"rules.yaml:9:26: '{written}' {FINITE}"]


@pytest.mark.parametrize("key", ["min", "max"])
def test_a_bound_that_is_not_finite_is_refused(tmp_path: Path, key: str) -> None:
    """`max: .nan` removed the bound."""
    questions = QUESTIONS.replace(
        f"        {key}: 12" if key == "min" else "        max: 120", f"        {key}: .nan"
    )
    assert problems(tmp_path, questions) == [
        f"questions.yaml:{8 if key == 'min' else 9}:14: '.nan' {FINITE}"
    ]


def test_a_number_that_is_not_finite_is_refused_anywhere_every_one_reported(
    tmp_path: Path,
) -> None:
    rules = RULES.replace('version: "1"', "version: .inf").replace(
        "notice: Not a diagnosis.", "notice: .NAN"
    )
    rules = rules.replace("{age: {ge: 50}}", "{age: {between: [-.inf, .inf]}}")
    assert problems(tmp_path, rules=rules) == [
        f"rules.yaml:1:10: '.inf' {FINITE}",
        f"rules.yaml:2:9: '.NAN' {FINITE}",
        f"rules.yaml:9:32: '-.inf' {FINITE}",
        f"rules.yaml:9:39: '.inf' {FINITE}",
    ]


def test_a_quoted_nan_is_text_and_a_number_where_one_is_needed_says_so(tmp_path: Path) -> None:
    rules = RULES.replace("{age: {ge: 50}}", "{age: {ge: '.nan'}}")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:9:26: 'ge' for 'age' must be a number, not str '.nan'"
    ]


@pytest.mark.parametrize(
    "written", ["0x32", "0o62", "0b110010", "1_000", "0:50", "50:00", "5e1", "1e400"]
)
def test_a_threshold_in_another_number_form_is_refused(tmp_path: Path, written: str) -> None:
    rules = RULES.replace("{age: {ge: 50}}", f"{{age: {{ge: {written}}}}}")
    assert problems(tmp_path, rules=rules) == [
        f"rules.yaml:9:26: 'ge' for 'age' must be a number, not str '{written}'; {DECIMAL}"
    ]


def test_a_count_in_another_number_form_is_refused(tmp_path: Path) -> None:
    rules = RULES.replace("{all: [fever, old]}", "{at_least: 0x1, of: [fever, old]}")
    assert problems(tmp_path, rules=rules) == [
        f"rules.yaml:13:22: 'at_least' must be a whole number, not str '0x1'; {DECIMAL}"
    ]


def test_a_leading_zero_is_decimal_in_content_too(tmp_path: Path) -> None:
    """`050` is 50, as in an answers file (YAML 1.1 would read octal 40)."""
    rules = RULES.replace("{age: {ge: 50}}", "{age: {ge: 050}}")
    questions = QUESTIONS.replace("        max: 120", "        max: 0120")
    content = triage.load(*write(tmp_path, questions, rules))
    assert content.questions.questions["age"].max == 120
    answers = {"nausea": "mild", "fever": "yes", "location": ["temples"]}
    assert [f.rule.id for f in triage.evaluate(content, {**answers, "age": 50}).red_flags] == [
        "hot"
    ]
    assert triage.evaluate(content, {**answers, "age": 45}).red_flags == ()


# --- deep chains of facts ---------------------------------------------------------------


def chain(length: int, reverse: bool = False) -> str:
    """Facts `x1`..`x{length}`, each `{all: [the one before]}`, named by the red flag."""
    facts = [f"  x{i}: {{when: {{all: [x{i - 1}]}}}}\n" for i in range(1, length + 1)]
    if reverse:
        facts.reverse()
    return RULES.replace(
        "  old: {when: {age: {ge: 50}}}\n",
        "  old: {when: {age: {ge: 50}}}\n  x0: {when: fever}\n" + "".join(facts),
    ).replace("[fever, old]", f"[fever, old, x{length}]")


def test_a_chain_of_facts_up_to_the_limit_loads_and_assesses(tmp_path: Path) -> None:
    """x49 is 99 levels deep (each fact an `all` naming the one before): allowed."""
    content = triage.load(*write(tmp_path, rules=chain(49)))
    assert [f.rule.id for f in triage.evaluate(content, ANSWERS).red_flags] == ["hot"]


@pytest.mark.parametrize("reverse", [False, True])
def test_a_chain_of_facts_too_deep_to_evaluate_is_refused_where_it_crosses_the_limit(
    tmp_path: Path, reverse: bool
) -> None:
    """A chain of 200 facts crashed evaluation (RecursionError); x50 is 101 levels deep."""
    line = 11 + 200 - 50 if reverse else 10 + 50
    assert problems(tmp_path, rules=chain(200, reverse)) == [
        f"rules.yaml:{line}:3: fact 'x50' nests 101 levels of conditions, counting those of "
        "the facts and patterns it names; at most 100: build it from fewer facts inside "
        "one another"
    ]


def test_a_pattern_that_names_a_chain_too_deep_is_refused_at_its_entry(tmp_path: Path) -> None:
    rules = chain(49).replace("{nausea: {ne: none}}", "{all: [{nausea: {ne: none}}, x49]}")
    [problem] = problems(tmp_path, rules=rules)
    assert problem.startswith("rules.yaml:67:5: pattern 'nauseous' nests 101 levels of ")


def test_a_chain_of_facts_too_deep_to_read_is_a_located_problem(tmp_path: Path) -> None:
    """Listed last first, 5000 facts are too deep even to check for cycles."""
    assert problems(tmp_path, rules=chain(5000, reverse=True)) == [
        "rules.yaml:8:1: the facts and patterns name one another too deeply to be read; "
        "a condition may nest at most 100 levels, counting those of the facts it names"
    ]


def test_depths_are_measured_without_following_a_chain_and_end_on_a_cycle() -> None:
    fever = Compare("fever", OPERATORS["eq"], "yes")
    table: dict[tuple[str, str], Condition] = {("fact", "x0"): fever}
    for i in range(1, 20_001):  # far deeper than Python recurses
        table[("fact", f"x{i}")] = Not(Ref("fact", f"x{i - 1}"))
    assert depths(table)[("fact", "x20000")] == 1 + 2 * 20_000
    loop = {("fact", "a"): Ref("fact", "b"), ("fact", "b"): Ref("fact", "a")}
    assert set(depths(loop)) == {("fact", "a"), ("fact", "b")}


# --- generated hostile content --------------------------------------------------------

PLAIN = {
    "threshold": ("50", "050", "+50", "50.5", "50."),
    "min": ("12", "012"),
    "max": ("120", "0120"),
}
ODD = (
    ".nan",
    ".inf",
    "-.inf",
    "1" + "0" * 400 + ".5",
    "5e1",
    "0x32",
    "0o62",
    "0b110010",
    "1:30",
    "1_000",
    "'50'",
)
ESCAPES = (
    "plain words",
    '"\\e[31mred\\e[0m"',
    '"one\\ntwo: forged line"',
    '"\\u202eevil"',
    '"\\ufeff\\u200bhidden"',
    '"bell\\x07\\r\\x9b"',
    '"a\\Lb\\Pc\\Nd"',
)
ANSWERS = {"age": 60, "nausea": "mild", "fever": "yes", "location": ["temples"]}


@st.composite
def hostile(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A questionnaire and rules: a chain of facts each naming the one before (up to
    80 deep, each named up to 4 times), a condition nested inline, a long count, odd
    numbers and escapes in text fields.  True when some number is not plain and finite."""
    odd = draw(st.sampled_from([None, None, None, *PLAIN]))
    threshold, low, high = (
        draw(st.sampled_from(ODD if odd == slot else PLAIN[slot])) for slot in PLAIN
    )
    text = st.sampled_from(ESCAPES)
    depth, width = draw(st.integers(0, 80)), draw(st.integers(1, 4))
    shape = draw(st.sampled_from(["all", "any", "not", "at_least", "exactly"]))
    facts = [f"  x0: {{means: {draw(text)}, when: fever}}\n"]
    for i in range(1, depth + 1):
        prev = ", ".join([f"x{i - 1}"] * width)
        when = {
            "all": f"{{all: [{prev}]}}",
            "any": f"{{any: [{prev}]}}",
            "not": f"{{not: x{i - 1}}}",
            "at_least": f"{{at_least: 1, of: [{prev}]}}",
            "exactly": f"{{exactly: {width}, of: [{prev}]}}",
        }[shape]
        facts.append(f"  x{i}: {{means: {draw(text)}, when: {when}}}\n")
    nested = draw(st.integers(0, 45))
    inline = "{all: [" * nested + "fever" + "]}" * nested
    many, least = draw(st.sampled_from([1, 50, 3000])), draw(st.sampled_from([0, 1, "all"]))
    count = (
        f"{{at_least: {many if least == 'all' else least}, of: [{', '.join(['fever'] * many)}]}}"
    )
    repeated = ", ".join([f"x{depth}"] * draw(st.integers(1, 4)))
    rules = (
        RULES.replace('version: "1"', f"version: {draw(text)}")
        .replace("notice: Not a diagnosis.", f"notice: {draw(text)}")
        .replace("title: E,", f"title: {draw(text)},")
        .replace("summary: Fever over 50.", f"summary: {draw(text)}")
        .replace("{age: {ge: 50}}", f"{{age: {{ge: {threshold}}}}}")
        .replace("  old: {when", "".join(facts) + "  old: {when")
        .replace("[fever, old]", f"[fever, old, {repeated}, {inline}, {count}]")
        .replace("{nausea: {ne: none}}", f"{{all: [{{nausea: {{ne: none}}}}, {repeated}]}}")
    )
    questions = (
        QUESTIONS.replace("        min: 12", f"        min: {low}")
        .replace("        max: 120", f"        max: {high}")
        .replace("text: Age?", f"text: {draw(text)}")
    )
    return questions, rules, odd is not None


class TooMuchWork(Exception):
    pass


@contextlib.contextmanager
def budget(calls: int) -> Iterator[list[int]]:
    """Counts the Python function calls made inside the block; more than `calls`
    stops it with `TooMuchWork` (work counted, never timed)."""
    made = [0]

    def count(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            made[0] += 1
            if made[0] > calls:
                sys.setprofile(None)
                raise TooMuchWork(f"more than {calls:,} calls")

    sys.setprofile(count)
    try:
        yield made
    finally:
        sys.setprofile(None)


def _numbers(content: Content) -> list[Any]:
    found: list[Any] = []
    for q in content.questions:
        found += [n for n in (q.min, q.max, q.greater_than) if n is not None]
    rules = content.rules
    conditions = [f.when for f in rules.facts.values()] + [f.when for f in rules.red_flags]
    for condition in conditions:
        for node in condition.walk():
            if isinstance(node, Compare):
                value = node.value
                found += list(value) if isinstance(value, tuple) else [value]
    return [n for n in found if isinstance(n, (int, float))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=hostile())
def test_hostile_content_fails_with_its_place_or_assesses_a_record_in_bounded_work(
    tmp_path_factory: pytest.TempPathFactory, files: tuple[str, str, bool]
) -> None:
    questions, rules, odd = files
    folder = tmp_path_factory.mktemp("hostile")
    q, r = folder / "questions.yaml", folder / "rules.yaml"
    q.write_text(questions, encoding="utf-8")
    r.write_text(rules, encoding="utf-8")
    size = len(questions) + len(rules)
    try:
        with budget(20_000 + 60 * size):  # linear: an error path costs more per character
            content = triage.load(q, r)
            try:
                result = triage.evaluate(content, ANSWERS)
            except AnswerError as exc:
                assert exc.invalid or exc.missing
            else:
                assert result.triage_level in ("emergency", "urgent", "soon", "routine")
    except ContentError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path in (str(q), str(r)) and problem.line >= 1, str(problem)
        return
    assert not odd, "an odd or infinite number was read"
    assert all(math.isfinite(n) for n in _numbers(content))
    texts = [content.rules.version, content.rules.notice, content.rules.levels["emergency"].title]
    texts += [f.summary for f in content.rules.red_flags] + [q.text for q in content.questions]
    texts += [f.means for f in content.rules.facts.values()]
    for text in texts:
        assert _HIDDEN.search(printable(text)) is None, text
