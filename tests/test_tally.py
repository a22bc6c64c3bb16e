"""Counting a batch, and the summary shown on standard error."""

from __future__ import annotations

import io
import pickle

import pytest

from triage import render
from triage.intake.record import Record
from triage.model import Content
from triage.render.batch import tally_table
from triage.results.record import assess_record
from triage.results.tally import Brief, Tally, brief

from .scenarios import vignettes
from .test_record import ADULT, adult, assess

TWO_HEADACHES = "v29-migraine-and-on-other-days-tension-type-headache"
OVERUSE = "v12-chronic-migraine-with-triptan-overuse"


def vignette(name: str) -> dict[str, object]:
    (answers,) = [v.answers for v in vignettes() if v.name == name]
    return answers


def tally(content: Content, *records: dict[str, object]) -> Tally:
    counted = Tally()
    for answers in records:
        counted.add(assess(content, answers).result)
    return counted


def test_levels_flags_patterns_and_recommendations_are_counted(content: Content) -> None:
    counted = tally(
        content, ADULT, adult(sudden_onset="yes"), {"age": 70, "red_painful_eye": "yes"}
    )
    assert (counted.records, counted.failed) == (3, 1)
    assert counted.levels == {"routine": 1, "emergency": 1}
    assert counted.red_flags == {"thunderclap": 1, "acute_glaucoma": 1}
    assert counted.recommendations["refer_first"] == 1
    assert counted.main_patterns == {"tension_type_chronic": 2}
    assert counted.other_patterns == {} and counted.person_patterns == {}
    assert counted.patterns == {"tension_type_chronic": 2}


def test_patterns_are_counted_per_headache_and_for_the_person(content: Content) -> None:
    counted = tally(content, ADULT, vignette(TWO_HEADACHES), vignette(OVERUSE))
    assert counted.main_patterns == {
        "tension_type_chronic": 1,
        "migraine_without_aura": 1,
        "chronic_migraine": 1,
    }
    assert counted.other_patterns == {"tension_type_frequent": 1}
    assert counted.person_patterns == {"medication_overuse": 1}
    assert sum(counted.patterns.values()) == 5


def test_a_brief_is_small_picklable_and_counts_as_its_object_does(content: Content) -> None:
    objs = [
        assess(content, answers).result
        for answers in (ADULT, vignette(TWO_HEADACHES), vignette(OVERUSE), {"age": 70})
    ]
    briefs = [brief(obj) for obj in objs]
    assert briefs[1] == Brief(
        False,
        "routine",
        (),
        ("migraine_without_aura",),
        ("tension_type_frequent",),
        (),
        "suitable",
    )
    assert (briefs[2].main, briefs[2].other, briefs[2].person) == (
        ("chronic_migraine",),
        (),
        ("medication_overuse",),
    )
    assert pickle.loads(pickle.dumps(briefs)) == briefs
    by_object, by_brief = Tally(), Tally()
    for obj, short in zip(objs, briefs, strict=True):
        by_object.add(obj)
        by_brief.add(short)
    assert by_object == by_brief


@pytest.mark.parametrize(
    ("answers", "reached"),
    [
        (ADULT, {"emergency": False, "urgent": False, "soon": False}),
        ({**ADULT, "new_medicine": "yes"}, {"emergency": False, "urgent": False, "soon": True}),
        (adult(sudden_onset="yes"), {"emergency": True, "urgent": True, "soon": True}),
        ({"age": 70, "sudden_onset": "yes"}, {"emergency": True, "urgent": True, "soon": True}),
    ],
)
def test_reached_counts_a_level_or_a_more_urgent_one(
    content: Content, answers: dict[str, object], reached: dict[str, bool]
) -> None:
    counted = tally(content, answers)
    assert {level: counted.reached(level) for level in reached} == reached


def test_the_summary_is_plain_lines_off_a_terminal_and_bars_on_one(content: Content) -> None:
    counted = tally(content, ADULT, adult(sudden_onset="yes"), {"age": 70})
    stream = io.StringIO()
    render.console(stream).print(tally_table(counted, terminal=False))
    text = "\n".join(line.rstrip() for line in stream.getvalue().splitlines())
    assert text.startswith("3 records: 2 assessed, 1 could not be assessed\nTriage level\n")
    assert "!!! emergency  1" in text and "✓ routine      2  (1 not fully assessed)" in text
    assert "█" not in text
    drawn = io.StringIO()
    render.console(drawn).print(tally_table(counted, terminal=True))
    assert "█" in drawn.getvalue()
    assert max(len(line) for line in drawn.getvalue().splitlines()) <= 80


def plain(counted: Tally) -> str:
    stream = io.StringIO()
    render.console(stream).print(tally_table(counted, terminal=False))
    return "\n".join(line.rstrip() for line in stream.getvalue().splitlines()) + "\n"


