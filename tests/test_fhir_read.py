"""FHIR: QuestionnaireResponses read by `triage assess`, each problem named by its
item, and answers -> response -> answers giving the same result on every scenario."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import triage
from triage.cli import app
from triage.content import fhir
from triage.content.fhirresponse import duration, response
from triage.intake import read as records
from triage.intake.fhir import Response, responses
from triage.model import Content
from triage.results import contract

from .scenarios import Scenario, cases, vignettes

runner = CliRunner()
URL = "http://triage.invalid/fhir/Questionnaire/triage"
CODES = "http://triage.invalid/fhir/CodeSystem"
UCUM = "http://unitsofmeasure.org"
ALL = vignettes() + cases()
V29 = next(s for s in ALL if s.name.startswith("v29-"))  # two headaches


def run(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input, prog_name="triage", catch_exceptions=False)


@pytest.fixture(scope="module")
def given(content: Content) -> Callable[[], dict[str, Any]]:
    exported = fhir.questionnaire(content)
    return lambda: exported


def read(given: Callable[[], dict[str, Any]], resource: Any, where: str = "r.json") -> list[Any]:
    return list(responses(where, resource, given))


def one(given: Callable[[], dict[str, Any]], resource: Any) -> Response:
    (found,) = read(given, resource)
    assert isinstance(found, Response)
    return found


def item(qr: dict[str, Any], link: str) -> dict[str, Any]:
    """The item of a response that answers `link`."""
    return next(i for group in qr["item"] for i in group["item"] if i["linkId"] == link)


@pytest.fixture
def qr(content: Content) -> dict[str, Any]:
    """A complete response with another headache: V29's answers."""
    return response(content, {**V29.answers, "id": "intake-29"})


# --- the same result either way -----------------------------------------------


@pytest.mark.parametrize("scenario", ALL, ids=str)
def test_answers_through_a_response_give_the_same_result(
    content: Content, given: Callable[[], dict[str, Any]], scenario: Scenario
) -> None:
    direct = contract.result_object(content, triage.evaluate(content, scenario.answers))
    written = json.loads(json.dumps(response(content, scenario.answers)))
    found = one(given, written)
    assert (found.error, found.warnings) == (None, ())
    assert found.answers is not None
    again = contract.result_object(content, triage.evaluate(content, found.answers))
    assert again == direct


def test_a_response_is_grouped_by_section_and_coded(content: Content, qr: dict) -> None:
    assert qr["questionnaire"] == f"{URL}|{content.rules.version}"
    assert (qr["id"], qr["status"]) == ("intake-29", "completed")
    assert [group["linkId"] for group in qr["item"]] == [
        "about",
        "warning_signs",
        "pattern",
        "other_pattern",
        "medicines",
        "needling_safety",
    ]
    assert item(qr, "location")["answer"] == [
        {"valueCoding": {"system": f"{CODES}/location", "code": c, "display": d}}
        for c, d in (("forehead", "Forehead"), ("temples", "Temples (the sides of your head)"))
    ]
    assert item(qr, "attack_duration_hours")["answer"] == [
        {"valueQuantity": {"value": 12, "unit": "hours", "system": UCUM, "code": "h"}}
    ]


def test_durations_are_written_in_days_or_minutes_when_exact(content: Content) -> None:
    q = content.questions.questions["attack_duration_hours"]
    assert [(d["value"], d["code"]) for d in map(lambda h: duration(q, h), (72, 0.75, 1.5))] == [
        (3, "d"),
        (45, "min"),
        (90, "min"),
    ]
    assert duration(q, 0.1 + 0.2)["code"] == "h"


def test_an_identifier_carries_an_id_that_is_no_fhir_id(content: Content, given: Any) -> None:
    written = response(content, {**V29.answers, "id": "walk in 7"})
    assert "id" not in written and written["identifier"] == {"value": "walk in 7"}
    assert one(given, written).answers["id"] == "walk in 7"  # type: ignore[index]
    with pytest.raises(ValueError, match="^'age' must be a whole number from 12 to 120, not 130$"):
        response(content, {**V29.answers, "age": 130})


# --- answers ------------------------------------------------------------------


def test_minutes_and_days_are_read_as_hours(content: Content, given: Any, qr: dict) -> None:
    for value, code, hours in ((90, "min", 1.5), (3, "d", 72), (0.5, "h", 0.5)):
        item(qr, "attack_duration_hours")["answer"] = [
            {"valueQuantity": {"value": value, "unit": code, "system": UCUM, "code": code}}
        ]
        found = one(given, qr)
        assert found.answers["attack_duration_hours"] == f"{value} {code}"  # type: ignore[index]
        assert found.warnings == ()
        result = triage.evaluate(content, found.answers or {})
        assert result.answers["attack_duration_hours"] == hours


