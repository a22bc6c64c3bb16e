"""Counting a batch, and the summary shown on standard error."""

from __future__ import annotations

import io

import pytest

from triage import render
from triage.model import Content
from triage.render.batch import tally_table
from triage.results.tally import Tally

from .test_record import ADULT, assess


def tally(content: Content, *records: dict[str, object]) -> Tally:
    counted = Tally()
    for answers in records:
        counted.add(assess(content, answers).result)
    return counted


def test_levels_flags_patterns_and_recommendations_are_counted(content: Content) -> None:
    counted = tally(
        content, ADULT, {**ADULT, "sudden_onset": "yes"}, {"age": 70, "red_painful_eye": "yes"}
    )
    assert (counted.records, counted.failed) == (3, 1)
    assert counted.levels == {"routine": 1, "emergency": 1}
    assert counted.red_flags == {"thunderclap": 1, "acute_glaucoma": 1}
    assert counted.recommendations["refer_first"] == 1
    assert sum(counted.patterns.values()) >= 2


@pytest.mark.parametrize(
    ("answers", "reached"),
    [
        (ADULT, {"emergency": False, "urgent": False, "soon": False}),
        ({**ADULT, "new_medicine": "yes"}, {"emergency": False, "urgent": False, "soon": True}),
        ({**ADULT, "sudden_onset": "yes"}, {"emergency": True, "urgent": True, "soon": True}),
        ({"age": 70, "sudden_onset": "yes"}, {"emergency": True, "urgent": True, "soon": True}),
    ],
)
def test_reached_counts_a_level_or_a_more_urgent_one(
    content: Content, answers: dict[str, object], reached: dict[str, bool]
) -> None:
    counted = tally(content, answers)
    assert {level: counted.reached(level) for level in reached} == reached


def test_the_summary_is_plain_lines_off_a_terminal_and_bars_on_one(content: Content) -> None:
    counted = tally(content, ADULT, {**ADULT, "sudden_onset": "yes"}, {"age": 70})
    stream = io.StringIO()
    render.console(stream).print(tally_table(counted, terminal=False))
    text = "\n".join(line.rstrip() for line in stream.getvalue().splitlines())
    assert text.startswith("3 records: 2 assessed, 1 could not be assessed\nTriage level\n")
    assert "!!! emergency  1" in text and "✓ routine      1" in text
    assert "█" not in text
    drawn = io.StringIO()
    render.console(drawn).print(tally_table(counted, terminal=True))
    assert "█" in drawn.getvalue()
    assert max(len(line) for line in drawn.getvalue().splitlines()) <= 80
