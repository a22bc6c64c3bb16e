"""The shipped content against the specification copied into tests/spec/.

The intake dictionary's IDs, types, codes, ranges and ask-if conditions are a
public contract; so are the red-flag and pattern IDs of the clinical logic.
When the specification changes, copy it here and these tests say what to update.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from triage.engine.validate import is_asked
from triage.logic.tree import Condition, Ref
from triage.model import Content, Question

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


def sections(path: Path) -> dict[str, str]:
    """The text under each heading of a file (up to the next heading of any level)."""
    out: dict[str, list[str]] = {}
    body: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            body = out.setdefault(line.lstrip("# ").strip(), [])
        else:
            body.append(line)
    return {heading: "\n".join(lines) for heading, lines in out.items()}


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def ticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


# Notes on what changed in a version of the specification: "(spec v3: was
# ...)", "(added in spec v3)", "— added in spec v3". They say what the entry
# used to be, not what it is, so they are left out before a cell is read.
VERSION_NOTE = re.compile(r"\s*\((?:added in )?spec v\d+\b[^()]*\)|\s+— added in spec v\d+\b")


def plain(cell: str) -> str:
    return VERSION_NOTE.sub("", cell).strip()


def section_key(heading: str) -> tuple[int, str]:
    """The order of a numbered section: "3. ..." before "3b. ..." before "4. ..."."""
    number = re.match(r"(\d+)([a-z]?)\.", heading)
    assert number is not None, heading
    return int(number[1]), number[2]


def dictionary() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for heading, rows in tables(SPEC / "intake-dictionary.md"):
        if not heading[:1].isdigit():
            continue
        for row in rows:
            row = {column: plain(cell) for column, cell in row.items()}
            qid = ticked(row["ID"])[0]
            kind = row.get("type", "yes_no_unsure")
            entries[qid] = {
                "type": kind,
                "values": row.get("values / range", ""),
                "ask if": row.get("ask if", ""),
                "unsure": row.get("unsure", ""),
                "meaning": row.get("meaning", ""),
                "section": heading,
            }
    return entries


def dictionary_section(number: str) -> tuple[str, str]:
    """The heading and text of the dictionary's section `number` ("3b", "5")."""
    (found,) = [
        (heading, text)
        for heading, text in sections(SPEC / "intake-dictionary.md").items()
        if heading.startswith(f"{number}. ")
    ]
    return found


def other_headache(table: dict[str, dict[str, str]]) -> dict[str, str]:
    """Section 3b, "The other headache": each `other_X` it lists (the paragraph
    that ends "(N IDs)"), mapped to X, its question of section 1 or 3."""
    _, text = dictionary_section("3b")
    (listed,) = [p for p in paragraphs(text) if re.search(r"\(\d+ IDs\)", p)]
    ids = ticked(listed)
    count = re.search(r"\((\d+) IDs\)", listed)
    assert count is not None and len(ids) == len(set(ids)) == int(count[1])
    out = {}
    for qid in ids:
        assert qid.startswith("other_"), qid
        base = qid.removeprefix("other_")
        assert section_key(table[base]["section"])[0] in (1, 3), qid
        out[qid] = base
    return out


