"""Reading checked YAML nodes into values, collecting every problem with its place.

The file readers and the condition parser share one `Reader` per file, so that
`triage validate` can report all problems at once instead of the first.

A number in a content file is finite and written in plain decimal digits
(`triage.safeyaml`): `Reader.finite` refuses `.nan`, `.inf` and a number too
large to be finite wherever they stand, before anything is read from the file,
so no key can take one (`{ge: .nan}` would make a comparison always false,
`max: .nan` remove a bound); a number written another way (`0x32`, `1_000`,
`1:30`, `5e1`) is text, and `Reader.number` says how to write it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import yaml

from triage.errors import Problem
from triage.safeyaml import TAG, node_kind, scalar, where
from triage.text import did_you_mean, listed

NOT_FINITE = "is not a finite number; write a number in plain decimal digits, such as 12 or 0.5"
_NUMBERISH = re.compile(r"[-+.]?[0-9]")  # plain text that was meant as a number


class Reader:
    """Turns nodes into values for one file; bad nodes become `Problem`s."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line, column = where(node) if node is not None else (0, 0)
        self.problems.append(Problem(self.path, line, column, message))

    def finite(self, root: yaml.Node) -> bool:
        """Whether every number in the document is finite; each that is not is a problem."""
        ok = True
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                if node.tag == TAG + "float" and not math.isfinite(scalar(node)):
                    self.problem(node, f"'{node.value}' {NOT_FINITE}")
                    ok = False
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        return ok

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
            hint = "; write numbers in plain decimal digits, such as 12 or 0.5"
            if not _numberish(node):
                hint = ""
            self.problem(node, f"{what} must be {noun}, not {node_kind(node)}{hint}")
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


def _numberish(node: yaml.Node) -> bool:
    """Whether a node is unquoted text that was meant as a number (`0x32`, `1:30`)."""
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return False
    return isinstance(scalar(node), str) and _NUMBERISH.match(node.value) is not None


def entry(root: yaml.Node, part: str, name: str | None = None) -> yaml.Node | None:
    """The key of a part of a rules file (`facts`), or of one fact or pattern in it."""
    if not isinstance(root, yaml.MappingNode):
        return None
    key, found = next(((k, v) for k, v in root.value if scalar(k) == part), (None, None))
    if name is None:
        return key
    if isinstance(found, yaml.MappingNode):  # facts: name -> fact
        return next((k for k, _ in found.value if scalar(k) == name), None)
    if isinstance(found, yaml.SequenceNode):  # patterns: a list of entries with an id
        for item in found.value:
            if isinstance(item, yaml.MappingNode):
                ids = [v for k, v in item.value if scalar(k) == "id"]
                if ids and isinstance(ids[0], yaml.ScalarNode) and ids[0].value == name:
                    return item
    return None
