"""Answers as a FHIR R4 QuestionnaireResponse to the exported Questionnaire.

`response(content, answers)` writes what a form renderer would send back for
the same answers, so that `triage assess` gives the same result for both
(the tests check it on every vignette and case).  A clinic can use it to
turn answers files into responses for its FHIR server.

The answers go through the one validation first: only the valid answers to
questions that are asked are written, each in its section's group, in
questionnaire order; an invalid answer is a `ValueError` naming it.  A
duration is written in days when it is whole days and in minutes when it is
a part of an hour, if that reads back as exactly the same hours; else in
hours.  The record's `id` becomes the response's `id` when it is a valid
FHIR id (letters, digits, `-` and `.`, at most 64), else its `identifier`,
whose value is text (a number id reads back as text).  `emergency_undone` is
not written: a response has no place for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from triage.content.fhir import UCUM, UNITS, canonical, coding, item_type
from triage.engine.answers import parse_answer
from triage.engine.validate import validate
from triage.errors import describe_answer_problems
from triage.model import RECORD_ID, Content, Question

_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


def response(
    content: Content, answers: Mapping[str, Any], *, status: str = "completed"
) -> dict[str, Any]:
    """A QuestionnaireResponse holding `answers` (see the module's docstring)."""
    checked = validate(content, answers)
    if checked.invalid:
        raise ValueError(describe_answer_problems((), checked.invalid))
    out: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    rid = answers.get(RECORD_ID)
    if isinstance(rid, str) and _FHIR_ID.fullmatch(rid):
        out["id"] = rid
    elif rid is not None:
        out["identifier"] = {"value": str(rid)}
    out["questionnaire"] = canonical(content)
    out["status"] = status
    questions = content.questions.questions
    groups = []
    for section in content.questions.sections:
        items = [
            {"linkId": qid, "text": questions[qid].text, "answer": _answer(questions[qid], value)}
            for qid in section.questions
            if (value := checked.answers.get(qid)) is not None
        ]
        if items:
            groups.append({"linkId": section.id, "text": section.title, "item": items})
    out["item"] = groups
    return out


def _answer(q: Question, value: Any) -> list[dict[str, Any]]:
    kind = item_type(q)
    if q.type == "multi":
        return [{"valueCoding": coding(q, code)} for code in value]
    if kind == "choice":
        return [{"valueCoding": coding(q, value)}]
    if kind == "integer":
        return [{"valueInteger": value}]
    if kind == "decimal":
        return [{"valueDecimal": value}]
    return [{"valueQuantity": duration(q, value)}]


def duration(q: Question, hours: float) -> dict[str, Any]:
    """A duration in hours as a Quantity: whole days in days, a part of an hour in
    minutes, when that reads back as exactly the same hours; else in hours."""
    day, minute = UNITS[2], UNITS[1]
    whole = float(hours).is_integer()
    for (code, name, per), fits in ((day, whole and hours >= 24), (minute, not whole)):
        count = hours / per
        if fits and float(count).is_integer():
            try:
                exact = parse_answer(q, f"{int(count)} {code}") == hours
            except ValueError:
                exact = False
            if exact:
                return {"value": int(count), "unit": name, "system": UCUM, "code": code}
    return {"value": hours, "unit": UNITS[0][1], "system": UCUM, "code": "h"}
