"""Writing results: JSON, a JSON array, JSONL and the flat CSV row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from triage.intake.read import read
from triage.intake.record import Record
from triage.model import Content
from triage.results.record import assess_record
from triage.results.writers import CSV_COLUMNS, Output, csv_row, encode, level_at_least

from .scenarios import vignettes
from .test_record import ADULT, adult, assess

TWO_HEADACHES = "v29-migraine-and-on-other-days-tension-type-headache"
OVERUSE = "v12-chronic-migraine-with-triptan-overuse"


def result(content: Content, **answers: Any) -> dict[str, Any]:
    return assess(content, adult(**answers)).result


def vignette(content: Content, name: str) -> dict[str, Any]:
    (answers,) = [v.answers for v in vignettes() if v.name == name]
    return assess(content, {"id": name[:3], **answers}).result


def test_the_header_keeps_its_columns_and_adds_new_ones_at_the_end() -> None:
    """Scripts read the columns by position or name: new ones only ever come last."""
    assert ",".join(CSV_COLUMNS) == (
        "id,source,triage_level,red_flags,headache_types,recommendation,"
        "contraindications,precautions,error,main_headache,other_headache,"
        "triage_level_at_least"
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
        "triage_level_at_least": "emergency",
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
    assert (row["triage_level"], row["triage_level_at_least"]) == ("not_assessed", "emergency")
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
    assert [(r[0], r[2], r[9], r[10], r[11]) for r in rows[1:]] == [
        ("a", "routine", "tension_type_chronic", "", "routine"),
        ("b", "emergency", "tension_type_chronic", "", "emergency"),
        ("v29", "routine", "migraine_without_aura", "tension_type_frequent", "routine"),
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


# --- a cell or a text that breaks lines, or cannot be encoded (issue 12, items 1 and 6) ---

FORMULA = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "brk", ["\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
)
def test_a_line_break_in_a_cell_is_quoted_and_the_formula_after_it_defused(
    content: Content, brk: str
) -> None:
    """A bare CR was written unquoted: a spreadsheet started a new row with the formula."""
    obj = result(content, id=f"intake-7{brk}{FORMULA}")
    cell = f"intake-7{brk}'{FORMULA}"
    assert csv_row(obj)[0] == cell
    line = encode("csv", obj)
    assert line is not None and line.startswith('"' + cell + '",a.yaml,routine,')
    rows = list(csv.reader(io.StringIO(line, newline="")))
    assert len(rows) == 1 and rows[0][0] == cell


def test_every_line_of_a_cell_is_defused_and_plain_cells_stay_unquoted(content: Content) -> None:
    obj = result(content, id="a\n+1\r\n@SUM(A1)\n-2\nplain")
    assert csv_row(obj)[0] == "a\n'+1\r\n'@SUM(A1)\n'-2\nplain"
    line = encode("csv", result(content, id="plain, with a comma"))
    assert line is not None and line.startswith('"plain, with a comma",a.yaml,routine,')
    line = encode("csv", result(content, id='say "hi"'))
    assert line is not None and line.startswith('"say ""hi""",a.yaml,routine,')
    line = encode("csv", result(content, id="r-1"), ";")
    assert line is not None and line.startswith("r-1;a.yaml;routine;")


LONE = "\ud800"


def surrogates(content: Content) -> list[dict[str, Any]]:
    """A lone surrogate in an id, in an unknown key (a warning) and in a bad value."""
    return [
        result(content, id=f"x{LONE}y", **{f"k{LONE}": 1}),
        assess(content, adult(id="\udfff", age=f"4{LONE}")).result,
    ]


@pytest.mark.parametrize(("fmt", "single"), [("jsonl", False), ("json", False), ("json", True)])
def test_json_writers_escape_a_lone_surrogate_and_it_reads_back(
    content: Content, fmt: str, single: bool
) -> None:
    objs = surrogates(content)[: 1 if single else 2]
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    out = Output(fmt, single, stream)
    for obj in objs:
        out.write(obj)
    out.close()
    text = raw.getvalue().decode("utf-8")
    assert "\\ud800" in text
    if fmt == "jsonl":
        assert [json.loads(line) for line in text.splitlines()] == objs
    else:
        assert json.loads(text) == (objs[0] if single else objs)


def test_the_csv_writer_shows_a_lone_surrogate_as_its_escape(content: Content) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    out = Output("csv", False, stream)
    for obj in surrogates(content):
        out.write(obj)
    out.close()
    rows = list(csv.reader(io.StringIO(raw.getvalue().decode("utf-8"))))
    assert [row[0] for row in rows[1:]] == ["x\\ud800y", "\\udfff"]
    assert "not '4\\ud800'" in rows[2][CSV_COLUMNS.index("error")]


def test_the_text_writer_gets_no_lone_surrogate(content: Content) -> None:
    from triage.render import writer

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    out = Output("text", False, stream, show=writer(stream, content))
    for obj in surrogates(content):
        out.write(obj)
    out.close()
    text = raw.getvalue().decode("utf-8")
    assert "x\\ud800y" in text and "\\udfff" in text


