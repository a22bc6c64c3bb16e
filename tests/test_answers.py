"""The one validation every answer goes through, whatever its source."""

from __future__ import annotations

from typing import Any

import pytest

from triage.engine.answers import parse_answer
from triage.model import Content
from triage.selfcheck.typed import parse_typed, typing_hint


def parse(content: Content, qid: str, raw: Any) -> Any:
    return parse_answer(content.questions.questions[qid], raw)


@pytest.mark.parametrize(
    ("qid", "raw", "value"),
    [
        ("vomiting", True, "yes"),
        ("vomiting", False, "no"),
        ("vomiting", "Yes", "yes"),
        ("vomiting", " no ", "no"),
        ("vomiting", "true", "yes"),
        ("sudden_onset", "UNSURE", "unsure"),
        ("age", 38, 38),
        ("age", "42", 42),
        ("age", 42.0, 42),
        ("headache_days_per_month", 0.5, 0.5),
        ("headache_days_per_month", "14.5", 14.5),
        ("attack_duration_hours", "45m", 0.75),
        ("attack_duration_hours", "6h", 6),
        ("attack_duration_hours", "3d", 72),
        ("attack_duration_hours", "1.5 hours", 1.5),
        ("attack_duration_hours", 2160, 2160),
        ("pregnancy", False, "no"),
        ("nausea", "Moderate_Or_Severe", "moderate_or_severe"),
        ("location", ["temples", "forehead", "temples"], ("forehead", "temples")),
        ("location", "forehead;neck", ("forehead", "neck")),
        ("painkiller_types", ["simple"], ("simple",)),
    ],
)
def test_valid_answers_are_normalised(content: Content, qid: str, raw: Any, value: Any) -> None:
    assert parse(content, qid, raw) == value


