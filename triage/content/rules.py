"""Reading `rules.yaml` into `Rules`, checked against the questionnaire."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from triage.content.conditions import ConditionParser
from triage.content.nodes import Reader
from triage.content.patterns import read_patterns, source_of, summary_of
from triage.content.questions import clinician_label
from triage.logic.tree import Condition, any_of, refs
from triage.model import (
    LEVELS,
    DryNeedlingRules,
    Fact,
    HandoffNotes,
    Item,
    Level,
    Questionnaire,
    RedFlag,
    Rules,
    Screening,
)
from triage.text import listed

_TOP_KEYS = ("version", "notice", "levels", "facts", "red_flags", "patterns", "dry_needling")
REASON_KEYS = ("refer_first", "contraindicated", "no_target", "with_precautions")


def rules(reader: Reader, root: yaml.Node, digest: str, qs: Questionnaire) -> Rules | None:
    top = reader.mapping(
        root,
        f"the rules file {Path(reader.path).name}",
        required=_TOP_KEYS,
        optional=("screens", "handoff"),
    )
    if top is None or any(key not in top for key in _TOP_KEYS):
        return None  # what is missing is a problem already
    fact_nodes = _named_entries(reader, top["facts"], "facts")
    pattern_nodes = _entries(reader, top["patterns"], "patterns")
    pattern_ids = [reader.identifier(k.get("id"), "a pattern id") for k, _ in pattern_nodes]
    readable = {**qs.questions, **qs.totals}  # what a condition may compare
    parse = ConditionParser(reader, readable, facts=fact_nodes, patterns=pattern_ids).parse
    table: dict[tuple[str, str], Condition] = {}

    facts = {}
    for name, node in fact_nodes.items():
        keys = reader.mapping(node, f"fact '{name}'", required=("when",), optional=("means",))
        cond = parse(keys["when"]) if keys and "when" in keys else None
        if keys is not None and cond is not None:
            facts[name] = Fact(name, cond, reader.text(keys.get("means"), "means", ""))
            table[("fact", name)] = cond

    patterns = read_patterns(reader, pattern_nodes, pattern_ids, readable, fact_nodes, table)
    if sum(1 for p in patterns if p.when is None) != 1 and not reader.problems:
        reader.problem(
            top["patterns"],
            "exactly one pattern must have no 'when': the one "
            "reported when no other pattern is (unclassified)",
        )

    red_flags = []
    for keys, node in _entries(reader, top["red_flags"], "red_flags"):
        fid = reader.identifier(keys.get("id"), "a red flag id")
        level = reader.text(keys.get("level"), "level")
        if level not in LEVELS[:-1]:
            reader.problem(
                keys.get("level"),
                f"unknown level '{level}' for red flag '{fid}'; "
                f"expected one of {listed(LEVELS[:-1])}",
            )
        cond = parse(keys["when"]) if "when" in keys else None
        summary, source = summary_of(reader, keys), source_of(reader, keys, node)
        label = clinician_label(reader, keys.get("clinician"), fid)
        if cond is not None:
            red_flags.append(RedFlag(fid, level, cond, summary, source, label))
    _unique(reader, top["red_flags"], [f.id for f in red_flags], "red flag")
    _unique(reader, top["patterns"], pattern_ids, "pattern")
    pattern_at = dict(zip(pattern_ids, (n for _, n in pattern_nodes), strict=True))
    _check_cycles(reader, table, fact_nodes, pattern_at)

    return Rules(
        version=str(reader.text(top["version"], "version")),
        notice=reader.text(top["notice"], "notice"),
        levels=MappingProxyType(_levels(reader, top["levels"])),
        facts=MappingProxyType(facts),
        red_flags=tuple(red_flags),
        patterns=tuple(patterns),
        dry_needling=_dry_needling(reader, top["dry_needling"], parse),
        screens=tuple(_screens(reader, top.get("screens"), parse)),
        sha256=digest,
        table=MappingProxyType(table),
        handoff=_handoff(reader, top.get("handoff")),
    )


# (required, optional) keys of an entry of each list
_ENTRY_KEYS = {
    "red_flags": (("id", "level", "when", "summary"), ("source", "clinician")),
    "patterns": (
        ("id", "certainty", "summary"),
        ("when", "source", "tension_type", "advice", "person", "excluded_by"),
    ),
}


def _entries(
    reader: Reader, node: yaml.Node, what: str
) -> list[tuple[dict[str, yaml.Node], yaml.Node]]:
    required, optional = _ENTRY_KEYS[what]
    out = []
    for item in reader.sequence(node, what):
        keys = reader.mapping(item, f"an entry of {what}", required, optional)
        if keys is not None and "id" in keys:
            out.append((keys, item))
    return out


def _named_entries(reader: Reader, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        reader.mapping(node, what)
        return {}
    out = {}
    for key, value in node.value:
        name = reader.identifier(key, f"a name in {what}", lower=False)
        out[name] = value
    return out


def _unique(reader: Reader, node: yaml.Node, ids: list[str], what: str) -> None:
    seen = set()
    for rid in ids:
        if rid in seen:
            reader.problem(node, f"{what} id '{rid}' is defined twice; ids must be unique")
        seen.add(rid)


def _check_cycles(
    reader: Reader,
    table: dict[tuple[str, str], Condition],
    facts: dict[str, yaml.Node],
    patterns: dict[str, yaml.Node],
) -> None:
    """Report each fact or pattern that depends on itself, with the chain."""
    state: dict[tuple[str, str], int] = {}  # 1 visiting, 2 done

    def visit(key: tuple[str, str], chain: list[tuple[str, str]]) -> None:
        if state.get(key) == 2 or key not in table:
            return
        if state.get(key) == 1:
            loop = chain[chain.index(key) :] + [key]
            node = (facts if key[0] == "fact" else patterns)[key[1]]
            reader.problem(
                node,
                f"{key[0]} '{key[1]}' depends on itself: "
                f"{' -> '.join(name for _, name in loop)}; break the cycle",
            )
            return
        state[key] = 1
        for dep in sorted(refs(table[key])):
            visit(dep, chain + [key])
        state[key] = 2

    for key in list(table):
        visit(key, [])


def _levels(reader: Reader, node: yaml.Node) -> dict[str, Level]:
    levels = {}
    for item in reader.sequence(node, "levels"):
        keys = reader.mapping(item, "a level", required=("id", "title", "advice"))
        if keys:
            lid = reader.text(keys.get("id"), "id")
            levels[lid] = Level(
                lid,
                reader.text(keys.get("title"), "title"),
                reader.text(keys.get("advice"), "advice"),
            )
    if tuple(levels) != LEVELS:
        reader.problem(node, f"levels must be exactly {listed(LEVELS)}, in that order")
    return levels


def _dry_needling(reader: Reader, node: yaml.Node, parse: Any) -> DryNeedlingRules:
    keys = reader.mapping(
        node,
        "dry_needling",
        required=(
            "contraindications",
            "precautions",
            "targets",
            "pericranial_tenderness",
            "reasons",
        ),
    )
    if keys is None or len(keys) < 5:
        return DryNeedlingRules((), (), (), _never(), MappingProxyType({}))
    lists = {}
    for name in ("contraindications", "precautions", "targets"):
        items = []
        for item in reader.sequence(keys[name], name, non_empty=False):
            k = reader.mapping(
                item,
                f"an entry of {name}",
                required=("id", "when", "reason", "source"),
                optional=("clinician",),
            )
            cond = parse(k["when"]) if k and "when" in k else None
            if k and cond is not None:
                iid = reader.identifier(k.get("id"), "an id")
                items.append(
                    Item(
                        iid,
                        cond,
                        reader.text(k.get("reason"), "reason"),
                        reader.text(k.get("source"), "source"),
                        clinician_label(reader, k.get("clinician"), iid),
                    )
                )
        _unique(reader, keys[name], [i.id for i in items], name[:-1])
        lists[name] = tuple(items)
    reasons_keys = reader.mapping(keys["reasons"], "reasons", required=REASON_KEYS) or {}
    reasons = {k: reader.text(v, k) for k, v in reasons_keys.items()}
    return DryNeedlingRules(
        lists["contraindications"],
        lists["precautions"],
        lists["targets"],
        parse(keys["pericranial_tenderness"]) or _never(),
        MappingProxyType(reasons),
    )


def _screens(reader: Reader, node: yaml.Node | None, parse: Any) -> list[Screening]:
    screens = []
    for item in reader.sequence(node, "screens") if node is not None else []:
        keys = reader.mapping(
            item, "a screen", required=("id", "items", "positive_at", "summary", "source")
        )
        if not keys or len(keys) < 5:
            continue
        conds = [parse(n) for n in reader.sequence(keys["items"], "items")]
        at = reader.number(keys["positive_at"], "'positive_at'", whole=True)
        if any(c is None for c in conds) or at is None:
            continue
        if not 1 <= at <= len(conds):
            reader.problem(keys["positive_at"], f"'positive_at' must be from 1 to {len(conds)}")
        screens.append(
            Screening(
                reader.identifier(keys["id"], "a screen id"),
                tuple(c for c in conds if c is not None),
                at,
                reader.text(keys["summary"], "summary"),
                reader.text(keys["source"], "source"),
            )
        )
    return screens


def _handoff(reader: Reader, node: yaml.Node | None) -> HandoffNotes:
    """`handoff`: what the clinician's report adds that no answer shows."""
    if node is None:
        return HandoffNotes()
    keys = reader.mapping(node, "handoff", required=("source",), optional=("unseen", "diary"))
    if keys is None:
        return HandoffNotes()

    def texts(name: str) -> tuple[str, ...]:
        items = reader.sequence(keys[name], name) if name in keys else []
        return tuple(reader.text(item, f"an entry of {name}") for item in items)

    return HandoffNotes(texts("unseen"), texts("diary"), reader.text(keys.get("source"), "source"))


def _never() -> Condition:
    return any_of(())
