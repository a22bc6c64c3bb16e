"""CSV answers files: the header checked once, an unclosed quote located, rows as records."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from triage.intake import read as records
from triage.intake.documents import csv_file_records
from triage.intake.lines import TOO_LARGE, Lines
from triage.intake.record import Record

from .scenarios import vignettes
from .test_cli import run_process

GOOD = [v.answers for v in vignettes() if v.expect["triage_level"] != "emergency"][:3]
ANSWER_IDS = ("age", "sex", "fever", "location")


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files are named relative to the working directory, as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> str:
    Path(name).write_bytes(text.encode())
    return name


def read(name: str, delimiter: str = ",") -> list[Record]:
    return list(records.read(name, None, csv_delimiter=delimiter)[1])


def known(name: str, text: str, answer_ids: Any = ANSWER_IDS) -> list[Record]:
    """The records of a CSV text read against the answer IDs a questionnaire holds."""
    lines = Lines(io.BytesIO(text.encode()))
    return list(csv_file_records(name, lines, ",", answer_ids))


def csv_of(answers: list[dict[str, Any]], delimiter: str = ",") -> list[str]:
    """A header line and a line per record (ids r0, r1, …), `multi` codes joined by `;`."""
    rows = [{"id": f"r{n}", **a} for n, a in enumerate(answers)]
    header = sorted({key for row in rows for key in row})
    lines = [delimiter.join(header)]
    for row in rows:
        cells = [row.get(key, "") for key in header]
        lines.append(delimiter.join(";".join(c) if isinstance(c, list) else str(c) for c in cells))
    return lines


# --- a quoted cell that is never closed --------------------------------------------------

NEVER_CLOSED = "a quoted cell opened here is never closed"
CLOSE_IT = "close the quote where the cell ends"


def test_an_unclosed_quote_is_located_where_it_opened_and_the_rows_before_it_are_kept() -> None:
    write("q.csv", 'id,age,sex\np1,40,female\np2,"41,male\np3,42,male\np4,43,female\n')
    assert read("q.csv") == [
        Record("q.csv:2", answers={"id": "p1", "age": "40", "sex": "female"}),
        Record(
            "q.csv:3",
            error=f"q.csv:3:4: {NEVER_CLOSED}, so the 2 lines after it were not read; {CLOSE_IT}",
            fallback_id="q.csv:3",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('id,age\np1,"40\n', f"last.csv:2:4: {NEVER_CLOSED}; {CLOSE_IT}"),
        ('id,age\np1,"40', f"last.csv:2:4: {NEVER_CLOSED}; {CLOSE_IT}"),
        (
            'id,age\np1,"40\np2,41\n',
            f"last.csv:2:4: {NEVER_CLOSED}, so the line after it was not read; {CLOSE_IT}",
        ),
        (  # a closed quoted cell before the open one, on the same line
            'id,age,sex\n"p1",40,"female\np2,41,male\n',
            f"last.csv:2:9: {NEVER_CLOSED}, so the line after it was not read; {CLOSE_IT}",
        ),
        (  # a cell starting with a quote inside it ("" in a quoted cell)
            'id,age,note\np1,40,"""Hi"" she said\np2,41,ok\n',
            f"last.csv:2:7: {NEVER_CLOSED}, so the line after it was not read; {CLOSE_IT}",
        ),
        (  # a quote that opens and closes over lines, then one that never closes
            'id,age,sex\np1,"4\n0","fe\nmale\n',
            f"last.csv:3:4: {NEVER_CLOSED}, so the line after it was not read; {CLOSE_IT}",
        ),
    ],
)
def test_an_unclosed_quote_on_the_last_rows(text: str, error: str) -> None:
    write("last.csv", text)
    assert [r.error for r in read("last.csv")][-1] == error


WIDE = ",".join(["y" * 110_000] * 9)  # a row of 990 kB on one line: 1 MiB comes soon after


