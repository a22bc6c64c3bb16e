"""Safe YAML: compose a document into nodes and turn them into plain values.

Only the standard scalar types, lists and mappings are accepted.  Aliases
(the way a "billion laughs" document grows), duplicate keys and explicit tags
such as `!!python/object` are refused with the line and column where they
stand.  Nothing in a YAML file can run code or build an object.

A number is read from plain decimal digits only: `60`, `060` (60, not octal),
`-1.5`, `.5`, and `.inf` and `.nan` for the readers to refuse.  Every other
form -- hex `0x26`, octal `0o60`, binary `0b1`, sexagesimal `1:30`,
underscores `1_000`, an exponent `1e3` -- stays the text it is, so that it
meets the one reading of a number written as text (`triage.engine.answers`),
the same as in a CSV or JSON file: refused with a message, or (an exponent in
a plain number) read as a program wrote it.

A document is measured from its parse events before it is composed, so that
one nested more than `MAX_DEPTH` levels, or holding more than `MAX_NODES`
values, is refused at once, before it takes time or memory (composing is
recursive in PyYAML's pure-Python loader, and every node keeps its marks).
Callers keep documents under `MAX_DOCUMENT_BYTES`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import yaml

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DOCUMENT_BYTES = 10 << 20  # the largest YAML or JSON file read whole (answers or content)
# A document this small holds fewer than MAX_NODES values (each takes a
# character at least), and libyaml's C composer copes with any nesting it
# accepts (up to 1000 levels): with it, such a document is composed at once
# and its depth checked on the tree, skipping the slower pass over events
# (which the recursive pure-Python composer always needs).
MEASURE_ABOVE = 64 << 10
MAX_DEPTH = 100  # levels of lists and mappings; answers need 2, the shipped content 11
MAX_NODES = 100_000  # values in one document; the shipped content has under 2,000
_TOO_DEEP = f"not valid here: nested more than {MAX_DEPTH} levels deep"
_constructor = yaml.constructor.SafeConstructor()

TAG = "tag:yaml.org,2002:"
# plain decimal digits (YAML 1.2's core schema, less hex, octal and exponents),
# and YAML's names for infinity and not-a-number, for the readers to refuse
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)\Z|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z"
)
_SPECIAL = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


def _resolvers(base: Any) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """`base`'s implicit resolvers with its int and float ones replaced by `_INT`
    and `_FLOAT`: whatever they do not match is resolved as a string."""
    table = {
        first: [(tag, regexp) for tag, regexp in found if tag not in (TAG + "int", TAG + "float")]
        for first, found in base.yaml_implicit_resolvers.items()
    }
    for tag, regexp, firsts in (
        (TAG + "int", _INT, "-+0123456789"),
        (TAG + "float", _FLOAT, "-+0123456789."),
    ):
        for first in firsts:
            table.setdefault(first, []).insert(0, (tag, regexp))
    return table


_LOADERS: dict[Any, Any] = {}


def _loader() -> Any:
    """`Loader` (as it is now: tests swap it) resolving only plain decimal numbers."""
    found = _LOADERS.get(Loader)
    if found is None:
        name = "Decimal" + Loader.__name__
        table = {"yaml_implicit_resolvers": _resolvers(Loader)}
        found = _LOADERS[Loader] = type(name, (Loader,), table)
    return found


def _int(node: Any) -> int:
    """Decimal, a leading 0 included; also with an explicit `!!int` tag."""
    if not _INT.match(node.value):
        raise ValueError(node.value)  # `!!int 0x26`: refused as unreadable
    return int(node.value)


def _float(node: Any) -> float:
    """Plain decimal (or `.inf`, `.nan`); also with an explicit `!!float` tag."""
    if not (_FLOAT.match(node.value) or _INT.match(node.value)):
        raise ValueError(node.value)
    special = _SPECIAL.get(node.value.lower())
    return float(node.value) if special is None else special


_SCALARS: dict[str, Callable[[Any], Any]] = {
    TAG + "null": _constructor.construct_yaml_null,
    TAG + "bool": _constructor.construct_yaml_bool,
    TAG + "int": _int,
    TAG + "float": _float,
    TAG + "str": lambda node: node.value,
    TAG + "timestamp": lambda node: node.value,  # kept as written: no dates in answers
}


class YamlProblem(ValueError):
    """What is wrong with a YAML document, and where (1-based line and column)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        self.line = line
        self.column = column
        self.message = message
        super().__init__(f"{line}:{column}: {message}")