@pytest.mark.parametrize(
    ("qid", "raw", "message"),
    [
        ("vomiting", "unsure", "must be yes or no, not 'unsure'"),
        ("sudden_onset", "maybe", "must be yes, no or unsure, not 'maybe'"),
        ("sudden_onset", ["yes"], "must be yes, no or unsure, not ['yes']"),
        ("age", 130, "must be a whole number from 12 to 120, not 130"),
        ("age", 38.5, "must be a whole number from 12 to 120, not 38.5"),
        ("age", True, "must be a whole number from 12 to 120, not True"),
        ("age", "forty", "must be a whole number from 12 to 120, not 'forty'"),
        ("age", float("nan"), "must be a whole number from 12 to 120, not nan"),
        ("headache_days_per_month", 32, "must be a number from 0 to 31, not 32"),
        ("headache_days_per_month", "1e400", "must be a number from 0 to 31, not '1e400'"),
        (
            "attack_duration_hours",
            0,
            "must be a number greater than 0 and at most 2160 (hours, or with a unit: 45m, 6h, "
            "3d), not 0",
        ),
        (
            "attack_duration_hours",
            "6 weeks",
            "must be a number greater than 0 and at most 2160 (hours, or with a unit: 45m, 6h, "
            "3d), not '6 weeks'",
        ),
        ("nausea", "sever", "unknown code 'sever'; expected one of none, mild, moderate_or_severe"),
        ("nausea", 3, "unknown code 3; expected one of none, mild, moderate_or_severe"),
        (
            "location",
            [],
            "must name at least one of forehead, temples, around_eye, top_of_head, "
            "back_of_head, neck, whole_head",
        ),
        (
            "location",
            ["chin"],
            "unknown code 'chin'; expected codes from forehead, temples, "
            "around_eye, top_of_head, back_of_head, neck, whole_head",
        ),
        (
            "location",
            {"a": 1},
            "must be a list of codes from forehead, temples, around_eye, "
            "top_of_head, back_of_head, neck, whole_head (at least one), not {'a': 1}",
        ),
    ],
)
def test_invalid_answers_say_what_would_be_valid(
    content: Content, qid: str, raw: Any, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse(content, qid, raw)
    assert str(caught.value) == message


def test_under_12_is_out_of_scope_with_its_own_message(content: Content) -> None:
    with pytest.raises(ValueError) as caught:
        parse(content, "age", 11)
    assert "12" in str(caught.value) and "doctor" in str(caught.value)


def test_a_huge_value_is_quoted_back_shortened(content: Content) -> None:
    with pytest.raises(ValueError) as caught:
        parse(content, "nausea", "x" * 10_000)
    assert len(str(caught.value)) < 300


# --- typed at the prompt ----------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("sex", "2", "male"),
        ("sex", " Female ", "female"),
        ("sex", "another answer, or prefer not to say", "other"),
        ("sudden_onset", "y", "yes"),
        ("sudden_onset", "N", "no"),
        ("sudden_onset", "u", "unsure"),
        ("sudden_onset", "3", "unsure"),
        ("vomiting", "yes", "yes"),
        ("location", "1, 3", ("forehead", "around_eye")),
        ("location", "3 1", ("forehead", "around_eye")),
        ("location", "neck; Forehead", ("forehead", "neck")),
        ("location", "Top of your head", ("top_of_head",)),
        ("attack_duration_hours", "45m", 0.75),
        ("attack_duration_hours", "3 d", 72),
        ("age", " 40 ", 40),
    ],
)
def test_typed_answers_are_read_as_numbers_codes_labels_or_letters(
    content: Content, qid: str, text: str, value: Any
) -> None:
    assert parse_typed(content.questions.questions[qid], text) == value


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("sex", "4", "there is no choice '4'; type a number from 1 to 3, or the choice's words"),
        (
            "sex",
            "fem",
            "'fem' is not one of the choices; type a number from 1 to 3, or the choice's words",
        ),
        ("vomiting", "u", "'u' is not one of the choices; type y or n, or a number from 1 to 2"),
        ("location", "1, 9", "there is no choice '9'; type one or more of 1 to 7, such as 1, 3"),
        (
            "location",
            ",",
            "must name at least one of forehead, temples, around_eye, "
            "top_of_head, back_of_head, neck, whole_head",
        ),
        ("age", "12.5", "must be a whole number from 12 to 120, not '12.5'"),
    ],
)
def test_a_refused_typed_answer_says_what_may_be_typed(
    content: Content, qid: str, text: str, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse_typed(content.questions.questions[qid], text)
    assert str(caught.value) == message


def test_typing_hints_for_numbers_follow_the_allowed_values(content: Content) -> None:
    questions = content.questions.questions
    assert typing_hint(questions["age"]) == "type a whole number from 12 to 120"
    assert typing_hint(questions["attack_duration_hours"]).endswith(
        "(hours, or with a unit: 45m, 6h, 3d)"
    )


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("qid", "raw", "message"),
    [
        (
            "age",
            10**5000,
            "must be a whole number from 12 to 120, not a number too long to show",
        ),
        ("vomiting", -(10**5000), "must be yes or no, not a number too long to show"),
        (
            "age",
            _nested(5000),
            "must be a whole number from 12 to 120, not a list or mapping nested too deeply "
            "to show",
        ),
    ],
    ids=["huge int", "huge negative int", "deep list"],
)
def test_a_value_python_cannot_show_is_still_refused_with_our_message(
    content: Content, qid: str, raw: Any, message: str
) -> None:
    """Found by fuzzing: repr() of these raised its own ValueError or a RecursionError."""
    with pytest.raises(ValueError) as caught:
        parse(content, qid, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        (
            "sex",
            "²",
            "'²' is not one of the choices; type a number from 1 to 3, or the choice's words",
        ),
        (
            "sex",
            "9" * 5000,
            "there is no choice '"
            + "9" * 199
            + "…'; type a number from 1 to 3, or the choice's words",
        ),
        (
            "location",
            "1 ²",
            "'1 ²' is not one of the choices; type one or more of 1 to 7, such as 1, 3",
        ),
    ],
)
def test_typed_digits_python_cannot_read_as_a_number(
    content: Content, qid: str, text: str, message: str
) -> None:
    """Found by fuzzing: int() refused '²' (a digit to str.isdigit) and 5000 digits."""
    with pytest.raises(ValueError) as caught:
        parse_typed(content.questions.questions[qid], text)
    assert str(caught.value) == message