QUANTITY_PROBLEMS = [
    (
        {"value": 2, "unit": "weeks", "system": UCUM, "code": "wk"},
        "valueQuantity has unit 'wk' of system 'http://unitsofmeasure.org'; expected one of "
        "h, min, d of system 'http://unitsofmeasure.org'; left out",
    ),
    (
        {"value": 90, "unit": "min"},
        "valueQuantity has no unit code; expected one of h, min, d of system "
        "'http://unitsofmeasure.org'; left out",
    ),
    (
        {"value": 90, "code": "min"},
        "valueQuantity has unit 'min' with no system; expected one of h, min, d of system "
        "'http://unitsofmeasure.org'; left out",
    ),
    (
        {"value": 4, "comparator": "<", "system": UCUM, "code": "h"},
        "valueQuantity has the comparator '<', so no exact duration; left out",
    ),
    ({"unit": "h", "system": UCUM, "code": "h"}, "valueQuantity has no number; left out"),
]


@pytest.mark.parametrize(("quantity", "message"), QUANTITY_PROBLEMS)
def test_a_duration_needs_a_unit_it_offers(
    given: Any, qr: dict, quantity: dict, message: str
) -> None:
    item(qr, "attack_duration_hours")["answer"] = [{"valueQuantity": quantity}]
    found = one(given, qr)
    assert found.warnings == (f"item 'attack_duration_hours': {message}",)
    assert "attack_duration_hours" not in found.answers  # type: ignore[operator]


def test_codes_of_another_system_are_left_out(given: Any, qr: dict) -> None:
    gender = "http://hl7.org/fhir/administrative-gender"
    item(qr, "sex")["answer"] = [{"valueCoding": {"system": gender, "code": "female"}}]
    item(qr, "aura")["answer"] = [{"valueCoding": {"code": "no"}}]
    found = one(given, qr)
    assert found.warnings == (
        f"item 'sex': code 'female' of system '{gender}' is not one this question offers; "
        f"expected a code of '{CODES}/sex'; left out",
        f"item 'aura': code 'no' of no system is not one this question offers; "
        f"expected a code of '{CODES}/aura'; left out",
    )
    assert {"sex", "aura"} & found.answers.keys() == set()  # type: ignore[union-attr]


def test_a_code_of_its_own_system_goes_to_the_one_validation(
    content: Content, given: Any, qr: dict
) -> None:
    item(qr, "sex")["answer"] = [{"valueCoding": {"system": f"{CODES}/sex", "code": "woman"}}]
    found = one(given, qr)
    assert found.warnings == () and found.answers["sex"] == "woman"  # type: ignore[index]
    with pytest.raises(triage.AnswerError) as caught:
        triage.evaluate(content, found.answers or {})
    assert caught.value.invalid == {
        "sex": "unknown code 'woman'; expected one of female, male, other"
    }


def test_a_string_or_boolean_is_read_as_an_answers_file_holds_it(
    content: Content, given: Any, qr: dict
) -> None:
    item(qr, "sex")["answer"] = [{"valueString": "Female"}]
    item(qr, "aura")["answer"] = [{"valueBoolean": False}]
    item(qr, "intensity")["answer"] = [{"valueString": "8/10"}]
    found = one(given, qr)
    assert found.warnings == (
        "item 'sex': valueString 'Female' where a valueCoding is expected; "
        "read as an answers file holds it",
        "item 'intensity': valueString '8/10' where a valueInteger is expected; "
        "read as an answers file holds it",
        "item 'aura': valueBoolean False where a valueCoding is expected; "
        "read as an answers file holds it",
    )
    result = triage.evaluate(content, found.answers or {})
    assert (result.answers["sex"], result.answers["aura"], result.answers["intensity"]) == (
        "female",
        "no",
        8,
    )