def test_an_unclosed_quote_past_the_field_limit_is_still_said_to_be_unclosed() -> None:
    write("big.csv", 'id,age\np1,40\np2,"4\n' + "p,1\n" * 300_000)
    assert [r.error for r in read("big.csv")] == [
        None,
        f"big.csv:3:4: {NEVER_CLOSED}, so the 300000 lines after it were not read; {CLOSE_IT}",
    ]


def test_an_unclosed_quote_past_1_mib_is_still_said_to_be_unclosed() -> None:
    write("big.csv", f'c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\n{WIDE},"z\n' + "z\n" * 80_000)
    assert [r.error for r in read("big.csv")] == [
        f"big.csv:2:{len(WIDE) + 2}: {NEVER_CLOSED}, so the 80000 lines after it were not read; "
        f"{CLOSE_IT}"
    ]


def test_a_row_over_1_mib_whose_quote_closes_is_too_large_and_the_next_row_is_read() -> None:
    write("tall.csv", f'c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\n{WIDE},"z\n' + "z\n" * 80_000 + '"\np2\n')
    assert [(r.source, r.error) for r in read("tall.csv")] == [
        ("tall.csv:58568", f"tall.csv:58568: {TOO_LARGE}"),
        ("tall.csv:80004", None),
    ]


def test_an_unclosed_quote_in_the_header_spoils_the_whole_file() -> None:
    write("head.csv", 'id,"age\np1,40\n')
    assert read("head.csv") == [
        Record(
            "head.csv",
            error=f"head.csv:1:4: {NEVER_CLOSED}, so the line after it was not read; {CLOSE_IT}",
            fallback_id="head.csv",
        )
    ]


def test_a_quote_inside_an_unquoted_cell_is_text_and_the_next_rows_are_read() -> None:
    write("inch.csv", 'id,age,note\np1,40,5" tall\np2,41,ok\n')
    assert [r.answers for r in read("inch.csv")] == [
        {"id": "p1", "age": "40", "note": '5" tall'},
        {"id": "p2", "age": "41", "note": "ok"},
    ]


def test_an_unclosed_quote_from_the_command_line() -> None:
    lines = csv_of(GOOD[:2])
    write("intake.csv", "\n".join([lines[0], lines[1], lines[2] + ',"oops', lines[1]]) + "\n")
    done = run_process("assess", "intake.csv", "--format", "jsonl")
    column = len(lines[2]) + 2
    assert (done.returncode, done.stderr.splitlines()) == (
        1,
        [
            f"intake.csv:3:{column}: {NEVER_CLOSED}, so the line after it was not read; {CLOSE_IT}",
            "1 of 2 records could not be assessed",
        ],
    )
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["id"], "error" in o) for o in out] == [("r0", False), ("intake.csv:3", True)]


# --- a header that names no answer ID ----------------------------------------------------

NO_ANSWER_ID = "the header names no answer ID"


@pytest.mark.parametrize(
    ("text", "delimiter", "hint"),
    [
        (
            "id;age;sex\nX-1;40;male\n",
            ",",
            "its cells look separated by ';': give --csv-delimiter ';'",
        ),
        (
            "id,age,sex\nX-1,40,male\n",
            ";",
            "its cells look separated by ',': give --csv-delimiter ','",
        ),
        ("id\tage\nX-1\t40\n", ",", "its cells look separated by tabs: give --csv-delimiter tab"),
        (
            '"id";"age"\n"X-1";"40"\n',
            ",",
            "its cells look separated by ';': give --csv-delimiter ';'",
        ),
        (
            "Name,Phone\nAnn,123\n",
            ",",
            "the first row must name each column by its answer ID (triage questions lists them)",
        ),
        (
            "id\np1\np2\n",
            ",",
            "the first row must name each column by its answer ID (triage questions lists them)",
        ),
    ],
)
def test_a_header_naming_no_answer_id_is_one_error_for_the_file(
    text: str, delimiter: str, hint: str
) -> None:
    write("export.csv", text)
    assert read("export.csv", delimiter) == [
        Record(
            "export.csv",
            error=f"export.csv:1: {NO_ANSWER_ID}; {hint}",
            fallback_id="export.csv",
        )
    ]


