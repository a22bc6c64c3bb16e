"""The shipped content against the specification copied into tests/spec/.

The intake dictionary's IDs, types, codes, ranges and ask-if conditions are a
public contract; so are the red-flag and pattern IDs of the clinical logic.
When the specification changes, copy it here and these tests say what to update.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from triage.model import Content

SPEC = Path(__file__).parent / "spec"


def tables(path: Path) -> list[tuple[str, list[dict[str, str]]]]:
    """Every markdown table of a file as (heading above it, rows as dicts)."""
    out: list[tuple[str, list[dict[str, str]]]] = []
    heading = ""
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("# ").strip()
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1]) <= set("|- :"):
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                rows.append(dict(zip(header, cells, strict=True)))
                i += 1
            out.append((heading, rows))
            continue
        i += 1
    return out


def ticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def dictionary() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for heading, rows in tables(SPEC / "intake-dictionary.md"):
        if not heading[:1].isdigit():
            continue
        for row in rows:
            qid = ticked(row["ID"])[0]
            kind = row.get("type", "yes_no_unsure")
            entries[qid] = {
                "type": kind,
                "values": row.get("values / range", ""),
                "ask if": row.get("ask if", ""),
                "unsure": row.get("unsure", ""),
                "section": heading,
            }
    return entries


DICTIONARY = dictionary()


def test_the_dictionary_was_read() -> None:
    assert len(DICTIONARY) == 61


def test_every_dictionary_id_is_defined_in_order_of_sections(content: Content) -> None:
    shipped = list(content.questions.questions)
    assert sorted(shipped) == sorted(DICTIONARY)
    sections = [DICTIONARY[qid]["section"] for qid in shipped]
    assert sections == sorted(sections, key=lambda s: int(s.split(".")[0]))


@pytest.mark.parametrize("qid", sorted(DICTIONARY))
def test_type_codes_range_and_ask_if_match_the_dictionary(content: Content, qid: str) -> None:
    entry = DICTIONARY[qid]
    q = content.questions.questions[qid]
    assert q.type == entry["type"]
    if q.type in ("choice", "multi"):
        assert list(q.codes) == ticked(entry["values"])
        assert (q.min_items == 1) == ("at least one" in entry["values"])
    if q.type in ("integer", "number"):
        numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", entry["values"])]
        if "greater than" in entry["values"]:
            assert (q.greater_than, q.max) == tuple(numbers)
        else:
            assert (q.min, q.max) == tuple(numbers)
    if entry["unsure"]:
        assert q.unsure == entry["unsure"]
    read = sorted(q.ask_if.reads) if q.ask_if else []
    named = [t for t in ticked(entry["ask if"]) if t in DICTIONARY]
    assert read == sorted(set(named))


def test_warning_signs_come_before_the_pattern_with_emergency_ones_first(content: Content) -> None:
    order = list(content.questions.questions)
    warning = [qid for qid in order if DICTIONARY[qid]["section"].startswith("2.")]
    pattern = [qid for qid in order if DICTIONARY[qid]["section"].startswith("3.")]
    assert order.index(warning[-1]) < order.index(pattern[0])
    emergency_inputs = set()
    for flag in content.rules.red_flags:
        if flag.level == "emergency":
            emergency_inputs |= set(flag.when.reads) & set(warning)
    first = warning[: len(emergency_inputs)]
    assert set(first) == emergency_inputs


def clinical_rows(first_column: str) -> list[dict[str, str]]:
    return [
        row for _, rows in tables(SPEC / "clinical-logic.md") for row in rows if first_column in row
    ]


def test_red_flag_ids_and_levels_match_the_clinical_logic(content: Content) -> None:
    spec = {
        ticked(r["red flag ID"])[0]: r["level"].strip("`") for r in clinical_rows("red flag ID")
    }
    shipped = {f.id: f.level for f in content.rules.red_flags}
    assert shipped == spec


def test_pattern_ids_and_certainties_match_the_clinical_logic(content: Content) -> None:
    spec = {}
    for row in clinical_rows("pattern ID"):
        certainty = ticked(row["certainty"]) or [row["certainty"]]
        spec[ticked(row["pattern ID"])[0]] = None if certainty[0] == "null" else certainty[0]
    shipped = {p.id: p.certainty for p in content.rules.patterns}
    assert shipped == spec
    assert [p.id for p in content.rules.patterns] == list(spec)


def test_every_rule_names_its_source(content: Content) -> None:
    rules = content.rules
    items = [
        *rules.red_flags,
        *rules.patterns,
        *rules.dry_needling.contraindications,
        *rules.dry_needling.precautions,
        *rules.dry_needling.targets,
        *rules.screens,
    ]
    assert [i.id for i in items if not i.source.strip()] == []
