"""Loading content files: every problem reported as file:line:col with what is valid."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import triage
from triage.errors import ContentError

QUESTIONS = """\
sections:
  - id: s
    title: S
    questions:
      - id: age
        type: integer
        text: Age?
        min: 12
        max: 120
      - id: nausea
        type: choice
        text: Nausea?
        options: {none: None, mild: Mild, moderate_or_severe: Bad}
      - id: fever
        type: yes_no_unsure
        unsure: escalate
        text: Fever?
      - id: location
        type: multi
        text: Where?
        min_items: 1
        options: {forehead: Forehead, temples: Temples}
"""

RULES = """\
version: "1"
notice: Not a diagnosis.
levels:
  - {id: emergency, title: E, advice: Now.}
  - {id: urgent, title: U, advice: Today.}
  - {id: soon, title: S, advice: Soon.}
  - {id: routine, title: R, advice: Fine.}
facts:
  old: {when: {age: {ge: 50}}}
red_flags:
  - id: hot
    level: urgent
    when: {all: [fever, old]}
    summary: Fever over 50.
    source: A source
patterns:
  - id: nauseous
    certainty: possible
    when: {nausea: {ne: none}}
    summary: s
    source: s
  - id: unclassified
    certainty: null
    summary: s
    source: s
dry_needling:
  contraindications: []
  precautions: []
  targets:
    - {id: t, when: {pattern: nauseous}, reason: r, source: s}
  pericranial_tenderness: fever
  reasons: {refer_first: a, contraindicated: b, no_target: c, with_precautions: d}
