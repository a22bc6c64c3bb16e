"""FHIR: the Questionnaire `triage export fhir` writes, checked by the FHIR R4 models
and schema, by what neither checks, and against the questions triage asks."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
from fhir.resources.R4B.questionnaire import Questionnaire
from fhirpathpy import compile as fhirpath
from fhirpathpy.models import models
from referencing.jsonschema import DRAFT6
from typer.testing import CliRunner

from triage.cli import app
from triage.content import fhir
from triage.content.fhirpath import enable_when, expression
from triage.engine.answers import parse_answer
from triage.engine.closures import Linker
from triage.engine.validate import asked, is_asked
from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Condition, Not, all_of, any_of, count_of
from triage.model import Content, Question

from .strategies import boundary_numbers, thresholds

SCHEMA = Path(__file__).parent / "fhir" / "fhir.schema.json.gz"
QUESTIONS = Path(__file__).parent.parent / "triage" / "questions.yaml"
EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), prog_name="triage", catch_exceptions=False)


@pytest.fixture(scope="module")
def exported(content: Content) -> dict[str, Any]:
    return fhir.questionnaire(content)


def items(tree: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a Questionnaire, depth first, in document order."""
    for item in tree.get("item", []):
        yield item
        yield from items(item)


def by_link(exported: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in items(exported)}


def extension(item: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    return [e for e in item.get("extension", []) if e["url"].endswith(name)]


# --- what the FHIR validators say -----------------------------------------------


def test_the_questionnaire_validates_with_the_fhir_resources_models(exported: dict) -> None:
    model = Questionnaire.model_validate(exported)
    assert model.url == fhir.URL and len(model.item) == 7


def test_the_questionnaire_validates_with_the_r4_json_schema(exported: dict) -> None:
    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    registry = referencing.Registry().with_resource(
        schema["id"], referencing.Resource.from_contents(schema, default_specification=DRAFT6)
    )
    definition = {"$ref": schema["id"] + "#/definitions/Questionnaire"}
    validator = jsonschema.Draft6Validator(definition, registry=registry)
    assert [error.message for error in validator.iter_errors(exported)] == []
    broken = {**exported, "status": "finished"}
    assert [error.message for error in validator.iter_errors(broken)] == [
        "'finished' is not one of ['draft', 'active', 'retired', 'unknown']"
    ]


# --- what neither checks ------------------------------------------------------


def test_link_ids_are_unique(exported: dict) -> None:
    links = [item["linkId"] for item in items(exported)]
    assert len(links) == len(set(links))


def test_every_enable_when_is_sound(exported: dict) -> None:
    """enableBehavior with more than one; each names an earlier question, with an
    answer of its type (a code of its own options); never with an expression too."""
    known = by_link(exported)
    order = {link: n for n, link in enumerate(known)}
    for link, item in known.items():
        conditions = item.get("enableWhen", [])
        assert ("enableBehavior" in item) == (len(conditions) > 1), link
        assert not (conditions and extension(item, "enableWhenExpression")), link
        for when in conditions:
            target = known[when["question"]]
            assert (
                target["type"] not in ("group", "display") and order[target["linkId"]] < order[link]
            )
            answer = next(key for key in when if key.startswith("answer"))
            if when["operator"] == "exists":
                assert answer == "answerBoolean"
                continue
            expected = {"choice": "answerCoding", "integer": "answerInteger"}
            assert answer == expected.get(target["type"], "answerDecimal"), link
            if answer == "answerCoding":
                offered = [option["valueCoding"] for option in target["answerOption"]]
                assert {"system", "code"} <= offered[0].keys()
                pairs = {(c["system"], c["code"]) for c in offered}
                assert (when[answer]["system"], when[answer]["code"]) in pairs, link


def test_each_question_is_an_item_of_its_type(content: Content, exported: dict) -> None:
    known = by_link(exported)
    assert exported["url"] == "http://triage.invalid/fhir/Questionnaire/triage"
    assert exported["version"] == content.rules.version
    assert exported["item"][0] == {
        "linkId": "not-a-diagnosis",
        "text": content.rules.notice,
        "type": "display",
    }
    assert [item["linkId"] for item in exported["item"][1:]] == [
        s.id for s in content.questions.sections
    ]
    for q in content.questions:
        item = known[q.id]
        assert item["text"] == q.text
        assert item["required"] is not q.optional_after_red_flag
        if q.type in ("yes_no", "yes_no_unsure", "choice", "multi"):
            assert item["type"] == "choice" and item.get("repeats", False) is (q.type == "multi")
            codes = [option["valueCoding"]["code"] for option in item["answerOption"]]
            systems = {option["valueCoding"]["system"] for option in item["answerOption"]}
            assert codes == list(q.codes) and systems == {fhir.system(q.id)}
        if q.help:
            help_item = known[f"{q.id}-help"]
            assert help_item["text"] == q.help and item["item"] == [help_item]
            assert (
                extension(help_item, "itemControl")[0]["valueCodeableConcept"]["coding"][0]["code"]
                == "help"
            )
    assert known["sudden_onset"]["answerOption"][2] == {
        "valueCoding": {
            "system": "http://triage.invalid/fhir/CodeSystem/sudden_onset",
            "code": "unsure",
            "display": "Unsure",
        }
    }
    assert extension(known["age"], "minValue") == [
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 12}
    ]
    assert extension(known["headache_days_per_month"], "maxValue")[0]["valueDecimal"] == 31
    duration = known["attack_duration_hours"]
    assert duration["type"] == "quantity"
    assert [e["valueCoding"]["code"] for e in extension(duration, "unitOption")] == [
        "h",
        "min",
        "d",
    ]
    assert known["needle_fear"]["required"] is False and known["blood_thinners"]["required"]


