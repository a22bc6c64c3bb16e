"""The self-check's flow, driven without a terminal by scripted entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from triage.engine.evaluate import evaluate, red_flags
from triage.errors import AnswerError
from triage.model import Content, Question
from triage.results.contract import result_object
from triage.selfcheck.emergency import emergency_reads
from triage.selfcheck.flow import SelfCheck
from triage.selfcheck.screens import Ask, EarlyNotice, Emergency, Review, Screen

from .scenarios import Scenario, cases, vignettes

ADULT_START = ["38", "female", "no", "years"]  # about you: age, sex, pregnancy, history


class Script:
    """A prompt that answers from a list and keeps every screen it was shown."""

    def __init__(self, entries: Iterable[str], then_interrupt: bool = False) -> None:
        self.entries = list(entries)
        self.then_interrupt = then_interrupt
        self.screens: list[Screen] = []

    def __call__(self, screen: Screen) -> str:
        self.screens.append(screen)
        if self.entries:
            return self.entries.pop(0)
        if self.then_interrupt:
            raise KeyboardInterrupt  # as if the person pressed Ctrl-C here
        raise AssertionError(f"the script ran out at {screen}")

    def asked(self) -> list[str]:
        return [s.question.id for s in self.screens if isinstance(s, Ask)]


def run(content: Content, entries: Iterable[str], prefill: Mapping[str, Any] | None = None):  # type: ignore[no-untyped-def]
    check = SelfCheck(content, prefill)
    script = Script(entries)
    return check, script, check.run(script)


def interrupted(
    content: Content, entries: Iterable[str], prefill: Mapping[str, Any] | None = None
) -> tuple[SelfCheck, Script]:
    check = SelfCheck(content, prefill)
    script = Script(entries, then_interrupt=True)
    with pytest.raises(KeyboardInterrupt):
        check.run(script)
    return check, script


def typed(q: Question, value: Any) -> str:
    """What a person would type for `value`: numbers for choices, y/n/u, plain numbers."""
    if q.type in ("yes_no", "yes_no_unsure"):
        return value[0]
    if q.type == "choice":
        return str(q.codes.index(value) + 1)
    if q.type == "multi":
        return ", ".join(str(q.codes.index(code) + 1) for code in value)
    return str(value)


def complete(content: Content, answers: Mapping[str, Any]) -> bool:
    try:
        evaluate(content, answers)
    except AnswerError:
        return False
    return True


def as_typed(content: Content, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a person typing `answers` gives: a question that is optional
    once a red flag fires is passed over when the answers before it fire one."""
    given: dict[str, Any] = {}
    for q in content.questions:
        if q.id in answers and not (q.optional_after_red_flag and red_flags(content, given)):
            given[q.id] = answers[q.id]
    return given


def answer_everything(
    content: Content, answers: Mapping[str, Any], notice: str = "2"
) -> tuple[Any, list[Screen]]:
    """Type `answers` question by question, end at an emergency stop, type `notice`
    at the early notice (2: go on), finish at the review; the result and the screens."""
    screens: list[Screen] = []

    def prompt(screen: Screen) -> str:
        screens.append(screen)
        if isinstance(screen, Ask):
            return typed(screen.question, answers[screen.question.id])
        if isinstance(screen, EarlyNotice):
            return notice
        return "1" if isinstance(screen, Emergency) else ""

    return SelfCheck(content).run(prompt), screens


SCENARIOS = [s for s in vignettes() + cases()]


