"""The one validation every answer goes through, whatever its source."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import triage
from triage.engine import validate as validate_module
from triage.engine.answers import parse_answer
from triage.engine.validate import validate
from triage.intake.read import read as records_of
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
            "3d, 2w), not 0",
        ),
        (
            "attack_duration_hours",
            "13 weeks",
            "must be a number greater than 0 and at most 2160 (hours, or with a unit: 45m, 6h, "
            "3d, 2w), not '13 weeks'",
        ),
        (
            "attack_duration_hours",
            "6 months",
            "must be a number greater than 0 and at most 2160 (hours, or with a unit: 45m, 6h, "
            "3d, 2w), not '6 months'",
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
        "(hours, or with a unit: 45m, 6h, 3d, 2w)"
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


# --- numbers written as text: the same reading in files and at the prompt ---------------

DURATION = (
    "must be a number greater than 0 and at most 2160 (hours, or with a unit: 45m, 6h, 3d, 2w)"
)
NO_EXPONENT = "write the number in plain digits, without an exponent"
DECIMAL = "write the number in plain decimal digits"


@pytest.mark.parametrize(
    ("qid", "raw", "value"),
    [
        ("headache_days_per_month", "0,5", 0.5),  # a decimal comma
        ("headache_days_per_month", " 14,5 ", 14.5),
        ("headache_days_per_month", ",5", 0.5),
        ("headache_days_per_month", "0,125", 0.125),  # a 0 before the comma: not thousands
        ("headache_days_per_month", "4,0", 4),
        ("attack_duration_hours", "1,5 hours", 1.5),
        ("attack_duration_hours", "0,5d", 12),
        ("intensity", "8/10", 8),  # a 1 to 10 scale: N/10 is N
        ("intensity", " 8 / 10 ", 8),
        ("intensity", "10/10", 10),
        ("other_intensity", "3/10", 3),
        ("attack_duration_hours", "3w", 504),  # weeks
        ("attack_duration_hours", "3 weeks", 504),
        ("attack_duration_hours", "1 week", 168),
        ("attack_duration_hours", "2 wks", 336),
        ("attack_duration_hours", "12 W", 2016),
        ("attack_duration_hours", "90 minutes", 1.5),
        ("headache_days_per_month", "1e1", 10),  # a file may hold a float as a program wrote it
        ("headache_days_per_month", "5e-324", 5e-324),
    ],
)
def test_numbers_as_text_take_a_decimal_comma_a_score_out_of_10_and_weeks(
    content: Content, qid: str, raw: str, value: Any
) -> None:
    assert parse(content, qid, raw) == value


@pytest.mark.parametrize(
    ("qid", "raw", "message"),
    [
        ("intensity", "0,5", "must be a whole number from 1 to 10, not '0,5'"),
        ("intensity", "11/10", "must be a whole number from 1 to 10, not '11/10'"),
        ("intensity", "0/10", "must be a whole number from 1 to 10, not '0/10'"),
        ("intensity", "8/9", "must be a whole number from 1 to 10, not '8/9'"),
        ("intensity", "8/100", "must be a whole number from 1 to 10, not '8/100'"),
        ("intensity", "8.5/10", "must be a whole number from 1 to 10, not '8.5/10'"),
        ("age", "8/10", "must be a whole number from 12 to 120, not '8/10'"),  # no 1-10 scale
        ("headache_days_per_month", "4/10", "must be a number from 0 to 31, not '4/10'"),
        ("headache_days_per_month", "3w", "must be a number from 0 to 31, not '3w'"),  # no unit
        ("headache_days_per_month", "1,5,3", "must be a number from 0 to 31, not '1,5,3'"),
        (
            "headache_days_per_month",
            "1_0",
            "must be a number from 0 to 31, not '1_0': write it without _, as 10",
        ),
        (
            "age",
            "1_000",
            "must be a whole number from 12 to 120, not '1_000': write it without _, as 1000",
        ),
        ("age", "0x26", f"must be a whole number from 12 to 120, not '0x26': {DECIMAL}"),
        ("age", "0X26", f"must be a whole number from 12 to 120, not '0X26': {DECIMAL}"),
        ("age", "0o60", f"must be a whole number from 12 to 120, not '0o60': {DECIMAL}"),
        ("age", "0b100110", f"must be a whole number from 12 to 120, not '0b100110': {DECIMAL}"),
        ("age", "1:30", f"must be a whole number from 12 to 120, not '1:30': {DECIMAL}"),
        (
            "attack_duration_hours",
            "1:30",
            f"{DURATION}, not '1:30': write 90 minutes as 1.5 or 90 min",
        ),
        (
            "attack_duration_hours",
            "0:45",
            f"{DURATION}, not '0:45': write 45 minutes as 0.75 or 45 min",
        ),
        ("attack_duration_hours", "1:20", f"{DURATION}, not '1:20': write 80 minutes as 80 min"),
        ("attack_duration_hours", "1:30:00", f"{DURATION}, not '1:30:00': {DECIMAL}"),
        ("headache_days_per_month", "inf", "must be a number from 0 to 31, not 'inf'"),
        ("attack_duration_hours", "3 fortnights", f"{DURATION}, not '3 fortnights'"),
        ("attack_duration_hours", "-3w", f"{DURATION}, not '-3w'"),
        ("attack_duration_hours", "1e1", f"{DURATION}, not '1e1': {NO_EXPONENT}"),
        ("attack_duration_hours", "1e1h", f"{DURATION}, not '1e1h': {NO_EXPONENT}"),
        (
            "intensity",
            "8e0/10",
            f"must be a whole number from 1 to 10, not '8e0/10': {NO_EXPONENT}",
        ),
        (
            "aura_duration_minutes",
            "1,440",
            "must be a whole number from 1 to 1440, not '1,440': a comma before three digits "
            "may separate thousands; write 1440",
        ),
        (
            "attack_duration_hours",
            "1,500h",
            f"{DURATION}, not '1,500h': a comma before three digits may separate thousands; "
            "write 1500, or 1.500 for a decimal",
        ),
    ],
)
def test_numbers_as_text_that_are_refused_say_what_was_written(
    content: Content, qid: str, raw: str, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse(content, qid, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("age", "1e1", f"must be a whole number from 12 to 120, not '1e1': {NO_EXPONENT}"),
        ("age", "4E1", f"must be a whole number from 12 to 120, not '4E1': {NO_EXPONENT}"),
        (
            "headache_days_per_month",
            "5e-1",
            f"must be a number from 0 to 31, not '5e-1': {NO_EXPONENT}",
        ),
        (
            "headache_days_per_month",
            "1e400",
            f"must be a number from 0 to 31, not '1e400': {NO_EXPONENT}",
        ),
    ],
)
def test_a_typed_number_with_an_exponent_is_refused(
    content: Content, qid: str, text: str, message: str
) -> None:
    q = content.questions.questions[qid]
    for refuse in (lambda: parse_answer(q, text, typed=True), lambda: parse_typed(q, text)):
        with pytest.raises(ValueError) as caught:
            refuse()
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("qid", "raw", "message"),
    [
        ("vomiting", 1, "must be yes or no, not 1"),
        ("vomiting", 0, "must be yes or no, not 0"),
        ("vomiting", "y", "must be yes or no, not 'y'"),
        ("intensity", 8.5, "must be a whole number from 1 to 10, not 8.5"),
        ("intensity", True, "must be a whole number from 1 to 10, not True"),
        ("pregnancy", "n", "unknown code 'n'; expected one of no, pregnant, postpartum"),
        ("pregnancy", 1, "unknown code 1; expected one of no, pregnant, postpartum"),
        (
            "location",
            [1],
            "must be a list of codes from forehead, temples, around_eye, "
            "top_of_head, back_of_head, neck, whole_head (at least one); 1 is not a code",
        ),
    ],
)
def test_a_file_keeps_its_reading_of_codes_and_of_values_that_are_not_text(
    content: Content, qid: str, raw: Any, message: str
) -> None:
    """The prompt's shortcuts (y, 1 for yes, a choice's number or first letter) are
    not read from a file, where a code is written out and a number is a value."""
    with pytest.raises(ValueError) as caught:
        parse(content, qid, raw)
    assert str(caught.value) == message


V04 = Path(__file__).parent / "vignettes" / "v04-migraine-without-aura-no-muscle-signs.yaml"
AS_TEXT = {"headache_days_per_month": "3,5", "attack_duration_hours": "0,5d", "intensity": "8/10"}
AS_VALUES = {"headache_days_per_month": 3.5, "attack_duration_hours": 12, "intensity": 8}


def _cell(value: Any) -> str:
    return ";".join(value) if isinstance(value, list) else str(value)


@pytest.mark.parametrize("kind", ["yaml", "json", "csv", "semicolon-csv"])
def test_answers_files_read_these_numbers_as_the_prompt_does(
    content: Content, tmp_path: Path, kind: str
) -> None:
    answers = {**yaml.safe_load(V04.read_text(encoding="utf-8"))["answers"], **AS_TEXT}
    path = tmp_path / f"a.{kind.removeprefix('semicolon-')}"
    delimiter = ";" if kind == "semicolon-csv" else ","
    if kind == "yaml":
        path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    elif kind == "json":
        path.write_text(json.dumps(answers), encoding="utf-8")
    else:  # "3,5" is quoted in a comma-separated file, bare in a semicolon-separated one
        with path.open("w", encoding="utf-8", newline="") as out:
            cells = {
                k: _cell(v).replace(";", "|") if delimiter == ";" else _cell(v)
                for k, v in answers.items()
            }
            writer = csv.DictWriter(out, list(cells), delimiter=delimiter)
            writer.writeheader()
            writer.writerow(cells)
    _, records = records_of(str(path), None, csv_delimiter=delimiter)
    [record] = list(records)
    assert record.answers is not None, record.error
    assert {k: record.answers[k] for k in AS_TEXT} == AS_TEXT
    expected = triage.evaluate(content, {**answers, **AS_VALUES})
    assert triage.evaluate(content, record.answers) == expected


# --- a wide record: warnings and look-ups capped per record (issue 12, item 10) ----------


def test_a_record_with_thousands_of_unknown_keys_warns_about_twenty(content: Content) -> None:
    """A 1 MiB line with 31k unknown keys printed 31k warnings."""
    raw = {**{f"x{n}": 1 for n in range(31_000)}, "age": 38}
    assert validate(content, raw).warnings == (
        *(f"unknown answer ID 'x{n}' ignored" for n in range(20)),
        "and 30980 more unknown answer IDs ignored",
    )
    one_more = {f"x{n}": 1 for n in range(21)}
    assert validate(content, one_more).warnings[-1] == "and 1 more unknown answer ID ignored"
    assert len(validate(content, {f"x{n}": 1 for n in range(20)}).warnings) == 20


def test_did_you_mean_is_looked_up_for_the_first_five_unknown_keys_only(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """difflib ran once per unknown key: 25 s for the wide record."""
    looked: list[str] = []
    real = validate_module.did_you_mean

    def counted(word: str, choices: Any) -> str:
        looked.append(word)
        return real(word, choices)

    monkeypatch.setattr(validate_module, "did_you_mean", counted)
    near = ["agee", "sexx", "feverr", "nausia", "vomitting", "auraa", "sidee"]
    warnings = validate(content, {**dict.fromkeys(near, 1), **{f"x{n}": 1 for n in range(5000)}})
    assert looked == near[:5]
    assert warnings.warnings[:7] == (
        "unknown answer ID 'agee' ignored; did you mean 'age'?",
        "unknown answer ID 'sexx' ignored; did you mean 'sex'?",
        "unknown answer ID 'feverr' ignored; did you mean 'fever'?",
        "unknown answer ID 'nausia' ignored; did you mean 'nausea'?",
        "unknown answer ID 'vomitting' ignored; did you mean 'vomiting'?",
        "unknown answer ID 'auraa' ignored",
        "unknown answer ID 'sidee' ignored",
    )


def test_a_huge_unknown_key_is_quoted_short(content: Content) -> None:
    (warning,) = validate(content, {"k" * 100_000: 1}).warnings
    assert warning == "unknown answer ID '" + "k" * 199 + "…' ignored"