def test_ask_ifs_become_enable_when_with_fhir_semantics(exported: dict) -> None:
    known = by_link(exported)

    def when(link: str) -> tuple[str | None, list[tuple[str, str, Any]]]:
        item = known[link]
        pairs = [
            (w["question"], w["operator"], next(v for k, v in w.items() if k.startswith("answer")))
            for w in item["enableWhen"]
        ]
        return item.get("enableBehavior"), [
            (q, op, value["code"] if isinstance(value, dict) else value) for q, op, value in pairs
        ]

    # sex is female or other, and age at most 55: a missing sex must not enable it
    assert when("pregnancy") == (
        "all",
        [("sex", "exists", True), ("sex", "!=", "male"), ("age", "<=", 55)],
    )
    assert when("jaw_or_scalp_pain") == (None, [("age", ">=", 50)])
    assert when("pattern_change") == (
        "any",
        [("headache_history", "=", "months"), ("headache_history", "=", "years")],
    )
    assert when("painkiller_over_3_months") == (
        "all",
        [
            ("painkiller_days", ">", 0),
            ("headache_history", "exists", True),
            ("headache_history", "!=", "days"),
            ("headache_history", "!=", "weeks"),
        ],
    )
    assert when("other_aura_types") == (
        "all",
        [("other_headache", "=", "yes"), ("other_aura", "=", "yes")],
    )
    # the other headache's section is shown only with another headache
    assert when("other_pattern") == (None, [("other_headache", "=", "yes")])
    # the shipped ask-ifs all fit enableWhen
    assert [link for link, item in known.items() if extension(item, "enableWhenExpression")] == []


def test_the_export_is_the_same_every_time(content: Content) -> None:
    assert fhir.json_text(content) == fhir.json_text(content)
    assert json.loads(fhir.json_text(content)) == fhir.questionnaire(content)


# --- enabled items are exactly the questions asked ----------------------------

MODEL = models["r4"]


@cache
def compiled(text: str) -> Callable[..., list[Any]]:
    return fhirpath(text, MODEL)  # type: ignore[no-any-return]


def fhir_values(q: Question, value: Any) -> list[Any]:
    """A parsed answer as the values of FHIR answers."""
    if q.type == "multi":
        return [{"system": fhir.system(q.id), "code": code} for code in value]
    if q.type in ("yes_no", "yes_no_unsure", "choice"):
        return [{"system": fhir.system(q.id), "code": value}]
    if q.unit == "hours":
        return [{"value": value, "system": fhir.UCUM, "code": "h"}]
    return [value]


def _matches(given: Any, when: Mapping[str, Any], key: str) -> bool:
    wanted = when[key]
    if key == "answerCoding":
        return bool(given["system"] == wanted["system"] and given["code"] == wanted["code"])
    return bool(
        {
            "=": given == wanted,
            "!=": given != wanted,
            ">": given > wanted,
            ">=": given >= wanted,
            "<": given < wanted,
            "<=": given <= wanted,
        }[when["operator"]]
    )


def enable_when_holds(when: Mapping[str, Any], given: Mapping[str, list[Any]]) -> bool:
    """One enableWhen, as FHIR R4 reads it: `exists`; `!=` holds when no answer
    equals (so when there is none); the others when some answer compares so."""
    answers = given.get(when["question"], [])
    if when["operator"] == "exists":
        return bool(answers) is when["answerBoolean"]
    key = next(k for k in when if k.startswith("answer"))
    if when["operator"] == "!=":
        return not any(_matches(a, {**when, "operator": "="}, key) for a in answers)
    return any(_matches(a, when, key) for a in answers)


