"""The words a question is asked with fit the answers so far (`triage.engine.wording`)."""

from __future__ import annotations

from pathlib import Path

import pytest

import triage
from triage.engine.wording import question_text
from triage.model import Content

from .test_loader import QUESTIONS, problems, write


@pytest.mark.parametrize(
    ("qid", "answers", "start"),
    [
        ("eye_nose_symptoms", {"side": "one_side_same"}, "On the painful side during a headache"),
        ("eye_nose_symptoms", {"side": "both_sides"}, "During a headache, do you get"),
        ("headache_days_per_month", {"headache_history": "years"}, "Over the last 3 months"),
        ("headache_days_per_month", {"headache_history": "weeks"}, "Since this headache began"),
        ("intensity", {"attacks_count": "ten_or_more"}, "At its worst, how bad is a typical"),
        ("intensity", {"attacks_count": "one"}, "At its worst, how bad is this headache"),
        ("attack_duration_hours", {}, "How long does a typical headache last"),
    ],
)
def test_the_text_fits_the_earlier_answers(
    content: Content, qid: str, answers: dict[str, str], start: str
) -> None:
    assert question_text(content, content.questions.questions[qid], answers).startswith(start)


WITH_TEXTS = QUESTIONS.replace(
    "        text: Nausea?\n",
    "        text: Nausea?\n"
    "        text_when:\n"
    "          - when: {age: {lt: 18}}\n"
    "            text: Do you feel sick?\n",
)


def test_a_question_without_a_fitting_text_keeps_its_own(tmp_path: Path) -> None:
    content = triage.load(*write(tmp_path, WITH_TEXTS))
    nausea = content.questions.questions["nausea"]
    assert question_text(content, nausea, {"age": 15}) == "Do you feel sick?"
    assert question_text(content, nausea, {"age": 40}) == "Nausea?"
    assert question_text(content, nausea, {}) == "Nausea?"


def test_a_text_condition_is_checked_like_an_ask_if(tmp_path: Path) -> None:
    later = WITH_TEXTS.replace("{age: {lt: 18}}", "{fever: 'yes'}")
    assert problems(tmp_path, later) == [
        "questions.yaml:14:20: 'fever' is asked later (line 17); "
        "an ask-if may only read questions asked before it"
    ]
    unknown = WITH_TEXTS.replace("{age: {lt: 18}}", "{agee: {lt: 18}}")
    assert problems(tmp_path, unknown) == [
        "questions.yaml:14:20: unknown question 'agee'; did you mean 'age'?"
    ]
