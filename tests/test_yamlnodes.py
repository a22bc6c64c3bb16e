"""Safe YAML: plain values only, every refusal with its line and column."""

from __future__ import annotations

import pytest

from triage.yamlnodes import YamlProblem, compose, to_python


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


def test_deep_nesting_is_a_message_not_a_crash() -> None:
    text = "[" * 5000 + "]" * 5000
    with pytest.raises(YamlProblem):
        root = compose(text)
        assert root is not None
        to_python(root)
