"""Reading the `patterns` of `rules.yaml`: each entry checked, in order, so that a
pattern may refer only to the patterns above it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from triage.content.conditions import ConditionParser
from triage.content.nodes import Reader
from triage.logic.tree import Condition
from triage.model import PATTERN_CERTAINTIES, Pattern, Question
from triage.safeyaml import scalar, where
from triage.text import did_you_mean, listed


def read_patterns(
    reader: Reader,
    pattern_nodes: list[tuple[dict[str, yaml.Node], yaml.Node]],
    pattern_ids: list[str],
    questions: Mapping[str, Question],
    fact_nodes: Mapping[str, Any],
    table: dict[tuple[str, str], Condition],
) -> list[Pattern]:
    """The patterns in order; each `when` goes into `table` under ("pattern", id)."""
    patterns: list[Pattern] = []
    lines = {pid: where(node)[0] for (_, node), pid in zip(pattern_nodes, pattern_ids, strict=True)}
    for i, ((keys, node), pid) in enumerate(zip(pattern_nodes, pattern_ids, strict=True)):
        lines.pop(pid, None)  # gone already when the ID is given twice
        above = ConditionParser(
            reader, questions, facts=fact_nodes, patterns=pattern_ids[:i], later_patterns=lines
        )
        if "when" not in keys:
            cond = None
        elif (cond := above.parse(keys["when"])) is None:
            continue
        else:
            table[("pattern", pid)] = cond
        c_node = keys.get("certainty")
        is_null = isinstance(c_node, yaml.ScalarNode) and scalar(c_node) is None
        certainty = "" if is_null else reader.text(c_node, "certainty", "")
        if is_null != ("when" not in keys):
            reader.problem(
                c_node or node,
                f"pattern '{pid}': certainty is null exactly when "
                "there is no 'when' (the catch-all pattern)",
            )
        if certainty not in PATTERN_CERTAINTIES + ("",):
            reader.problem(
                keys.get("certainty"),
                f"unknown certainty '{certainty}'; expected one of {listed(PATTERN_CERTAINTIES)}",
            )
        patterns.append(
            Pattern(
                pid,
                certainty or None,
                cond,
                summary_of(reader, keys),
                source_of(reader, keys, node),
                reader.flag(keys.get("tension_type"), "tension_type"),
                reader.text(keys.get("advice"), "advice", ""),
                reader.flag(keys.get("person"), "person"),
                _excluded_by(reader, keys.get("excluded_by"), pattern_ids[:i]),
            )
        )
    return patterns


def _excluded_by(reader: Reader, node: yaml.Node | None, above: list[str]) -> tuple[str, ...]:
    """`excluded_by`: a list of patterns above this one."""
    if node is None:
        return ()
    names = []
    for item in reader.sequence(node, "excluded_by"):
        name = str(scalar(item)) if isinstance(item, yaml.ScalarNode) else ""
        if name not in above:
            hint = did_you_mean(name, above) or f"; expected one of {listed(above)}"
            reader.problem(
                item, f"'excluded_by' names '{name}', not a pattern above this one{hint}"
            )
            continue
        names.append(name)
    return tuple(names)


def summary_of(reader: Reader, keys: dict[str, yaml.Node]) -> str:
    """A rule's `summary`, in plain words."""
    return reader.text(keys.get("summary"), "summary")


def source_of(reader: Reader, keys: dict[str, yaml.Node], node: yaml.Node) -> str:
    """A rule's `source`: every rule names its clinical source."""
    if "source" not in keys:
        name = reader.text(keys.get("id"), "id")
        reader.problem(
            node, f"'{name}' names no source; every rule names its clinical source: add 'source'"
        )
        return ""
    return reader.text(keys["source"], "source")
