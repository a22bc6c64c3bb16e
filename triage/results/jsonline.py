"""A result object as JSON text, exactly as `json` writes it, quickly.

`json_text(obj)` is `json.dumps(obj, ensure_ascii=False)` made safe for line
readers (`safe`): no lone surrogate (which UTF-8 cannot hold) and no NEL,
U+2028 or U+2029 (which line readers split on) left raw, each written as its
escape, which reads back as it was.

The usual result goes through msgspec's C encoder (about three times quicker),
spaced by `msgspec.json.format` as `json` spaces it.  The two write every
value alike but a float that `json` writes with an exponent (below 1e-4 or
from 1e16 on): a result whose answers hold one, an error object, and anything
msgspec refuses (a lone surrogate) go through `json`.  msgspec is imported
when first needed: a one-record run writes through `json` and never loads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

QUICK = True  # whether the usual result goes through msgspec (tests compare both ways)
ESCAPED = re.compile("[\x85\u2028\u2029\ud800-\udfff]")
ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every result


def escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def safe(text: str) -> str:
    """JSON text that encodes as UTF-8 and holds no line break a line reader splits
    on: a lone surrogate, NEL, U+2028 and U+2029 (only ever inside its strings) as
    their escapes.  (Tested with `in` and an encoding first: a regular expression
    over every result would cost a third of writing it.)"""
    if text.isascii():
        return text
    if "\u2028" in text or "\u2029" in text or "\x85" in text or not _encodes(text):
        return ESCAPED.sub(escaped, text)
    return text


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


@cache
def _msgspec() -> tuple[Callable[[Any], bytes], Callable[..., bytes], type[Exception]]:
    from msgspec import EncodeError
    from msgspec.json import Encoder, format

    return Encoder().encode, format, EncodeError


def json_text(obj: Any) -> str:
    """`safe(ENCODE(obj))`, byte for byte, for a result or error object."""
    if QUICK and "error" not in obj and _plain_floats(obj):
        encode, spaced, refused = _msgspec()
        try:
            data = spaced(encode(obj), indent=0)
        except (refused, UnicodeError):
            pass
        else:  # UTF-8 already: no lone surrogate; NEL, U+2028 and U+2029 as `safe` has them
            if b"\xc2\x85" in data or b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data:
                return ESCAPED.sub(escaped, data.decode())
            return data.decode()
    return safe(ENCODE(obj))


def _plain_floats(obj: Any) -> bool:
    """Whether every float among a result object's answers (its `id`, each `because`
    and its `answers`, where the only floats a result holds come from) is one both
    encoders write alike: zero, or from 1e-4 to below 1e16 (NaN is not)."""
    found = [obj["id"], *obj.get("answers", {}).values()]
    for part in ("red_flags", "headache_types"):
        for item in obj[part]:
            found.extend(item["because"].values())
    while found:
        value = found.pop()
        kind = value.__class__
        if kind is float:
            if not (1e-4 <= abs(value) < 1e16 or value == 0.0):
                return False
        elif kind is list:
            found.extend(value)
        elif kind is dict:
            found.extend(value.values())
    return True
