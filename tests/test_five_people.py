"""How many questions five people are asked, as the README says, and that none
is pointless given the answers so far.

Each person is a complete record; the self-check is driven with their answers
typed one by one (at an urgent notice they go on to learn about the pattern;
at an emergency they end). The README's table is checked against the counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.engine.validate import is_asked
from triage.engine.wording import question_text
from triage.model import Content
from triage.selfcheck.flow import SelfCheck
from triage.selfcheck.screens import Ask, EarlyNotice, Emergency, Screen

HERE = Path(__file__).parent
README = (HERE.parent / "README.md").read_text()
BASES = yaml.safe_load((HERE / "cases" / "bases.yaml").read_text())
V29 = yaml.safe_load(next((HERE / "vignettes").glob("v29-*.yaml")).read_text())["answers"]

PEOPLE: dict[str, dict[str, Any]] = {
    "migraine with aura": BASES["adult_migraine_with_aura"],
    "a new headache at 58": {
        k: v
        for k, v in BASES["older_man_frequent_tension_type"].items()
        if k not in ("pattern_change",)
    }
    | {"age": 58, "headache_history": "weeks", "jaw_or_scalp_pain": "no"},
    "daily neck-led headache": BASES["adult_chronic_tension_type"]
    | {
        "headache_days_per_month": 30,
        "side": "one_side_same",
        "starts_in_neck": "yes",
        "neck_movement_triggers": "yes",
    },
    "an emergency": BASES["adult_migraine_without_aura"] | {"sudden_onset": "yes"},
    "migraine plus tension-type": V29,
}


def typed(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def run(content: Content, record: dict[str, Any]) -> list[Ask]:
    """The question screens the person sees, answering from the record."""
    asked: list[Ask] = []

    def prompt(screen: Screen) -> str:
        if isinstance(screen, Ask):
            asked.append(screen)
            return typed(record.get(screen.question.id, "n"))
        if isinstance(screen, EarlyNotice):
            return "2"  # go on to learn about the headache pattern
        if isinstance(screen, Emergency):
            return "1"  # end now
        return ""  # the review: finish

    SelfCheck(content, {}).run(prompt)
    return asked


def readme_counts() -> dict[str, int]:
    rows = re.findall(r"^\| (.+?) \| (\d+) \|", README, flags=re.MULTILINE)
    return {name: int(count) for name, count in rows if name in PEOPLE}


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_the_readme_says_how_many_questions_each_person_is_asked(
    content: Content, person: str
) -> None:
    screens = run(content, PEOPLE[person])
    assert readme_counts()[person] == len(screens)


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_no_question_is_pointless_given_the_answers_so_far(content: Content, person: str) -> None:
    record = PEOPLE[person]
    seen: list[str] = []
    for screen in run(content, record):
        q = screen.question
        assert q.id not in seen, f"'{q.id}' asked twice"
        so_far = {qid: record[qid] for qid in seen if qid in record}
        assert is_asked(content, q, so_far)
        assert screen.text == question_text(content, q, so_far)
        seen.append(q.id)


def test_the_people_differ_as_their_answers_do(content: Content) -> None:
    counts: Callable[[str], int] = lambda person: len(run(content, PEOPLE[person]))  # noqa: E731
    assert counts("an emergency") < counts("migraine with aura")
    assert counts("migraine plus tension-type") > counts("migraine with aura")