def where(node: yaml.Node) -> tuple[int, int]:
    """The 1-based line and column where a node starts."""
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _tag(tag: str) -> str:
    return "!!" + tag[len(TAG) :] if tag.startswith(TAG) else tag


def _problem(node: yaml.Node, message: str) -> YamlProblem:
    return YamlProblem(*where(node), message)


def compose(text: str) -> yaml.Node | None:
    """Parse one YAML document into a checked node tree (None when empty)."""
    try:
        if len(text) > MEASURE_ABOVE or Loader is not getattr(yaml, "CSafeLoader", None):
            _measure(text)
        root = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "not valid YAML"
        if "maximum nesting depth" in what:  # libyaml's own limit (1000), met while scanning
            raise YamlProblem(line, column, _TOO_DEEP) from None
        raise YamlProblem(line, column, f"not valid YAML: {what}") from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        char = exc.character
        code = char if isinstance(char, int) else ord(char[:1] or "\0")
        raise YamlProblem(
            line, column, f"not valid YAML: the character U+{code:04X} is not allowed"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, 1, "not valid here: the document is nested too deeply") from None
    if root is not None:
        _check(root, set())
    return root


def _measure(text: str) -> None:
    """Refuse a document nested too deeply or holding too many values, from its events."""
    depth = nodes = documents = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return  # composing says what is wrong
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.NodeEvent):
            nodes += 1
            depth += isinstance(event, yaml.CollectionStartEvent)
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if depth > MAX_DEPTH:
                raise YamlProblem(line, column, _TOO_DEEP)
            if nodes > MAX_NODES:
                message = f"holds more than {MAX_NODES:,} values (the limit for one document)"
                raise YamlProblem(line, column, message)


def _check(node: yaml.Node, seen: set[int]) -> None:
    """Refuse aliases, unknown tags, duplicate keys and deep nesting anywhere in the tree."""
    stack = [(node, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.CollectionNode):
            depth += 1
            if depth > MAX_DEPTH:
                raise _problem(node, _TOO_DEEP)
        if id(node) in seen:
            raise _problem(
                node,
                "this value is used again through an alias (*name); "
                "aliases are not supported, write the value out",
            )
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALARS:
                raise _problem(
                    node,
                    f"the tag '{_tag(node.tag)}' is not allowed; "
                    "use plain strings, numbers, yes/no, lists and mappings",
                )
            if not _readable(node):
                shown = node.value if len(node.value) <= 20 else node.value[:20] + "…"
                raise _problem(
                    node, f"'{shown}' cannot be read as a number; quote it if it is text"
                )
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != TAG + "seq":
                raise _problem(node, f"the tag '{_tag(node.tag)}' is not allowed on a list")
            stack.extend((child, depth) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            if node.tag != TAG + "map":
                raise _problem(node, f"the tag '{_tag(node.tag)}' is not allowed on a mapping")
            keys: dict[object, yaml.Node] = {}
            for key, _value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise _problem(key, "a key must be a plain value, not a list or mapping")
                if key.tag == TAG + "merge":
                    raise _problem(key, "merge keys (<<) are not supported; write the keys out")
                _check(key, seen)
                name = scalar(key)
                if name in keys:
                    line, _ = where(keys[name])
                    raise _problem(key, f"duplicate key '{name}' (first given on line {line})")
                keys[name] = key
            # checked in document order, so the first problem is the one reported
            stack.extend((value, depth) for _, value in reversed(node.value))


def _readable(node: yaml.Node) -> bool:
    """Whether a scalar makes a value Python can work with and print back."""
    try:
        value = scalar(node)
    except (ValueError, OverflowError):  # `0x_`, 5000 digits, a sexagesimal `1:2:…:3.5`
        return False
    return not isinstance(value, int) or value.bit_length() <= 14_000  # about 4200 digits


def scalar(node: yaml.Node) -> Any:
    """The plain Python value of a checked scalar node."""
    return _SCALARS[node.tag](node)


def to_python(node: yaml.Node) -> Any:
    """Plain dicts, lists and scalars from a checked node tree."""
    try:
        return _plain(node)
    except RecursionError:
        raise _problem(node, "the document is nested too deeply") from None


def _plain(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    return {scalar(key): _plain(value) for key, value in node.value}


def node_kind(node: yaml.Node) -> str:
    """A word for what a node holds, for messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = scalar(node)
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {value!r}"
