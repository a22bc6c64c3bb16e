"""One record to its contract object: results, error objects, the record ID, diagnostics."""

from __future__ import annotations

import json
from typing import Any

import pytest

from triage.intake.record import Record
from triage.model import Content
from triage.results import contract
from triage.results.record import Assessed, assess_record

# A complete answer set: a 38-year-old with chronic tension-type headache and
# tender muscles; routine, and dry needling may suit her.
ADULT: dict[str, Any] = {
    "age": 38,
    "sex": "female",
    "pregnancy": "no",
    "headache_history": "years",
    "sudden_onset": "no",
    "peak_within_hour": "no",
    "neuro_symptoms": "no",
    "confusion_or_seizure": "no",
    "fever": "no",
    "neck_stiffness": "no",
    "non_blanching_rash": "no",
    "head_injury": "no",
    "red_painful_eye": "no",
    "co_exposure": "no",
    "very_high_blood_pressure": "no",
    "positional": "no",
    "cough_exertion_trigger": "no",
    "progressive": "no",
    "pattern_change": "no",
    "new_medicine": "no",
    "cancer_history": "no",
    "immunosuppressed": "no",
    "neck_injury": "no",
    "brain_shunt": "no",
    "attacks_count": "ten_or_more",
    "headache_days_per_month": 18,
    "attack_duration_hours": 6,
    "side": "both_sides",
    "location": ["forehead", "back_of_head"],
    "quality": "pressing",
    "intensity": 5,
    "worse_with_activity": "no",
    "nausea": "none",
    "vomiting": "no",
    "light_sensitivity": "no",
    "sound_sensitivity": "yes",
    "activity_limited": "no",
    "aura": "no",
    "eye_nose_symptoms": "no",
    "restless_during_attack": "no",
    "neck_pain": "yes",
    "starts_in_neck": "no",
    "neck_movement_triggers": "no",
    "neck_pressure_reproduces": "no",
    "reduced_neck_motion": "no",
    "tender_muscles": "yes",
    "other_headache": "no",
    "painkiller_days": 6,
    "painkiller_types": ["simple"],
    "painkiller_over_3_months": "yes",
    "needle_fear": "no",
    "blood_thinners": "no",
    "epilepsy": "no",
    "metal_allergy": "no",
    "skin_problem_at_site": "no",
    "lymphedema": "no",
    "implanted_device": "no",
    "diabetes": "no",
}


def adult(**changes: Any) -> dict[str, Any]:
    """ADULT with some answers changed; `peak_within_hour` is left out when
    `sudden_onset` is no longer `no`, since it is asked only then."""
    answers = {**ADULT, **changes}
    if answers["sudden_onset"] != "no":
        del answers["peak_within_hour"]
    return answers


AGE_130 = "must be a whole number from 12 to 120, not 130"
RESULT_KEYS = [
    "schema",
    "id",
    "source",
    "triage_level",
    "advice",
    "red_flags",
    "headache_types",
    "dry_needling",
    "screens",
    "content",
    "warnings",
    "notice",
]
ERROR_KEYS = [
    "schema",
    "id",
    "source",
    "error",
    "red_flags",
    "triage_level_at_least",
    "content",
    "warnings",
    "notice",
]


def assess(content: Content, answers: dict[str, Any], source: str = "a.yaml") -> Assessed:
    return assess_record(content, Record(source, answers=answers))


def test_a_complete_record_gives_the_contract_result(content: Content) -> None:
    outcome = assess(content, {**ADULT, "id": "intake-0042"})
    out = outcome.result
    assert list(out) == RESULT_KEYS
    assert (out["schema"], out["id"], out["source"]) == ("triage.result/1", "intake-0042", "a.yaml")
    assert out["triage_level"] == "routine"
    assert [t["id"] for t in out["headache_types"]] == ["tension_type_chronic"]
    assert out["headache_types"][0]["pericranial_tenderness"] is True
    assert list(out["headache_types"][0]) == [
        "id",
        "certainty",
        "source",
        "summary",
        "pericranial_tenderness",
        "because",
        "criteria",
        "headache",
    ]
    assert out["headache_types"][0]["headache"] == 1
    assert out["headache_types"][0]["criteria"][0] == "15 or more headache days a month"
    assert out["dry_needling"]["recommendation"] == "suitable"
    assert out["content"]["version"] == content.rules.version
    assert out["notice"] == content.rules.notice
    assert (outcome.failed, outcome.errors, outcome.warnings) == (False, (), ())
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize("rid", ["p-1", 42, 4.5, "", None])
def test_a_string_or_number_id_is_echoed(content: Content, rid: Any) -> None:
    assert assess(content, {**ADULT, "id": rid}).result["id"] == rid


