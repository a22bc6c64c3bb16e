"""The questionnaire as data for people and scripts: a listing and a blank answers file."""

from __future__ import annotations

from typing import Any

from .answers import expectation
from .model import Content


def as_list(content: Content) -> list[dict[str, Any]]:
    """Every question with its ID, section, type, allowed values and ask-if."""
    return [
        {
            "id": q.id,
            "section": q.section,
            "type": q.type,
            "text": q.text,
            "codes": list(q.codes),
            "min": q.min,
            "max": q.max,
            "greater_than": q.greater_than,
            "allowed": expectation(q).removeprefix("must be "),
            "ask_if": q.ask_if.describe() if q.ask_if else None,
        }
        for q in content.questions
    ]


def template(content: Content) -> str:
    """A blank YAML answers file: one line per question, with what it takes."""
    lines = [
        "# triage answers file: fill in every question that applies.",
        "# Leave a question blank when its 'asked only if' does not hold.",
        "id: ",
    ]
    for section in content.questions.sections:
        lines.append("")
        lines.append(f"# --- {section.title} ---")
        for qid in section.questions:
            q = content.questions.questions[qid]
            lines.append(f"# {q.text}")
            lines.append(f"#   {expectation(q)}")
            if q.ask_if is not None:
                lines.append(f"#   asked only if {q.ask_if.describe()}")
            lines.append(f"{q.id}: ")
    return "\n".join(lines) + "\n"