def _response(given: Mapping[str, list[Any]]) -> dict[str, Any]:
    def answer(value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return {"valueQuantity" if "value" in value else "valueCoding": value}
        return {"valueInteger" if isinstance(value, int) else "valueDecimal": value}

    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": link, "answer": [answer(v) for v in values]}
            for link, values in given.items()
        ],
    }


def enabled(exported: Mapping[str, Any], content: Content, answers: Mapping[str, Any]) -> list[str]:
    """The questions a renderer enables, in order, for people giving `answers`:
    an item is enabled when its parent is and its own enableWhen (or expression)
    holds on the answers of the questions enabled so far."""
    questions = content.questions.questions
    given: dict[str, list[Any]] = {}
    shown: list[str] = []

    def walk(children: list[dict[str, Any]]) -> None:
        for item in children:
            conditions = item.get("enableWhen")
            expressions = extension(item, "enableWhenExpression")
            if conditions:
                results = [enable_when_holds(when, given) for when in conditions]
                on = any(results) if item.get("enableBehavior") == "any" else all(results)
            elif expressions:
                response = _response(given)
                found = compiled(expressions[0]["valueExpression"]["expression"])(
                    response, {"resource": response}
                )
                on = found == [True]
            else:
                on = True
            if not on:
                continue
            link = item["linkId"]
            if link in questions:
                shown.append(link)
                if link in answers:
                    given[link] = fhir_values(questions[link], answers[link])
            walk(item.get("item", []))

    walk(exported["item"])
    return shown


AGES = (12, 17, 18, 39, 40, 49, 50, 51, 54, 55, 56, 64, 65, 120)


def generated(content: Content, count: int, seed: int) -> Iterator[dict[str, Any]]:
    """Answer sets in questionnaire order, each question asked answered (or, now
    and then, not): ages at the boundaries, sex missing in some, and about half
    with another headache."""
    rng = random.Random(seed)
    compared = thresholds(content)
    numbers = {
        q.id: boundary_numbers(q, compared.get(q.id, ()))
        for q in content.questions
        if q.type in ("integer", "number")
    }
    for _ in range(count):
        answers: dict[str, Any] = {}
        for q in content.questions:
            if not is_asked(content, q, answers) or rng.random() < 0.04:
                continue
            if q.id == "age":
                value: Any = rng.choice(AGES)
            elif q.id == "sex" and rng.random() < 0.15:
                continue
            elif q.type == "multi":
                value = rng.sample(q.codes, rng.randint(1, len(q.codes)))
            elif q.type in ("integer", "number"):
                value = rng.choice(numbers[q.id])
            else:
                value = rng.choice(q.codes)
            answers[q.id] = parse_answer(q, value)
        yield answers


def test_enabled_items_are_exactly_the_questions_asked(content: Content, exported: dict) -> None:
    seen: dict[str, set[Any]] = {"age": set(), "sex": set(), "other": set(), "pregnancy": set()}
    for answers in generated(content, 1200, seed=20261201):
        assert enabled(exported, content, answers) == [q.id for q in asked(content, answers)], (
            answers
        )
        seen["age"].add(answers.get("age"))
        seen["sex"].add(answers.get("sex"))
        seen["other"].add(answers.get("other_aura") if answers.get("other_headache") else None)
        seen["pregnancy"].add("pregnancy" in answers)
    assert {49, 50, 55, 56, None} <= seen["age"] and None in seen["sex"]
    assert {"yes", "no"} <= seen["other"] and seen["pregnancy"] == {True, False}


def test_fhirpath_of_every_ask_if_says_what_the_engine_does(content: Content) -> None:
    """The expression each shipped ask-if would get, on generated answers."""
    questions = content.questions.questions
    link = Linker({})
    asks = {
        q.ask_if: (expression(q.ask_if, questions), link.test(q.ask_if))
        for q in content.questions
        if q.ask_if
    }
    for answers in generated(content, 300, seed=7):
        given = {qid: fhir_values(questions[qid], value) for qid, value in answers.items()}
        for condition, (text, test) in asks.items():
            response = _response({qid: v for qid, v in given.items() if qid in condition.reads})
            found = compiled(text)(response, {"resource": response})
            assert found == [test(answers, [])], (text, answers)


# --- ask-ifs that enableWhen cannot say ---------------------------------------


