"""Safety invariants of the shipped rules, checked on answer sets hypothesis draws.

The vignettes pin single outcomes; these properties hold for every valid
record: a red flag always decides the level and means `refer_first`, a
warning sign added never lowers urgency, `unsure` is never silently dropped,
answers to questions not asked change nothing, and a partial record still
reports what its valid answers show.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import triage
from triage.engine.answers import parse_answer
from triage.engine.evaluate import red_flags
from triage.engine.validate import is_asked, validate
from triage.logic.tree import refs
from triage.model import LEVELS, Content, Question, Result
from triage.results import contract

from .strategies import answer_sets, parsed, spellings, unasked, values

CONTENT: Content = triage.load()
QUESTIONS = CONTENT.questions.questions
RECORDS = answer_sets(CONTENT)
SOME = settings(max_examples=120, deadline=None)
FEW = settings(max_examples=50, deadline=None)

# clinical-logic "Unsure answers": the warning-sign questions, and `blood_thinners`
# (read by head_injury_high_risk) with the same `escalate` reading.
WARNING_SIGNS = tuple(
    qid
    for section in CONTENT.questions.sections
    if section.id == "warning_signs"
    for qid in section.questions
) + ("blood_thinners",)
UNSURE_QUESTIONS = tuple(QUESTIONS[qid] for qid in WARNING_SIGNS)
RULE_LEVEL = {flag.id: flag.level for flag in CONTENT.rules.red_flags}


def urgency(level: str) -> int:
    """Larger is more urgent: routine 0 ... emergency 3."""
    return len(LEVELS) - 1 - LEVELS.index(level)


def out(result: Result) -> dict[str, Any]:
    return contract.result_object(CONTENT, result)


def without_warnings(result: Result) -> dict[str, Any]:
    return {k: v for k, v in out(result).items() if k != "warnings"}


def answered(raw: dict[str, Any], qid: str, value: str) -> dict[str, Any]:
    """`raw` with `qid` answered `value`; a yes/no question that this newly asks
    (`peak_within_hour` after `sudden_onset` = `no`) is answered `no`."""
    out = {**raw, qid: value}
    for missing in validate(CONTENT, out).missing:
        if QUESTIONS[missing].type in ("yes_no", "yes_no_unsure"):
            out[missing] = "no"
    return out


def flags(result: Result) -> dict[str, tuple[str, str]]:
    """Red flag ID -> (level, certainty)."""
    return {f.rule.id: (f.level, f.certainty) for f in result.red_flags}


def names(warnings: tuple[str, ...] | list[str], qid: str) -> bool:
    return any(f"'{qid}'" in w for w in warnings)


def single_question_flags(qid: str) -> list[str]:
    """Red flags whose whole condition is this one question answered yes."""
    return [f.id for f in CONTENT.rules.red_flags if f.when.reads == {qid} and not refs(f.when)]


def spec_flags(answers: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The red flags the spec's three readings give ("Unsure answers"), each
    reading evaluated as a record with no `unsure` left in it."""
    unsure = [qid for qid, v in answers.items() if v == "unsure"]
    expected: dict[str, tuple[str, str]] = {}
    for number, policies in ((1, ()), (2, ("escalate",)), (3, ("escalate", "cap"))):
        reading = {
            **answers,
            **{qid: "yes" if QUESTIONS[qid].unsure in policies else "no" for qid in unsure},
        }
        for flag in triage.red_flags(CONTENT, reading):
            if flag.rule.id in expected:
                continue
            level = flag.rule.level
            if number == 3 and level == "emergency":
                level = "urgent"
            expected[flag.rule.id] = (level, "reported" if number == 1 else "possible")
    return expected


# --- 1. any valid record ------------------------------------------------------


