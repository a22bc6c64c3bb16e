"""Safe YAML: plain values only, every refusal with its line and column."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 0x_\n", "1:4: '0x_' cannot be read as a number; quote it if it is text"),
        ("0b_: 1\n", "1:1: '0b_' cannot be read as a number; quote it if it is text"),
        (
            "a: " + "7" * 4301 + "\n",
            "1:4: '77777777777777777777…' cannot be read as a number; quote it if it is text",
        ),
        (
            "a: " + ":".join(["1"] * 300) + ".5\n",
            "1:4: '1:1:1:1:1:1:1:1:1:1:…' cannot be read as a number; quote it if it is text",
        ),
        (
            "a: " + ":".join(["59"] * 3000) + "\n",
            "1:4: '59:59:59:59:59:59:59…' cannot be read as a number; quote it if it is text",
        ),
    ],
)
def test_a_number_python_cannot_read_is_a_problem(text: str, message: str) -> None:
    assert problem(text) == message
