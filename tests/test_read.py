"""Reading answers files: every format, and every way a file can be wrong."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from triage.intake import lines
from triage.intake import read as records
from triage.intake.record import Record


def read(path: Path | str, fmt: str | None = None) -> tuple[str | None, list[Record]]:
    kind, recs = records.read(str(path), fmt)
    return kind, list(recs)


def read_stdin(data: bytes | str, fmt: str | None = None) -> tuple[str | None, list[Record]]:
    raw = data.encode() if isinstance(data, str) else data
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    kind, recs = records.read("-", fmt, stream)
    return kind, list(recs)


def errors(recs: list[Record]) -> list[str | None]:
    return [r.error for r in recs]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files are named relative to the working directory, as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, data: str | bytes) -> str:
    path = Path(name)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return name


# --- YAML and JSON: one record per file -------------------------------------------


def test_yaml_file_is_one_record_with_values_as_yaml_reads_them(here: Path) -> None:
    kind, recs = read(write("a.yaml", "id: p1\nage: 40\nfever: no\nlocation: [neck, temples]\n"))
    assert kind == "yaml"
    assert recs == [
        Record(
            "a.yaml",
            answers={"id": "p1", "age": 40, "fever": False, "location": ["neck", "temples"]},
        )
    ]


def test_yaml_keys_are_answer_ids_as_written(here: Path) -> None:
    _, recs = read(write("a.yml", "123: x\nyes: 1\nnull: 2\n"))
    assert recs[0].answers == {"123": "x", "yes": 1, "null": 2}


def test_json_file_is_one_record(here: Path) -> None:
    kind, recs = read(write("a.json", '{"id": 7, "age": 40, "fever": "no"}'))
    assert kind == "json"
    assert recs == [Record("a.json", answers={"id": 7, "age": 40, "fever": "no"})]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "d.yaml",
            "age: 40\nfever: no\nage: 41\n",
            "d.yaml:3:1: duplicate key 'age' (first given on line 1)",
        ),
        (
            "d.json",
            '{\n  "age": 40,\n  "age": 41\n}\n',
            "d.json:3:3: duplicate key 'age' (first given at line 2)",
        ),
        (
            "e.json",
            '{"age": 40, "nested": {"age": 1}, "fever": "no", "age": 41}',
            "e.json:1:50: duplicate key 'age' (first given at column 2)",
        ),
    ],
)
def test_a_duplicate_key_is_an_error_with_where_it_is(
    here: Path, name: str, text: str, message: str
) -> None:
    _, recs = read(write(name, text))
    assert recs == [Record(name, error=message, fallback_id=name)]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "bad.yaml",
            "age: [40\nfever: no\n",
            "bad.yaml:2:6: not valid YAML: did not find expected ',' or ']'",
        ),
        (
            "bad.json",
            '{"age": 40,}',
            "bad.json:1:12: not valid JSON: Expecting property name enclosed in double quotes",
        ),
        (
            "nan.json",
            '{"age": NaN}',
            "nan.json:1:1: not valid JSON: NaN is not a number JSON allows",
        ),
        (
            "list.yaml",
            "- age: 40\n",
            "list.yaml: expected a mapping of answer ID to value, not a list",
        ),
        (
            "list.json",
            '[{"age": 40}]',
            "list.json: expected a mapping of answer ID to value, not a list",
        ),
        (
            "word.yaml",
            "hello\n",
            "word.yaml: expected a mapping of answer ID to value, not str 'hello'",
        ),
        ("empty.yaml", "", "empty.yaml: is empty; expected a mapping of answer ID to value"),
        (
            "comments.yaml",
            "# nothing yet\n",
            "comments.yaml: is empty; expected a mapping of answer ID to value",
        ),
        ("empty.json", " \n", "empty.json: is empty; expected a mapping of answer ID to value"),
        (
            "two.yaml",
            "age: 40\n---\nage: 50\n",
            "two.yaml:2:1: holds more than one YAML document; give one record per file, or use "
            "JSONL or CSV for several",
        ),
        (
            "deep.json",
            "[" * 100_000 + "]" * 100_000,
            "deep.json:1:1: not valid here: nested too deeply",
        ),
    ],
)
def test_a_file_that_cannot_be_parsed_is_one_error_named_after_it(
    here: Path, name: str, text: str, message: str
) -> None:
    _, recs = read(write(name, text))
    assert recs == [Record(name, error=message, fallback_id=name)]


def test_a_yaml_alias_bomb_is_refused_at_once(here: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.monotonic()
    _, recs = read(write("bomb.yaml", "\n".join(lines) + "\n"))
    assert time.monotonic() - start < 2
    assert errors(recs) == [
        "bomb.yaml:1:4: this value is used again through an alias (*name); "
        "aliases are not supported, write the value out"
    ]


def test_a_python_tag_is_refused_and_never_runs(here: Path) -> None:
    marker = here / "pwned"
    name = write("evil.yaml", f"age: !!python/object/apply:os.system ['touch {marker}']\n")
    _, recs = read(name)
    assert errors(recs) == [
        "evil.yaml:1:6: the tag '!!python/object/apply:os.system' is not allowed on a list"
    ]
    name = write(
        "evil2.yaml",
        "sex: !!python/object/apply:subprocess.call [['touch', '" + str(marker) + "']]\n",
    )
    assert errors(read(name)[1]) == [
        "evil2.yaml:1:6: the tag '!!python/object/apply:subprocess.call' is not allowed on a list"
    ]
    assert not marker.exists()


def test_a_control_character_in_yaml_is_located(here: Path) -> None:
    _, recs = read(write("nul.yaml", "age: 4\x000\n"))
    assert recs == [
        Record(
            "nul.yaml",
            error="nul.yaml:1:7: not valid YAML: the control character U+0000 is not allowed",
            fallback_id="nul.yaml",
        )
    ]


def test_a_list_as_a_key_is_refused(here: Path) -> None:
    _, recs = read(write("key.yaml", "[a, b]: 1\n"))
    assert errors(recs) == ["key.yaml:1:1: a key must be a plain value, not a list or mapping"]


def test_a_custom_tag_on_a_scalar_is_refused(here: Path) -> None:
    _, recs = read(write("tag.yaml", "age: !!python/name:os.system x\n"))
    assert errors(recs) == [
        "tag.yaml:1:6: the tag '!!python/name:os.system' is not allowed; "
        "use plain strings, numbers, yes/no, lists and mappings"
    ]


# --- files that cannot be read ---------------------------------------------------


def test_a_missing_file(here: Path) -> None:
    assert read("nope.yaml")[1] == [
        Record("nope.yaml", error="nope.yaml: no such file", fallback_id="nope.yaml")
    ]


def test_a_directory(here: Path) -> None:
    (here / "answers.yaml").mkdir()
    assert errors(read("answers.yaml")[1]) == ["answers.yaml: is a directory, not an answers file"]


def test_bytes_that_are_not_utf8_are_located(here: Path) -> None:
    _, recs = read(write("latin1.yaml", "age: 40\nsex: f\xe9male\n".encode("latin-1")))
    assert errors(recs) == ["latin1.yaml:2:7: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_a_utf8_byte_order_mark_is_ignored(here: Path) -> None:
    _, recs = read(write("bom.json", b'\xef\xbb\xbf{"age": 40}'))
    assert recs[0].answers == {"age": 40}


def test_an_unknown_file_type_says_what_would_do(here: Path) -> None:
    name = write("answers.txt", "age: 40\n")
    assert errors(read(name)[1]) == [
        "answers.txt: unknown kind of answers file; name it .yaml, .yml, .json, .jsonl or .csv, "
        "or give --input-format (yaml, json, jsonl, csv)"
    ]
    assert read(name, "yaml")[1][0].answers == {"age": 40}


# --- JSONL: one record per line ----------------------------------------------------


def test_jsonl_bad_lines_are_errors_of_their_own_and_the_rest_are_read(here: Path) -> None:
    text = '{"id": 1}\n\n{bad\n["a list"]\n{"id": 2, "id": 3}\n   \n{"id": 4}\n{"age": 40'
    kind, recs = read(write("batch.jsonl", text))
    assert kind == "jsonl"
    assert recs == [
        Record("batch.jsonl:1", answers={"id": 1}),
        Record(
            "batch.jsonl:3",
            error="batch.jsonl:3:2: not valid JSON: Expecting property name "
            "enclosed in double quotes",
            fallback_id="batch.jsonl:3",
        ),
        Record(
            "batch.jsonl:4",
            error="batch.jsonl:4: expected a mapping of answer ID to value, not a list",
            fallback_id="batch.jsonl:4",
        ),
        Record(
            "batch.jsonl:5",
            error="batch.jsonl:5:11: duplicate key 'id' (first given at column 2)",
            fallback_id="batch.jsonl:5",
        ),
        Record("batch.jsonl:7", answers={"id": 4}),
        Record(
            "batch.jsonl:8",
            error="batch.jsonl:8:11: not valid JSON: Expecting ',' delimiter",
            fallback_id="batch.jsonl:8",
        ),
    ]


def test_an_empty_jsonl_file_has_no_records(here: Path) -> None:
    assert read(write("none.ndjson", "\n\n"))[1] == []


def test_a_unicode_line_separator_inside_a_jsonl_string_does_not_split_the_line(here: Path) -> None:
    _, recs = read(write("u.jsonl", '{"id": "a\u2028b"}\n'))
    assert recs == [Record("u.jsonl:1", answers={"id": "a\u2028b"})]


# --- CSV: a header row, then one record per row ------------------------------------


def test_csv_rows_become_records_and_empty_cells_are_no_answer(here: Path) -> None:
    text = (
        "\ufeffid,age, location ,fever\n"
        "p1,40,neck;temples,no\n"
        ",,,\n"
        "p2,41,,\n"
        '"p3","42","forehead",""\n'
    )
    kind, recs = read(write("batch.csv", text))
    assert kind == "csv"
    assert recs == [
        Record(
            "batch.csv:2",
            answers={"id": "p1", "age": "40", "location": "neck;temples", "fever": "no"},
        ),
        Record("batch.csv:4", answers={"id": "p2", "age": "41"}),
        Record("batch.csv:5", answers={"id": "p3", "age": "42", "location": "forehead"}),
    ]


def test_csv_row_with_more_cells_than_the_header_is_an_error_and_the_rest_are_read(
    here: Path,
) -> None:
    _, recs = read(write("wide.csv", "id,age\np1,40\np2,41,extra,cells\np3,42\n"))
    assert recs == [
        Record("wide.csv:2", answers={"id": "p1", "age": "40"}),
        Record(
            "wide.csv:3",
            error="wide.csv:3: 4 cells, but the header names 2 columns; quote "
            "a cell that holds a comma",
            fallback_id="wide.csv:3",
        ),
        Record("wide.csv:4", answers={"id": "p3", "age": "42"}),
    ]


def test_csv_rows_are_located_by_their_last_line(here: Path) -> None:
    _, recs = read(write("multi.csv", 'id,age\n"p\n1",40\np2,x,y\n'))
    assert [r.source for r in recs] == ["multi.csv:3", "multi.csv:4"]


def test_csv_value_in_an_unnamed_column(here: Path) -> None:
    _, recs = read(write("trailing.csv", "id,age,\np1,40,\np2,41,oops\n"))
    assert recs[0].answers == {"id": "p1", "age": "40"}
    assert recs[1].error == (
        "trailing.csv:3: a value in column 3, which has no name in the "
        "header; name it with an answer ID"
    )


def test_csv_cell_too_large_is_an_error_and_the_next_row_is_read(here: Path) -> None:
    _, recs = read(write("huge.csv", "id,age\np1," + "9" * 200_000 + "\np2,40\n"))
    assert recs == [
        Record(
            "huge.csv:2",
            error="huge.csv:2: not valid CSV: field larger than field limit (131072)",
            fallback_id="huge.csv:2",
        ),
        Record("huge.csv:3", answers={"id": "p2", "age": "40"}),
    ]


def test_csv_header_naming_a_column_twice_spoils_the_whole_file(here: Path) -> None:
    _, recs = read(write("twice.csv", "age,fever,age\n40,no,41\n"))
    assert recs == [
        Record(
            "twice.csv",
            error="twice.csv:1: column 'age' is named twice in the header",
            fallback_id="twice.csv",
        )
    ]


def test_an_empty_csv_file(here: Path) -> None:
    assert errors(read(write("empty.csv", ""))[1]) == [
        "empty.csv: is empty; expected a header row of answer IDs"
    ]


# --- standard input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "answers"),
    [
        ("age: 40\nfever: no\n", "yaml", [{"age": 40, "fever": False}]),
        ('{"age": 40}', "json", [{"age": 40}]),
        ('{\n  "age": 40\n}\n', "json", [{"age": 40}]),
        ("{age: 40}\n", "yaml", [{"age": 40}]),
        ('{"id": 1}\n{"id": 2}\n', "jsonl", [{"id": 1}, {"id": 2}]),
        ("\ufeffage: 40\n", "yaml", [{"age": 40}]),
    ],
)
def test_stdin_format_is_guessed(text: str, kind: str, answers: list[dict[str, object]]) -> None:
    got_kind, recs = read_stdin(text)
    assert (got_kind, [r.answers for r in recs]) == (kind, answers)
    assert all(r.source.startswith("<stdin>") for r in recs)


def test_stdin_jsonl_with_a_broken_first_line_is_still_jsonl() -> None:
    kind, recs = read_stdin('{"id": 1\n{"id": 2}\n')
    assert kind == "jsonl"
    assert errors(recs) == ["<stdin>:1:9: not valid JSON: Expecting ',' delimiter", None]
    assert recs[1].answers == {"id": 2}


def test_stdin_input_format_overrides_the_guess() -> None:
    kind, recs = read_stdin('{"id": 1}\n', "jsonl")
    assert (kind, [r.source for r in recs]) == ("jsonl", ["<stdin>:1"])
    kind, recs = read_stdin("id,age\np1,40\n", "csv")
    assert (kind, recs) == ("csv", [Record("<stdin>:2", answers={"id": "p1", "age": "40"})])


def test_stdin_that_is_not_utf8() -> None:
    kind, recs = read_stdin(b"age: 40\nsex: \xff\n")
    assert kind == "yaml"
    assert recs == [
        Record(
            "<stdin>",
            error="<stdin>:2:6: not UTF-8 text (byte 0xff); save the file as UTF-8",
            fallback_id="<stdin>",
        )
    ]


def test_empty_stdin() -> None:
    assert errors(read_stdin("")[1]) == [
        "<stdin>: is empty; expected a mapping of answer ID to value"
    ]


# --- streaming: a bad record spoils only itself ----------------------------------------

TOO_LARGE = "record is larger than 1 MiB (the limit per record); split it or remove the large value"
MIB = lines.MAX_RECORD_BYTES


def test_the_limits_are_named() -> None:
    assert (lines.MAX_RECORD_BYTES, records.MAX_DOCUMENT_BYTES) == (1 << 20, 10 << 20)


def test_jsonl_bytes_that_are_not_utf8_spoil_only_their_line(here: Path) -> None:
    data = '{"id": 1}\n{"sex": "f\xe9male"}\n{"id": 3}\n'.encode("latin-1")
    _, recs = read(write("latin1.jsonl", data))
    assert recs == [
        Record("latin1.jsonl:1", answers={"id": 1}),
        Record(
            "latin1.jsonl:2",
            error="latin1.jsonl:2:11: not UTF-8 text (byte 0xe9); save the file as UTF-8",
            fallback_id="latin1.jsonl:2",
        ),
        Record("latin1.jsonl:3", answers={"id": 3}),
    ]


def test_a_jsonl_line_over_1_mib_is_an_error_and_the_batch_goes_on(here: Path) -> None:
    big = '{"id": "' + "x" * MIB + '"}'
    _, recs = read(write("big.jsonl", '\ufeff{"id": 1}\n' + big + '\n{"id": 3}'))
    assert recs == [
        Record("big.jsonl:1", answers={"id": 1}),
        Record("big.jsonl:2", error=f"big.jsonl:2: {TOO_LARGE}", fallback_id="big.jsonl:2"),
        Record("big.jsonl:3", answers={"id": 3}),
    ]


def test_a_jsonl_line_of_exactly_1_mib_is_read(here: Path) -> None:
    exact = '{"id": "' + "x" * (MIB - 10) + '"}'
    assert len(exact) == MIB
    _, recs = read(write("edge.jsonl", f"{exact}\r\n{exact}x\n{exact}"))
    assert [r.error or "ok" for r in recs] == ["ok", f"edge.jsonl:2: {TOO_LARGE}", "ok"]


def test_a_huge_jsonl_file_is_read_a_line_at_a_time(here: Path) -> None:
    with open("many.jsonl", "w", encoding="utf-8") as out:
        for n in range(50_000):
            out.write(f'{{"id": {n}, "age": 40}}\n')
    _, found = records.read("many.jsonl", None)
    first = next(found)
    assert first == Record("many.jsonl:1", answers={"id": 0, "age": 40})
    assert sum(1 for _ in found) == 49_999


def test_csv_with_a_byte_order_mark_and_semicolons(here: Path) -> None:
    text = "\ufeffid;age;location\r\np|1;40;neck|temples\r\np2;4,5;forehead\r\n"
    kind, found = records.read(write("eu.csv", text), None, csv_delimiter=";")
    assert (kind, list(found)) == (
        "csv",
        [
            Record("eu.csv:2", answers={"id": "p|1", "age": "40", "location": ["neck", "temples"]}),
            Record("eu.csv:3", answers={"id": "p2", "age": "4,5", "location": "forehead"}),
        ],
    )


def test_csv_with_semicolons_counts_cells_by_semicolon(here: Path) -> None:
    _, found = records.read(write("eu.csv", "id;age\np1;40;x\n"), None, csv_delimiter=";")
    assert [r.error for r in found] == [
        "eu.csv:2: 3 cells, but the header names 2 columns; quote a cell that holds a ';'"
    ]


def test_a_delimiter_must_be_one_character() -> None:
    with pytest.raises(ValueError, match="csv_delimiter must be one character"):
        records.read("a.csv", None, csv_delimiter=";;")


def test_csv_bytes_that_are_not_utf8_spoil_only_their_row(here: Path) -> None:
    data = "id,sex\np1,female\np2,f\xe9male\np3,male\n".encode("latin-1")
    _, recs = read(write("latin1.csv", data))
    assert recs == [
        Record("latin1.csv:2", answers={"id": "p1", "sex": "female"}),
        Record(
            "latin1.csv:3",
            error="latin1.csv:3:5: not UTF-8 text (byte 0xe9); save the file as UTF-8",
            fallback_id="latin1.csv:3",
        ),
        Record("latin1.csv:4", answers={"id": "p3", "sex": "male"}),
    ]


def test_a_csv_header_that_is_not_utf8_spoils_the_whole_file(here: Path) -> None:
    _, recs = read(write("head.csv", b"id,s\xe9x\np1,f\n"))
    assert recs == [
        Record(
            "head.csv",
            error="head.csv:1:5: not UTF-8 text (byte 0xe9); save the file as UTF-8",
            fallback_id="head.csv",
        )
    ]


def test_csv_lines_may_end_with_a_lone_carriage_return(here: Path) -> None:
    _, recs = read(write("mac.csv", 'id,age\rp1,40\r"p\r\n2",41\r'))
    assert recs == [
        Record("mac.csv:2", answers={"id": "p1", "age": "40"}),
        Record("mac.csv:4", answers={"id": "p\r\n2", "age": "41"}),
    ]


def test_a_csv_row_over_1_mib_is_an_error_and_the_next_row_is_read(here: Path) -> None:
    header = ",".join(f"c{n}" for n in range(10))
    cell = "y" * 110_000  # under the CSV module's field limit, but ten make a row over 1 MiB
    _, recs = read(write("wide.csv", f"{header}\n{','.join([cell] * 10)}\np2\n"))
    assert recs == [
        Record("wide.csv:2", error=f"wide.csv:2: {TOO_LARGE}", fallback_id="wide.csv:2"),
        Record("wide.csv:3", answers={"c0": "p2"}),
    ]


def test_a_csv_row_over_1_mib_across_lines_is_skipped_to_its_end(here: Path) -> None:
    header = ",".join(f"c{n}" for n in range(10))
    cell = '"' + ("y" * 999 + "\n") * 110 + '"'  # 110 lines of a quoted cell
    text = f"{header}\n{','.join([cell] * 10)}\np2\n"
    _, recs = read(write("tall.csv", text))
    assert recs == [
        Record("tall.csv:1051", error=f"tall.csv:1051: {TOO_LARGE}", fallback_id="tall.csv:1051"),
        Record("tall.csv:1103", answers={"c0": "p2"}),
    ]


def test_a_csv_cell_over_the_field_limit_across_lines_is_skipped_to_its_end(here: Path) -> None:
    text = 'id,note\np1,"' + "z\n" * 70_000 + '"\np2,ok\n'
    _, recs = read(write("note.csv", text))
    assert [(r.source, r.error) for r in recs] == [
        (
            "note.csv:65538",
            "note.csv:65538: not valid CSV: field larger than field limit (131072)",
        ),
        ("note.csv:70003", None),
    ]


# --- limits on one document ------------------------------------------------------------

DOCUMENT_TOO_LARGE = (
    "is larger than 10 MiB (the limit for one YAML or JSON document); "
    "give one record per file, or use JSONL or CSV for a batch"
)


@pytest.mark.parametrize("name", ["big.yaml", "big.json"])
def test_a_document_over_10_mib_is_an_error(here: Path, name: str) -> None:
    write(name, b"a: 1\n" + b" " * records.MAX_DOCUMENT_BYTES)
    assert read(name)[1] == [Record(name, error=f"{name}: {DOCUMENT_TOO_LARGE}", fallback_id=name)]


def test_a_document_of_exactly_10_mib_is_read(here: Path) -> None:
    write("edge.json", b'{"age": 40}' + b" " * (records.MAX_DOCUMENT_BYTES - 11))
    assert read("edge.json")[1] == [Record("edge.json", answers={"age": 40})]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "deep.yaml",
            "[" * 100_000 + "]" * 100_000,
            "deep.yaml:1:1001: not valid here: nested more than 100 levels deep",
        ),
        (
            "deeper.yaml",
            "".join(" " * n + "- \n" for n in range(200)),
            "deeper.yaml:101:101: not valid here: nested more than 100 levels deep",
        ),
        (
            "deep.json",
            '{"a": ' + "[" * 150 + "]" * 150 + "}",
            "deep.json:1:1: not valid here: nested more than 100 levels deep",
        ),
        (
            "many.yaml",
            "a: [" + "1, " * 100_000 + "1]\n",
            "many.yaml:1:299996: holds more than 100,000 values (the limit for one document)",
        ),
        (
            "digits.yaml",
            "age: " + "4" * 5000 + "\n",
            "digits.yaml:1:6: '44444444444444444444…' cannot be read as a number; "
            "quote it if it is text",
        ),
        (
            "digits.json",
            '{"age": ' + "4" * 5000 + "}",
            "digits.json:1:1: not valid JSON: Exceeds the limit (4300 digits) for integer "
            "string conversion: value has 5000 digits",
        ),
    ],
)
def test_documents_too_deep_or_too_large_to_read(
    here: Path, name: str, text: str, message: str
) -> None:
    _, recs = read(write(name, text))
    assert recs == [Record(name, error=message, fallback_id=name)]


# --- standard input: its start tells the format -----------------------------------------


class Counting(io.RawIOBase):
    """A pipe that counts the bytes taken from it."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        got = self.data.readinto(memoryview(buffer)[:4096])
        self.taken += got
        return got


