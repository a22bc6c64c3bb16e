"""Reading checked YAML nodes into values, collecting every problem with its place.

The file readers and the condition parser share one `Reader` per file, so that
`triage validate` can report all problems at once instead of the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from triage.errors import Problem
from triage.safeyaml import node_kind, scalar, where
from triage.text import did_you_mean, listed


class Reader:
    """Turns nodes into values for one file; bad nodes become `Problem`s."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line, column = where(node) if node is not None else (0, 0)
        self.problems.append(Problem(self.path, line, column, message))

    def mapping(
        self,
        node: yaml.Node,
        what: str,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, yaml.Node] | None:
        """The keys of a mapping node; unknown and missing keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping, not {node_kind(node)}")
            return None
        required = tuple(required)
        allowed = required + tuple(optional)
        keys: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(scalar(key))
            if name not in allowed:
                self.problem(
                    key,
                    f"unknown key '{name}' in {what}{did_you_mean(name, allowed)}"
                    f"{'' if did_you_mean(name, allowed) else '; expected ' + listed(allowed)}",
                )
                continue
            keys[name] = value
        missing = [name for name in required if name not in keys]
        if missing:
            self.problem(node, f"{what} lacks {', '.join(repr(m) for m in missing)}")
        return keys

    def sequence(self, node: yaml.Node, what: str, non_empty: bool = True) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list, not {node_kind(node)}")
            return []
        if non_empty and not node.value:
            self.problem(node, f"{what} must not be empty")
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str, default: str | None = None) -> str:
        """A non-empty string (a plain scalar is read as written: `no` stays 'no')."""
        if node is None:
            if default is None:
                return ""
            return default
        if not isinstance(node, yaml.ScalarNode) or scalar(node) is None:
            self.problem(node, f"{what} must be text, not {node_kind(node)}")
            return ""
        value = str(node.value).strip()
        if not value:
            self.problem(node, f"{what} must not be empty")
        return value

    def identifier(self, node: yaml.Node | None, what: str, lower: bool = True) -> str:
        """An ID: ASCII letters (lower-case unless `lower` is false), digits and _."""
        value = self.text(node, what)
        ok = value.replace("_", "a").isalnum() and value[:1].isalpha() and value.isascii()
        if value and not (ok and (value == value.lower() or not lower)):
            case = "lower-case " if lower else ""
            self.problem(
                node,
                f"{what} '{value}' must be {case}letters, digits and _, starting with a letter",
            )
        return value

    def number(self, node: yaml.Node, what: str, whole: bool = False) -> Any:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and whole and not isinstance(value, int):
            ok = False
        if not ok:
            noun = "a whole number" if whole else "a number"
            self.problem(node, f"{what} must be {noun}, not {node_kind(node)}")
            return None
        return value

    def flag(self, node: yaml.Node | None, what: str) -> bool:
        if node is None:
            return False
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.problem(node, f"{what} must be true or false, not {node_kind(node)}")
            return False
        return value