# --- a whole run gives what assess gives ----------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_typing_a_scenario_gives_the_result_assess_gives(
    content: Content, scenario: Scenario
) -> None:
    if not complete(content, scenario.answers):
        pytest.skip("an incomplete record: assess reports an error, check asks for the rest")
    result, _ = answer_everything(content, scenario.answers)
    expected = evaluate(content, as_typed(content, scenario.answers))
    whole = evaluate(content, scenario.answers)  # the safety questions left out change nothing
    assert result.dry_needling.recommendation == whole.dry_needling.recommendation
    assert result.triage_level == whole.triage_level
    if result.stopped_early is None:
        assert expected.triage_level != "emergency"
        keys = ("triage_level", "red_flags", "headache_types", "dry_needling", "screens")
        got, want = result_object(content, result), result_object(content, expected)
        assert {k: got[k] for k in keys} == {k: want[k] for k in keys}
    else:
        assert expected.triage_level == "emergency"
        assert result.triage_level == "emergency"
        assert result.headache_types == ()
        assert result.dry_needling.recommendation == "refer_first"
        fired = {f.rule.id for f in expected.red_flags}
        assert {f.rule.id for f in result.red_flags} <= fired


@pytest.mark.parametrize("scenario", vignettes(), ids=str)
def test_a_prefilled_vignette_goes_straight_to_the_review(
    content: Content, scenario: Scenario
) -> None:
    expected = result_object(content, evaluate(content, scenario.answers))
    check, script, result = run(content, ["", "1"], scenario.answers)
    if expected["triage_level"] == "emergency":
        assert isinstance(script.screens[0], Emergency)
        assert result.stopped_early == script.screens[0].question.id
    else:
        assert [type(s) for s in script.screens] == [Review]
        assert result_object(content, result) == expected  # warnings included


# --- asking ----------------------------------------------------------------------------


def test_questions_come_in_order_with_their_place_in_the_section(content: Content) -> None:
    _, script = interrupted(content, ADULT_START + ["n", "n"])
    first = script.screens[0]
    assert isinstance(first, Ask)
    assert (first.question.id, first.section.id, first.number, first.first) == (
        "age",
        "about",
        1,
        True,
    )
    asks = [s for s in script.screens if isinstance(s, Ask)]
    assert [(s.question.id, s.number) for s in asks[3:]] == [
        ("headache_history", 4),
        ("sudden_onset", 1),
        ("peak_within_hour", 2),  # asked when sudden_onset is no
        ("neuro_symptoms", 3),
    ]
    assert asks[4].section.id == "warning_signs" and asks[4].of == 20  # not jaw_or_scalp_pain


def test_questions_not_asked_are_skipped(content: Content) -> None:
    check, script = interrupted(content, ["70", "male", "years"])
    assert script.asked() == ["age", "sex", "headache_history", "sudden_onset"]
    assert "pregnancy" not in check.answers


def test_a_refused_entry_is_shown_with_what_is_valid_and_asked_again(content: Content) -> None:
    check, script = interrupted(content, ["forty", "", "40"])
    refused, empty, again = script.screens[1], script.screens[2], script.screens[3]
    assert isinstance(refused, Ask) and refused.question.id == "age"
    assert refused.entered == "forty"
    assert refused.problem == "must be a whole number from 12 to 120, not 'forty'"
    assert isinstance(empty, Ask) and empty.problem == "please type a whole number from 12 to 120"
    assert isinstance(again, Ask) and again.question.id == "sex"
    assert check.answers == {"age": 40}


def test_an_age_below_the_range_gets_its_own_message(content: Content) -> None:
    _, script = interrupted(content, ["9"])
    screen = script.screens[-1]
    assert isinstance(screen, Ask)
    assert screen.problem.startswith("This self-check is for people aged 12 and over")


def test_question_mark_shows_the_help_line(content: Content) -> None:
    _, script = interrupted(content, ["?", "help"])
    assert [isinstance(s, Ask) and s.help for s in script.screens] == [False, True, True]
    assert all(isinstance(s, Ask) and s.question.id == "age" for s in script.screens)


@pytest.mark.parametrize(
    ("qid", "entry", "value"),
    [
        ("sex", "2", "male"),
        ("sex", "FEMALE", "female"),
        ("sex", "another answer, or prefer not to say", "other"),
        ("sudden_onset", "u", "unsure"),
        ("sudden_onset", "Yes", "yes"),
    ],
)
def test_choices_accept_numbers_codes_labels_and_letters(
    content: Content, qid: str, entry: str, value: str
) -> None:
    prefill = {"age": 38, "sex": "female", "pregnancy": "no", "headache_history": "years"}
    prefill.pop(qid, None)
    check, _ = interrupted(content, [entry], prefill)
    assert check.answers[qid] == value