def piped(data: bytes) -> tuple[Counting, io.TextIOWrapper]:
    pipe = Counting(data)
    return pipe, io.TextIOWrapper(io.BufferedReader(pipe, 4096), encoding="utf-8")


def test_stdin_jsonl_is_told_from_its_first_lines_and_streamed() -> None:
    data = b"".join(b'{"id": %d}\n' % n for n in range(100_000))
    pipe, stream = piped(data)
    kind, found = records.read("-", None, stream)
    assert kind == "jsonl"
    assert pipe.taken < 10_000
    assert next(found) == Record("<stdin>:1", answers={"id": 0})
    assert pipe.taken < 20_000
    assert sum(1 for _ in found) == 99_999


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_stdin_with_an_input_format_is_streamed_without_guessing(fmt: str) -> None:
    line = b'{"id": 1}\n' if fmt == "jsonl" else b"p1,40\n"
    pipe, stream = piped((b"" if fmt == "jsonl" else b"id,age\n") + line * 100_000)
    _, found = records.read("-", fmt, stream)
    assert pipe.taken == 0
    next(found)
    assert pipe.taken < 10_000


NOT_A_NAME = "not valid JSON: Expecting property name enclosed in double quotes"


@pytest.mark.parametrize(
    ("text", "kind", "read_as"),
    [
        (
            '\n\n{"id": 1}\n["a list"]\n',
            "jsonl",
            [{"id": 1}, "<stdin>:4: expected a mapping of answer ID to value, not a list"],
        ),
        (
            '{"id": 1}\n# a comment\n',
            "jsonl",
            [{"id": 1}, "<stdin>:2:1: not valid JSON: Expecting value"],
        ),
        ('{"id": 1}\n\n\n', "json", [{"id": 1}]),
        ('\ufeff{"id": 1}\n{"id": 2}\n', "jsonl", [{"id": 1}, {"id": 2}]),
        ("{\n\n{age: 1}\n", "jsonl", [f"<stdin>:1:2: {NOT_A_NAME}", f"<stdin>:3:2: {NOT_A_NAME}"]),
    ],
)
def test_stdin_is_jsonl_when_its_first_line_is_an_object_or_two_lines_start_with_a_brace(
    text: str, kind: str, read_as: list[object]
) -> None:
    got_kind, recs = read_stdin(text)
    assert (got_kind, [r.error or r.answers for r in recs]) == (kind, read_as)