def test_the_summary_of_one_headache_each_has_no_other_headache_section(
    content: Content,
) -> None:
    counted = tally(content, ADULT, vignette(OVERUSE), {"age": 70})
    assert plain(counted) == (
        "3 records: 2 assessed, 1 could not be assessed\n"
        "Triage level\n"
        "!!! emergency  0\n"
        "!! urgent      0\n"
        "! soon         1\n"
        "✓ routine      2  (1 not fully assessed)\n"
        "Red flags\n"
        "medication_overuse  1\n"
        "Headache patterns, main headache\n"
        "tension_type_chronic  1\n"
        "chronic_migraine      1\n"
        "Headache patterns, the person as a whole\n"
        "medication_overuse  1\n"
        "Dry needling\n"
        "suitable     1\n"
        "refer_first  1\n"
    )
    assert "\nHeadache patterns, the person as a whole\nnone\nDry needling\n" in plain(
        tally(content, ADULT)
    )


def test_the_summary_counts_a_second_headache_s_patterns_apart(content: Content) -> None:
    counted = tally(content, ADULT, vignette(TWO_HEADACHES), vignette(TWO_HEADACHES))
    assert plain(counted) == (
        "3 records: 3 assessed\n"
        "Triage level\n"
        "!!! emergency  0\n"
        "!! urgent      0\n"
        "! soon         0\n"
        "✓ routine      3\n"
        "Red flags\n"
        "none\n"
        "Headache patterns, main headache\n"
        "migraine_without_aura  2\n"
        "tension_type_chronic   1\n"
        "Headache patterns, other headache\n"
        "tension_type_frequent  2\n"
        "Headache patterns, the person as a whole\n"
        "none\n"
        "Dry needling\n"
        "suitable  3\n"
    )


# --- a record not fully assessed is counted under its level, marked (issue 12, item 14) ---

PARTIAL_URGENT = {"id": "X-2", "age": 70, "sex": "male", "headache_history": "weeks"}
PARTIAL_ROUTINE = {"id": "X-1", "age": 40, "sex": "male"}
UNREAD = Record("nonexist.csv", error="nonexist.csv: no such file", fallback_id="nonexist.csv")


def mixed(content: Content) -> Tally:
    """Assessed routine and emergency, not fully assessed urgent and routine, one not read."""
    counted = tally(content, ADULT, adult(sudden_onset="yes"), PARTIAL_URGENT, PARTIAL_ROUTINE)
    counted.add(assess_record(content, UNREAD).result)
    return counted


def test_a_file_not_read_has_no_level_in_its_brief(content: Content) -> None:
    assert brief(assess_record(content, UNREAD).result) == Brief(True, None, (), (), (), (), None)
    assert brief(assess(content, PARTIAL_URGENT).result).level == "urgent"


def test_records_not_fully_assessed_are_counted_by_the_level_their_answers_reach(
    content: Content,
) -> None:
    counted = mixed(content)
    assert (counted.records, counted.failed, counted.unread) == (5, 3, 1)
    assert counted.levels == {"routine": 1, "emergency": 1}
    assert counted.at_least == {"urgent": 1, "routine": 1}
    assert counted.most_urgent == "emergency"
    alone = Tally()
    alone.add(assess_record(content, UNREAD).result)
    assert (alone.most_urgent, alone.reached("soon"), alone.unread) == (None, False, 1)
    alone.add(assess(content, PARTIAL_URGENT).result)
    assert (alone.most_urgent, alone.reached("urgent"), alone.reached("emergency")) == (
        "urgent",
        True,
        False,
    )


def test_the_summary_counts_a_record_not_fully_assessed_under_its_level_marked(
    content: Content,
) -> None:
    """A record at least urgent was missing from "urgent"; a file not read is counted apart."""
    assert plain(mixed(content)) == (
        "5 records: 2 assessed, 3 could not be assessed (1 not read)\n"
        "Triage level\n"
        "!!! emergency  1\n"
        "!! urgent      1  (1 not fully assessed)\n"
        "! soon         0\n"
        "✓ routine      2  (1 not fully assessed)\n"
        "? not read     1\n"
        "Red flags\n"
        "thunderclap           1\n"
        "new_headache_over_50  1\n"
        "recent_onset          1\n"
        "Headache patterns, main headache\n"
        "tension_type_chronic  2\n"
        "Headache patterns, the person as a whole\n"
        "none\n"
        "Dry needling\n"
        "suitable     1\n"
        "refer_first  1\n"
    )


def test_the_summary_on_a_terminal_draws_the_marked_counts_too(content: Content) -> None:
    drawn = io.StringIO()
    render.console(drawn).print(tally_table(mixed(content), terminal=True))
    lines = [line.rstrip() for line in drawn.getvalue().splitlines()]
    assert "!! urgent      1  (1 not fully assessed)  ███████████████" in lines
    assert "✓ routine      2  (1 not fully assessed)  ██████████████████████████████" in lines
    assert "? not read     1                          ███████████████" in lines
    assert max(len(line) for line in lines) <= 80