# --- going back ----------------------------------------------------------------------


def test_back_changes_an_earlier_answer_and_drops_what_is_no_longer_asked(
    content: Content,
) -> None:
    check, script = interrupted(content, ["30", "1", "1", "b", "b", "male"])
    assert script.asked() == [
        "age",
        "sex",
        "pregnancy",
        "headache_history",
        "pregnancy",
        "sex",
        "headache_history",
    ]
    back_at_pregnancy, back_at_sex = script.screens[4], script.screens[5]
    assert isinstance(back_at_pregnancy, Ask) and back_at_pregnancy.current == "no"
    assert isinstance(back_at_sex, Ask) and back_at_sex.current == "female"
    assert check.answers == {"age": 30, "sex": "male"}
    last = script.screens[-1]
    assert isinstance(last, Ask) and last.question.id == "headache_history"


def test_after_going_back_enter_keeps_the_answer_and_the_flow_goes_on(content: Content) -> None:
    check, script = interrupted(content, ["30", "1", "b", "", "1"])
    assert script.asked() == ["age", "sex", "pregnancy", "sex", "pregnancy", "headache_history"]
    assert check.answers == {"age": 30, "sex": "female", "pregnancy": "no"}


def test_a_dropped_answer_is_offered_again_when_its_question_comes_back(
    content: Content,
) -> None:
    _, script = interrupted(content, ["30", "1", "3", "b", "b", "2", "b", "1"])
    again = script.screens[-1]
    assert isinstance(again, Ask) and again.question.id == "pregnancy"
    assert again.current == "postpartum"


def test_back_at_the_first_question_says_so(content: Content) -> None:
    _, script = interrupted(content, ["b"])
    screen = script.screens[-1]
    assert isinstance(screen, Ask) and screen.question.id == "age"
    assert screen.problem == "this is the first question; there is nothing to go back to"


# --- emergency stop --------------------------------------------------------------------


def test_an_emergency_answer_stops_at_once_and_end_gives_a_stopped_result(
    content: Content,
) -> None:
    _, script, result = run(content, ADULT_START + ["y", "1"])
    stop = script.screens[-1]
    assert isinstance(stop, Emergency) and stop.question.id == "sudden_onset"
    assert [f.rule.id for f in stop.flags] == ["thunderclap"]
    assert result.stopped_early == "sudden_onset"
    assert result.triage_level == "emergency"
    assert result.headache_types == ()
    assert result.dry_needling.recommendation == "refer_first"
    assert [f.rule.id for f in result.red_flags] == ["thunderclap"]
    out = result_object(content, result)
    assert out["stopped_early"] == {"after": "sudden_onset"}
    assert out["headache_types"] == []


def test_enter_at_the_emergency_stop_ends_now(content: Content) -> None:
    _, _, result = run(content, ADULT_START + ["y", ""])
    assert result.stopped_early == "sudden_onset"


def test_an_unsure_answer_that_may_be_an_emergency_stops_too(content: Content) -> None:
    _, script, result = run(content, ADULT_START + ["u", "end"])
    assert isinstance(script.screens[-1], Emergency)
    assert result.red_flags[0].certainty == "possible"


def test_a_capped_unsure_answer_is_urgent_and_does_not_stop(content: Content) -> None:
    before = ADULT_START + ["n"] * 8  # up to head_injury, peak_within_hour included
    check, script = interrupted(content, before + ["u"])  # red_painful_eye: cap
    assert not any(isinstance(s, Emergency | EarlyNotice) for s in script.screens)
    assert check.answers["red_painful_eye"] == "unsure"