@SOME
@given(RECORDS)
def test_a_valid_record_is_assessed_and_its_level_is_its_most_urgent_flag(raw: dict) -> None:
    """clinical-logic 1 and 4: the level is the most urgent flag's (else routine), and
    any flag, of any level or certainty, means refer_first."""
    result = triage.evaluate(CONTENT, raw)
    fired = result.red_flags
    if fired:
        assert result.triage_level == min((f.level for f in fired), key=LEVELS.index)
        assert result.dry_needling.recommendation == "refer_first"
    else:
        assert result.triage_level == "routine"
        assert result.dry_needling.recommendation != "refer_first"
    assert [urgency(f.level) for f in fired] == sorted(
        (urgency(f.level) for f in fired), reverse=True
    ), "most urgent first"
    assert result.headache_types, "a complete record always gets a pattern (or unclassified)"
    assert not [w for w in result.warnings if "ignored" in w], "nothing unasked was given"
    json_ready = out(result)
    assert json_ready["triage_level"] == result.triage_level


# --- 2. a warning sign added never lowers urgency --------------------------------


def _asked_with(raw: dict, want: tuple[str, ...]) -> list[str]:
    answers = parsed(CONTENT, raw)
    return [qid for qid in WARNING_SIGNS if answers.get(qid) in want]


def _not_weaker(before: Result, after: Result) -> None:
    """No lower level, and no flag dropped or weakened, but one that stood on an
    answer to a question the change leaves unasked (`peak_within_hour` is asked
    only when `sudden_onset` is `no`)."""
    assert urgency(after.triage_level) >= urgency(before.triage_level)
    old, new = flags(before), flags(after)
    unasked = set(before.answers) - set(after.answers)
    for flag in before.red_flags:
        if flag.rule.id not in new:
            assert unasked & {qid for qid, _ in flag.because}, f"flag removed: {flag.rule.id}"
            del old[flag.rule.id]
    for fid, (level, certainty) in old.items():
        assert urgency(new[fid][0]) >= urgency(level), fid
        if certainty == "reported":
            assert new[fid][1] == "reported", fid


@SOME
@given(RECORDS, st.data())
def test_answering_a_warning_sign_yes_never_lowers_urgency(raw: dict, data: st.DataObject) -> None:
    """A warning sign answered yes never lowers the level, drops a flag or weakens one."""
    candidates = _asked_with(raw, ("no", "unsure"))
    assume(candidates)
    qid = data.draw(st.sampled_from(candidates), label="question")
    before = triage.evaluate(CONTENT, raw)
    after = triage.evaluate(CONTENT, {**raw, qid: "yes"})
    _not_weaker(before, after)


@SOME
@given(RECORDS, st.data())
def test_answering_a_warning_sign_unsure_instead_of_no_never_lowers_urgency(
    raw: dict, data: st.DataObject
) -> None:
    """`unsure` is never silently dropped; with `ignore` it changes no flag."""
    candidates = _asked_with(raw, ("no",))
    assume(candidates)
    qid = data.draw(st.sampled_from(candidates), label="question")
    before = triage.evaluate(CONTENT, raw)
    after = triage.evaluate(CONTENT, {**raw, qid: "unsure"})
    _not_weaker(before, after)
    if QUESTIONS[qid].unsure == "ignore":
        assert flags(after) == flags(before)
        assert after.triage_level == before.triage_level


# --- 3. answers to questions not asked ----------------------------------------


@SOME
@given(RECORDS, st.data())
def test_answers_to_questions_not_asked_change_nothing_but_a_warning(
    raw: dict, data: st.DataObject
) -> None:
    """intake-dictionary: answers to questions not asked are ignored, with a warning."""
    extra_questions = unasked(CONTENT, raw)
    assume(extra_questions)
    chosen = data.draw(
        st.lists(
            st.sampled_from(extra_questions), min_size=1, unique=True, max_size=len(extra_questions)
        ),
        label="unasked",
    )
    extra = {q.id: data.draw(values(q), label=q.id) for q in chosen}
    before = triage.evaluate(CONTENT, raw)
    after = triage.evaluate(CONTENT, {**raw, **extra})
    assert without_warnings(after) == without_warnings(before)
    assert set(before.warnings) <= set(after.warnings)
    for qid in extra:
        assert names(after.warnings, qid), f"no warning names '{qid}': {after.warnings}"
        assert qid not in after.answers