@pytest.mark.parametrize(
    ("rid", "why"),
    [
        ([1], "must be a string or a number, not a list"),
        ({"a": 1}, "must be a string or a number, not a mapping"),
        (True, "must be a string or a number, not true or false"),
        (float("nan"), "must be a string or a number, not nan"),
    ],
)
def test_any_other_id_is_a_record_error_that_still_shows_red_flags(
    content: Content, rid: Any, why: str
) -> None:
    outcome = assess(content, adult(id=rid, sudden_onset="yes"))
    out = outcome.result
    assert list(out) == ERROR_KEYS[:5] + ["triage_level_at_least", "advice"] + ERROR_KEYS[6:]
    assert out["id"] is None
    assert out["error"] == {"message": f"'id' {why}", "missing": [], "invalid": {"id": why}}
    assert [f["id"] for f in out["red_flags"]] == ["thunderclap"]
    assert out["triage_level_at_least"] == "emergency"
    assert outcome.errors == (
        f"a.yaml: 'id' {why}",
        "a.yaml: even so, the answers given show a warning sign, so at least emergency: "
        "thunderclap (emergency)",
    )


def test_an_out_of_range_number_is_invalid_with_the_engines_words(content: Content) -> None:
    outcome = assess(content, {**ADULT, "id": "p7", "age": 130})
    out = outcome.result
    assert list(out) == ERROR_KEYS
    assert out["id"] == "p7"
    assert out["error"] == {
        "message": f"'age' {AGE_130}",
        "missing": [],
        "invalid": {"age": AGE_130},
    }
    assert (out["red_flags"], out["triage_level_at_least"]) == ([], "routine")
    assert outcome.errors == (f"a.yaml: 'age' {AGE_130}",)


def test_a_wrong_type_and_an_unknown_code(content: Content) -> None:
    out = assess(content, {**ADULT, "fever": ["yes"], "nausea": "sever"}).result
    assert out["error"]["invalid"] == {
        "fever": "must be yes, no or unsure, not ['yes']",
        "nausea": "unknown code 'sever'; expected one of none, mild, moderate_or_severe",
    }


def test_missing_answers_are_named_and_red_flags_still_fire(content: Content) -> None:
    outcome = assess(content, {"age": 70, "sex": "male", "sudden_onset": "yes"})
    out = outcome.result
    missing = out["error"]["missing"]
    assert missing[:3] == ["headache_history", "neuro_symptoms", "confusion_or_seizure"]
    # a red flag fires, so the optional dry-needling safety questions are not missing
    assert len(missing) == 44 and "sudden_onset" not in missing and "epilepsy" not in missing
    assert out["error"]["message"] == f"44 answers missing: {', '.join(missing)}"
    assert out["error"]["invalid"] == {}
    assert [f["id"] for f in out["red_flags"]] == ["thunderclap"]
    assert out["red_flags"][0]["because"] == {"sudden_onset": "yes"}
    assert out["triage_level_at_least"] == "emergency"
    assert out["advice"] == content.rules.levels["emergency"].advice
    assert outcome.errors == (
        "a.yaml: 44 answers missing: headache_history, neuro_symptoms, confusion_or_seizure, "
        "fever, neck_stiffness, non_blanching_rash, head_injury, red_painful_eye and 36 more",
        "a.yaml: even so, the answers given show a warning sign, so at least emergency: "
        "thunderclap (emergency)",
    )


def test_a_few_missing_answers_are_all_named_on_stderr(content: Content) -> None:
    answers = {k: v for k, v in ADULT.items() if k not in ("fever", "diabetes")}
    outcome = assess(content, answers, "batch.csv:3")
    assert outcome.errors == ("batch.csv:3: 2 answers missing: fever, diabetes",)


def test_unknown_answer_ids_are_ignored_with_a_warning(content: Content) -> None:
    outcome = assess(content, {**ADULT, "agee": 40, "sudden_onsett": "no", "colour": "red"})
    assert not outcome.failed
    assert outcome.result["warnings"] == [
        "unknown answer ID 'agee' ignored; did you mean 'age'?",
        "unknown answer ID 'sudden_onsett' ignored; did you mean 'sudden_onset'?",
        "unknown answer ID 'colour' ignored",
    ]
    assert outcome.warnings == tuple(f"a.yaml: warning: {w}" for w in outcome.result["warnings"])


