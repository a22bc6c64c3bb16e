"""The questionnaire as a FHIR R4 Questionnaire for SDC form renderers (`triage export fhir`).

Its `url` is `URL`, a canonical that names this questionnaire (it need not
resolve), and its `version` the content version (`version` in `rules.yaml`); a
response names both as `URL|version` in its `questionnaire`, and
`triage assess` reads it against them (`triage.intake.fhir`).

- The not-a-diagnosis notice comes first, as a display item.
- Each section is a group (its `linkId` the section ID) whose first child
  shows its intro; a group whose questions are all asked only sometimes is
  shown when any of them is.
- Each question is an item whose `linkId` is its ID; its help is a display
  child (item control `help`).  The record's `id` is no item: a response
  carries it as its own `id` or `identifier`.
- Yes/no(/unsure) and choice questions are `choice` items (radio buttons)
  and multi questions repeating ones (check boxes), answered with codings of
  the question's own code system, `system(question ID)`, whose codes are
  the answer codes.  Numbers are `integer` or `decimal` items with
  `minValue`/`maxValue`; durations in hours are `quantity` items in `h`,
  `min` or `d` (UCUM).
- Every question is `required` except those that are optional once a red
  flag fires (`optional_after_red_flag`).
- Each ask-if becomes `enableWhen` where it says exactly the same, else an
  `enableWhenExpression` in FHIRPath (see `triage.content.fhirpath`).

Help items are `{ID}-help`, intros `{section}-intro` and the notice
`not-a-diagnosis`: a hyphen is in no question ID.  The output holds no date
or anything else that changes between runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from triage.content.fhirpath import CODED, Test, enable_when, expression
from triage.logic.tree import Condition, Count, any_of
from triage.model import Content, Question, Section

BASE = "http://triage.invalid/fhir"
URL = f"{BASE}/Questionnaire/triage"
UCUM = "http://unitsofmeasure.org"
UNITS = (("h", "hours", 1.0), ("min", "minutes", 1 / 60), ("d", "days", 24.0))  # code, name, hours
NOTICE = "not-a-diagnosis"
YES_NO = {"yes": "Yes", "no": "No", "unsure": "Unsure"}
_CORE = "http://hl7.org/fhir/StructureDefinition/"
_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
_CONTROLS = "http://hl7.org/fhir/questionnaire-item-control"


def system(qid: str) -> str:
    """The code system of a question's answer codes."""
    return f"{BASE}/CodeSystem/{qid}"


def canonical(content: Content) -> str:
    """What a response to this questionnaire names as its `questionnaire`."""
    return f"{URL}|{content.rules.version}"


def coding(q: Question, code: str) -> dict[str, str]:
    """An answer code as a FHIR Coding, with the words the person sees."""
    return {
        "system": system(q.id),
        "code": code,
        "display": dict(q.options).get(code) or YES_NO[code],
    }


def item_type(q: Question) -> str:
    """The FHIR item type of a question."""
    if q.type in CODED or q.type == "multi":
        return "choice"
    if q.type == "integer":
        return "integer"
    return "quantity" if q.unit == "hours" else "decimal"


def unit(code: str) -> dict[str, str]:
    """A unit of a duration as a Coding."""
    name = next(name for unit_code, name, _ in UNITS if unit_code == code)
    return {"system": UCUM, "code": code, "display": name}


def questionnaire(content: Content) -> dict[str, Any]:
    """The FHIR Questionnaire (see the module's docstring).

    `ValueError` names a linkId used twice (a section ID that is also a
    question ID) or an ask-if that cannot be written.
    """
    items: list[dict[str, Any]] = [_display(NOTICE, content.rules.notice)]
    items += [_group(content, section) for section in content.questions.sections]
    out: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": "triage",
        "url": URL,
        "version": content.rules.version,
        "name": "TriageHeadacheSelfCheck",
        "title": "Headache self-check",
        "status": "active",
        "subjectType": ["Patient"],
        "description": content.rules.notice,
        "item": items,
    }
    seen: set[str] = set()
    for link in _links(items):
        if link in seen:
            raise ValueError(
                f"{link}: both a section ID and a question ID; "
                "every linkId of a FHIR Questionnaire is unique, so rename one"
            )
        seen.add(link)
    return out


def json_text(content: Content) -> str:
    """The Questionnaire as JSON text, the same for the same content."""
    return json.dumps(questionnaire(content), indent=2, ensure_ascii=False) + "\n"


def _links(items: list[dict[str, Any]]) -> list[str]:
    found = []
    for item in items:
        found.append(item["linkId"])
        found += _links(item.get("item", []))
    return found


