"""The one validation every answer goes through, whatever its source."""

from __future__ import annotations

from typing import Any

import pytest

from triage.answers import parse_answer
from triage.model import Content


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