def test_stdin_jsonl_over_the_document_limit_is_still_streamed() -> None:
    big = b'{"id": "' + b"x" * (MIB - 20) + b'"}\n'
    _, recs = read_stdin(b'{"id": 1\n' + big * 11)
    assert len(recs) == 12
    assert recs[0].error == "<stdin>:1:9: not valid JSON: Expecting ',' delimiter"
    assert all(r.answers for r in recs[1:])


def test_stdin_document_over_10_mib() -> None:
    kind, recs = read_stdin(b"age: 40\n" + b"#" * records.MAX_DOCUMENT_BYTES)
    assert (kind, recs) == (
        "yaml",
        [Record("<stdin>", error=f"<stdin>: {DOCUMENT_TOO_LARGE}", fallback_id="<stdin>")],
    )


def test_stdin_as_a_text_stream_without_a_buffer() -> None:
    kind, recs = records.read("-", None, io.StringIO('{"id": 1}\n{"id": 2}\n'))
    assert (kind, [r.answers for r in recs]) == ("jsonl", [{"id": 1}, {"id": 2}])


# --- numbers in a YAML answers file: plain decimal only (issue 12, item 2) ---------------


def test_a_yaml_answers_file_reads_numbers_as_decimal_and_other_forms_as_text(
    here: Path,
) -> None:
    """YAML 1.1 read `060` as 48, `0x26` and `0b100110` as 38 and `1:30` as 90; they are
    now what a CSV or JSON file holds for the same text, for the engine to read."""
    text = (
        "age: 060\nheadache_days_per_month: 015\nintensity: 0x8\nother: 0b100110\n"
        "attack_duration_hours: 1:30\nminutes: 1_000\nfraction: .5\nmissing: 0x_\n"
    )
    _, recs = read(write("a.yaml", text))
    assert [r.answers for r in recs] == [
        {
            "age": 60,
            "headache_days_per_month": 15,
            "intensity": "0x8",
            "other": "0b100110",
            "attack_duration_hours": "1:30",
            "minutes": "1_000",
            "fraction": 0.5,
            "missing": "0x_",
        }
    ]
