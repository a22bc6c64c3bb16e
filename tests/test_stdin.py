"""Standard input: its format guessed from its first lines, and a hint when it is CSV."""

from __future__ import annotations

import io

import pytest

from triage.intake import read as records
from triage.intake.record import Record
from triage.intake.stdin import guess_format

from .test_cli import run_process


def read_stdin(data: bytes, fmt: str | None = None) -> tuple[str | None, list[Record]]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    kind, found = records.read("-", fmt, stream)
    return kind, list(found)


@pytest.mark.parametrize("end", [b"\r", b"\r\n", b"\n"])
def test_jsonl_is_told_whatever_ends_its_lines(end: bytes) -> None:
    data = b'{"id": 1}' + end + b'{"id": 2}' + end
    assert guess_format(io.BytesIO(data)) == ("jsonl", data)
    assert read_stdin(data) == (
        "jsonl",
        [Record("<stdin>:1", answers={"id": 1}), Record("<stdin>:2", answers={"id": 2})],
    )


def test_one_json_document_with_old_mac_line_ends_is_still_one_document() -> None:
    data = b'{"id": 1,\r "age": 40}\r'
    assert read_stdin(data) == ("json", [Record("<stdin>", answers={"id": 1, "age": 40})])


def test_a_yaml_mapping_with_old_mac_line_ends_is_still_yaml() -> None:
    assert read_stdin(b"id: 1\rage: 40\r") == (
        "yaml",
        [Record("<stdin>", answers={"id": 1, "age": 40})],
    )


MAPPING = "<stdin>: expected a mapping of answer ID to value"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"id,age,sex\np1,40,male\n",
            f"{MAPPING}; this looks like CSV (its first line names answers separated by ','): "
            "give --input-format csv",
        ),
        (
            b"\xef\xbb\xbfid;age;sex\r\np1;40;male\r\n",
            f"{MAPPING}; this looks like CSV (its first line names answers separated by ';'): "
            "give --input-format csv --csv-delimiter ';'",
        ),
        (
            b"age\tsex\n40\tmale\n",
            f"{MAPPING}; this looks like CSV (its first line names answers separated by tabs): "
            "give --input-format csv --csv-delimiter tab",
        ),
        (  # CSV that YAML cannot parse at all
            b'id,age,note\np1,40,"called: twice"\np2,41,- x\n',
            f"{MAPPING}; this looks like CSV (its first line names answers separated by ','): "
            "give --input-format csv",
        ),
    ],
)
def test_csv_on_standard_input_is_pointed_to_input_format_csv(data: bytes, message: str) -> None:
    assert read_stdin(data) == ("yaml", [Record("<stdin>", error=message, fallback_id="<stdin>")])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some words\n", f"{MAPPING}, not str 'just some words'"),
        (b"fever, then neck pain\n", f"{MAPPING}, not str 'fever, then neck pain'"),
        (b"- age\n- sex\n", f"{MAPPING}, not a list"),
    ],
)
def test_other_text_that_is_no_mapping_keeps_its_message(data: bytes, message: str) -> None:
    assert read_stdin(data)[1][0].error == message


def test_csv_piped_in_from_the_command_line_suggests_input_format_csv() -> None:
    done = run_process("assess", "-", input=b"id;age;sex\nX-1;40;male\n")
    assert (done.returncode, done.stderr) == (
        1,
        f"{MAPPING}; this looks like CSV (its first line names answers separated by ';'): "
        "give --input-format csv --csv-delimiter ';'\n",
    )