def test_undo_asks_the_question_again_and_is_recorded(content: Content) -> None:
    entries = ADULT_START + ["y", "x", "2", "n"]
    check, script = interrupted(content, entries)
    refused = script.screens[6]
    assert isinstance(refused, Emergency) and refused.problem == "type 1 to end now, or 2 to undo"
    again = script.screens[7]
    assert isinstance(again, Ask) and again.question.id == "sudden_onset"
    assert again.current is None
    assert check.undone == ["sudden_onset"]
    assert check.answers["sudden_onset"] == "no"
    assert check.stopped_after is None


def test_an_undone_emergency_is_in_the_finished_result(content: Content) -> None:
    answers = dict(vignettes()[0].answers)
    del answers["sudden_onset"]
    _, _, result = run(content, ["y", "2", "n", ""], answers)
    assert result.emergency_undone == ("sudden_onset",)
    assert result.stopped_early is None
    assert result_object(content, result)["emergency_undone"] == ["sudden_onset"]


def test_a_prefilled_emergency_answer_stops_before_anything_is_asked(content: Content) -> None:
    _, script, result = run(content, ["1", "1"], {"age": 40, "sex": "male", "sudden_onset": "yes"})
    assert script.asked() == ["headache_history"]
    assert isinstance(script.screens[-1], Emergency)
    assert result.stopped_early == "sudden_onset"


# --- the early notice (an urgent warning sign) ------------------------------------------

NEW_AT_58 = ["58", "male", "weeks"]  # a new headache at 58: urgent after 3 questions


def test_an_urgent_sign_brings_the_early_notice_before_the_next_question(
    content: Content,
) -> None:
    _, script = interrupted(content, NEW_AT_58 + ["x"])
    notice, refused = script.screens[3], script.screens[4]
    assert isinstance(notice, EarlyNotice) and notice.level == "urgent"
    assert [f.rule.id for f in notice.flags] == ["new_headache_over_50"]  # not the soon one
    assert 15 < notice.needed < notice.left
    assert isinstance(refused, EarlyNotice) and refused.entered == "x"
    assert refused.problem == "type 1 to stop, 2 to go on, or b to go back"


def new_at_58() -> dict[str, Any]:
    answers = {"age": 58, "sex": "male", "headache_history": "weeks", "jaw_or_scalp_pain": "no"}
    return {**vignettes()[0].answers, **answers}


def test_stopping_at_the_notice_asks_only_what_can_show_an_emergency(content: Content) -> None:
    result, screens = answer_everything(content, new_at_58(), notice="")  # Enter: stop
    notice = next(s for s in screens if isinstance(s, EarlyNotice))
    asked = [s.question.id for s in screens if isinstance(s, Ask)]
    assert asked[:3] == ["age", "sex", "headache_history"]
    assert asked[3:] and set(asked[3:]) <= emergency_reads(content)
    assert abs(len(asked[3:]) - notice.needed) <= 2  # "about": later answers open questions
    assert {"sudden_onset", "intensity", "neck_pain"} <= set(asked)
    assert "location" not in asked  # a question about the pattern only
    assert result.stopped_early == asked[-1]
    assert (result.triage_level, result.headache_types) == ("urgent", ())
    assert result_object(content, result)["stopped_early"] == {"after": asked[-1]}
    full, _ = answer_everything(content, new_at_58())
    assert len(asked) < len([s for s in _ if isinstance(s, Ask)]) - 20


def test_the_stop_ends_at_once_when_nothing_left_can_show_an_emergency(content: Content) -> None:
    answers = {**vignettes()[0].answers, "age": 58, "headache_history": "weeks"}
    prefill = {k: v for k, v in answers.items() if k not in ("location", "side")}
    _, script, result = run(content, ["1"], prefill)
    assert [type(s) for s in script.screens] == [EarlyNotice]
    assert script.screens[0].needed == 0  # type: ignore[union-attr]
    assert result.stopped_early is not None and result.triage_level == "urgent"


