"""Writing JSON results quickly without changing a byte, and writing them in blocks.

`encode` goes through msgspec for the usual result; whatever a result holds,
its text must be what `json` writes.  `Output` gathers results into blocks
into a file or pipe, and writes each at once on a terminal or when asked.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from triage.model import Content
from triage.results import jsonline, writers
from triage.results.writers import Output, encode

from .test_record import adult, assess


def by_json(obj: Any) -> str:
    """What the standard library's encoder makes of a result (the reference)."""
    return jsonline.safe(jsonline.ENCODE(obj)) + "\n"


@pytest.fixture(scope="module")
def usual(content: Content) -> dict[str, Any]:
    result = assess(content, adult(id="r1", sudden_onset="yes")).result
    assert result["red_flags"] and result["headache_types"]
    return result


def test_the_usual_result_goes_the_quick_way(
    usual: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = by_json(usual)
    monkeypatch.setattr(jsonline, "ENCODE", None)  # the slow way would fail
    assert encode("jsonl", usual) == expected


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=500, deadline=None)
@given(record_id=_json_values, value=_json_values, answer=_json_values)
@example(record_id=1e-5, value=0.0, answer=None)
@example(record_id="r", value=[1e16], answer=None)
@example(record_id="r", value=9.999e-5, answer=None)
@example(record_id="r", value={"x": [float("nan")]}, answer=None)
@example(record_id="r", value="\ud800", answer=None)
@example(record_id="r", value="a\u2028b\x85", answer=-0.0)
@example(record_id=10**30, value=float("-inf"), answer=1e300)
def test_any_result_is_written_as_json_writes_it(
    usual: dict[str, Any], record_id: Any, value: Any, answer: Any
) -> None:
    obj = {**usual, "id": record_id}
    obj["headache_types"] = [
        {**obj["headache_types"][0], "because": {"intensity": value, "age": 40}},
        *obj["headache_types"][1:],
    ]
    obj["red_flags"] = [{**obj["red_flags"][0], "because": {"sudden_onset": [value, answer]}}]
    if answer is not None:
        obj["answers"] = {"age": answer}
    assert encode("jsonl", obj) == by_json(obj)
    assert encode("json-array", obj) + "\n" == by_json(obj)


class Stream(io.StringIO):
    """A stream that counts its writes and says whether it is a terminal."""

    def __init__(self, terminal: bool = False) -> None:
        super().__init__()
        self.writes = 0
        self.terminal = terminal

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def isatty(self) -> bool:
        return self.terminal


def test_results_into_a_pipe_are_written_in_blocks(usual: dict[str, Any]) -> None:
    stream = Stream()
    out = Output("jsonl", False, stream)
    line = encode("jsonl", usual)
    assert line is not None
    count = 3 * writers.BLOCK // len(line) + 1
    for _ in range(count):
        out.write(line)
    assert 3 <= stream.writes <= 4  # a block at a time, not a write a record
    out.close()
    assert stream.getvalue() == line * count


@pytest.mark.parametrize(("terminal", "line_buffered"), [(True, False), (False, True)])
def test_on_a_terminal_or_line_buffered_each_result_is_written_at_once(
    usual: dict[str, Any], terminal: bool, line_buffered: bool
) -> None:
    stream = Stream(terminal)
    out = Output("jsonl", False, stream, line_buffered=line_buffered)
    line = encode("jsonl", usual)
    assert line is not None
    for n in range(1, 4):
        out.write(line)
        assert stream.getvalue() == line * n


def test_a_result_that_has_waited_is_written_with_the_next(
    usual: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = Stream()
    out = Output("csv", False, stream)
    out.write("a\n")
    assert stream.getvalue() == ""  # the header and one row, gathered
    monkeypatch.setattr(writers, "WAIT", 0.0)
    out.write("b\n")
    assert stream.getvalue().endswith("a\nb\n")


def test_flush_writes_what_is_gathered_and_close_ends_the_array(usual: dict[str, Any]) -> None:
    stream = Stream()
    out = Output("json", False, stream)
    text = encode("json-array", usual)
    assert text is not None
    out.write(text)
    out.flush()  # a run cut short: what was made is written
    assert stream.getvalue() == "[\n" + text
    out.close()
    assert stream.getvalue() == "[\n" + text + "\n]\n"
