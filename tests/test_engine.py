"""The engine: which questions are asked, validation, red-flag passes, the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import triage
from triage.engine.answers import parse_answer
from triage.engine.evaluate import Partial, conclude, next_question
from triage.engine.program import program_of
from triage.engine.validate import asked, validate
from triage.errors import AnswerError
from triage.model import Content, Question

from .scenarios import CASES
from .test_loader import QUESTIONS, RULES, write


def base(name: str = "adult_chronic_tension_type") -> dict[str, Any]:
    return dict(yaml.safe_load((CASES / "bases.yaml").read_text())[name])


def sudden(value: str) -> dict[str, Any]:
    """The base with `sudden_onset` answered `value` (yes or unsure), less
    `peak_within_hour`, which is asked only when `sudden_onset` is no."""
    answers = base() | {"sudden_onset": value}
    del answers["peak_within_hour"]
    return answers


def asked_ids(content: Content, answers: dict[str, Any]) -> list[str]:
    return [q.id for q in asked(content, answers)]


def test_ask_if_follows_earlier_answers(content: Content) -> None:
    assert "pregnancy" in asked_ids(content, {"age": 30, "sex": "female"})
    assert "pregnancy" not in asked_ids(content, {"age": 30, "sex": "male"})
    assert "pregnancy" not in asked_ids(content, {"age": 56, "sex": "female"})
    assert "jaw_or_scalp_pain" in asked_ids(content, {"age": 50})
    assert "jaw_or_scalp_pain" not in asked_ids(content, {"age": 49})
    # an ask-if that reads a missing answer does not hold
    assert "aura_types" not in asked_ids(content, {})
    assert "aura_types" in asked_ids(content, {"aura": "yes"})


def test_next_question_is_the_first_unanswered_asked_one(content: Content) -> None:
    first = next_question(content, {})
    assert first is not None and first.id == "age"
    complete = base()
    assert next_question(content, complete) is None
    del complete["tender_muscles"]
    nxt = next_question(content, complete)
    assert nxt is not None and nxt.id == "tender_muscles"


def test_answers_to_questions_not_asked_are_ignored_with_a_warning(content: Content) -> None:
    answers = base() | {"aura_types": ["visual"], "jaw_or_scalp_pain": "yes"}
    result = triage.evaluate(content, answers)
    assert result.warnings == (
        "answer to 'jaw_or_scalp_pain' ignored: 'age' is 38",
        "answer to 'aura_types' ignored: 'aura' is 'no'",
    )
    assert "aura_types" not in result.answers


def test_a_compound_ask_if_is_explained(content: Content) -> None:
    answers = base() | {"sex": "male"}
    result = triage.evaluate(content, answers)
    assert result.warnings == (
        "answer to 'pregnancy' ignored: it is asked only when (sex is female or other and age "
        "is at most 55); here 'age' is 38, 'sex' is 'male'",
    )


def test_unknown_answer_ids_are_ignored_with_did_you_mean(content: Content) -> None:
    result = triage.evaluate(content, base() | {"vomitting": "no", "colour": "blue", "id": 7})
    assert result.warnings == (
        "unknown answer ID 'vomitting' ignored; did you mean 'vomiting'?",
        "unknown answer ID 'colour' ignored",
    )


def test_missing_and_invalid_answers_are_all_named(content: Content) -> None:
    answers = base() | {"intensity": 11, "nausea": "sever", "fever": "yes"}
    del answers["side"], answers["quality"]
    with pytest.raises(AnswerError) as caught:
        triage.evaluate(content, answers)
    error = caught.value
    assert error.missing == ("side", "quality")
    assert error.invalid == {
        "intensity": "must be a whole number from 1 to 10, not 11",
        "nausea": "unknown code 'sever'; expected one of none, mild, moderate_or_severe",
    }
    assert str(error) == (
        "2 answers missing: side, quality; 'intensity' must be a whole number from 1 to 10, "
        "not 11; 'nausea': unknown code 'sever'; expected one of none, mild, moderate_or_severe"
    )


def test_a_partial_record_still_reports_its_red_flags(content: Content) -> None:
    with pytest.raises(AnswerError) as caught:
        triage.evaluate(content, {"age": 70, "headache_history": "days", "sudden_onset": "yes"})
    partial = caught.value.partial
    assert isinstance(partial, Partial)
    assert partial.triage_level_at_least == "emergency"
    assert [f.rule.id for f in partial.red_flags] == [
        "thunderclap",
        "new_headache_over_50",
        "recent_onset",
    ]


def flags(result: triage.Result) -> dict[str, tuple[str, str]]:
    return {f.rule.id: (f.level, f.certainty) for f in result.red_flags}


def test_unsure_escalate_keeps_the_level_as_possible(content: Content) -> None:
    result = triage.evaluate(content, sudden("unsure"))
    assert flags(result) == {"thunderclap": ("emergency", "possible")}
    assert result.red_flags[0].because == (("sudden_onset", "unsure"),)


def test_unsure_cap_lowers_emergency_to_urgent(content: Content) -> None:
    result = triage.evaluate(content, base() | {"red_painful_eye": "unsure"})
    assert flags(result) == {"acute_glaucoma": ("urgent", "possible")}
    assert result.triage_level == "urgent"


def test_unsure_ignore_fires_nothing_and_warns_with_advice(content: Content) -> None:
    result = triage.evaluate(content, base() | {"very_high_blood_pressure": "unsure"})
    assert result.red_flags == ()
    (warning,) = result.warnings
    advice = content.questions.questions["very_high_blood_pressure"].unsure_advice
    assert warning == (
        "'very_high_blood_pressure' was answered unsure, so it cannot count as "
        f"a warning sign: {advice}"
    )


def test_a_flag_reported_on_sure_answers_is_not_downgraded(content: Content) -> None:
    answers = base() | {"head_injury": "yes", "blood_thinners": "unsure"}
    result = triage.evaluate(content, answers)
    assert flags(result) == {
        "head_injury_high_risk": ("emergency", "possible"),
        "head_injury": ("urgent", "reported"),
    }
    assert [f.rule.id for f in result.red_flags] == ["head_injury_high_risk", "head_injury"]


def test_because_names_the_answers_behind_a_pattern(content: Content) -> None:
    result = triage.evaluate(content, base())
    (pattern,) = result.headache_types
    assert pattern.rule.id == "tension_type_chronic"
    because = dict(pattern.because)
    assert because["headache_days_per_month"] == 18
    assert because["headache_history"] == "years"
    assert pattern.pericranial_tenderness is True


def test_criteria_say_why_a_pattern_fits_in_the_facts_own_words(content: Content) -> None:
    (pattern,) = triage.evaluate(content, base()).headache_types
    facts = content.rules.facts
    assert pattern.criteria[:2] == (
        facts["days_15_or_more_a_month"].means,
        facts["long_standing"].means,
    )
    assert len(pattern.criteria) == 5
    answers = base() | {"headache_days_per_month": 8, "attacks_count": "two_to_four"}
    (pattern,) = triage.evaluate(content, answers | {"attack_duration_hours": 0.4}).headache_types
    assert (pattern.rule.id, pattern.criteria) == ("unclassified", ())


def test_screens_and_dry_needling_reasons(content: Content) -> None:
    result = triage.evaluate(content, base("adult_migraine_without_aura"))
    (screen,) = result.screens
    assert (screen.id, screen.of) == ("id_migraine", 3)
    assert screen.positive is (screen.score >= 2)
    assert result.dry_needling.recommendation == "not_recommended"
    assert result.dry_needling.reasons == (content.rules.dry_needling.reasons["no_target"],)


def test_a_missing_answer_an_ask_if_reads_does_not_hide_a_warning_sign(content: Content) -> None:
    """Without `age`, pregnancy cannot be placed; its red flags still fire."""
    answers = base() | {"pregnancy": "pregnant", "headache_history": "days", "intensity": 8}
    del answers["age"], answers["pattern_change"], answers["painkiller_over_3_months"]
    with pytest.raises(AnswerError) as caught:
        triage.evaluate(content, answers)
    partial = caught.value.partial
    assert caught.value.missing == ("age",)
    assert partial.triage_level_at_least == "emergency"
    assert "pregnancy_severe" in [f.rule.id for f in partial.red_flags]
    assert partial.warnings == ()


# --- read as `parse_answer` reads, with the usual forms worked out once ------------


def forms(question: Question) -> list[Any]:
    """Values an answers file may hold for a question, valid or not."""
    words = [*question.codes, "true", "false", "y", "unsure", "sever", "maybe"]
    out: list[Any] = [True, False, 0, 1, -1, 1.0, 2.5, 1e300, 10**30, "", " ", "1e3"]
    for word in words:
        out += [word, word.upper(), word.title(), f" {word} ", word.capitalize()]
    for bound in (question.min, question.max, question.greater_than):
        if bound is not None:
            for near in (bound - 1, bound, bound + 1, bound + 0.5):
                out += [near, int(near), str(near), f"{near}h"]
    codes = list(question.codes)
    out += [codes, codes[::-1], codes[:1] * 2, [c.upper() for c in codes], tuple(codes), []]
    out += [[1], [None], ["nothing"], "a;b", ";".join(codes), {"a": 1}]
    return out


def outcome(read: Any, question: Question, given: Any) -> tuple[str, Any]:
    try:
        value = read(question, given)
    except ValueError as exc:
        return "invalid", str(exc)
    return "valid", (type(value), value)


def test_every_answer_is_read_as_parse_answer_reads_it(content: Content) -> None:
    for qid, ask, spelled, check in program_of(content).plan:
        question = check.question
        assert (qid, ask is None) == (question.id, question.ask_if is None)

        def read(q: Question, given: Any, spelled: Any = spelled, check: Any = check) -> Any:
            # as `validate` reads an answer that is given (not None, not blank)
            if given.__class__ is str and given in spelled:
                return spelled[given]
            return check.parse(given)

        for given in forms(question):
            assert outcome(read, question, given) == outcome(parse_answer, question, given), (
                qid,
                given,
            )


def test_evaluate_gives_what_validate_then_conclude_give(content: Content) -> None:
    for answers in (
        base(),
        base("adult_migraine_without_aura"),
        sudden("unsure") | {"red_painful_eye": "unsure", "fever": "yes"},
        base() | {"very_high_blood_pressure": "unsure", "aura_types": ["visual"]},
    ):
        result = triage.evaluate(content, answers)
        assert result == conclude(content, validate(content, answers))
        assert dict(result.answers) == dict(validate(content, answers).answers)


def test_red_flags_read_once_are_most_urgent_first_then_as_written(content: Content) -> None:
    answers = sudden("yes") | {"progressive": "yes", "fever": "yes"}
    result = triage.evaluate(content, answers)
    assert [(f.rule.id, f.level, f.certainty) for f in result.red_flags] == [
        ("thunderclap", "emergency", "reported"),
        ("fever_worsening", "emergency", "reported"),
        ("fever", "urgent", "reported"),
        ("progressive", "soon", "reported"),
    ]
    assert result.red_flags[1].because == (("fever", "yes"), ("progressive", "yes"))
    assert result.red_flags[2].because == (("fever", "yes"),)


# --- a second headache (spec v3) ------------------------------------------------------

OTHER_TENSION_TYPE = {
    "other_headache": "yes",
    "other_headache_history": "years",
    "other_attacks_count": "ten_or_more",
    "other_headache_days_per_month": 6,
    "other_attack_duration_hours": 6,
    "other_side": "both_sides",
    "other_location": ["forehead", "back_of_head"],
    "other_quality": "pressing",
    "other_intensity": 4,
    "other_worse_with_activity": "no",
    "other_nausea": "none",
    "other_vomiting": "no",
    "other_light_sensitivity": "no",
    "other_sound_sensitivity": "no",
    "other_aura": "no",
    "other_eye_nose_symptoms": "no",
    "other_restless_during_attack": "no",
}


def test_each_headache_lists_its_own_patterns_main_first(content: Content) -> None:
    answers = base("adult_migraine_without_aura") | OTHER_TENSION_TYPE
    result = triage.evaluate(content, answers)
    assert [(p.rule.id, p.headache) for p in result.headache_types] == [
        ("migraine_without_aura", 1),
        ("tension_type_frequent", 2),
    ]
    other = result.headache_types[1]
    assert ("other_quality", "pressing") in other.because
    assert not {qid for qid, _ in other.because} & {"quality", "side", "intensity"}
    reasons = result.dry_needling.reasons
    assert result.dry_needling.targets == ("tension_type",)
    assert reasons[0].startswith("For your other headache: ")


def test_a_flag_on_the_other_headache_explains_itself_with_its_answers(content: Content) -> None:
    answers = base("adult_migraine_without_aura") | OTHER_TENSION_TYPE
    answers |= {"other_headache_history": "weeks"}  # a new second headache
    result = triage.evaluate(content, answers)
    flags = {f.rule.id: f for f in result.red_flags}
    assert set(flags) == {"recent_onset"}
    assert flags["recent_onset"].because == (("other_headache_history", "weeks"),)


def test_other_answers_without_a_second_headache_are_ignored_with_a_warning(
    content: Content,
) -> None:
    answers = base() | {"other_intensity": 9}
    result = triage.evaluate(content, answers)
    assert result.warnings == ("answer to 'other_intensity' ignored: 'other_headache' is 'no'",)
    assert [p.headache for p in result.headache_types] == [1]


def test_a_second_headache_without_its_answers_names_each_and_keeps_red_flags(
    content: Content,
) -> None:
    answers = base() | {"other_headache": "yes", "fever": "yes"}
    with pytest.raises(AnswerError) as caught:
        triage.evaluate(content, answers)
    error = caught.value
    assert error.missing == tuple(
        qid
        for qid in content.questions.second.twins.values()  # type: ignore[union-attr]
        if not qid.startswith("other_aura_")
    )
    assert [f.rule.id for f in error.partial.red_flags] == ["fever"]


# --- emergency_undone: kept in an answers file, never an answer (issue 10) ---------------


@pytest.mark.parametrize(
    ("given", "undone"),
    [
        (["sudden_onset"], ("sudden_onset",)),
        (["neuro_symptoms", "sudden_onset", "neuro_symptoms"], ("neuro_symptoms", "sudden_onset")),
        ("sudden_onset; neuro_symptoms", ("sudden_onset", "neuro_symptoms")),  # a CSV cell
        ([], ()),
        (None, ()),
        ("", ()),
    ],
)
def test_emergency_undone_in_a_record_is_carried_into_the_result(
    content: Content, given: Any, undone: tuple[str, ...]
) -> None:
    from dataclasses import replace

    result = triage.evaluate(content, base() | {"emergency_undone": given})
    assert result == replace(triage.evaluate(content, base()), emergency_undone=undone)
    assert result.warnings == ()
    assert "emergency_undone" not in result.answers


def test_emergency_undone_is_not_an_unknown_answer_id(content: Content) -> None:
    checked = validate(content, base() | {"emergency_undone": ["sudden_onset"]})
    assert checked.warnings == ()
    assert "emergency_undone" not in checked.answers


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (["sudden_onse"], "unknown question ID 'sudden_onse'; did you mean 'sudden_onset'?"),
        (
            ["nothing_like_it"],
            "unknown question ID 'nothing_like_it'; triage questions lists the IDs",
        ),
        ([3], "must be a list of question IDs; 3 is not one"),
        ({"sudden_onset": "yes"}, "must be a list of question IDs, not {'sudden_onset': 'yes'}"),
        (True, "must be a list of question IDs, not True"),
    ],
)
def test_a_bad_emergency_undone_is_an_invalid_answer_and_keeps_the_red_flags(
    content: Content, given: Any, problem: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        triage.evaluate(content, sudden("yes") | {"emergency_undone": given})
    error = caught.value
    assert (error.missing, error.invalid) == ((), {"emergency_undone": problem})
    assert isinstance(error.partial, Partial)
    assert error.partial.triage_level_at_least == "emergency"


def test_a_choice_code_named_unsure_is_a_code_and_its_red_flag_fires(tmp_path: Path) -> None:
    """Only a yes/no/unsure answer is read three ways; `unsure` as a clinic's own
    choice code is read as it is."""
    questions = QUESTIONS.replace(
        "options: {none: None, mild: Mild, moderate_or_severe: Bad}",
        "options: {none: None, mild: Mild, unsure: Not sure}",
    )
    rules = RULES.replace("when: {all: [fever, old]}", "when: {nausea: unsure}")
    content = triage.load(*write(tmp_path, questions, rules))
    answers = {"age": 60, "nausea": "unsure", "fever": "no", "location": ["temples"]}
    (flag,) = triage.evaluate(content, answers).red_flags
    assert (flag.rule.id, flag.level, flag.certainty) == ("hot", "urgent", "reported")
    assert flag.because == (("nausea", "unsure"),)