def test_jsonl_keeps_each_result_on_one_line_for_any_line_reader(content: Content) -> None:
    """U+2028, U+2029 and NEL are line breaks to `str.splitlines` (and to JavaScript
    before ES2019): written as escapes, a JSONL line never splits."""
    obj = result(content, id="a\u2028b\u2029c\x85d")
    line = encode("jsonl", obj)
    assert line is not None and '"id": "a\\u2028b\\u2029c\\u0085d"' in line
    assert len(line.splitlines()) == 1 and json.loads(line) == obj
    piece = encode("json-array", obj)
    assert piece is not None and len(piece.splitlines()) == 1


# --- a record that could not be assessed never reads as routine (issue 12, item 14) ---


def _quoted(message: str) -> str:
    return '"' + message + '"' if "," in message else message


def test_a_partial_record_without_a_red_flag_is_not_assessed_and_at_least_routine(
    content: Content,
) -> None:
    """It said `routine` in the level column: a spreadsheet sorted by it read it as safe."""
    obj = assess(content, {"id": "X-1", "age": 40, "sex": "male"}, "t.csv:2").result
    message = obj["error"]["message"]
    assert message.startswith("51 answers missing: headache_history, ")
    assert encode("csv", obj) == f"X-1,t.csv:2,not_assessed,,,,,,{_quoted(message)},,,routine\n"


def test_a_partial_record_with_an_urgent_flag_is_not_assessed_and_at_least_urgent(
    content: Content,
) -> None:
    answers = {"id": "X-2", "age": 70, "sex": "male", "headache_history": "weeks"}
    obj = assess(content, answers, "t.csv:3").result
    assert encode("csv", obj) == (
        "X-2,t.csv:3,not_assessed,new_headache_over_50;recent_onset,,,,,"
        f"{_quoted(obj['error']['message'])},,,urgent\n"
    )
    assert encode("csv", obj, ";") == (
        "X-2;t.csv:3;not_assessed;new_headache_over_50|recent_onset;;;;;"
        f"{obj['error']['message']};;;urgent\n"
    )


def test_a_file_that_cannot_be_read_has_no_level_at_all(content: Content) -> None:
    record = Record("nonexist.csv", error="nonexist.csv: no such file", fallback_id="nonexist.csv")
    obj = assess_record(content, record).result
    assert obj["triage_level_at_least"] == "routine"  # the JSON contract's word for no flags
    assert "error" in obj and level_at_least(obj) is None
    assert encode("csv", obj) == (
        "nonexist.csv,nonexist.csv,not_assessed,,,,,,nonexist.csv: no such file,,,\n"
    )


def test_a_semicolon_export_read_with_commas_is_one_file_error_with_no_level(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row of a `;` export read with the wrong delimiter said `routine`, the
    thunderclap patient's too: now the file is one error, with no level."""
    monkeypatch.chdir(tmp_path)
    Path("export.csv").write_text(
        "id;age;sex;sudden_onset\nX-2;70;male;yes\nX-3;30;female;no\n", encoding="utf-8"
    )
    _, found = read("export.csv", None)
    [record] = list(found)
    obj = assess_record(content, record).result
    message = obj["error"]["message"]
    assert "--csv-delimiter ';'" in message
    assert encode("csv", obj) == f"export.csv,export.csv,not_assessed,,,,,,{_quoted(message)},,,\n"


def test_an_assessed_record_has_its_level_in_both_level_columns(content: Content) -> None:
    assert encode("csv", assess(content, {**ADULT, "id": "p1"}).result) == (
        "p1,a.yaml,routine,,tension_type_chronic,suitable,,,,tension_type_chronic,,routine\n"
    )
    assert encode("csv", result(content, id="p2", sudden_onset="yes")) == (
        "p2,a.yaml,emergency,thunderclap,tension_type_chronic,refer_first,,,,"
        "tension_type_chronic,,emergency\n"
    )


def test_no_row_of_a_record_not_assessed_says_routine_as_its_level(content: Content) -> None:
    """Whatever the record, the level column of an error row is `not_assessed`, and the
    least-level column is its answers' level (empty when nothing was read)."""
    unread = Record("x.jsonl:3", error="x.jsonl:3: not valid JSON", fallback_id=None)
    objs = [
        assess(content, {"age": 70, "sudden_onset": "yes"}).result,
        assess(content, {**ADULT, "age": 130}).result,
        assess(content, adult(id=["a list"])).result,
        assess_record(content, unread).result,
    ]
    stream = io.StringIO()
    out = Output("csv", False, stream)
    for obj in objs:
        out.write(obj)
    out.close()
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [(r["triage_level"], r["triage_level_at_least"]) for r in rows] == [
        ("not_assessed", "emergency"),
        ("not_assessed", "routine"),
        ("not_assessed", "routine"),
        ("not_assessed", ""),
    ]