"""


def write(tmp_path: Path, questions: str = QUESTIONS, rules: str = RULES) -> tuple[Path, Path]:
    q = tmp_path / "questions.yaml"
    r = tmp_path / "rules.yaml"
    q.write_text(textwrap.dedent(questions))
    r.write_text(textwrap.dedent(rules))
    return q, r


def problems(tmp_path: Path, questions: str = QUESTIONS, rules: str = RULES) -> list[str]:
    q, r = write(tmp_path, questions, rules)
    with pytest.raises(ContentError) as caught:
        triage.load(q, r)
    return [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_the_minimal_content_loads(tmp_path: Path) -> None:
    content = triage.load(*write(tmp_path))
    assert [f.id for f in content.rules.red_flags] == ["hot"]
    result = triage.evaluate(
        content, {"age": 60, "nausea": "mild", "fever": "yes", "location": ["temples"]}
    )
    assert [f.rule.id for f in result.red_flags] == ["hot"]
    assert result.red_flags[0].because == (("age", 60), ("fever", "yes"))


def test_the_shipped_content_loads_from_the_package() -> None:
    content = triage.load()
    assert len(content.questions.questions) == 87
    assert len(content.rules.sha256) == 64


def test_unknown_answer_code(tmp_path: Path) -> None:
    rules = RULES.replace("{nausea: {ne: none}}", "{nausea: {ne: sever}}")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:19:25: unknown answer code 'sever' for 'nausea'; "
        "expected one of none, mild, moderate_or_severe"
    ]


def test_unknown_question_with_a_near_miss(tmp_path: Path) -> None:
    rules = RULES.replace("[fever, old]", "[fevr, old]")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:13:18: unknown question 'fevr'; did you mean 'fever'?"
    ]


def test_comparison_that_does_not_fit_the_type(tmp_path: Path) -> None:
    rules = RULES.replace("{age: {ge: 50}}", "{age: {includes: 50}}")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:9:22: 'includes' does not fit 'age', an integer question; "
        "expected one of eq, ne, gt, ge, lt, le, between"
    ]


def test_bare_id_of_a_non_yes_no_question(tmp_path: Path) -> None:
    rules = RULES.replace("[fever, old]", "[nausea, old]")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:13:18: 'nausea' is a choice question; a bare ID means 'answered yes', "
        "so write a comparison such as {nausea: {eq: ...}}"
    ]


def test_a_cycle_between_facts(tmp_path: Path) -> None:
    rules = RULES.replace(
        "  old: {when: {age: {ge: 50}}}", "  old: {when: older}\n  older: {when: old}"
    )
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:9:8: fact 'old' depends on itself: old -> older -> old; break the cycle"
    ]


def test_a_pattern_that_reads_a_later_pattern(tmp_path: Path) -> None:
    rules = RULES.replace("{nausea: {ne: none}}", "{pattern: later}").replace(
        "  - id: unclassified",
        "  - {id: later, certainty: possible, when: fever, summary: s,"
        " source: s}\n  - id: unclassified",
    )
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:19:21: pattern 'later' comes later (line 22); "
        "a pattern may refer only to patterns above it"
    ]


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    rules = (
        RULES.replace("level: urgent", "level: urgnt")
        .replace("[fever, old]", "[fevr, old]")
        .replace("    source: A source\n", "")
        .replace("{nausea: {ne: none}}", "{nausea: {ge: 3}}")
    )
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:11:5: 'hot' names no source; every rule names its clinical source: "
        "add 'source'",
        "rules.yaml:12:12: unknown level 'urgnt' for red flag 'hot'; "
        "expected one of emergency, urgent, soon",
        "rules.yaml:13:18: unknown question 'fevr'; did you mean 'fever'?",
        "rules.yaml:18:21: 'ge' does not fit 'nausea', a choice question; "
        "expected one of eq, ne, in",
    ]


def test_an_unknown_key_suggests_the_near_one(tmp_path: Path) -> None:
    rules = RULES.replace("    summary: Fever over 50.", "    sumary: Fever over 50.")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:11:5: an entry of red_flags lacks 'summary'",
        "rules.yaml:14:5: unknown key 'sumary' in an entry of red_flags; did you mean 'summary'?",
    ]


def test_ask_if_may_only_read_earlier_questions(tmp_path: Path) -> None:
    questions = QUESTIONS.replace(
        "        type: integer\n", "        type: integer\n        ask_if: fever\n"
    )
    assert problems(tmp_path, questions=questions) == [
        "questions.yaml:7:17: 'fever' is asked later (line 15); "
        "an ask-if may only read questions asked before it"
    ]


def test_question_problems(tmp_path: Path) -> None:
    questions = (
        QUESTIONS.replace("type: choice", "type: choise")
        .replace("        unsure: escalate\n", "        unsure: maybe\n")
        .replace("  - id: s\n", "  - id: s\n    colour: red\n")
    )
    assert problems(tmp_path, questions=questions) == [
        "questions.yaml:3:5: unknown key 'colour' in a section; expected id, title, "
        "questions, intro",
        "questions.yaml:12:15: unknown type 'choise' for 'nausea'; expected one of yes_no, "
        "yes_no_unsure, integer, number, choice, multi",
        "questions.yaml:17:17: unknown unsure policy 'maybe'; expected one of escalate, cap, "
        "ignore",
    ]


def test_an_ignore_policy_needs_advice(tmp_path: Path) -> None:
    questions = QUESTIONS.replace("unsure: escalate", "unsure: ignore")
    assert problems(tmp_path, questions=questions) == [
        "questions.yaml:16:17: 'fever' ignores unsure answers, so it needs 'unsure_advice': "
        "what the person can do to find out"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "rules.yaml: is empty; expected a mapping of settings"),
        ("a: [", "rules.yaml:2:1: not valid YAML: did not find expected node content"),
        ("- 1\n", "rules.yaml:1:1: the rules file rules.yaml must be a mapping, not a list"),
        (
            "version: !!python/object/apply:os.system ['true']\n",
            "rules.yaml:1:10: the tag '!!python/object/apply:os.system' is not allowed on a list",
        ),
        (
            "a: &a [1]\nb: [*a, *a]\n",
            "rules.yaml:1:4: this value is used again through an alias (*name); aliases are "
            "not supported, write the value out",
        ),
        (
            "version: 1\nversion: 2\n",
            "rules.yaml:2:1: duplicate key 'version' (first given on line 1)",
        ),
    ],
)
def test_unreadable_rules_files(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, rules=text) == [expected]


def test_a_missing_file(tmp_path: Path) -> None:
    q, _ = write(tmp_path)
    with pytest.raises(ContentError) as caught:
        triage.load(q, tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path}/nope.yaml: no such file"


def test_a_content_file_over_10_mib_is_not_read(tmp_path: Path) -> None:
    rules = RULES + "#" * (10 << 20) + "\n"
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml: is larger than 10 MiB (the limit for a questionnaire or rules file)"
    ]


def test_deep_nesting_in_content_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    rules = "a: " + "[" * 200 + "]" * 200 + "\n"
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:1:103: not valid here: nested more than 100 levels deep"
    ]


def test_a_question_id_given_twice(tmp_path: Path) -> None:
    again = "      - {id: age, type: integer, text: Again?, min: 1, max: 2}\n"
    questions = QUESTIONS.replace("      - id: nausea\n", again + "      - id: nausea\n")
    assert problems(tmp_path, questions=questions) == [
        "questions.yaml:10:14: question id 'age' is defined twice; use another id"
    ]


def test_a_pattern_id_given_twice(tmp_path: Path) -> None:
    again = "  - {id: nauseous, certainty: possible, when: fever, summary: s, source: s}\n"
    rules = RULES.replace("  - id: unclassified\n", again + "  - id: unclassified\n")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:17:3: pattern id 'nauseous' is defined twice; ids must be unique"
    ]


def test_a_missing_section_of_the_rules_with_screens_given(tmp_path: Path) -> None:
    rules = RULES.replace("patterns:", "screens: []\npatternz:")
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:1:1: the rules file rules.yaml lacks 'patterns'",
        "rules.yaml:17:1: unknown key 'patternz' in the rules file rules.yaml; "
        "did you mean 'patterns'?",
    ]


# --- the second headache: twins and totals -------------------------------------------

TWINS = (
    QUESTIONS
    + """\
      - id: second
        type: yes_no
        text: Another headache?
      - id: other_nausea
        type: choice
        text: Nausea with the other?
        options: {none: None, mild: Mild, moderate_or_severe: Bad}
        ask_if: second
      - id: other_age
        type: integer
        text: Age at the other?
        min: 12
        max: 120
        ask_if: second
