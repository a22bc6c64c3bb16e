"""Words in messages (`triage.text`): the one escaping function, near misses, lists.

`printable` is what every text from a content file or a record passes through
before a terminal or standard error (issue 12, item 11): no text can start a
line of its own, hide itself, reverse what follows or drive the terminal.
"""

from __future__ import annotations

import pytest

from triage.engine.validate import validate
from triage.model import Content
from triage.text import did_you_mean, listed, printable, printable_lines


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, ünïcode — and ✓", "plain words, ünïcode — and ✓"),
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\tb", "a\\tb"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("\x00\x07\x08\x7f", "\\x00\\x07\\x08\\x7f"),
        ("a\x85b\x9bc", "a\\x85b\\x9bc"),  # NEL and the C1 CSI
        ("a\vb\fc\x1cd\x1de\x1ef", "a\\x0bb\\x0cc\\x1cd\\x1de\\x1ef"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("\u202eevil", "\\u202eevil"),
        ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
        ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("\ufeffid", "\\ufeffid"),
        ("a\u200bb\u200cc\u200dd\u2060e", "a\\u200bb\\u200cc\\u200dd\\u2060e"),
        ("tag\U000e0041", "tag\\U000e0041"),  # an invisible tag character
        ("lone \ud800", "lone \\ud800"),
        ("a\u00a0b", "a\u00a0b"),  # a no-break space is a space: shown as it is
    ],
)
def test_printable_makes_every_invisible_or_line_breaking_character_visible(
    text: str, shown: str
) -> None:
    assert printable(text) == shown


def test_a_key_cannot_forge_a_line_of_its_own(content: Content) -> None:
    """A key holding a line break wrote a fake `intake.jsonl:9: note: …` line on stderr."""
    key = "x\nintake.jsonl:9: note: all answers checked\u2028\u202eok"
    (warning,) = validate(content, {key: 1}).warnings
    line = printable(f"intake.jsonl:1: warning: {warning}")
    assert line == (
        "intake.jsonl:1: warning: unknown answer ID 'x\\nintake.jsonl:9: note: all answers "
        "checked\\u2028\\u202eok' ignored"
    )
    assert len(line.splitlines()) == 1


def test_printable_lines_keeps_the_lines_a_text_is_made_of_and_escapes_within_them() -> None:
    assert printable_lines("one\ntwo \x1b[2J\r\nthree\u2028four\n") == (
        "one\ntwo \\x1b[2J\\r\nthree\\u2028four\n"
    )
    assert printable_lines("") == ""


def test_did_you_mean_suggests_a_near_miss_only() -> None:
    assert did_you_mean("agee", ["age", "sex"]) == "; did you mean 'age'?"
    assert did_you_mean("colour", ["age", "sex"]) == ""


def test_did_you_mean_does_not_compare_a_word_far_longer_than_any_choice() -> None:
    assert did_you_mean("age" * 100_000, ["age", "sex"]) == ""


def test_listed() -> None:
    assert listed(["a", "b", "c"]) == "a, b, c"