def test_an_unreadable_file_is_an_error_object_named_after_it(content: Content) -> None:
    record = Record("bad.yaml", error="bad.yaml:2:1: not valid YAML: oops", fallback_id="bad.yaml")
    outcome = assess_record(content, record)
    assert outcome.result == {
        "schema": "triage.result/1",
        "id": "bad.yaml",
        "source": "bad.yaml",
        "error": {"message": "bad.yaml:2:1: not valid YAML: oops", "missing": [], "invalid": {}},
        "red_flags": [],
        "triage_level_at_least": "routine",
        "content": contract.content_object(content),
        "warnings": [],
        "notice": content.rules.notice,
    }
    assert outcome.errors == ("bad.yaml:2:1: not valid YAML: oops",)


def test_each_pattern_carries_its_criteria_in_plain_words(content: Content) -> None:
    answers = {**ADULT, "neck_movement_triggers": "yes", "side": "one_side_same"}
    types = {t["id"]: t["criteria"] for t in assess(content, answers).result["headache_types"]}
    assert types["cervicogenic"] == [
        "Can moving your neck, or holding your head in an awkward position, bring on your "
        "usual headache? Yes",
        "Which side of your head does the pain usually affect? One side, always the same side",
    ]
    answers = {**ADULT, "headache_days_per_month": 8, "attacks_count": "two_to_four"}
    out = assess(content, {**answers, "attack_duration_hours": 0.4}).result
    assert [(t["id"], t["criteria"]) for t in out["headache_types"]] == [("unclassified", [])]


def test_every_object_is_plain_json(content: Content) -> None:
    for answers in (ADULT, {**ADULT, "age": 130}, {"id": [1]}, {}):
        out = assess(content, answers).result
        assert json.loads(json.dumps(out, allow_nan=False)) == out
        assert out["notice"] == content.rules.notice


def test_a_pattern_with_advice_keeps_the_contract_order(content: Content) -> None:
    answers = {**ADULT, "neck_movement_triggers": "yes", "starts_in_neck": "yes"}
    out = assess(content, answers).result
    (neck,) = [t for t in out["headache_types"] if t["id"] == "cervicogenic"]
    assert list(neck) == [
        "id",
        "certainty",
        "source",
        "summary",
        "advice",
        "because",
        "criteria",
        "headache",
    ]
    assert neck["because"] == {"neck_movement_triggers": "yes", "starts_in_neck": "yes"}
    assert out["content"] == contract.content_object(content)
    assert out["content"] is not assess(content, answers).result["content"]


# --- one boundary per record: nothing in a record takes the batch down --------------------


class Unprintable:
    """A value no message can name: its `repr` raises (a library caller may pass anything)."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class UnwritableId(str):
    """An `id` that is a string, but one that cannot be written as CSV text."""

    def __str__(self) -> str:
        raise RuntimeError("no text")


INTERNAL = "internal error while assessing this record: RuntimeError: no repr; please report it"


def test_a_whole_number_id_of_any_size_is_echoed_exactly(content: Content) -> None:
    huge = 10**400  # JSON allows it, Python reads it exactly: it is a number, echoed as given
    outcome = assess(content, {**ADULT, "id": huge})
    assert (outcome.failed, outcome.result["id"]) == (False, huge)
    assert json.loads(json.dumps(outcome.result))["id"] == huge


def test_an_answer_that_breaks_the_assessment_is_the_records_error_with_its_red_flags(
    content: Content,
) -> None:
    outcome = assess(content, adult(id="p9", sudden_onset="yes", age=Unprintable()))
    out = outcome.result
    assert list(out) == ERROR_KEYS[:5] + ["triage_level_at_least", "advice"] + ERROR_KEYS[6:]
    assert out["id"] == "p9"
    assert out["error"] == {"message": INTERNAL, "missing": [], "invalid": {}}
    assert [f["id"] for f in out["red_flags"]] == ["thunderclap"]
    assert out["triage_level_at_least"] == "emergency"
    assert outcome.errors == (
        f"a.yaml: {INTERNAL}",
        "a.yaml: even so, the answers given show a warning sign, so at least emergency: "
        "thunderclap (emergency)",
    )


def test_an_id_that_breaks_the_assessment_is_left_out_of_its_error_object(
    content: Content,
) -> None:
    outcome = assess(content, adult(id=Unprintable(), sudden_onset="yes"))
    assert (outcome.result["id"], outcome.result["error"]["message"]) == (None, INTERNAL)
    assert outcome.result["triage_level_at_least"] == "emergency"
