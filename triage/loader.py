"""The only module that reads content files: `questions.yaml` and `rules.yaml`.

Each file is parsed once with the safe YAML loader (the C one when present),
normalised into frozen records and checked against the other: every problem
is collected and raised together as one `ContentError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .conditions import Condition, any_of, refs
from .condparse import ConditionParser
from .errors import ContentError, Problem
from .model import (
    ANSWER_TYPES,
    LEVELS,
    PATTERN_CERTAINTIES,
    UNSURE_POLICIES,
    Content,
    DryNeedlingRules,
    Fact,
    Item,
    Level,
    Pattern,
    Question,
    Questionnaire,
    RedFlag,
    Rules,
    Screen,
    Section,
)
from .reader import Reader, one_of
from .yamlnodes import YamlProblem, compose, scalar, where

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
)
_NUMERIC = ("integer", "number")
REASON_KEYS = ("refer_first", "contraindicated", "no_target", "with_precautions")
RESERVED_IDS = ("id",)  # the record ID key of an answers file


def shipped(name: str) -> Path:
    """The path of a content file shipped inside the package."""
    return Path(str(resources.files("triage") / name))


def load(questions: str | Path | None = None, rules: str | Path | None = None) -> Content:
    """Load and cross-check a questionnaire and its rules (the shipped ones by default)."""
    q_path = Path(questions) if questions else shipped("questions.yaml")
    r_path = Path(rules) if rules else shipped("rules.yaml")
    problems: list[Problem] = []
    questionnaire = _parse(q_path, problems, _questionnaire)
    if questionnaire is None or problems:
        if not r_path.is_file():
            problems.append(Problem(str(r_path), 0, 0, "no such file"))
        raise ContentError(problems)
    rules_ = _parse(
        r_path, problems, lambda reader, root, digest: _rules(reader, root, digest, questionnaire)
    )
    if rules_ is None or problems:
        raise ContentError(problems)
    return Content(questionnaire, rules_)


def _parse(path: Path, problems: list[Problem], build: Any) -> Any:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, 0, 0, "no such file"))
        return None
    except OSError as exc:
        problems.append(Problem(name, 0, 0, f"cannot be read: {exc.strerror or exc}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, 0, 0, f"is not UTF-8 text (byte {exc.start})"))
        return None
    try:
        root = compose(text)
    except YamlProblem as exc:
        problems.append(Problem(name, exc.line, exc.column, exc.message))
        return None
    if root is None:
        problems.append(Problem(name, 0, 0, "is empty; expected a mapping of settings"))
        return None
    reader = Reader(name)
    built = build(reader, root, hashlib.sha256(data).hexdigest())
    problems.extend(reader.problems)
    return built


# --- questions.yaml ---------------------------------------------------------


def _questionnaire(reader: Reader, root: yaml.Node, digest: str) -> Questionnaire | None:
    top = reader.mapping(
        root,
        f"the questionnaire {Path(reader.path).name}",
        required=("sections",),
        optional=("version",),
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
        del later[qid]
        if qid in questions or qid in RESERVED_IDS:
            why = "is reserved for the record ID" if qid in RESERVED_IDS else "is defined twice"
            reader.problem(keys["id"], f"question id '{qid}' {why}; use another id")
            continue
        parser = ConditionParser(reader, questions, later)
        question = _question(reader, parser, qid, keys, section_id, where(node)[0])
        if question is not None:
            questions[qid] = question
    return Questionnaire(tuple(sections), MappingProxyType(questions), digest)


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
            f"unknown type '{kind}' for '{qid}'; expected one of {one_of(ANSWER_TYPES)}",
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
                f"expected one of {one_of(UNSURE_POLICIES)}",
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
    return Question(**fields)


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


# --- rules.yaml -------------------------------------------------------------


def _rules(reader: Reader, root: yaml.Node, digest: str, qs: Questionnaire) -> Rules | None:
    top = reader.mapping(
        root,
        f"the rules file {Path(reader.path).name}",
        required=("version", "notice", "levels", "facts", "red_flags", "patterns", "dry_needling"),
        optional=("screens",),
    )
    if top is None or len(top) < 7:
        return None
    fact_nodes = _named_entries(reader, top["facts"], "facts")
    pattern_nodes = _entries(reader, top["patterns"], "patterns")
    pattern_ids = [reader.identifier(k.get("id"), "a pattern id") for k, _ in pattern_nodes]
    parse = ConditionParser(reader, qs.questions, facts=fact_nodes, patterns=pattern_ids).parse
    table: dict[tuple[str, str], Condition] = {}

    facts = {}
    for name, node in fact_nodes.items():
        keys = reader.mapping(node, f"fact '{name}'", required=("when",), optional=("means",))
        cond = parse(keys["when"]) if keys and "when" in keys else None
        if keys is not None and cond is not None:
            facts[name] = Fact(name, cond, reader.text(keys.get("means"), "means", ""))
            table[("fact", name)] = cond

    patterns = []
    lines = {pid: where(node)[0] for (_, node), pid in zip(pattern_nodes, pattern_ids, strict=True)}
    for i, ((keys, node), pid) in enumerate(zip(pattern_nodes, pattern_ids, strict=True)):
        del lines[pid]
        above = ConditionParser(
            reader, qs.questions, facts=fact_nodes, patterns=pattern_ids[:i], later_patterns=lines
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
                f"unknown certainty '{certainty}'; expected one of {one_of(PATTERN_CERTAINTIES)}",
            )
        patterns.append(
            Pattern(
                pid,
                certainty or None,
                cond,
                _summary(reader, keys),
                _source(reader, keys, node),
                reader.flag(keys.get("tension_type"), "tension_type"),
                reader.text(keys.get("advice"), "advice", ""),
            )
        )
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
                f"expected one of {one_of(LEVELS[:-1])}",
            )
        cond = parse(keys["when"]) if "when" in keys else None
        summary, source = _summary(reader, keys), _source(reader, keys, node)
        if cond is not None:
            red_flags.append(RedFlag(fid, level, cond, summary, source))
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
    )


_ENTRY_KEYS = ("id", "when", "summary", "source", "level", "certainty", "tension_type", "advice")


def _entries(
    reader: Reader, node: yaml.Node, what: str
) -> list[tuple[dict[str, yaml.Node], yaml.Node]]:
    required = {
        "red_flags": ("id", "level", "when", "summary"),
        "patterns": ("id", "certainty", "summary"),
    }[what]
    optional = [
        k
        for k in _ENTRY_KEYS
        if k not in required
        and (what == "patterns" or k not in ("certainty", "tension_type", "advice"))
    ]
    if what == "patterns":
        optional.remove("level")
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


def _summary(reader: Reader, keys: dict[str, yaml.Node]) -> str:
    return reader.text(keys.get("summary"), "summary")


def _source(reader: Reader, keys: dict[str, yaml.Node], node: yaml.Node) -> str:
    if "source" not in keys:
        name = reader.text(keys.get("id"), "id")
        reader.problem(
            node, f"'{name}' names no source; every rule names its clinical source: add 'source'"
        )
        return ""
    return reader.text(keys["source"], "source")


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
        reader.problem(node, f"levels must be exactly {one_of(LEVELS)}, in that order")
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
                item, f"an entry of {name}", required=("id", "when", "reason", "source")
            )
            cond = parse(k["when"]) if k and "when" in k else None
            if k and cond is not None:
                items.append(
                    Item(
                        reader.identifier(k.get("id"), "an id"),
                        cond,
                        reader.text(k.get("reason"), "reason"),
                        reader.text(k.get("source"), "source"),
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


def _screens(reader: Reader, node: yaml.Node | None, parse: Any) -> list[Screen]:
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
            Screen(
                reader.identifier(keys["id"], "a screen id"),
                tuple(c for c in conds if c is not None),
                at,
                reader.text(keys["summary"], "summary"),
                reader.text(keys["source"], "source"),
            )
        )
    return screens


def _never() -> Condition:
    return any_of(())
