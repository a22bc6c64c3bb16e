"""Parsing one JSON text (a JSONL line or a whole document) as an answers file needs.

`json_value` refuses duplicate keys (saying where the key was first given),
NaN and Infinity, numbers Python will not convert, and nesting deeper than
`MAX_DEPTH`; each problem comes with its line and column.

The usual text is parsed by msgspec's C decoder (about four times quicker),
which keeps the last of two equal keys without a word.  Its value is taken
only when the text cannot hide a duplicate key (`_plain`); anything else, and
any text msgspec refuses, goes the strict way (`json` with a hook on every
object), so every message is the strict parser's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from triage.safeyaml import MAX_DEPTH


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a number JSON allows")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]')


def _duplicate_at(text: str, key: str) -> tuple[int, int] | None:
    """Where `key` is first repeated within one object, and where it first was."""
    stack: list[dict[str, int] | None] = []  # per open bracket: the keys of an object
    previous: re.Match[str] | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            stack.append({} if token == "{" else None)
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ":" and previous is not None and stack and stack[-1] is not None:
            try:
                name = json.loads(previous.group())
            except ValueError:  # broken further on than the repeated key
                return None
            if name == key and name in stack[-1]:
                return stack[-1][name], previous.start()
            stack[-1][name] = previous.start()
        previous = match
    return None


# one decoder for every line (`json.loads` with options builds one a call)
_DECODE = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant).decode


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset in a text."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


_SPACED_COLON = re.compile(r'"[ \t\r\n]+:')
QUICK = True  # whether texts go through msgspec first (tests compare both ways)


@cache
def _msgspec() -> tuple[Callable[[str], Any], type[Exception]]:
    """msgspec's decoder, imported when first needed (a YAML file never needs it)."""
    from msgspec import DecodeError
    from msgspec.json import Decoder

    return Decoder().decode, DecodeError


def _keys(value: Any) -> int:
    """How many keys the objects in `value` hold, at every level."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))
    return count


def _plain(text: str, value: Any) -> bool:
    """Whether `text`, which parsed to `value`, holds no key twice in an object.

    Every key written ends with a quote; with no space between it and the
    colon, each adds one `":` to the text (other `":`s are in strings: `\\":`
    or a string that starts with a colon).  So the count of `":` is at least
    the count of keys written, which is at least the count of keys parsed, and
    the two counts are equal only when no key was dropped as a repeat.
    """
    if _SPACED_COLON.search(text) is not None:
        return False
    # one `{`, and the value a mapping: no object nests in it (the usual record)
    keys = len(value) if text.count("{") == 1 and isinstance(value, dict) else _keys(value)
    return text.count('":') == keys


def json_value(text: str) -> tuple[Any, tuple[int, int, str] | None]:
    """The value of a JSON text, or (line, column, what is wrong), line relative to `text`."""
    if QUICK:
        decode, refused = _msgspec()
        try:
            value = decode(text)
        except (refused, RecursionError):
            pass
        else:
            if _plain(text, value):
                return _checked(text, value)
    try:
        value = _DECODE(text)
    except _Duplicate as exc:
        found = _duplicate_at(text, exc.key)
        if found is None:
            return None, (1, 1, f"duplicate key '{exc.key}'")
        first, again = (position(text, offset) for offset in found)
        earlier = f"column {first[1]}" if first[0] == again[0] else f"line {first[0]}"
        return None, (*again, f"duplicate key '{exc.key}' (first given at {earlier})")
    except json.JSONDecodeError as exc:
        return None, (exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
    except ValueError as exc:  # also a number of more digits than Python converts
        return None, (1, 1, f"not valid JSON: {str(exc).split(';')[0]}")
    except RecursionError:
        return None, (1, 1, "not valid here: nested too deeply")
    return _checked(text, value)


def _checked(text: str, value: Any) -> tuple[Any, tuple[int, int, str] | None]:
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(value):
        return None, (1, 1, f"not valid here: nested more than {MAX_DEPTH} levels deep")
    return value, None


def _too_deep(value: Any) -> bool:
    """Whether lists and mappings nest more than `MAX_DEPTH` levels (found without recursion)."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, (dict, list)):
                if depth >= MAX_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False
