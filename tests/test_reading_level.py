"""Plain words: every question a person reads is at a reading grade they can follow.

Flesch-Kincaid grade (textstat 0.7.3, which needs nothing from the network):
at most 8 for a question, at most 9 for its help line.
"""

from __future__ import annotations

import pytest
import textstat

from triage.model import Content

QUESTION_GRADE = 8
HELP_GRADE = 9


def test_every_question_text_is_at_grade_8_or_below(content: Content) -> None:
    texts = [(q.id, q.text) for q in content.questions]
    texts += [(q.id, text) for q in content.questions for _, text in q.text_when]
    hard = {
        qid: textstat.flesch_kincaid_grade(text)
        for qid, text in texts
        if textstat.flesch_kincaid_grade(text) > QUESTION_GRADE
    }
    assert hard == {}


def test_every_help_text_is_at_grade_9_or_below(content: Content) -> None:
    hard = {
        q.id: textstat.flesch_kincaid_grade(q.help)
        for q in content.questions
        if q.help and textstat.flesch_kincaid_grade(q.help) > HELP_GRADE
    }
    assert hard == {}


@pytest.mark.parametrize(
    ("text", "hard"),
    [
        ("Do you have a headache today?", False),
        (
            "Do you have a pacemaker, defibrillator, implanted pump or nerve stimulator?",
            True,
        ),
    ],
)
def test_the_measure_tells_plain_from_hard(text: str, hard: bool) -> None:
    assert (textstat.flesch_kincaid_grade(text) > QUESTION_GRADE) is hard
