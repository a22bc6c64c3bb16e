"""Parsing the condition language from YAML nodes, checked against the questionnaire.

Shorthand is normalised here, once: a bare `neck_pain` becomes "neck_pain is
yes" (or a reference to the fact of that name), `{sex: female}` becomes
`{sex: {eq: female}}`, `all`/`any` become counts.  Every question ID, answer
code and operator is checked against the question's type, and each problem is
reported with its line and column.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any, cast

import yaml

from triage.content.nodes import Reader
from triage.engine.answers import parse_answer
from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Condition, Not, Ref, all_of, any_of, count_of
from triage.model import Question
from triage.safeyaml import node_kind, scalar
from triage.text import did_you_mean, listed

COUNT_WORDS = ("at_least", "at_most", "exactly")
KEYWORDS = ("all", "any", "not", "pattern", "fact") + COUNT_WORDS
_YES_NO = ("yes_no", "yes_no_unsure")


class ConditionParser:
    """Builds `Condition`s for one file.

    `questions` are the questions a condition may read; `later` maps the IDs of
    questions it may not read yet (an ask-if reading a later question) to their
    line; `facts` and `patterns` are the names it may refer to.
    """

    def __init__(
        self,
        reader: Reader,
        questions: Mapping[str, Question],
        later: Mapping[str, int] | None = None,
        facts: Collection[str] = (),
        patterns: Collection[str] = (),
        later_patterns: Mapping[str, int] | None = None,
    ) -> None:
        self.reader = reader
        self.questions = questions
        self.later = later or {}
        self.facts = facts
        self.patterns = patterns
        self.later_patterns = later_patterns or {}

    def parse(self, node: yaml.Node) -> Condition | None:
        """The condition a node holds, or None after reporting its problems."""
        if isinstance(node, yaml.ScalarNode):
            return self._name(node)
        if isinstance(node, yaml.SequenceNode):
            self.reader.problem(
                node, "a condition cannot be a bare list; write {all: [...]} or {any: [...]}"
            )
            return None
        if len(node.value) == 2 and {str(scalar(k)) for k, _ in node.value} & set(COUNT_WORDS):
            return self._count(cast(yaml.MappingNode, node))
        if len(node.value) != 1:
            self.reader.problem(
                node,
                "a condition is a mapping with one key (all, any, not, "
                "at_least/of, pattern, or a question ID)",
            )
            return None
        key, value = node.value[0]
        word = str(scalar(key))
        if word in ("all", "any"):
            items = self._items(value, word)
            return None if items is None else (all_of if word == "all" else any_of)(items)
        if word == "not":
            child = self.parse(value)
            return None if child is None else Not(child)
        if word in ("pattern", "fact"):
            return self._ref(word, value)
        if word in COUNT_WORDS:
            self.reader.problem(node, f"'{word}' needs 'of': {{{word}: N, of: [...]}}")
            return None
        question = self._question(key, word)
        if question is None:
            return None
        return self._compare(question, value)

    def _items(self, node: yaml.Node, word: str) -> tuple[Condition, ...] | None:
        nodes = self.reader.sequence(node, f"'{word}'")
        items = [self.parse(item) for item in nodes]
        if not nodes or any(item is None for item in items):
            return None
        return tuple(item for item in items if item is not None)

    def _count(self, node: yaml.MappingNode) -> Condition | None:
        keys = {str(scalar(k)): (k, v) for k, v in node.value}
        words = [w for w in keys if w in COUNT_WORDS]
        if len(words) != 1 or "of" not in keys:
            self.reader.problem(node, "a count is {at_least: N, of: [...]} (or at_most / exactly)")
            return None
        word = words[0]
        n = self.reader.number(keys[word][1], f"'{word}'", whole=True)
        items = self._items(keys["of"][1], "of")
        if n is None or items is None:
            return None
        if not 0 <= n <= len(items):
            self.reader.problem(
                keys[word][1],
                f"'{word}' is {n} but 'of' lists {len(items)} "
                f"conditions; expected 0 to {len(items)}",
            )
            return None
        return count_of(word, n, items)

    def _name(self, node: yaml.ScalarNode) -> Condition | None:
        name = str(node.value)
        if name in self.facts:
            return Ref("fact", name)
        question = self._question(node, name)
        if question is None:
            return None
        if question.type not in _YES_NO:
            self.reader.problem(
                node,
                f"'{name}' is {_a(question.type)} question; a bare ID "
                f"means 'answered yes', so write a comparison such as "
                f"{{{name}: {{eq: ...}}}}",
            )
            return None
        return Compare(name, OPERATORS["eq"], "yes")

    def _ref(self, word: str, node: yaml.Node) -> Condition | None:
        names = self.patterns if word == "pattern" else self.facts
        name = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if word == "pattern" and name in self.later_patterns:
            self.reader.problem(
                node,
                f"pattern '{name}' comes later (line "
                f"{self.later_patterns[name]}); a pattern may refer only to "
                "patterns above it",
            )
            return None
        if name not in names:
            if names:
                hint = f"{did_you_mean(name, names)}; expected one of {listed(names)}"
            else:
                hint = f"; no {word} can be used here"
            self.reader.problem(node, f"unknown {word} '{name}'{hint}")
            return None
        return Ref(word, name)

    def _question(self, node: yaml.Node, name: str) -> Question | None:
        if name in self.questions:
            return self.questions[name]
        if name in self.later:
            self.reader.problem(
                node,
                f"'{name}' is asked later (line {self.later[name]}); "
                "an ask-if may only read questions asked before it",
            )
            return None
        known = list(self.questions) + list(self.facts)
        hint = (
            did_you_mean(name, known)
            or f"; expected a question ID{' or fact' if self.facts else ''}"
            f" or one of {', '.join(KEYWORDS)}"
        )
        self.reader.problem(node, f"unknown question '{name}'{hint}")
        return None

    def _compare(self, q: Question, node: yaml.Node) -> Condition | None:
        if isinstance(node, yaml.MappingNode):
            if len(node.value) != 1:
                self.reader.problem(
                    node, f"a comparison of '{q.id}' has one operator, e.g. {{{q.id}: {{eq: ...}}}}"
                )
                return None
            op_node, operand = node.value[0]
        else:
            op_node, operand = None, node
        name = "eq" if op_node is None else str(scalar(op_node))
        op = OPERATORS.get(name)
        where = op_node if op_node is not None else node
        if op is None:
            self.reader.problem(
                where,
                f"unknown operator '{name}'{did_you_mean(name, OPERATORS)}; "
                f"expected one of {listed(OPERATORS)}",
            )
            return None
        if q.type not in op.types:
            fits = [n for n, o in OPERATORS.items() if q.type in o.types]
            self.reader.problem(
                where,
                f"'{name}' does not fit '{q.id}', {_a(q.type)} question; "
                f"expected one of {listed(fits)}",
            )
            return None
        value = self._operand(q, name, op.operand, operand)
        return None if value is None else Compare(q.id, op, value)

    def _operand(self, q: Question, op: str, shape: str, node: yaml.Node) -> Any:
        if shape == "count":
            return self.reader.number(node, f"'{op}'", whole=True)
        if shape == "range":
            items = self.reader.sequence(node, f"'{op}'")
            if len(items) != 2:
                self.reader.problem(node, f"'{op}' takes [low, high]")
                return None
            low, high = (self.reader.number(n, f"'{op}'") for n in items)
            if low is None or high is None:
                return None
            if low > high:
                self.reader.problem(node, f"'{op}' has low {low} above high {high}")
                return None
            return (low, high)
        if shape == "values" or (q.type == "multi" and op == "eq"):
            items = self.reader.sequence(node, f"'{op}'")
            codes = [self._literal(q, item) for item in items]
            if not items or any(code is None for code in codes):
                return None
            return tuple(c for c in q.codes if c in codes) if q.type == "multi" else tuple(codes)
        if q.type in ("integer", "number"):
            return self.reader.number(node, f"'{op}' for '{q.id}'")
        return self._literal(q, node)

    def _literal(self, q: Question, node: yaml.Node) -> str | None:
        """One answer code, read with the same function that reads answers."""
        if not isinstance(node, yaml.ScalarNode):
            self.reader.problem(
                node, f"expected an answer code for '{q.id}', not {node_kind(node)}"
            )
            return None
        probe = q if q.type != "multi" else replace(q, type="choice")
        try:
            code: str = parse_answer(probe, node.value)
        except ValueError:
            self.reader.problem(
                node,
                f"unknown answer code '{node.value}' for '{q.id}'; "
                f"expected one of {listed(q.codes)}",
            )
            return None
        return code


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word