def test_other_value_types_and_shapes_are_left_out(given: Any, qr: dict) -> None:
    item(qr, "attack_duration_hours")["answer"] = [{"valueDecimal": 4}]
    item(qr, "age")["answer"] = [{"valueCoding": {"code": "40"}}]
    item(qr, "side")["answer"] = [{"valueCoding": {"system": f"{CODES}/side"}}]
    item(qr, "quality")["answer"] = [{"valueString": "pressing", "valueInteger": 2}]
    item(qr, "nausea")["answer"] = [
        {"valueCoding": {"system": f"{CODES}/nausea", "code": "none"}},
        {"valueCoding": {"system": f"{CODES}/nausea", "code": "mild"}},
    ]
    item(qr, "vomiting")["answer"] = {"valueCoding": {"system": f"{CODES}/vomiting", "code": "no"}}
    found = one(given, qr)
    assert found.warnings == (
        "item 'age': valueCoding where a valueInteger is expected; left out",
        "item 'attack_duration_hours': valueDecimal where a valueQuantity is expected "
        "(a duration needs its unit: h, min or d); left out",
        "item 'side': valueCoding has no code; left out",
        "item 'quality': an answer holds one value[x]; left out",
        "item 'nausea' has 2 answers, but takes one; left out",
        "item 'vomiting': 'answer' is not a list; left out",
    )


# --- items --------------------------------------------------------------------


def test_unknown_twice_given_and_nested_items_are_left_out(given: Any, qr: dict) -> None:
    about = qr["item"][0]["item"]
    about.append({"linkId": "agee", "answer": [{"valueInteger": 40}]})
    about.append({"linkId": "id", "answer": [{"valueString": "x"}]})
    about.append(copy.deepcopy(item(qr, "headache_history")))
    item(qr, "aura")["answer"][0]["item"] = [
        {"linkId": "aura-help", "text": "This is called an aura."},  # its help, echoed
        {"linkId": "aura_types", "answer": [{"valueCoding": {"code": "visual"}}]},
    ]
    qr["item"].append({"answer": [{"valueInteger": 1}]})
    qr["item"][0]["answer"] = [{"valueString": "about"}]
    found = one(given, qr)
    assert found.warnings == (
        "item 'about' is a group and takes no answer; left out",
        "item 'agee' is not in this questionnaire; left out; did you mean 'age'?",
        "item 'id' is not in this questionnaire; left out",
        "item 'aura_types' is nested under 'aura', where this questionnaire has no question; "
        "left out",
        "an item with no linkId is left out",
        "item 'headache_history' is given 2 times; left out",
    )
    assert found.answers["id"] == "intake-29"  # type: ignore[index]
    assert "headache_history" not in found.answers  # type: ignore[operator]


def test_a_flat_response_is_read_too(content: Content, given: Any, qr: dict) -> None:
    flat = {**qr, "item": [i for group in qr["item"] for i in group["item"]]}
    found = one(given, flat)
    assert found.warnings == () and found.answers == one(given, qr).answers


# --- the response as a whole --------------------------------------------------


def test_unfinished_and_other_versions_are_read_with_a_warning(
    content: Content, given: Any, qr: dict
) -> None:
    version = content.rules.version
    cases_ = [
        (
            {"status": "in-progress"},
            "status is 'in-progress', not completed: assessed on the answers it holds",
        ),
        (
            {"status": "stopped"},
            "status is 'stopped', not completed: assessed on the answers it holds",
        ),
        (
            {"questionnaire": f"{URL}|2025.1.0"},
            "answers version '2025.1.0' of the questionnaire; "
            f"read as version '{version}', whose questions may differ",
        ),
        (
            {"questionnaire": URL},
            f"names no version of the questionnaire; read as '{URL}|{version}'",
        ),
        ({"questionnaire": None}, f"names no questionnaire; read as '{URL}|{version}'"),
    ]
    for change, message in cases_:
        changed = {k: v for k, v in {**qr, **change}.items() if v is not None}
        assert one(given, changed).warnings == (message,)
    assert one(given, {**qr, "status": "amended"}).warnings == ()


def test_responses_that_are_not_assessed(given: Any, qr: dict) -> None:
    problems = [
        ({"status": "entered-in-error"}, "status is 'entered-in-error': not assessed"),
        (
            {"status": None},
            "has no status; expected completed or amended (in-progress and stopped are read)",
        ),
        (
            {"status": "done"},
            "status 'done' is not one of completed, amended, in-progress, stopped",
        ),
        (
            {"questionnaire": "http://example.org/Questionnaire/phq-9|1"},
            "answers the questionnaire 'http://example.org/Questionnaire/phq-9|1'; expected "
            f"'{URL}|2026.12.0', which triage export fhir writes",
        ),
        (
            {"resourceType": "Questionnaire"},
            "expected a FHIR QuestionnaireResponse or a Bundle of them, not a FHIR Questionnaire",
        ),
    ]
    for change, message in problems:
        changed = {k: v for k, v in {**qr, **change}.items() if v is not None}
        found = one(given, changed)
        assert (found.error, found.answers) == (f"r.json: {message}", None)
        assert found.fallback_id == ("r.json" if "resourceType" in change else "intake-29")