@FEW
@given(RECORDS, st.sampled_from(("record-7", 7)))
def test_the_record_id_is_not_an_answer(raw: dict, record_id: Any) -> None:
    """A record's `id` is neither an answer nor an unknown answer ID."""
    before = triage.evaluate(CONTENT, raw)
    after = triage.evaluate(CONTENT, {**raw, "id": record_id})
    assert out(after) == out(before)


# --- 4. missing answers -------------------------------------------------------


def _dropped(raw: dict, gone: list[str], how: str) -> dict:
    if how == "absent":
        return {k: v for k, v in raw.items() if k not in gone}
    return {**raw, **dict.fromkeys(gone, None if how == "null" else "")}


@SOME
@given(RECORDS, st.data())
def test_a_record_with_missing_answers_names_them_and_keeps_its_red_flags(
    raw: dict, data: st.DataObject
) -> None:
    """intake-dictionary "missing"; the error carries the flags its valid answers fire."""
    gone = data.draw(
        st.lists(st.sampled_from(sorted(raw)), min_size=1, unique=True), label="dropped"
    )
    how = data.draw(st.sampled_from(("absent", "null", "empty")), label="how")
    partial_raw = _dropped(raw, gone, how)
    present = parsed(CONTENT, partial_raw)
    # intake dictionary: an ask-if that reads a missing answer does not hold,
    # so only the missing answers of questions still asked are reported.
    expect_missing = []
    seen: dict[str, Any] = {}
    for question in CONTENT.questions:
        if is_asked(CONTENT, question, seen):
            if question.id in present:
                seen[question.id] = present[question.id]
            elif question.id in gone:
                expect_missing.append(question.id)
    checked = validate(CONTENT, partial_raw)
    flagged = red_flags(CONTENT, {**checked.answers, **checked.undecided})
    if flagged:  # the optional safety questions wait for a doctor
        expect_missing = [q for q in expect_missing if not QUESTIONS[q].optional_after_red_flag]
        if not expect_missing:
            result = triage.evaluate(CONTENT, partial_raw)
            assert result.dry_needling.recommendation == "refer_first"
            assert result.triage_level == triage.evaluate(CONTENT, raw).triage_level
            return
    with pytest.raises(triage.AnswerError) as caught:
        triage.evaluate(CONTENT, partial_raw)
    error = caught.value
    assert list(error.missing) == expect_missing
    assert error.invalid == {}
    partial = error.partial
    # answers whose ask-if reads a dropped answer cannot be placed: the red
    # flags read them too, so that a partial record never hides a warning sign
    undecided = validate(CONTENT, partial_raw).undecided
    assert [contract.flag_object(f) for f in partial.red_flags] == [
        contract.flag_object(f) for f in triage.red_flags(CONTENT, {**present, **undecided})
    ]
    assert partial.triage_level_at_least == min(
        (f.level for f in partial.red_flags), key=LEVELS.index, default="routine"
    )
    # a flag whose reasons were all still given fires on the partial record
    # too, at least as urgently
    full = triage.evaluate(CONTENT, raw)
    still = {f.rule.id: f.level for f in partial.red_flags}
    for flag in full.red_flags:
        if all(qid not in gone for qid, _ in flag.because):
            assert flag.rule.id in still, f"{flag.rule.id} lost with {gone} {how}"
            assert urgency(still[flag.rule.id]) >= urgency(flag.level)
    # answers that are no longer asked are named, not silently used
    for qid, value in partial_raw.items():
        if value not in (None, "") and qid not in present and qid not in undecided:
            assert names(partial.warnings, qid), f"'{qid}' dropped without a warning"


# --- 5. unsure answers --------------------------------------------------------