def test_a_header_naming_no_known_answer_id_is_one_error_for_the_file() -> None:
    assert known("x.csv", "id,agee,notes\np1,40,hi\n") == [
        Record(
            "x.csv",
            error=f"x.csv:1: {NO_ANSWER_ID}; the first row must name each column by its answer "
            "ID (triage questions lists them)",
            fallback_id="x.csv",
        )
    ]
    assert known("y.csv", "id;age;sex\np1;40;male\n")[0].error == (
        f"y.csv:1: {NO_ANSWER_ID}; its cells look separated by ';': give --csv-delimiter ';'"
    )


def test_a_semicolon_export_read_without_the_delimiter_from_the_command_line() -> None:
    write("export.csv", "\n".join(csv_of(GOOD, ";")) + "\n")
    done = run_process("assess", "export.csv", "--format", "jsonl")
    message = (
        f"export.csv:1: {NO_ANSWER_ID}; its cells look separated by ';': give --csv-delimiter ';'"
    )
    assert (done.returncode, done.stderr) == (1, message + "\n")
    (out,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert (out["id"], out["error"]["message"]) == ("export.csv", message)


# --- columns that are not answer IDs -------------------------------------------------------

NOT_AN_ID = "is not an answer ID; ignored"


def test_a_column_that_cannot_be_an_answer_id_warns_once_at_the_header() -> None:
    write("notes.csv", "id,age,Notes\np1,40,hi\np2,41,ho\n")
    assert read("notes.csv") == [
        Record(
            "notes.csv:2",
            answers={"id": "p1", "age": "40"},
            file_warnings=(f"notes.csv:1: warning: column 'Notes' {NOT_AN_ID}",),
        ),
        Record("notes.csv:3", answers={"id": "p2", "age": "41"}),
    ]


def test_the_header_warning_comes_with_the_first_record_even_when_it_is_an_error() -> None:
    write("notes.csv", "id,age,Notes\np1,40,hi,extra\np2,41,ho\n")
    first, second = read("notes.csv")
    assert first.error is not None
    assert first.file_warnings == (f"notes.csv:1: warning: column 'Notes' {NOT_AN_ID}",)
    assert second == Record("notes.csv:3", answers={"id": "p2", "age": "41"})


def test_columns_not_among_the_answer_ids_warn_once_with_a_near_miss() -> None:
    text = "id,agee,notes,age,emergency_undone\np1,40,hi,40,\np2,41,ho,41,\n"
    assert known("k.csv", text) == [
        Record(
            "k.csv:2",
            answers={"id": "p1", "age": "40"},
            file_warnings=(
                f"k.csv:1: warning: column 'agee' {NOT_AN_ID}; did you mean 'age'?",
                f"k.csv:1: warning: column 'notes' {NOT_AN_ID}",
            ),
        ),
        Record("k.csv:3", answers={"id": "p2", "age": "41"}),
    ]


def test_many_unknown_columns_give_a_capped_list_of_warnings() -> None:
    extra = [f"x{n}" for n in range(30)]
    text = ",".join(["age", *extra]) + "\n" + ",".join(["40"] * 31) + "\n"
    (record,) = known("wide.csv", text)
    assert record.answers == {"age": "40"}
    assert record.file_warnings == (
        *(f"wide.csv:1: warning: column '{x}' {NOT_AN_ID}" for x in extra[:20]),
        "wide.csv:1: warning: and 10 more columns that are not answer IDs; ignored",
    )


def test_an_extra_column_warns_once_from_the_command_line() -> None:
    lines = csv_of(GOOD)
    with_notes = [lines[0] + ",Notes"] + [line + ",called back" for line in lines[1:]]
    write("intake.csv", "\n".join(with_notes) + "\n")
    done = run_process("assess", "intake.csv", "--format", "jsonl")
    assert (done.returncode, done.stderr) == (
        0,
        f"intake.csv:1: warning: column 'Notes' {NOT_AN_ID}\n",
    )
