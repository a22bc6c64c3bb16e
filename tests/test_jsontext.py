"""triage.intake.jsontext: one JSON text read as an answers file needs.

The quick decoder (msgspec) must never change what a text reads as: every
promise of the strict reader (duplicate keys at every level, NaN, nesting,
numbers) holds whichever way a text went, and on any text the two give the
same value or the same message.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.intake import jsontext
from triage.intake.jsontext import json_value
from triage.safeyaml import MAX_DEPTH


def strict(text: str) -> tuple[Any, tuple[int, int, str] | None]:
    """What the strict reader alone says of `text`."""
    jsontext.QUICK = False
    try:
        return json_value(text)
    finally:
        jsontext.QUICK = True


def test_the_usual_line_goes_the_quick_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsontext, "_DECODE", None)  # the strict way would fail
    assert json_value('{"age": 30, "id": "a\\"b"}') == ({"age": 30, "id": 'a"b'}, None)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"age": 30, "age": 31}', (1, 13), "duplicate key 'age' (first given at column 2)"),
        ('{"a": {"b": 1, "b": 2}}', (1, 16), "duplicate key 'b' (first given at column 8)"),
        ('{"a": [{"b": 1}, {"c": 1, "c": 2}]}', (1, 27), "duplicate key 'c'"),
        ('{"a": 1,\n "a": 2}', (2, 2), "duplicate key 'a' (first given at line 1)"),
        ('{"a" : 1, "a" : 2}', (1, 11), "duplicate key 'a'"),  # a space before the colon
        ('{"\\u0061": 1, "a": 2}', None, "duplicate key 'a'"),  # an escaped key
        ('{"x\\"": ":", "x\\"": 2}', None, "duplicate key 'x\"'"),  # an escaped quote
        ('{"a": ":", "a": 2}', (1, 12), "duplicate key 'a'"),  # a value starting with a colon
        # a `":` in a value standing in for a key written with a space before its colon
        ('{"a" : 1, "a" : "\\":"}', (1, 11), "duplicate key 'a'"),
        ('{"a" : 1, "a": ": "}', (1, 11), "duplicate key 'a'"),
        ('{"a": NaN}', (1, 1), "not valid JSON: NaN is not a number JSON allows"),
        ('{"a": -Infinity}', (1, 1), "not valid JSON: -Infinity is not a number JSON allows"),
        ('{"a": 1}x', (1, 9), "not valid JSON: Extra data"),
        ('{"a": "\x01"}', (1, 8), "not valid JSON: Invalid control character at"),
    ],
)
def test_what_is_refused(text: str, where: tuple[int, int] | None, message: str) -> None:
    value, problem = json_value(text)
    assert value is None and problem is not None
    if where is not None:
        assert problem[:2] == where
    assert message in problem[2]
    assert (value, problem) == strict(text)


def test_duplicate_keys_at_every_level_of_nesting() -> None:
    for depth in range(1, 12):
        text = '{"k": ' * depth + '{"a": 1, "a": 2}' + "}" * depth
        value, problem = json_value(text)
        assert value is None and problem is not None and "duplicate key 'a'" in problem[2]


def test_nesting_beyond_the_limit_is_refused_and_up_to_it_read() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    too_deep = f"not valid here: nested more than {MAX_DEPTH} levels deep"
    assert json_value(deep) == (None, (1, 1, too_deep))
    fits = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert json_value(fits)[1] is None
    assert json_value("[" * 100_000 + "]" * 100_000)[1] is not None  # no RecursionError escapes


def test_numbers_read_as_python_reads_them() -> None:
    huge = 123456789012345678901234567890
    assert json_value(f'{{"id": {huge}, "f": 0.1, "e": 1e5}}') == (
        {"id": huge, "f": 0.1, "e": 100000.0},
        None,
    )
    assert json_value('{"a": 1E400}') == strict('{"a": 1E400}')  # inf: the strict way decides
    digits = '{"a": ' + "1" * 5000 + "}"
    assert json_value(digits) == strict(digits)
    assert json_value(digits)[1] is not None


def test_a_lone_surrogate_reads_as_the_strict_reader_reads_it() -> None:
    assert json_value('{"a": "\\ud800"}') == ({"a": "\ud800"}, None)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from('ab:" \\\n\t{}[],\x00\u2028é'), max_size=6),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(st.tuples(st.sampled_from(["a", "b", ":", 'a"', "a :"]), inner), max_size=4)
    ),
    max_leaves=12,
)


def _written(value: Any, colon: str) -> str:
    """JSON text of `value`, where a list of pairs is an object (keys may repeat)."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        pairs = (f"{json.dumps(k)}{colon}{_written(v, colon)}" for k, v in value)
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_written(v, colon) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=600, deadline=None)
@given(
    _values,
    st.sampled_from([": ", ":", " : ", "\n:"]),
    st.sampled_from(["", " ", "x", ",", '"', ":", "}"]),
    st.integers(0, 40),
)
def test_quick_and_strict_read_every_text_alike(
    value: Any, colon: str, noise: str, at: int
) -> None:
    text = _written(value, colon)
    assert json_value(text) == strict(text)
    spoilt = text[:at] + noise + text[at:]  # and texts a character away from valid
    assert json_value(spoilt) == strict(spoilt)
