"""Splitting a stream into lines: every line end read alike, memory flat, the size capped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.intake import read as records
from triage.intake.lines import MAX_RECORD_BYTES, TOO_LARGE, Line, Lines
from triage.intake.record import Record


class Trickle:
    """A stream that hands out `step` bytes a read, so that line ends fall across reads."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.at = data, step, 0

    def read(self, size: int = -1, /) -> bytes:
        piece = self.data[self.at : self.at + min(size, self.step)]
        self.at += len(piece)
        return piece


def texts(data: bytes, step: int | None = None) -> list[tuple[int, str, int]]:
    stream = io.BytesIO(data) if step is None else Trickle(data, step)
    return [(line.number, line.text, line.size) for line in Lines(stream)]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("step", [None, 1, 2, 3])
def test_lf_crlf_and_a_lone_cr_each_end_a_line(step: int | None) -> None:
    data = b"a\nbb\r\nccc\rdddd\r\r\n\reeeee"
    assert texts(data, step) == [
        (1, "a\n", 1),
        (2, "bb\r\n", 2),
        (3, "ccc\r", 3),
        (4, "dddd\r", 4),
        (5, "\r\n", 0),
        (6, "\r", 0),
        (7, "eeeee", 5),
    ]


@pytest.mark.parametrize("step", [None, 1])
def test_a_cr_last_in_the_stream_ends_its_line(step: int | None) -> None:
    assert texts(b"x\ry\r", step) == [(1, "x\r", 1), (2, "y\r", 1)]


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_a_line_over_1_mib_is_dropped_to_its_end_whatever_ends_it(end: bytes) -> None:
    data = b"x" * (MAX_RECORD_BYTES + 5) + end + b"next" + end
    got = list(Lines(io.BytesIO(data)))
    assert got == [Line(1, "", MAX_RECORD_BYTES + 5, TOO_LARGE), Line(2, "next" + end.decode(), 4)]


@pytest.mark.parametrize("end", [b"\r\n", b"\r"])
def test_a_line_of_exactly_1_mib_is_read_whatever_ends_it(end: bytes) -> None:
    data = b"y" * MAX_RECORD_BYTES + end + b"z"
    assert [(line.size, line.problem) for line in Lines(io.BytesIO(data))] == [
        (MAX_RECORD_BYTES, None),
        (1, None),
    ]


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_jsonl_with_old_mac_windows_or_unix_line_ends_gives_the_same_records(
    here: Path, end: str
) -> None:
    """A JSONL file saved with `\\r` line ends (old Mac) is one record a line, not one error.
    A lone `\\r` inside a JSON string is not valid JSON, so no record is split by it."""
    Path("mac.jsonl").write_bytes(end.join(['{"id": 1}', '{"id": 2}', "", '{"id": 3}']).encode())
    _, found = records.read("mac.jsonl", None)
    assert list(found) == [
        Record("mac.jsonl:1", answers={"id": 1}),
        Record("mac.jsonl:2", answers={"id": 2}),
        Record("mac.jsonl:4", answers={"id": 3}),
    ]


def test_a_bad_line_of_a_cr_only_jsonl_file_is_located_on_its_own_line(here: Path) -> None:
    Path("mac.jsonl").write_bytes(b'{"id": 1}\r{"id": \r{"id": 3}\r')
    _, found = records.read("mac.jsonl", None)
    assert [(r.source, r.error) for r in found] == [
        ("mac.jsonl:1", None),
        ("mac.jsonl:2", "mac.jsonl:2:8: not valid JSON: Expecting value"),
        ("mac.jsonl:3", None),
    ]


# --- whole lines handed on as bytes (`Lines.block`), read again where they go ---------


def via_blocks(data: bytes, size: int, step: int) -> list[Line]:
    """The lines of `data`, taking `block`s of `size` where it gives one and reading
    each again numbered where it was (as a worker does), else a line alone."""
    lines, out = Lines(Trickle(data, step)), []
    while True:
        got = lines.block(size)
        if got is not None:
            first, raw = got
            assert raw.endswith(b"\n") and len(raw) <= size
            out.extend(Lines(None, raw, first))
            continue
        line = next(lines, None)
        if line is None:
            return out
        out.append(line)


_pieces = st.lists(
    st.sampled_from(
        [b"\n", b"\r\n", b"\r", b"{}", b'{"a": 1}', b"\xef\xbb\xbf", b"\xff", b"x" * 40, b" "]
    ),
    max_size=40,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(_pieces, st.integers(1, 80), st.integers(1, 50))
def test_lines_read_through_blocks_are_the_lines_read_one_by_one(
    data: bytes, size: int, step: int
) -> None:
    assert via_blocks(data, size, step) == list(Lines(io.BytesIO(data)))


def test_a_block_ends_at_a_line_feed_and_numbers_the_lines_after_it() -> None:
    lines = Lines(io.BytesIO(b"a\r\nb\rc\nd\ne"))
    assert lines.block(7) == (1, b"a\r\nb\rc\n")  # three lines: \r\n, a lone \r, \n
    assert lines.block(1) is None  # "d\n" does not fit: the next line comes alone
    assert next(lines) == Line(4, "d\n", 1)
    assert lines.block(100) is None  # no line feed ends the last line
    assert next(lines) == Line(5, "e", 1)


def test_a_line_too_large_is_never_in_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("triage.intake.lines.MAX_RECORD_BYTES", 8)
    data = b"ok\n" + b"x" * 20 + b"\nok\n"
    assert via_blocks(data, 1000, 7) == list(Lines(io.BytesIO(data)))
    assert [line.problem for line in via_blocks(data, 1000, 7)] == [None, TOO_LARGE, None]
