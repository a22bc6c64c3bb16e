"""The words a question is asked with, given the answers so far.

A question may carry `text_when` in `questions.yaml`: texts that fit earlier
answers (one for a headache on both sides, one for a first headache). The
first whose condition holds is the text; else the question's own `text`.
The engine picks; screens only show what it gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage.engine.closures import NO_MEMO
from triage.engine.program import program_of
from triage.model import Content, Question


def question_text(content: Content, question: Question, answers: Mapping[str, Any]) -> str:
    """The text to ask `question` with, given the (valid) answers so far."""
    for holds, text in program_of(content).texts.get(question.id, ()):
        if holds(answers, NO_MEMO):
            return text
    return question.text
