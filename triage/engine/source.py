"""Python source generated from fixed templates, for the compiled engine.

`triage.engine.compiled` writes conditions (and the validation of a record) as
Python functions, so that a batch runs straight-line code instead of a tree of
closures.  Content files are data, never code, so the source follows three
rules, and `Source.compile` checks the first two before compiling:

1. The source is built from fixed template strings and integers generated
   here (function numbers, memo slots).  No text from a content file enters
   it: no question ID, answer code, label, number or name.
2. Every value from the content is bound to a generated name (`_b12`) in the
   namespace the code runs in, and read through that name.
3. The code runs with no builtins (`{"__builtins__": {}}`), by `exec` of the
   compiled code object only.

The check: the text holds only the characters of the templates (no quote,
backslash, brace or `#`, so no literal but an integer, no comment) and only
the template words below and generated names.
"""

from __future__ import annotations

import re
from typing import Any

# the words the templates use; every other name is generated (`_b12`, `_f3`)
TEMPLATE_WORDS = frozenset(
    {
        *("def", "return", "if", "elif", "else", "and", "or", "not", "is", "in"),
        *("None", "True", "False", "pass"),
        *("a", "m", "w", "out", "value", "raw", "state", "get", "append", "__class__"),
        *("asked", "unasked", "is_integer", "keys", "isdisjoint"),
        *("_t", "_v", "_r", "_g", "_x"),  # short-lived values inside one function
    }
)
_GENERATED = re.compile(r"_[a-z][0-9]+")
_CHARACTERS = re.compile(r"[A-Za-z0-9_ \n():=<>!+,.\[\]|&-]*")
_SEPARATORS = str.maketrans(dict.fromkeys("():=<>!+,.[]|&-\n", " "))
_NOT_WHOLE = re.compile(r"(?<![A-Za-z0-9_])[0-9]+\.|\.[0-9]")  # a float literal
_FILENAME = "<triage: conditions compiled from templates>"


class UnsafeSource(Exception):
    """Generated source that breaks the rules above: a bug, never content's fault."""


class Source:
    """Lines of generated source and the values bound to generated names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.bound: dict[str, Any] = {}
        self._count = 0

    def name(self, kind: str) -> str:
        """A fresh generated name: `kind` is one lower-case letter."""
        assert len(kind) == 1 and kind.islower()
        self._count += 1
        return f"_{kind}{self._count}"

    def bind(self, value: Any) -> str:
        """A fresh generated name, bound to `value` where the code runs."""
        name = self.name("b")
        self.bound[name] = value
        return name

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def compile(self) -> dict[str, Any]:
        """Check the source, compile it and run it in a namespace of its own,
        with no builtins: the namespace then holds the functions it defines."""
        text = self.text()
        check(text)
        code = compile(text, _FILENAME, "exec")
        namespace: dict[str, Any] = {"__builtins__": {}}
        namespace.update(self.bound)
        exec(code, namespace)  # noqa: S102 - templates and generated names only (see above)
        return namespace


def check(text: str) -> None:
    """Raise `UnsafeSource` unless `text` holds only template characters, template
    words, generated names and integers."""
    if not _CHARACTERS.fullmatch(text):
        odd = sorted(set(_CHARACTERS.sub("", text)))
        raise UnsafeSource(f"characters outside the templates: {odd!r}")
    if _NOT_WHOLE.search(text):
        raise UnsafeSource("a number that is not a whole number")
    for word in set(text.translate(_SEPARATORS).split()):
        if word not in TEMPLATE_WORDS and not word.isdigit() and not _GENERATED.fullmatch(word):
            raise UnsafeSource(f"a word outside the templates: {word!r}")