def test_a_bundle_holds_one_record_per_entry(given: Any, qr: dict) -> None:
    second = {**qr, "id": None, "identifier": {"value": "walk-in 7"}}
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": qr},
            {"resource": {"resourceType": "Patient"}},
            {"resource": second},
            {},
        ],
    }
    found = read(given, bundle, "b.json")
    assert [r.source for r in found] == [f"b.json:entry {n}" for n in range(1, 5)]
    assert all(isinstance(r, Response) and r.batch for r in found)
    assert [r.error for r in found] == [
        None,
        "b.json:entry 2: expected a QuestionnaireResponse, not a FHIR Patient",
        None,
        "b.json:entry 4: expected a QuestionnaireResponse, not nothing",
    ]
    assert (found[0].answers["id"], found[2].answers["id"]) == ("intake-29", "walk-in 7")
    assert [r.error for r in read(given, {"resourceType": "Bundle", "entry": {}}, "b.json")] == [
        "b.json: its 'entry' must be a list of entries, each with a resource"
    ]
    assert read(given, {"resourceType": "Bundle"}, "b.json") == []


def test_without_the_questionnaire_a_response_is_not_read(tmp_path: Path, qr: dict) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(qr))
    _, found = records.read(str(path), None)
    assert [r.error for r in found] == [
        f"{path}: is a FHIR QuestionnaireResponse; only triage assess reads FHIR resources"
    ]


# --- the command --------------------------------------------------------------


def test_assess_reads_a_response_file(content: Content, tmp_path: Path, qr: dict) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(qr))
    done = run("assess", str(path), "--format", "json")
    assert (done.exit_code, done.stderr) == (0, "")
    out = json.loads(done.stdout)
    direct = contract.result_object(content, triage.evaluate(content, V29.answers), "intake-29")
    assert out == {**direct, "source": str(path)}
    assert [(t["id"], t["headache"]) for t in out["headache_types"]] == [
        ("migraine_without_aura", 1),
        ("tension_type_frequent", 2),
    ]


def test_assess_reads_a_bundle_as_a_batch(tmp_path: Path, qr: dict) -> None:
    unfinished = {**copy.deepcopy(qr), "id": "intake-30", "status": "in-progress"}
    del item(unfinished, "sex")["answer"]
    path = tmp_path / "bundle.json"
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": qr}]}
    path.write_text(json.dumps({**bundle, "entry": [{"resource": qr}, {"resource": unfinished}]}))
    done = run("assess", str(path), "--format", "json")
    assert done.exit_code == 1
    assert done.stderr == (
        f"{path}:entry 2: 1 answer missing: sex\n"
        f"{path}:entry 2: warning: status is 'in-progress', not completed: assessed on the "
        "answers it holds\n"
        "1 of 2 records could not be assessed\n"
    )
    out = json.loads(done.stdout)
    assert [(r["id"], "error" in r) for r in out] == [("intake-29", False), ("intake-30", True)]
    assert out[1]["warnings"] == [
        "status is 'in-progress', not completed: assessed on the answers it holds"
    ]
    path.write_text(json.dumps(bundle))  # one entry is still a batch: an array
    assert isinstance(json.loads(run("assess", str(path), "--format", "json").stdout), list)


def test_assess_recognises_a_response_on_standard_input(qr: dict) -> None:
    done = run("assess", "-", "--format", "jsonl", input=json.dumps(qr, indent=2))
    assert done.exit_code == 0 and json.loads(done.stdout)["source"] == "<stdin>"
    ndjson = json.dumps(qr) + "\n" + json.dumps({**qr, "id": "b"}) + "\n"
    done = run("assess", "-", "--format", "jsonl", input=ndjson)
    assert [json.loads(line)["source"] for line in done.stdout.splitlines()] == [
        "<stdin>:1",
        "<stdin>:2",
    ]


def test_input_format_fhir_reads_any_json_as_fhir() -> None:
    done = run("assess", "-", "--input-format", "fhir", input='{"age": 40}')
    assert done.exit_code == 1
    assert done.stderr == (
        "<stdin>: expected a FHIR QuestionnaireResponse or a Bundle of them, not an object "
        "with no resourceType\n"
    )
    assert (
        "yaml, json, jsonl, csv, redcap, fhir" in run("assess", "-", "--input-format", "x").stderr
    )


def test_plain_answers_files_load_no_fhir_code() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from triage.cli import quick\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    quick.run(['assess', 'examples/tension-type.yaml', '--format', 'json'])\n"
        "print(sorted(m for m in sys.modules if 'fhir' in m))\n"
    )
    root = Path(__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert done.stdout.strip() == "[]"