def with_other_headache(table: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The dictionary's tables and section 3b: each `other_X` has X's type and
    values; it is asked when `other_headache` is `yes` and X's ask-if holds,
    read on the other headache's answers (`aura` as `other_aura`)."""
    heading, _ = dictionary_section("3b")
    other = other_headache(table)
    entries = dict(table)
    for qid, base in other.items():
        ask_if = table[base]["ask if"]
        for name in set(ticked(ask_if)) & set(table):
            if f"other_{name}" in other:
                ask_if = ask_if.replace(f"`{name}`", f"`other_{name}`")
        entries[qid] = {
            **table[base],
            "ask if": "`other_headache` is `yes`" + (f" and {ask_if}" if ask_if else ""),
            "section": heading,
        }
    return entries


TABLES = dictionary()
OTHER = other_headache(TABLES)
DICTIONARY = with_other_headache(TABLES)


def optional_after_red_flag() -> tuple[list[str], list[str]]:
    """Section 5's "Optional once a red flag fires": the questions of the
    section, and those the paragraph names as exceptions."""
    heading, text = dictionary_section("5")
    (rule,) = [p for p in paragraphs(text) if p.startswith("**Optional once a red flag fires")]
    section = [qid for qid, entry in TABLES.items() if entry["section"] == heading]
    return section, [name for name in ticked(rule) if name in TABLES]


SAFETY, NOT_OPTIONAL = optional_after_red_flag()


def test_the_dictionary_was_read() -> None:
    assert len(TABLES) == 65
    assert len(OTHER) == 22
    assert len(DICTIONARY) == 87
    assert TABLES["painkiller_over_3_months"]["ask if"] == (
        "`painkiller_days` > 0 and `headache_history` is `months` or `years`"
    )
    assert "spec v3" not in TABLES["other_headache"]["meaning"]
    assert DICTIONARY["other_aura_types"]["ask if"] == (
        "`other_headache` is `yes` and `other_aura` is `yes`"
    )
    assert len(SAFETY) == 8 and NOT_OPTIONAL == ["blood_thinners"]


def test_every_dictionary_id_is_defined_in_order_of_sections(content: Content) -> None:
    shipped = list(content.questions.questions)
    assert sorted(shipped) == sorted(DICTIONARY)
    sections = [section_key(DICTIONARY[qid]["section"]) for qid in shipped]
    assert sections == sorted(sections)


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


def answers_for(question: Question) -> tuple[Any, ...]:
    """A few valid answers to a question, as the engine holds them."""
    if question.type == "multi":
        return tuple((code,) for code in question.codes)
    if question.codes:
        return question.codes
    return tuple(n for n in (question.greater_than, question.min, question.max) if n is not None)


ABSENT = object()


@pytest.mark.parametrize("qid", sorted(OTHER))
def test_the_other_headache_asks_its_question_as_the_main_one_is_asked(
    content: Content, qid: str
) -> None:
    """Section 3b: `other_X` has exactly X's type, codes and range, and is
    asked when `other_headache` is yes and X would be asked on the other
    headache's answers."""
    questions = content.questions.questions
    q, base = questions[qid], questions[OTHER[qid]]
    same = ("type", "codes", "min", "max", "greater_than", "unit", "min_items")
    assert {key: getattr(q, key) for key in same} == {key: getattr(base, key) for key in same}
    reads = sorted(base.ask_if.reads) if base.ask_if is not None else []
    renamed = {name: f"other_{name}" if f"other_{name}" in OTHER else name for name in reads}
    assert q.ask_if is not None
    assert q.ask_if.reads == {"other_headache", *renamed.values()}
    choices = [("yes", "no", ABSENT), *(answers_for(questions[name]) + (ABSENT,) for name in reads)]
    for given in itertools.product(*choices):
        main = {
            name: value for name, value in zip(reads, given[1:], strict=True) if value is not ABSENT
        }
        other = {renamed[name]: value for name, value in main.items()}
        if given[0] is not ABSENT:
            other["other_headache"] = given[0]
        expected = given[0] == "yes" and is_asked(content, base, main)
        assert is_asked(content, q, other) == expected, other


def test_the_other_headache_comes_after_the_pattern_and_before_the_medicines(
    content: Content,
) -> None:
    order = [qid for qid in content.questions.questions if qid in DICTIONARY]
    where = {
        number: [n for n, qid in enumerate(order) if section_key(DICTIONARY[qid]["section"]) == key]
        for number, key in (("3", (3, "")), ("3b", (3, "b")), ("4", (4, "")))
    }
    assert len(where["3b"]) == len(OTHER)
    assert max(where["3"]) < min(where["3b"])
    assert max(where["3b"]) < min(where["4"])


def red_flag_inputs(content: Content) -> set[str]:
    """Every answer a red flag reads, directly or through the facts it names."""
    table = content.rules.table
    seen: set[tuple[str, str]] = set()
    out: set[str] = set()

    def visit(condition: Condition) -> None:
        out.update(condition.reads)
        for node in condition.walk():
            if isinstance(node, Ref) and (node.kind, node.name) not in seen:
                seen.add((node.kind, node.name))
                visit(table[(node.kind, node.name)])

    for flag in content.rules.red_flags:
        visit(flag.when)
    return out


def test_safety_questions_are_optional_once_a_red_flag_fires_except_red_flag_inputs(
    content: Content,
) -> None:
    """Section 5, "Optional once a red flag fires": every question of the
    section but `blood_thinners` is optional when a red flag fires; no
    other question is, and none that a red flag reads."""
    optional = {q.id for q in content.questions if q.optional_after_red_flag}
    assert optional == set(SAFETY) - set(NOT_OPTIONAL)
    assert set(NOT_OPTIONAL) <= red_flag_inputs(content)
    assert optional & red_flag_inputs(content) == set()


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
