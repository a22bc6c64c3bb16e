"""Reading `questions.yaml` into a `Questionnaire`, every problem with its place."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from triage.content.conditions import ConditionParser
from triage.content.nodes import Reader
from triage.content.second import second_headache
from triage.logic.tree import Condition
from triage.model import (
    ANSWER_TYPES,
    UNSURE_POLICIES,
    Question,
    Questionnaire,
    Section,
)
from triage.safeyaml import where
from triage.text import listed

_QUESTION_KEYS = (
    "help",
    "options",
    "min",
    "max",
    "greater_than",
    "below_min",
    "unit",
    "min_items",
    "ask_if",
    "unsure",
    "unsure_advice",
    "optional_after_red_flag",
    "text_when",
    "clinician",
)
_NUMERIC = ("integer", "number")
RESERVED_IDS = ("id",)  # the record ID key of an answers file
CLINICIAN_MAX = 70  # characters of a `clinician` label: a line of the clinician's report


def questionnaire(reader: Reader, root: yaml.Node, digest: str) -> Questionnaire | None:
    top = reader.mapping(
        root,
        f"the questionnaire {Path(reader.path).name}",
        required=("sections",),
        optional=("version", "second_headache"),
    )
    if top is None or "sections" not in top:
        return None
    # first pass: every question's ID and line, so that ask-ifs reading a later
    # question can say where it is
    entries: list[tuple[str, yaml.Node, dict[str, yaml.Node], str]] = []
    sections = []
    for s_node in reader.sequence(top["sections"], "sections"):
        s = reader.mapping(
            s_node, "a section", required=("id", "title", "questions"), optional=("intro",)
        )
        if s is None:
            continue
        section_id = reader.identifier(s.get("id"), "a section id")
        ids = []
        for q_node in reader.sequence(s.get("questions", s_node), "questions"):
            keys = reader.mapping(
                q_node, "a question", required=("id", "type", "text"), optional=_QUESTION_KEYS
            )
            if keys is None or "id" not in keys:
                continue
            qid = reader.identifier(keys["id"], "a question id")
            entries.append((qid, q_node, keys, section_id))
            ids.append(qid)
        sections.append(
            Section(
                section_id,
                reader.text(s.get("title"), "title"),
                reader.text(s.get("intro"), "intro", ""),
                tuple(ids),
            )
        )
    later = {qid: where(node)[0] for qid, node, _, _ in entries}
    questions: dict[str, Question] = {}
    for qid, node, keys, section_id in entries:
        later.pop(qid, None)  # gone already when the ID is defined twice
        if qid in questions or qid in RESERVED_IDS:
            why = "is reserved for the record ID" if qid in RESERVED_IDS else "is defined twice"
            reader.problem(keys["id"], f"question id '{qid}' {why}; use another id")
            continue
        parser = ConditionParser(reader, questions, later)
        question = _question(reader, parser, qid, keys, section_id, where(node)[0])
        if question is not None:
            questions[qid] = question
    second, totals = None, dict[str, Question]()
    if "second_headache" in top:
        second, totals = second_headache(reader, top["second_headache"], questions)
    return Questionnaire(
        tuple(sections), MappingProxyType(questions), digest, second, MappingProxyType(totals)
    )


def _question(
    reader: Reader,
    parser: ConditionParser,
    qid: str,
    keys: dict[str, yaml.Node],
    section: str,
    line: int,
) -> Question | None:
    kind = reader.text(keys.get("type"), "type")
    if kind not in ANSWER_TYPES:
        reader.problem(
            keys.get("type"),
            f"unknown type '{kind}' for '{qid}'; expected one of {listed(ANSWER_TYPES)}",
        )
        return None
    fields: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "section": section,
        "line": line,
        "text": reader.text(keys.get("text"), "text"),
        "help": reader.text(keys.get("help"), "help", ""),
    }

    def only_for(key: str, types: Iterable[str]) -> bool:
        if key in keys and kind not in types:
            reader.problem(keys[key], f"'{key}' does not apply to '{qid}', a {kind} question")
            return False
        return key in keys

    if kind in ("choice", "multi"):
        fields["options"] = _options(reader, keys.get("options"), qid)
    else:
        only_for("options", ())
    for key in ("min", "max", "greater_than"):
        if only_for(key, _NUMERIC):
            fields[key] = reader.number(keys[key], f"'{key}'", whole=kind == "integer")
    if kind in _NUMERIC and (
        fields.get("max") is None
        or (fields.get("min") is None) == (fields.get("greater_than") is None)
    ):
        reader.problem(keys["id"], f"'{qid}' needs 'max' and one of 'min' or 'greater_than'")
    if only_for("below_min", _NUMERIC):
        fields["below_min"] = reader.text(keys["below_min"], "below_min")
    if only_for("unit", ("number",)):
        fields["unit"] = reader.text(keys["unit"], "unit")
        if fields["unit"] != "hours":
            reader.problem(keys["unit"], f"unknown unit '{fields['unit']}'; expected hours")
    if only_for("min_items", ("multi",)):
        fields["min_items"] = reader.number(keys["min_items"], "'min_items'", whole=True) or 0
    if only_for("unsure", ("yes_no_unsure",)):
        fields["unsure"] = reader.text(keys["unsure"], "unsure")
        if fields["unsure"] not in UNSURE_POLICIES:
            reader.problem(
                keys["unsure"],
                f"unknown unsure policy '{fields['unsure']}'; "
                f"expected one of {listed(UNSURE_POLICIES)}",
            )
    if only_for("unsure_advice", ("yes_no_unsure",)):
        fields["unsure_advice"] = reader.text(keys["unsure_advice"], "unsure_advice")
    if fields.get("unsure") == "ignore" and not fields.get("unsure_advice"):
        reader.problem(
            keys["unsure"],
            f"'{qid}' ignores unsure answers, so it needs "
            "'unsure_advice': what the person can do to find out",
        )
    if "ask_if" in keys:
        fields["ask_if"] = parser.parse(keys["ask_if"])
    fields["optional_after_red_flag"] = reader.flag(
        keys.get("optional_after_red_flag"), "optional_after_red_flag"
    )
    if "text_when" in keys:
        fields["text_when"] = _texts(reader, parser, keys["text_when"])
    fields["clinician"] = clinician_label(reader, keys.get("clinician"), qid)
    return Question(**fields)


def clinician_label(reader: Reader, node: yaml.Node | None, owner: str) -> str:
    """An optional `clinician` label: short text for the clinician's report ("" if absent)."""
    label = reader.text(node, "clinician", "")
    if len(label) > CLINICIAN_MAX:
        reader.problem(
            node,
            f"clinician label of '{owner}' is {len(label)} characters; "
            f"keep it to {CLINICIAN_MAX} or fewer (a line of the clinician's report)",
        )
    return label


def _texts(
    reader: Reader, parser: ConditionParser, node: yaml.Node
) -> tuple[tuple[Condition, str], ...]:
    """`text_when`: texts that fit the earlier answers, each with its condition
    (read like an ask-if: only questions asked before this one)."""
    out = []
    for item in reader.sequence(node, "text_when"):
        keys = reader.mapping(item, "an entry of text_when", required=("when", "text"))
        if keys is None or "when" not in keys or "text" not in keys:
            continue
        condition = parser.parse(keys["when"])
        text = reader.text(keys["text"], "text")
        if condition is not None and text:
            out.append((condition, text))
    return tuple(out)


def _options(reader: Reader, node: yaml.Node | None, qid: str) -> tuple[tuple[str, str], ...]:
    if node is None:
        reader.problem(None, f"'{qid}' needs 'options'")
        return ()
    if not isinstance(node, yaml.MappingNode) or not node.value:
        reader.problem(node, f"options of '{qid}' must be a mapping of code to label")
        return ()
    return tuple(
        (reader.identifier(code, "an option code"), reader.text(label, "a label"))
        for code, label in node.value
    )