def _display(link: str, text: str, control: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link, "text": text, "type": "display"}
    if control:
        return {"extension": [_control(control)], **item}
    return item


def _control(code: str) -> dict[str, Any]:
    concept = {"coding": [{"system": _CONTROLS, "code": code}]}
    return {"url": _CORE + "questionnaire-itemControl", "valueCodeableConcept": concept}


def _group(content: Content, section: Section) -> dict[str, Any]:
    questions = content.questions.questions
    members = [questions[qid] for qid in section.questions]
    children = [_display(f"{section.id}-intro", section.intro)] if section.intro else []
    children += [_question(q, questions) for q in members]
    extension: list[dict[str, Any]] = []
    shown = enable(_shown_when(members), questions, extension)
    return {
        **({"extension": extension} if extension else {}),
        "linkId": section.id,
        "text": section.title,
        "type": "group",
        **shown,
        "item": children,
    }


def _conjuncts(condition: Condition) -> tuple[Condition, ...]:
    if isinstance(condition, Count) and condition.word == "all":
        return condition.items
    return (condition,)


def _shown_when(members: list[Question]) -> Condition | None:
    """When a group is shown: when any of its questions is asked (always, if one always is).

    When one of the ask-ifs is a part of every other (`other_headache` is
    `yes`, of every question about the other headache), it alone says so.
    """
    conditions: list[Condition] = []
    for q in members:
        if q.ask_if is None:
            return None
        if q.ask_if not in conditions:
            conditions.append(q.ask_if)
    if not conditions:
        return None
    for candidate in conditions:
        parts = set(_conjuncts(candidate))
        if all(parts <= set(_conjuncts(other)) for other in conditions):
            return candidate
    return any_of(tuple(conditions))


def enable(
    condition: Condition | None,
    questions: Mapping[str, Question],
    extension: list[dict[str, Any]],
) -> dict[str, Any]:
    """The enableWhen keys of an item shown when `condition` holds (None: always),
    or else its enableWhenExpression, added to the item's `extension`: never both."""
    if condition is None:
        return {}
    found = enable_when(condition, questions)
    if found is None:
        fhirpath = {"language": "text/fhirpath", "expression": expression(condition, questions)}
        extension.append(
            {"url": _SDC + "sdc-questionnaire-enableWhenExpression", "valueExpression": fhirpath}
        )
        return {}
    keys: dict[str, Any] = {
        "enableWhen": [_when(test, questions[test.question]) for test in found.tests]
    }
    if len(found.tests) > 1:
        keys["enableBehavior"] = found.behavior
    return keys


def _when(test: Test, q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"question": test.question, "operator": test.operator}
    if test.operator == "exists":
        out["answerBoolean"] = test.answer
    elif q.type in CODED or q.type == "multi":
        out["answerCoding"] = {"system": system(q.id), "code": test.answer}
    else:
        out["answerInteger" if q.type == "integer" else "answerDecimal"] = test.answer
    return out


def _question(q: Question, questions: Mapping[str, Question]) -> dict[str, Any]:
    kind = item_type(q)
    extension: list[dict[str, Any]] = []
    if q.type == "multi":
        extension.append(_control("check-box"))
        if q.min_items > 1:
            extension.append(
                {"url": _CORE + "questionnaire-minOccurs", "valueInteger": q.min_items}
            )
    elif kind == "choice":
        extension.append(_control("radio-button"))
    elif kind == "quantity":
        extension += [
            {"url": _CORE + "questionnaire-unitOption", "valueCoding": unit(code)}
            for code, _, _ in UNITS
        ]
        if q.max is not None:
            top = {"value": q.max, "unit": "hours", "system": UCUM, "code": "h"}
            extension.append({"url": _SDC + "sdc-questionnaire-maxQuantity", "valueQuantity": top})
    else:
        value = "valueInteger" if kind == "integer" else "valueDecimal"
        low = q.min
        if q.greater_than is not None and kind == "integer":
            low = int(q.greater_than) + 1  # the next whole number (a decimal's: checked on reading)
        for name, bound in (("minValue", low), ("maxValue", q.max)):
            if bound is not None:
                extension.append({"url": _CORE + name, value: bound})
    shown = enable(q.ask_if, questions, extension)
    item: dict[str, Any] = {
        **({"extension": extension} if extension else {}),
        "linkId": q.id,
        "text": q.text,
        "type": kind,
        **shown,
        "required": not q.optional_after_red_flag,
    }
    if q.type == "multi":
        item["repeats"] = True
    if kind == "choice":
        item["answerOption"] = [{"valueCoding": coding(q, code)} for code in q.codes]
    if q.help:
        item["item"] = [_display(f"{q.id}-help", q.help, "help")]
    return item
