"""Standard input as an answers file: its format guessed from its first lines.

A pipe cannot be read twice, so the bytes read to tell its format are handed
back with the guess, to be read again as the start of the input.
"""

from __future__ import annotations

import re
from typing import IO, Protocol

from triage.intake.documents import is_yaml_mapping
from triage.intake.jsontext import json_value
from triage.intake.lines import Readable
from triage.safeyaml import MAX_DOCUMENT_BYTES

_LINE_END = re.compile(rb"\r\n?|\n")


class Binary(Readable, Protocol):
    """A binary stream that reads a line at a time: standard input's buffer."""

    def readline(self, size: int = ..., /) -> bytes: ...


class Encoded:
    """A text stream read as UTF-8 bytes, when standard input has no binary buffer."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def read(self, size: int = -1, /) -> bytes:
        return _encode(self.stream.read(size))

    def readline(self, size: int = -1, /) -> bytes:
        return _encode(self.stream.readline(size))


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")  # bytes the stream could not decode
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")  # reported as not UTF-8 later


def guess_format(stream: Binary) -> tuple[str, bytes]:
    """The format of standard input, and the bytes read from it to tell.

    Its first two non-blank lines are read (a line ends at `\\n`, `\\r\\n` or a
    lone `\\r`, as `triage.intake.lines` reads them).  When the first is a JSON object,
    or both start with `{` (JSONL whose first record is broken), it is JSONL,
    read a line at a time from there.  Otherwise it is one document, read
    whole (up to `MAX_DOCUMENT_BYTES`): JSON when it starts with `{` (unless it
    is a YAML flow mapping such as `{age: 40}`), else YAML.
    """
    taken: list[bytes] = []
    found: list[bytes] = []
    size = 0
    while len(found) < 2 and size <= MAX_DOCUMENT_BYTES:
        line = stream.readline(MAX_DOCUMENT_BYTES + 1 - size)
        if not line:
            break
        taken.append(line)
        size += len(line)
        raw = line.removeprefix(b"\xef\xbb\xbf") if len(taken) == 1 else line
        # `readline` stops at \n only; a lone \r ends a line too (old Mac files)
        found += filter(None, (part.strip() for part in _LINE_END.split(raw)))
        if found and not found[0].startswith(b"{"):
            break
    found = found[: 1 if found and not found[0].startswith(b"{") else 2]
    data = b"".join(taken)
    if len(found) == 2 and (_is_object(found[0]) or found[1].startswith(b"{")):
        return "jsonl", data
    if not found or not found[0].startswith(b"{"):
        return "yaml", data
    if size <= MAX_DOCUMENT_BYTES:
        data += stream.read(MAX_DOCUMENT_BYTES + 1 - size)
    text = data.decode("utf-8-sig", "replace")
    flow = len(data) <= MAX_DOCUMENT_BYTES and json_value(text)[1] is not None
    if flow and is_yaml_mapping(text.removeprefix("\ufeff")):
        return "yaml", data  # a YAML flow mapping such as {age: 40}
    return "json", data


def _is_object(line: bytes) -> bool:
    try:
        value, problem = json_value(line.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    return problem is None and isinstance(value, dict)