def test_an_emergency_after_the_stop_still_stops_at_emergency(content: Content) -> None:
    _, script, result = run(content, NEW_AT_58 + ["1", "y", "1"])
    assert isinstance(script.screens[-1], Emergency)
    assert (result.stopped_early, result.triage_level) == ("sudden_onset", "emergency")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_stopping_at_the_early_notice_never_hides_an_emergency(
    content: Content, scenario: Scenario
) -> None:
    if not complete(content, scenario.answers):
        pytest.skip("an incomplete record")
    result, _ = answer_everything(content, scenario.answers, notice="1")
    whole = evaluate(content, scenario.answers)
    assert result.triage_level == whole.triage_level
    emergencies = {f.rule.id for f in whole.red_flags if f.level == "emergency"}
    if emergencies:
        assert {f.rule.id for f in result.red_flags} & emergencies


def test_going_on_at_the_notice_asks_everything_and_the_notice_comes_once(
    content: Content,
) -> None:
    result, screens = answer_everything(content, new_at_58())
    assert sum(isinstance(s, EarlyNotice) for s in screens) == 1
    assert "location" in [s.question.id for s in screens if isinstance(s, Ask)]
    assert result.stopped_early is None and result.headache_types


def test_b_at_the_notice_goes_back_to_the_last_answer(content: Content) -> None:
    check, script = interrupted(content, NEW_AT_58 + ["b", "4", "n"])
    assert script.asked()[3:] == ["headache_history", "sudden_onset", "peak_within_hour"]
    assert sum(isinstance(s, EarlyNotice) for s in script.screens) == 1
    assert check.answers["headache_history"] == "years"  # no warning sign now: no notice


def test_the_notice_is_not_shown_after_the_review(content: Content) -> None:
    answers = vignettes()[0].answers
    _, script, result = run(content, ["headache_history", "2", ""], answers)
    assert not any(isinstance(s, EarlyNotice) for s in script.screens)
    assert result.triage_level == "soon" and result.stopped_early is None


# --- pre-filled answers ----------------------------------------------------------------


def test_an_invalid_prefilled_answer_is_shown_with_its_problem_and_asked_again(
    content: Content,
) -> None:
    check, script = interrupted(content, ["41"], {"age": "forty-one", "sex": "male"})
    first = script.screens[0]
    assert isinstance(first, Ask) and first.question.id == "age"
    assert first.entered == "forty-one"
    assert first.problem == (
        "from the answers file: must be a whole number from 12 to 120, not 'forty-one'"
    )
    assert script.asked() == ["age", "headache_history"]
    assert check.answers == {"age": 41, "sex": "male"}


def test_snapshot_keeps_every_answer_given_or_supplied(content: Content) -> None:
    prefill = {"id": "p-7", "age": "old", "sleepy": "yes", "aura_types": ["visual"]}
    check, _ = interrupted(content, [], prefill)
    assert check.snapshot() == prefill
    check, _ = interrupted(content, ["50", "2"], prefill)
    assert check.snapshot() == {
        "id": "p-7",
        "sleepy": "yes",
        "aura_types": ["visual"],
        "age": 50,
        "sex": "male",
    }


def test_a_finished_run_keeps_the_record_warnings_as_assess_does(content: Content) -> None:
    answers = {**vignettes()[0].answers, "sleepy": "yes"}
    _, _, result = run(content, [""], answers)
    assert result.warnings == evaluate(content, answers).warnings
    assert "unknown answer ID 'sleepy' ignored" in result.warnings


# --- review ----------------------------------------------------------------------------


def test_the_review_lists_every_answer_and_changes_the_one_chosen(content: Content) -> None:
    answers = vignettes()[0].answers
    check, script, result = run(content, ["99", "1", "45", ""], answers)
    review, refused = script.screens[0], script.screens[1]
    assert isinstance(review, Review)
    assert [e.question.id for e in review.lines] == list(check.answers)[: len(review.lines)]
    assert review.lines[0].number == 1 and review.lines[0].section.id == "about"
    assert isinstance(refused, Review) and refused.entered == "99"
    assert refused.problem.startswith("type a number from 1 to ")
    change = script.screens[2]
    assert isinstance(change, Ask) and change.question.id == "age" and change.current == 38
    assert isinstance(script.screens[3], Review)
    assert result.answers["age"] == 45


