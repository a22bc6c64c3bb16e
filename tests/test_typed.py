"""What a person may type at the prompt: one rule for every question (docs/answers.md)."""

from __future__ import annotations

from typing import Any

import pytest

from triage.model import Content
from triage.selfcheck.typed import choices, parse_typed

NO_EXPONENT = "write the number in plain digits, without an exponent"


def typed(content: Content, qid: str, text: str) -> Any:
    return parse_typed(content.questions.questions[qid], text)


def refused(content: Content, qid: str, text: str) -> str:
    with pytest.raises(ValueError) as caught:
        typed(content, qid, text)
    return str(caught.value)


# --- a choice by its number, its words or its first letter --------------------------------


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("pregnancy", "1", "no"),  # by the number shown
        ("pregnancy", "No", "no"),  # by its words (label or code)
        ("pregnancy", "n", "no"),  # by the first letter of its label or code
        ("pregnancy", "N", "no"),
        ("pregnancy", "y", "pregnant"),  # "Yes, I am pregnant"
        ("pregnancy", "i", "postpartum"),  # "I gave birth in the last 6 weeks"
        ("sex", "f", "female"),
        ("sex", "m", "male"),
        ("sex", "o", "other"),  # the code
        ("sex", "a", "other"),  # the label: "Another answer, …"
        ("attacks_count", "j", "one"),  # "Just this one"
        ("nausea", "n", "none"),  # "Not at all"
        ("nausea", "a", "mild"),  # "A little"
        ("nausea", "moderate or severe", "moderate_or_severe"),  # a code with spaces for _
        ("nausea", "Moderately  or   badly", "moderate_or_severe"),  # spaces count once
        ("location", "f n", ("forehead", "neck")),  # letters, like numbers, between spaces
        ("location", "f, 7", ("forehead", "whole_head")),
        ("location", "n; top of head", ("top_of_head", "neck")),
        ("painkiller_types", "s, t", ("simple", "triptan")),
    ],
)
def test_a_choice_is_taken_by_number_words_or_a_unique_first_letter(
    content: Content, qid: str, text: str, value: Any
) -> None:
    assert typed(content, qid, text) == value


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        (
            "pregnancy",
            "p",
            "'p' could mean choice 2 (Yes, I am pregnant) or choice 3 (I gave birth in the "
            "last 6 weeks); type the number or the words of the one you mean",
        ),
        (
            "side",
            "o",
            "'o' could mean choice 1 (One side, always the same side) or choice 2 (One side, "
            "but it can switch sides); type the number or the words of the one you mean",
        ),
        (
            "location",
            "f, t",
            "'t' could mean choice 2 (Temples (the sides of your head)) or choice 4 (Top of your "
            "head); type the number or the words of the one you mean",
        ),
        (
            "location",
            "a",  # around_eye by its code, whole_head by its label "All over your head"
            "'a' could mean choice 3 (In or around an eye) or choice 7 (All over your head); "
            "type the number or the words of the one you mean",
        ),
        (
            "pregnancy",
            "z",
            "'z' is not one of the choices; type a number from 1 to 3, or the choice's words",
        ),
        (
            "pregnancy",
            "yes",  # words must be a whole label or code
            "'yes' is not one of the choices; type a number from 1 to 3, or the choice's words",
        ),
        (
            "side",
            "b",  # b goes back at the prompt, so it is never a first letter ("Both sides")
            "'b' is the key for going back, not a choice's letter; type a number from 1 to 3, "
            "or the choice's words",
        ),
        (
            "location",
            "f b",
            "'b' is the key for going back, not a choice's letter; type one or more of 1 to 7, "
            "such as 1, 3",
        ),
        (
            "pregnancy",
            "0",
            "there is no choice '0'; type a number from 1 to 3, or the choice's words",
        ),
    ],
)
def test_an_ambiguous_or_unknown_letter_is_refused_saying_what_it_could_mean(
    content: Content, qid: str, text: str, message: str
) -> None:
    assert refused(content, qid, text) == message