def _conditions() -> list[Condition]:
    def c(qid: str, op: str, value: Any) -> Compare:
        return Compare(qid, OPERATORS[op], value)

    age, female = c("age", "ge", 50), c("sex", "eq", "female")
    temples, history = (
        c("location", "includes", "temples"),
        c("headache_history", "in", ("months", "years")),
    )
    short = c("attack_duration_hours", "between", (0.25, 3))
    return [
        Not(age),
        Not(all_of((female, Not(age)))),
        Not(any_of((c("sex", "ne", "male"), c("age", "between", (40, 60)), temples))),
        Not(c("location", "includes_any", ("neck", "forehead"))),
        Not(c("age", "ne", 50)),
        count_of("at_least", 2, (age, female, temples, Not(history))),
        Not(count_of("at_least", 2, (age, female, temples))),
        count_of("at_most", 1, (age, female, temples)),
        Not(count_of("exactly", 2, (age, female, history))),
        all_of((any_of((female, age)), history)),
        short,
        Not(c("attack_duration_hours", "gt", 48)),
        c("location", "count_ge", 2),
        c("location", "eq", ("temples", "neck")),  # in questionnaire order, as read
        all_of((Not(history), c("headache_days_per_month", "lt", 0.5))),
    ]


POINTS = {
    "age": [None, 30, 40, 49, 50, 60, 61],
    "sex": [None, "female", "male", "other"],
    "headache_history": [None, "days", "months"],
    "location": [None, ["temples"], ["neck", "temples"], ["forehead"]],
    "attack_duration_hours": [None, "15 min", "3 h", "3 d", "4 h"],
    "headache_days_per_month": [None, 0, 0.5, 1],
}
WRITTEN_AS = {  # how a form gives each duration above
    "15 min": {"value": 15, "code": "min"},
    "3 h": {"value": 3, "code": "h"},
    "3 d": {"value": 3, "code": "d"},
    "4 h": {"value": 4, "code": "h"},
}


@pytest.mark.parametrize("index", range(15))
def test_other_ask_ifs_are_written_exactly(content: Content, exported: dict, index: int) -> None:
    """enableWhen where it fits, else FHIRPath: each true exactly when the engine's test is."""
    condition = _conditions()[index]
    questions = content.questions.questions
    flat = enable_when(condition, questions)
    text = expression(condition, questions)
    extensions: list[dict[str, Any]] = []
    when = fhir.enable(condition, questions, extensions)
    assert bool(when) != bool(extensions)  # one or the other, never both
    test = Linker({}).test(condition)
    reads = sorted(condition.reads)
    grid: list[dict[str, Any]] = [{}]
    for qid in reads:
        grid = [{**point, qid: value} for point in grid for value in POINTS[qid]]
    for point in grid:
        answers = {k: parse_answer(questions[k], v) for k, v in point.items() if v is not None}
        given = {}
        for qid, value in answers.items():
            given[qid] = fhir_values(questions[qid], value)
            if questions[qid].unit == "hours":
                given[qid] = [{**WRITTEN_AS[point[qid]], "system": fhir.UCUM}]
        holds = test(answers, [])
        response = _response(given)
        assert compiled(text)(response, {"resource": response}) == [holds], (text, point)
        if when:
            results = [enable_when_holds(w, given) for w in when["enableWhen"]]
            said = any(results) if when.get("enableBehavior") == "any" else all(results)
            assert said == holds, (when, point)
    # which of them enableWhen can say
    assert (flat is not None) == (index in (0, 1, 3, 4, 14)), flat


# --- the command --------------------------------------------------------------


def test_export_fhir_writes_stdout_and_a_file(content: Content, tmp_path: Path) -> None:
    result = run("export", "fhir")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == fhir.json_text(content)
    target = tmp_path / "questionnaire.json"
    done = run("export", "fhir", "--output", str(target))
    assert (done.exit_code, done.stdout, done.stderr) == (0, "", "")
    assert target.read_text() == fhir.json_text(content)


def test_a_section_named_like_a_question_is_refused(tmp_path: Path) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text(QUESTIONS.read_text().replace("  - id: about\n", "  - id: age\n", 1))
    result = run("export", "fhir", "--questions", str(questions))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: cannot write the FHIR Questionnaire: age: both a section ID and a question ID; "
        "every linkId of a FHIR Questionnaire is unique, so rename one\n"
    )


def test_export_names_its_formats() -> None:
    result = run("export", "xml")
    assert result.exit_code == 2 and "'redcap', 'fhir'" in result.stderr
