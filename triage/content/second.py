"""Reading `second_headache` of `questions.yaml`: the twins and totals that let
rules written once be read on each headache's view.

A twin asks of the other headache what its pair asks of the main one, so it
has the same type, codes and range; each problem names the place in the file
and what would be valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

import yaml

from triage.content.conditions import ConditionParser
from triage.content.nodes import Reader
from triage.model import Question, SecondHeadache
from triage.safeyaml import scalar
from triage.text import did_you_mean

# what a twin shares with its pair
_SAME = ("type", "codes", "min", "max", "greater_than", "unit", "min_items")


def second_headache(
    reader: Reader, node: yaml.Node, questions: Mapping[str, Question]
) -> tuple[SecondHeadache | None, dict[str, Question]]:
    """The declaration, and each total as a number question the rules may compare."""
    keys = reader.mapping(node, "second_headache", required=("when", "twins"), optional=("totals",))
    if keys is None or "when" not in keys or "twins" not in keys:
        return None, {}
    when = ConditionParser(reader, questions).parse(keys["when"])
    twins = _twins(reader, keys["twins"], questions)
    totals = _totals(reader, keys.get("totals"), questions, twins)
    as_questions = {name: question for name, (_, question) in totals.items()}
    if when is None:
        return None, as_questions
    adds = {name: base for name, (base, _) in totals.items()}
    return SecondHeadache(when, MappingProxyType(twins), MappingProxyType(adds)), as_questions


def _question(
    reader: Reader, node: yaml.Node, questions: Mapping[str, Question], what: str
) -> Question | None:
    name = str(scalar(node)) if isinstance(node, yaml.ScalarNode) else ""
    found = questions.get(name)
    if found is None:
        hint = did_you_mean(name, questions) or "; expected a question ID of this file"
        reader.problem(node, f"unknown {what} '{name}'{hint}")
    return found


def _twins(reader: Reader, node: yaml.Node, questions: Mapping[str, Question]) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        reader.mapping(node, "twins")
        return {}
    twins: dict[str, str] = {}
    for key, value in node.value:
        base = _question(reader, key, questions, "question")
        twin = _question(reader, value, questions, "twin")
        if base is None or twin is None:
            continue
        if base.id in twins or twin.id in twins.values() or base.id == twin.id:
            reader.problem(key, f"'{base.id}' or '{twin.id}' is in more than one pair of twins")
            continue
        differs = [field for field in _SAME if getattr(base, field) != getattr(twin, field)]
        if differs:
            reader.problem(
                value,
                f"twin '{twin.id}' differs from '{base.id}' in {', '.join(differs)}; "
                "a twin has the same type, codes and range as its pair",
            )
            continue
        twins[base.id] = twin.id
    for qid in twins:
        if qid in twins.values():
            reader.problem(node, f"'{qid}' is both a question and a twin; pair it once")
    return twins


def _totals(
    reader: Reader,
    node: yaml.Node | None,
    questions: Mapping[str, Question],
    twins: Mapping[str, str],
) -> dict[str, tuple[str, Question]]:
    """Each total: the question it adds up, and itself as a number question."""
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        reader.mapping(node, "totals")
        return {}
    totals: dict[str, tuple[str, Question]] = {}
    for key, value in node.value:
        name = reader.identifier(key, "a total's name")
        base = _question(reader, value, questions, "question")
        if not name or base is None:
            continue
        if name in questions:
            reader.problem(key, f"total '{name}' is already a question ID; name it otherwise")
        elif base.type not in ("integer", "number") or base.id not in twins:
            reader.problem(
                value,
                f"total '{name}' adds up '{base.id}', which must be a number question with a twin",
            )
        else:
            text = f"{base.id} plus {twins[base.id]}"
            totals[name] = (base.id, replace(base, id=name, text=text, help="", ask_if=None))
    return totals
