"""Writing results: JSON, a JSON array, JSONL and the flat CSV row."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from triage.model import Content
from triage.results.writers import CSV_COLUMNS, Output, csv_row, encode

from .test_record import ADULT, assess


def result(content: Content, **answers: Any) -> dict[str, Any]:
    return assess(content, {**ADULT, **answers}).result


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
    }


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
    out.close()
    rows = list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";"))
    assert rows[0] == list(CSV_COLUMNS)
    assert [(r[0], r[2]) for r in rows[1:]] == [("a", "routine"), ("b", "emergency")]


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