def test_every_letter_of_every_question_is_taken_or_refused_with_a_message(
    content: Content,
) -> None:
    """A first letter picks at most one choice, and never against its number."""
    for q in content.questions:
        if q.type not in ("choice", "multi", "yes_no", "yes_no_unsure"):
            continue
        shown = choices(q)
        for letter in "abcdefghijklmnopqrstuvwxyz":
            fits = [
                code
                for code, label in shown
                if letter in (label.lower()[:1], code.lower()[:1]) and letter != "b"
            ]
            try:
                value = parse_typed(q, letter)
            except ValueError as exc:
                assert len(fits) != 1, (q.id, letter)
                assert str(exc).startswith(f"'{letter}' "), str(exc)
                continue
            assert value in (fits[0], (fits[0],)), (q.id, letter, value)


# --- yes / no / unsure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("sudden_onset", "y", "yes"),
        ("sudden_onset", "n", "no"),
        ("sudden_onset", "u", "unsure"),
        ("sudden_onset", "1", "yes"),  # the first choice shown, and 1 as in 1/0
        ("sudden_onset", "2", "no"),  # the second choice shown
        ("sudden_onset", "3", "unsure"),  # the third choice shown
        ("sudden_onset", "0", "no"),  # 0 as in 1/0
        ("sudden_onset", "TRUE", "yes"),
        ("sudden_onset", "false", "no"),
        ("sudden_onset", "Unsure", "unsure"),
        ("vomiting", "1", "yes"),
        ("vomiting", "0", "no"),
        ("vomiting", "2", "no"),
        ("vomiting", "True", "yes"),
        ("vomiting", "False", "no"),
    ],
)
def test_yes_no_takes_letters_shown_numbers_one_and_zero_and_true_false(
    content: Content, qid: str, text: str, value: str
) -> None:
    assert typed(content, qid, text) == value


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("vomiting", "3", "there is no choice '3'; type y or n, or a number from 1 to 2"),
        ("vomiting", "u", "'u' is not one of the choices; type y or n, or a number from 1 to 2"),
        (
            "vomiting",
            "unsure",
            "'unsure' is not one of the choices; type y or n, or a number from 1 to 2",
        ),
        ("sudden_onset", "4", "there is no choice '4'; type y, n or u, or a number from 1 to 3"),
        (
            "sudden_onset",
            "-1",
            "'-1' is not one of the choices; type y, n or u, or a number from 1 to 3",
        ),
        (
            "sudden_onset",
            "t",
            "'t' is not one of the choices; type y, n or u, or a number from 1 to 3",
        ),
    ],
)
def test_yes_no_refuses_what_is_not_shown(
    content: Content, qid: str, text: str, message: str
) -> None:
    assert refused(content, qid, text) == message


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("headache_days_per_month", "0,5", 0.5),
        ("headache_days_per_month", "0.5", 0.5),
        ("intensity", "8/10", 8),
        ("intensity", "8", 8),
        ("attack_duration_hours", "3w", 504),
        ("attack_duration_hours", "3 weeks", 504),
        ("attack_duration_hours", "1,5h", 1.5),
        ("attack_duration_hours", "2", 2),
    ],
)
def test_numbers_take_a_decimal_comma_a_score_out_of_10_and_weeks(
    content: Content, qid: str, text: str, value: Any
) -> None:
    assert typed(content, qid, text) == value


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("age", "1e1", f"must be a whole number from 12 to 120, not '1e1': {NO_EXPONENT}"),
        ("intensity", "1e1", f"must be a whole number from 1 to 10, not '1e1': {NO_EXPONENT}"),
        (
            "headache_days_per_month",
            "1E1",
            f"must be a number from 0 to 31, not '1E1': {NO_EXPONENT}",
        ),
        ("intensity", "11/10", "must be a whole number from 1 to 10, not '11/10'"),
        ("intensity", "7,5", "must be a whole number from 1 to 10, not '7,5'"),
        ("age", "40/10", "must be a whole number from 12 to 120, not '40/10'"),
        (
            "aura_duration_minutes",
            "1,440",
            "must be a whole number from 1 to 1440, not '1,440': a comma before three digits "
            "may separate thousands; write 1440",
        ),
    ],
)
def test_a_refused_number_says_what_was_typed_and_what_is_valid(
    content: Content, qid: str, text: str, message: str
) -> None:
    assert refused(content, qid, text) == message