def test_b_at_the_review_goes_back_to_the_last_question(content: Content) -> None:
    answers = vignettes()[0].answers
    check, script, _ = run(content, ["b", "", ""], answers)
    back = script.screens[1]
    last = list(check.answers)[-1]
    assert isinstance(back, Ask) and back.question.id == last
    assert isinstance(script.screens[2], Review)


def test_a_changed_review_answer_that_opens_questions_asks_them(content: Content) -> None:
    answers = vignettes()[0].answers
    assert answers["aura"] == "no"
    check, script, _ = run(content, ["aura", "y", "1", "20", "y", "y", "y", "y", ""], answers)
    assert script.asked() == [
        "aura",
        "aura_types",
        "aura_duration_minutes",
        "aura_spreads_gradually",
        "aura_one_sided",
        "aura_positive",
        "aura_headache_within_60_min",
    ]
    assert check.answers["aura_types"] == ("visual",)
    assert isinstance(script.screens[-1], Review)


def test_the_count_includes_questions_that_may_still_be_asked(content: Content) -> None:
    _, script = interrupted(content, ["70", "male"])
    assert [(s.number, s.of) for s in script.screens if isinstance(s, Ask)] == [
        (1, 4),  # pregnancy may still be asked
        (2, 4),
        (3, 3),  # not for a man of 70
    ]


# --- two headaches (spec v3) -----------------------------------------------------------

TWO_HEADACHES = "v29-migraine-and-on-other-days-tension-type-headache"


def two_headaches() -> dict[str, Any]:
    return dict(next(s for s in vignettes() if s.name == TWO_HEADACHES).answers)