second_headache:
  when: second
  twins:
    nausea: other_nausea
    age: other_age
  totals:
    total_age: age
"""
)


def test_a_declared_second_headache_loads_and_rules_read_its_totals(tmp_path: Path) -> None:
    rules = RULES.replace("old: {when: {age: {ge: 50}}}", "old: {when: {total_age: {ge: 50}}}")
    content = triage.load(*write(tmp_path, TWINS, rules))
    second = content.questions.second
    assert second is not None
    assert dict(second.twins) == {"nausea": "other_nausea", "age": "other_age"}
    assert dict(second.totals) == {"total_age": "age"}
    answers = {"age": 30, "nausea": "none", "fever": "yes", "location": ["temples"], "second": "no"}
    assert triage.evaluate(content, answers).red_flags == ()
    both = answers | {"second": "yes", "other_nausea": "mild", "other_age": 25}
    result = triage.evaluate(content, both)  # 30 + 25: the total is 55
    assert [f.rule.id for f in result.red_flags] == ["hot"]
    assert result.red_flags[0].because == (("age", 30), ("fever", "yes"), ("other_age", 25))
    assert [(p.rule.id, p.headache) for p in result.headache_types] == [
        ("unclassified", 1),
        ("nauseous", 2),
    ]


def test_a_twin_of_another_type_is_refused_with_its_place(tmp_path: Path) -> None:
    questions = TWINS.replace("nausea: other_nausea", "nausea: other_age").replace(
        "age: other_age", "age: other_nausea"
    )
    assert problems(tmp_path, questions) == [
        "questions.yaml:40:13: twin 'other_age' differs from 'nausea' in type, codes, min, max; "
        "a twin has the same type, codes and range as its pair",
        "questions.yaml:41:10: twin 'other_nausea' differs from 'age' in type, codes, min, max; "
        "a twin has the same type, codes and range as its pair",
        "questions.yaml:43:16: total 'total_age' adds up 'age', which must be a number "
        "question with a twin",
    ]


def test_an_unknown_twin_is_refused_with_its_place(tmp_path: Path) -> None:
    questions = TWINS.replace("nausea: other_nausea", "nausea: other_nausae")
    assert problems(tmp_path, questions) == [
        "questions.yaml:40:13: unknown twin 'other_nausae'; did you mean 'other_nausea'?"
    ]


def test_a_total_must_add_up_a_number_with_a_twin(tmp_path: Path) -> None:
    questions = TWINS.replace("total_age: age", "total_age: nausea")
    assert problems(tmp_path, questions) == [
        "questions.yaml:43:16: total 'total_age' adds up 'nausea', which must be a number "
        "question with a twin"
    ]


# --- labels and notes for the clinician's report --------------------------------------


def test_clinician_labels_and_handoff_notes_load(tmp_path: Path) -> None:
    questions = QUESTIONS.replace(
        "        text: Fever?\n", "        text: Fever?\n        clinician: Febrile\n"
    )
    rules = (
        RULES.replace(
            "    summary: Fever over 50.\n",
            "    summary: Fever over 50.\n    clinician: Fever, 50+\n",
        )
        + "handoff:\n  unseen: [Blood pressure]\n  diary: [Headache days]\n  source: NICE CG150\n"
    )
    content = triage.load(*write(tmp_path, questions, rules))
    assert content.questions.questions["fever"].clinician == "Febrile"
    assert content.questions.questions["age"].clinician == ""
    assert content.rules.red_flags[0].clinician == "Fever, 50+"
    notes = content.rules.handoff
    assert (notes.unseen, notes.diary, notes.source) == (
        ("Blood pressure",),
        ("Headache days",),
        "NICE CG150",
    )


def test_a_clinician_label_must_be_short_text(tmp_path: Path) -> None:
    long = "x" * 71
    questions = QUESTIONS.replace(
        "        text: Fever?\n", f"        text: Fever?\n        clinician: {long}\n"
    )
    assert problems(tmp_path, questions=questions) == [
        "questions.yaml:18:20: clinician label of 'fever' is 71 characters; keep it to 70 or "
        "fewer (a line of the clinician's report)"
    ]
    rules = RULES.replace(
        "    summary: Fever over 50.\n", "    summary: Fever over 50.\n    clinician: [a, b]\n"
    )
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:15:16: clinician must be text, not a list"
    ]


def test_handoff_notes_are_checked_like_every_other_key(tmp_path: Path) -> None:
    rules = RULES + "handoff:\n  unseen: [Blood pressure, [nested]]\n  diary_: [x]\n"
    assert problems(tmp_path, rules=rules) == [
        "rules.yaml:34:3: handoff lacks 'source'",
        "rules.yaml:34:28: an entry of unseen must be text, not a list",
        "rules.yaml:35:3: unknown key 'diary_' in handoff; did you mean 'diary'?",
    ]
