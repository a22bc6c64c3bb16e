"""Writing results: JSON, a JSON array, JSONL and the flat CSV row."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from triage.model import Content
from triage.results.writers import CSV_COLUMNS, Output, csv_row, encode

from .scenarios import vignettes
from .test_record import adult, assess

TWO_HEADACHES = "v29-migraine-and-on-other-days-tension-type-headache"
OVERUSE = "v12-chronic-migraine-with-triptan-overuse"


def result(content: Content, **answers: Any) -> dict[str, Any]:
    return assess(content, adult(**answers)).result


def vignette(content: Content, name: str) -> dict[str, Any]:
    (answers,) = [v.answers for v in vignettes() if v.name == name]
    return assess(content, {"id": name[:3], **answers}).result


def test_the_header_keeps_its_columns_and_adds_the_headaches_at_the_end() -> None:
    """Scripts read the columns by position or name: new ones only ever come last."""
    assert ",".join(CSV_COLUMNS) == (
        "id,source,triage_level,red_flags,headache_types,recommendation,"
        "contraindications,precautions,error,main_headache,other_headache"
    )


def test_a_result_is_one_flat_csv_row(content: Content) -> None:
    obj = result(content, sudden_onset="yes", blood_thinners="yes", id="r-1")
    assert dict(zip(CSV_COLUMNS, csv_row(obj), strict=True)) == {
        "id": "r-1",
        "source": "a.yaml",
        "triage_level": "emergency",
        "red_flags": "thunderclap",
        "headache_types": ";".join(p["id"] for p in obj["headache_types"]),
        "recommendation": "refer_first",
        "contraindications": "",
        "precautions": "blood_thinners",
        "error": "",
        "main_headache": "tension_type_chronic",
        "other_headache": "",
    }
    assert [p["id"] for p in obj["headache_types"]] == ["tension_type_chronic"]


@pytest.mark.parametrize(("joiner", "delimiter"), [(";", ","), ("|", ";")])
def test_a_second_headache_s_patterns_have_their_own_column(
    content: Content, joiner: str, delimiter: str
) -> None:
    obj = vignette(content, TWO_HEADACHES)
    assert [(p["id"], p["headache"]) for p in obj["headache_types"]] == [
        ("migraine_without_aura", 1),
        ("tension_type_frequent", 2),
    ]
    row = dict(zip(CSV_COLUMNS, csv_row(obj, joiner), strict=True))
    assert row["headache_types"] == f"migraine_without_aura{joiner}tension_type_frequent"
    assert (row["main_headache"], row["other_headache"]) == (
        "migraine_without_aura",
        "tension_type_frequent",
    )
    assert row["recommendation"] == "suitable" and row["error"] == ""
    assert encode("csv", obj, delimiter) == delimiter.join(csv_row(obj, joiner)) + "\n"


def test_medication_overuse_belongs_to_neither_headache_column(content: Content) -> None:
    obj = vignette(content, OVERUSE)
    assert [(p["id"], p["headache"]) for p in obj["headache_types"]] == [
        ("chronic_migraine", 1),
        ("medication_overuse", None),
    ]
    row = dict(zip(CSV_COLUMNS, csv_row(obj), strict=True))
    assert row["headache_types"] == "chronic_migraine;medication_overuse"
    assert (row["main_headache"], row["other_headache"]) == ("chronic_migraine", "")


def test_lists_are_joined_by_a_bar_when_the_delimiter_is_a_semicolon(content: Content) -> None:
    obj = result(content, sudden_onset="yes", fever="yes", neck_stiffness="yes")
    ids = [flag["id"] for flag in obj["red_flags"]]
    assert len(ids) > 1
    assert csv_row(obj, "|")[3] == "|".join(ids)
    assert csv_row(obj)[3] == ";".join(ids)


def test_a_record_that_cannot_be_assessed_shows_its_least_level_and_why(
    content: Content,
) -> None:
    obj = assess(content, {"age": 70, "sudden_onset": "yes"}).result
    row = dict(zip(CSV_COLUMNS, csv_row(obj), strict=True))
    assert row["triage_level"] == "emergency"
    assert row["red_flags"].startswith("thunderclap")
    assert " answers missing: sex, " in row["error"]
    assert row["recommendation"] == ""
    assert row["headache_types"] == row["main_headache"] == row["other_headache"] == ""


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused(content: Content) -> None:
    obj = result(content, id='=HYPERLINK("http://x")')
    assert csv_row(obj)[0] == '\'=HYPERLINK("http://x")'
    assert csv_row(result(content, id="-5"))[0] == "'-5"
    assert csv_row(result(content, id=7))[0] == "7"


def test_csv_output_has_a_header_and_reads_back(content: Content) -> None:
    stream = io.StringIO()
    out = Output("csv", False, stream, delimiter=";")
    out.write(result(content, id="a"))
    out.write(result(content, id="b", sudden_onset="yes"))
    out.write(vignette(content, TWO_HEADACHES))
    out.close()
    rows = list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";"))
    assert rows[0] == list(CSV_COLUMNS)
    assert [(r[0], r[2], r[-2], r[-1]) for r in rows[1:]] == [
        ("a", "routine", "tension_type_chronic", ""),
        ("b", "emergency", "tension_type_chronic", ""),
        ("v29", "routine", "migraine_without_aura", "tension_type_frequent"),
    ]
    assert rows[3][4] == "migraine_without_aura|tension_type_frequent"


def test_json_array_and_jsonl_hold_each_result_in_order(content: Content) -> None:
    objs = [result(content, id=str(n)) for n in range(3)]
    for fmt, parse in (
        ("json", json.loads),
        ("jsonl", lambda text: [json.loads(line) for line in text.splitlines()]),
    ):
        stream = io.StringIO()
        out = Output(fmt, False, stream)
        for obj in objs:
            out.write(obj)
        out.close()
        assert parse(stream.getvalue()) == objs
    empty = io.StringIO()
    Output("json", False, empty).close()
    assert empty.getvalue() == "[]\n"


def test_text_encoded_elsewhere_writes_what_the_object_would(content: Content) -> None:
    objs = [result(content, id=str(n), sudden_onset="yes" if n else "no") for n in range(3)]
    for fmt, single in (("jsonl", False), ("json", False), ("csv", False)):
        for delimiter in (",", ";"):
            direct, encoded = io.StringIO(), io.StringIO()
            first = Output(fmt, single, direct, delimiter)
            second = Output(fmt, single, encoded, delimiter)
            for obj in objs:
                first.write(obj)
                piece = encode(second.way, obj, delimiter)
                assert piece is not None
                second.write(piece)
            first.close()
            second.close()
            assert encoded.getvalue() == direct.getvalue()
    assert encode("text", objs[0]) is None and encode("json-single", objs[0]) is None