def other_answers(content: Content, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of the section about the other headache."""
    section = next(s for s in content.questions.sections if s.id == "other_pattern")
    return {qid: answers[qid] for qid in section.questions if qid in answers}


def test_a_yes_to_a_second_headache_asks_the_other_headache_section(content: Content) -> None:
    answers = two_headaches()
    other = other_answers(content, answers)
    prefill = {k: v for k, v in answers.items() if k not in other and k != "other_headache"}
    questions = content.questions.questions
    entries = ["y"] + [typed(questions[qid], value) for qid, value in other.items()] + [""]
    _, script, result = run(content, entries, prefill)
    assert script.asked() == ["other_headache", *other]
    first = script.screens[1]
    assert isinstance(first, Ask) and first.section.title == "Your other headache"
    assert (first.number, first.of) == (1, 22)  # the aura details may still be asked
    last = script.screens[-2]
    assert isinstance(last, Ask) and (last.number, last.of) == (16, 16)  # no other aura
    assert isinstance(script.screens[-1], Review)
    assert "Your other headache" in {line.section.title for line in script.screens[-1].lines}
    assert [(p.rule.id, p.headache) for p in result.headache_types] == [
        ("migraine_without_aura", 1),
        ("tension_type_frequent", 2),
    ]
    assert result_object(content, result) == result_object(content, evaluate(content, answers))


def test_a_no_to_a_second_headache_goes_on_to_the_medicines(content: Content) -> None:
    answers = two_headaches()
    other = other_answers(content, answers)
    prefill = {k: v for k, v in answers.items() if k not in other and k != "other_headache"}
    prefill.pop("painkiller_days")
    check, script = interrupted(content, ["n"], prefill)
    assert script.asked() == ["other_headache", "painkiller_days"]
    assert not other.keys() & check.answers.keys()


# --- the safety questions wait once a red flag fires (spec v3) -------------------------

SAFETY = (
    "needle_fear",
    "blood_thinners",
    "epilepsy",
    "metal_allergy",
    "skin_problem_at_site",
    "lymphedema",
    "implanted_device",
    "diabetes",
)


def flagged(typed_too: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record with an urgent warning sign (positional), without its safety
    answers nor those of `typed_too`."""
    answers = {**vignettes()[0].answers, "positional": "yes"}
    return {k: v for k, v in answers.items() if k not in SAFETY + typed_too}


def test_after_a_red_flag_only_blood_thinners_is_asked_with_one_line_saying_why(
    content: Content,
) -> None:
    check, script, result = run(content, ["y", "2", "n", ""], flagged(("positional",)))
    assert script.asked() == ["positional", "blood_thinners"]
    assert isinstance(script.screens[1], EarlyNotice)  # an urgent sign: go on (2)
    told = [s for s in script.screens if isinstance(s, Ask | Review) and s.skipped]
    assert len(told) == 1 and told[0] is script.screens[2]
    asked = script.screens[2]
    assert isinstance(asked, Ask) and asked.question.id == "blood_thinners"
    assert [s.id for s in asked.skipped] == ["needling_safety"]
    assert (asked.number, asked.of) == (1, 1)  # the questions passed over are not counted
    assert isinstance(script.screens[3], Review) and script.screens[3].skipped == ()
    assert [f.rule.id for f in result.red_flags] == ["positional"]
    assert result.dry_needling.recommendation == "refer_first"
    assert not set(SAFETY[:1] + SAFETY[2:]) & result.answers.keys()
    assert result.answers["blood_thinners"] == "no"
    assert check.snapshot() == {**flagged(), "blood_thinners": "no"}


def test_going_back_past_the_line_does_not_show_it_again(content: Content) -> None:
    entries = ["2", "y", "b", "", "n", ""]  # 2: go on at the early notice
    _, script, _ = run(content, entries, flagged(("painkiller_over_3_months",)))
    assert isinstance(script.screens[0], EarlyNotice)
    assert script.asked() == ["painkiller_over_3_months", "blood_thinners"] * 2
    told = [s for s in script.screens if isinstance(s, Ask) and s.skipped]
    assert told == [script.screens[2]]


def test_the_line_comes_on_the_review_when_the_questions_are_passed_over_after_the_last(
    content: Content,
) -> None:
    prefill = {**flagged(), "needle_fear": "no", "blood_thinners": "no"}
    _, script, result = run(content, ["", ""], prefill)
    review = script.screens[0]
    assert isinstance(review, Review) and [s.id for s in review.skipped] == ["needling_safety"]
    assert result.dry_needling.recommendation == "refer_first"


def test_without_a_red_flag_every_safety_question_is_asked(content: Content) -> None:
    answers = vignettes()[0].answers
    prefill = {k: v for k, v in answers.items() if k not in SAFETY}
    _, script, _ = run(content, ["n"] * len(SAFETY) + [""], prefill)
    assert script.asked() == list(SAFETY)
    assert not any(isinstance(s, Ask | Review) and s.skipped for s in script.screens)


def test_when_the_red_flag_is_undone_at_the_review_the_safety_questions_are_asked(
    content: Content,
) -> None:
    entries = ["positional", "n"] + ["n"] * (len(SAFETY) - 1) + [""]
    _, script, result = run(content, entries, {**flagged(), "blood_thinners": "no"})
    assert script.asked() == ["positional", *(q for q in SAFETY if q != "blood_thinners")]
    assert result.red_flags == ()
    assert set(SAFETY) <= result.answers.keys()


def test_prefilled_safety_answers_are_kept_after_a_red_flag_and_a_bad_one_is_asked(
    content: Content,
) -> None:
    prefill = {**flagged(), "blood_thinners": "no", "needle_fear": "maybe", "diabetes": "yes"}
    _, script, result = run(content, ["n", ""], prefill)
    assert script.asked() == ["needle_fear"]
    asked = script.screens[0]
    assert isinstance(asked, Ask) and asked.problem.startswith("from the answers file:")
    assert asked.skipped == ()  # a safety question is asked: nothing to explain yet
    review = script.screens[1]
    assert isinstance(review, Review) and [s.id for s in review.skipped] == ["needling_safety"]
    assert [line.question.id for line in review.lines][-3:] == [
        "needle_fear",
        "blood_thinners",
        "diabetes",
    ]
    assert result.dry_needling.precautions == ("diabetes",)
    assert result_object(content, result) == result_object(
        content, evaluate(content, {**prefill, "needle_fear": "no"})
    )
