"""Safe YAML: plain values only, every refusal with its line and column."""

from __future__ import annotations

import math

import pytest
import yaml

from triage import safeyaml
from triage.safeyaml import YamlProblem, compose, to_python


def problem(text: str) -> str:
    with pytest.raises(YamlProblem) as caught:
        compose(text)
    return str(caught.value)


def test_plain_values() -> None:
    root = compose("a: 1\nb: [x, 2.5]\nc: yes\nd: 2024-01-01\ne: ~\n")
    assert root is not None
    assert to_python(root) == {"a": 1, "b": ["x", 2.5], "c": True, "d": "2024-01-01", "e": None}


def test_an_empty_document_is_none() -> None:
    assert compose("") is None
    assert compose("# only a comment\n") is None


def test_the_first_problem_in_document_order_is_reported() -> None:
    text = "a: !!python/name:os.system 1\nb: !!python/name:os.getcwd 2\n"
    assert problem(text) == (
        "1:4: the tag '!!python/name:os.system' is not allowed; "
        "use plain strings, numbers, yes/no, lists and mappings"
    )


def test_a_control_character_is_located() -> None:
    assert (
        problem("a: 1\nb: x\x00y\n") == "2:5: not valid YAML: the character U+0000 is not allowed"
    )


def test_a_billion_laughs_document_is_refused_at_once() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    assert "aliases are not supported" in problem("\n".join(lines))


@pytest.mark.parametrize(("loader", "where"), [("CSafeLoader", "1:1001"), ("SafeLoader", "1:101")])
def test_deep_nesting_is_a_message_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, loader: str, where: str
) -> None:
    """5000 levels: libyaml stops at its own limit, the pure-Python loader at 101."""
    monkeypatch.setattr(safeyaml, "Loader", getattr(yaml, loader))
    text = "[" * 5000 + "]" * 5000
    assert problem(text) == f"{where}: not valid here: nested more than 100 levels deep"


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a:\n" + "".join(" " * (n + 1) + "- \n" for n in range(150)), "101:101"),
        ("{a: " * 5000, "1:401"),
    ],
)
def test_nesting_over_100_levels_is_refused_before_composing(
    monkeypatch: pytest.MonkeyPatch, loader: str, text: str, where: str
) -> None:
    """The pure-Python composer recurses: the depth is measured from events first.
    libyaml composes a small document at once and stops at its own limit of
    1000 levels (here at column 4001), or the tree is checked after."""
    monkeypatch.setattr(safeyaml, "Loader", getattr(yaml, loader))
    if loader == "CSafeLoader" and where == "1:401":
        where = "1:4001"
    assert problem(text) == f"{where}: not valid here: nested more than 100 levels deep"


def test_a_large_document_is_measured_before_composing_with_libyaml_too() -> None:
    text = "{a: " * 5000 + " " * safeyaml.MEASURE_ABOVE
    assert problem(text) == "1:401: not valid here: nested more than 100 levels deep"


def test_libyaml_own_nesting_limit_reads_the_same() -> None:
    assert problem("[" * 100_000) == "1:1001: not valid here: nested more than 100 levels deep"


def test_a_hundred_levels_are_allowed() -> None:
    root = compose("[" * 100 + "]" * 100)
    assert root is not None
    expected: list[object] = []
    for _ in range(99):
        expected = [expected]
    assert to_python(root) == expected


def test_more_than_100_000_values_are_refused_at_once() -> None:
    text = "a: [" + "1, " * (2 * safeyaml.MAX_NODES) + "1]\n"
    assert problem(text) == "1:299996: holds more than 100,000 values (the limit for one document)"


def test_a_number_python_cannot_read_is_a_problem() -> None:
    assert problem("a: " + "7" * 4301 + "\n") == (
        "1:4: '77777777777777777777…' cannot be read as a number; quote it if it is text"
    )


# --- numbers: plain decimal only (issue 12, item 2) ---------------------------------


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("60", 60),
        ("-7", -7),
        ("+5", 5),
        ("060", 60),  # decimal, as the same text in a CSV or JSON string: never octal 48
        ("015", 15),
        ("0", 0),
        ("0.5", 0.5),
        ("-1.5", -1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e3", "1e3"),  # an exponent too: text, read as the same text in a CSV file
        ("1.5E-3", "1.5E-3"),
        ("0x26", "0x26"),  # every other YAML 1.1 form stays the text it is
        ("0o60", "0o60"),
        ("0b100110", "0b100110"),
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("1_000", "1_000"),
        ("1_0.5", "1_0.5"),
        ("0x_", "0x_"),
        ("0b_", "0b_"),
        ("1:1:1.5", "1:1:1.5"),
        ("1,5", "1,5"),
        ("45m", "45m"),
    ],
)
def test_only_plain_decimal_numbers_are_numbers(
    monkeypatch: pytest.MonkeyPatch, loader: str, written: str, value: object
) -> None:
    monkeypatch.setattr(safeyaml, "Loader", getattr(yaml, loader))
    root = compose(f"a: {written}\n")
    assert root is not None
    read = to_python(root)["a"]
    assert (read, type(read)) == (value, type(value))


def test_infinity_and_nan_stay_numbers_for_the_readers_to_refuse() -> None:
    root = compose("a: .inf\nb: -.Inf\nc: .NaN\nd: 1" + "0" * 400 + ".0\n")
    assert root is not None
    read = to_python(root)
    assert (read["a"], read["b"], read["d"]) == (math.inf, -math.inf, math.inf)
    assert math.isnan(read["c"])


def test_a_quoted_number_is_text_and_a_sexagesimal_key_too() -> None:
    root = compose("a: '060'\n1:30: x\n0x1: y\n")
    assert root is not None
    assert to_python(root) == {"a": "060", "1:30": "x", "0x1": "y"}


@pytest.mark.parametrize("written", ["!!int 0x26", "!!int 1_000", "!!int ' 12'", "!!float 1:30"])
def test_an_explicit_number_tag_takes_plain_decimal_only(written: str) -> None:
    value = written.split(" ", 1)[1].strip("'")
    assert problem(f"a: {written}\n") == (
        f"1:4: '{value}' cannot be read as a number; quote it if it is text"
    )
    root = compose("a: !!int 060\nb: !!float 5\n")
    assert root is not None and to_python(root) == {"a": 60, "b": 5.0}