def check_unsure_follows_the_question_policy(
    question: Question, raw: dict, as_drawn: Result
) -> None:
    """clinical-logic "Unsure answers": what `yes` alone would add fires as `possible`,
    at its level (escalate) or capped at urgent (cap); `ignore` changes nothing but
    a warning with the question's advice.  `as_drawn` is the record's own result."""
    unsure = triage.evaluate(CONTENT, {**raw, question.id: "unsure"})
    answered_no = answered(raw, question.id, "no")
    no = as_drawn if answered_no == raw else triage.evaluate(CONTENT, answered_no)
    fired = flags(unsure)
    if question.unsure == "ignore":
        assert without_warnings(unsure) == without_warnings(no)
        assert names(unsure.warnings, question.id)
        assert question.unsure_advice and any(question.unsure_advice in w for w in unsure.warnings)
        return
    yes = flags(triage.evaluate(CONTENT, {**raw, question.id: "yes"}))
    own = {fid: yes[fid][0] for fid in set(yes) - set(flags(no))}
    own.update({fid: RULE_LEVEL[fid] for fid in single_question_flags(question.id)})
    for fid, level in own.items():
        if question.unsure == "cap":
            level = "urgent" if RULE_LEVEL[fid] == "emergency" else RULE_LEVEL[fid]
        assert fired.get(fid) == (level, "possible"), f"{fid} for '{question.id}' unsure"


@SOME
@given(raw=RECORDS)
def test_unsure_follows_the_question_policy(raw: dict) -> None:
    """The check above for every warning sign the record asks: one record serves
    them all (even the least asked, `jaw_or_scalp_pain` at 50 or over, is asked in
    about half the records, so each is checked on more records than the 50 a test
    of its own drew)."""
    answers = parsed(CONTENT, raw)
    as_drawn = triage.evaluate(CONTENT, raw)
    for question in UNSURE_QUESTIONS:
        if is_asked(CONTENT, question, answers):
            check_unsure_follows_the_question_policy(question, raw, as_drawn)


def test_each_warning_sign_policy_is_exercised() -> None:
    """The unsure property above covers all three policies and single-question flags."""
    policies = {QUESTIONS[qid].unsure for qid in WARNING_SIGNS}
    assert policies == {"escalate", "cap", "ignore"}
    assert single_question_flags("sudden_onset") == ["thunderclap"]
    for qid in WARNING_SIGNS:
        if QUESTIONS[qid].unsure == "cap":
            levels = {RULE_LEVEL[fid] for fid in single_question_flags(qid)}
            assert "emergency" in levels, f"'{qid}' is capped but has no emergency flag of its own"


@SOME
@given(RECORDS)
def test_red_flags_are_the_three_readings_of_unsure(raw: dict) -> None:
    """Every flag, level and certainty is what the spec's three readings give."""
    answers = parsed(CONTENT, raw)
    assert flags(triage.evaluate(CONTENT, raw)) == spec_flags(answers)


# --- 6. determinism -----------------------------------------------------------


@FEW
@given(RECORDS, st.randoms(use_true_random=False))
def test_the_same_answers_in_any_order_give_the_same_result(raw: dict, rnd: random.Random) -> None:
    """Evaluation is deterministic and the order of an answer file's keys does not matter."""
    first = triage.evaluate(CONTENT, raw)
    again = triage.evaluate(CONTENT, dict(raw))
    keys = list(raw)
    rnd.shuffle(keys)
    shuffled = triage.evaluate(CONTENT, {k: raw[k] for k in keys})
    backwards = triage.evaluate(CONTENT, dict(reversed(list(raw.items()))))
    assert out(again) == out(first) == out(shuffled) == out(backwards)
    assert again == first


@SOME
@given(RECORDS, st.data())
def test_every_accepted_spelling_of_an_answer_gives_the_same_result(
    raw: dict, data: st.DataObject
) -> None:
    """intake-dictionary answer types: `true`, `YES`, "42", "30m", "a;b" mean what they say."""
    respelled = data.draw(  # one draw for the record, not one (and its report) per answer
        st.fixed_dictionaries(
            {qid: spellings(QUESTIONS[qid], value) for qid, value in raw.items()}
        ),
        label="respelled",
    )
    for qid, value in respelled.items():
        assert parse_answer(QUESTIONS[qid], value) == parse_answer(QUESTIONS[qid], raw[qid]), qid
    assert out(triage.evaluate(CONTENT, respelled)) == out(triage.evaluate(CONTENT, raw))
