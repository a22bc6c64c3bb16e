"""Reading answers files: YAML, JSON, JSONL and CSV, from files or standard input.

Each input yields `Record`s in order: a mapping of raw answers, or the reason
the record (or the whole file) cannot be read, located as `file:line:col`.
Values are not checked here; every answer goes through the engine's single
validation.  Nothing in a file can run code: YAML goes through the checked
composer of `yamlnodes` (no aliases, no tags), JSON through `json`.

A YAML or JSON file is one record, read whole; one over `MAX_DOCUMENT_BYTES`
(10 MiB) is an error.  JSONL and CSV are read a record at a time (`lines`),
so a batch of millions takes no more memory than one record: a line or row
over `MAX_RECORD_BYTES` (1 MiB), or one that is not UTF-8, is an error of its
own and the rest are still read.

CSV: UTF-8 with or without a byte-order mark; a header row of answer IDs,
then one record per row, located by the line it ends on; an empty cell is no
answer.  Cells are separated by commas, and a `multi` answer's codes in a cell
are joined by `;` (`neck;temples`).  With `csv_delimiter=";"`, as European
spreadsheets export, cells are separated by `;` and codes joined by `|`
(`neck|temples`, read as a list).  Any other delimiter (a tab, say) keeps `;`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from .lines import MAX_RECORD_BYTES as MAX_RECORD_BYTES
from .lines import Lines, Readable, csv_records, json_value, position
from .yamlnodes import MAX_DOCUMENT_BYTES as MAX_DOCUMENT_BYTES
from .yamlnodes import YamlProblem, compose, to_python

FORMATS = ("yaml", "json", "jsonl", "csv")
_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
STDIN = "-"
STDIN_NAME = "<stdin>"
_MAPPING = "expected a mapping of answer ID to value"
DOCUMENT_TOO_LARGE = (
    "is larger than 10 MiB (the limit for one YAML or JSON document); "
    "give one record per file, or use JSONL or CSV for a batch"
)


@dataclass(frozen=True)
class Record:
    """One record of an answers file, or why it cannot be read.

    `source` says where it came from (`answers.yaml`, `intake.jsonl:12`);
    `error` is the whole message, located (`intake.jsonl:12:5: ...`);
    `fallback_id` is the ID an unreadable record is reported under.
    """

    source: str
    answers: dict[str, Any] | None = None
    error: str | None = None
    fallback_id: Any = None


def _failed(where: str, message: str, name: str | None = None) -> Record:
    """A record that cannot be read; a whole file (`name`) is reported under its name."""
    return Record(name or where, error=f"{where}: {message}", fallback_id=name or where)


def format_of(path: str, given: str | None) -> str | None:
    """The input format: as given, else from the file name (None: guess from content)."""
    if given:
        return given
    if path == STDIN:
        return None
    return _SUFFIXES.get(Path(path).suffix.lower())


class _Binary(Readable, Protocol):
    def readline(self, size: int = ..., /) -> bytes: ...


def read(
    path: str, fmt: str | None, stdin: IO[str] | None = None, *, csv_delimiter: str = ","
) -> tuple[str | None, Iterator[Record]]:
    """The format of one input (as given, by its name or guessed) and its records, in order.

    A file is opened when its records are first asked for.  Standard input is
    looked at now, to guess its format when none is given: see `_guess_stdin`.
    `csv_delimiter` is one character, not a quote or a line end (see above).
    """
    if len(csv_delimiter) != 1 or csv_delimiter in '"\r\n':
        raise ValueError(
            f"csv_delimiter must be one character such as , or ;, not {csv_delimiter!r}"
        )
    fmt = format_of(path, fmt)
    if path != STDIN:
        return fmt, _guarded(path, _file(path, fmt, csv_delimiter))
    assert stdin is not None
    binary: _Binary = getattr(stdin, "buffer", None) or _Encoded(stdin)
    try:
        if fmt is None:
            fmt, prefix = _guess_stdin(binary)
        else:
            prefix = b""
    except OSError as exc:
        return "yaml", iter([_failed(STDIN_NAME, f"cannot be read: {exc.strerror or exc}")])
    records = _parse(STDIN_NAME, fmt, binary, prefix, csv_delimiter)
    return fmt, _guarded(STDIN_NAME, records, stdin)


def _guarded(name: str, records: Iterator[Record], stream: object = None) -> Iterator[Record]:
    """The records of an input; one that breaks off while being read ends with an error.

    `stream` is only held, so that standard input's text stream, which closes
    its buffer when it is dropped, lives as long as its records are read.
    """
    try:
        yield from records
    except OSError as exc:
        yield _failed(name, f"cannot be read: {exc.strerror or exc}")


def _file(name: str, fmt: str | None, csv_delimiter: str) -> Iterator[Record]:
    path = Path(name)
    try:
        if path.is_dir():
            yield _failed(name, "is a directory, not an answers file")
            return
        stream = path.open("rb")
    except FileNotFoundError:
        yield _failed(name, "no such file")
        return
    except PermissionError:
        yield _failed(name, "permission denied")
        return
    with stream:
        if fmt is None:
            yield _failed(
                name,
                "unknown kind of answers file; name it .yaml, .yml, .json, .jsonl "
                f"or .csv, or give --input-format ({', '.join(FORMATS)})",
            )
            return
        yield from _parse(name, fmt, stream, b"", csv_delimiter)


def _parse(
    name: str, fmt: str, stream: _Binary | None, prefix: bytes, csv_delimiter: str
) -> Iterator[Record]:
    """The records of a stream whose first bytes (`prefix`) were already taken from it."""
    if fmt in ("jsonl", "csv"):
        lines = Lines(stream, prefix, any_newline=fmt == "csv")
        yield from _jsonl(name, lines) if fmt == "jsonl" else _csv(name, lines, csv_delimiter)
        return
    data = prefix
    if stream is not None:
        data += stream.read(max(0, MAX_DOCUMENT_BYTES + 1 - len(prefix)))
    if len(data) > MAX_DOCUMENT_BYTES:
        yield _failed(name, DOCUMENT_TOO_LARGE)
        return
    try:
        text = data.decode("utf-8-sig").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        yield _failed(f"{name}:{line}:{column}", message, name)
        return
    yield from _yaml(name, text) if fmt == "yaml" else _json(name, text)


# --- standard input -------------------------------------------------------------


class _Encoded:
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


def _guess_stdin(stream: _Binary) -> tuple[str, bytes]:
    """The format of standard input, and the bytes read from it to tell.

    Its first two non-blank lines are read.  When the first is a JSON object,
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
        content = (line.removeprefix(b"\xef\xbb\xbf") if len(taken) == 1 else line).strip()
        if content:
            found.append(content)
            if not content.startswith(b"{"):
                break
    data = b"".join(taken)
    if len(found) == 2 and (_is_object(found[0]) or found[1].startswith(b"{")):
        return "jsonl", data
    if not found or not found[0].startswith(b"{"):
        return "yaml", data
    if size <= MAX_DOCUMENT_BYTES:
        data += stream.read(MAX_DOCUMENT_BYTES + 1 - size)
    text = data.decode("utf-8-sig", "replace")
    flow = len(data) <= MAX_DOCUMENT_BYTES and json_value(text)[1] is not None
    if flow and _yaml_mapping(text.removeprefix("\ufeff")):
        return "yaml", data  # a YAML flow mapping such as {age: 40}
    return "json", data


def _is_object(line: bytes) -> bool:
    try:
        value, problem = json_value(line.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    return problem is None and isinstance(value, dict)


def _mapping(where: str, value: Any) -> Record:
    if isinstance(value, dict):  # its keys are strings already (JSON's, or YAML's as written)
        return Record(where, answers=value)
    if value is None or value == "":
        return _failed(where, f"is empty; {_MAPPING}")
    what = "a list" if isinstance(value, list) else f"{type(value).__name__} {value!r}"[:80]
    return _failed(where, f"{_MAPPING}, not {what}")


# --- YAML ---------------------------------------------------------------------


_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _yaml(name: str, text: str) -> Iterator[Record]:
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, column = position(text, bad.start())
        message = f"not valid YAML: the control character U+{ord(bad.group()):04X} is not allowed"
        yield _failed(f"{name}:{line}:{column}", message, name)
        return
    try:
        root = compose(text)
        value = None if root is None else to_python(root)
        if root is not None and isinstance(value, dict):
            # keys as written: `123:` or `yes:` is an answer ID, not a number or a bool
            value = {str(key.value): to_python(node) for key, node in root.value}
    except YamlProblem as exc:
        message = exc.message
        if "another document" in message or "single document" in message:
            message = (
                "holds more than one YAML document; give one record per file, "
                "or use JSONL or CSV for several"
            )
        yield _failed(f"{name}:{exc.line}:{exc.column}", message, name)
        return
    yield _mapping(name, value)


def _yaml_mapping(text: str) -> bool:
    try:
        root = compose(text)
    except YamlProblem:
        return False
    return root is not None and isinstance(to_python(root), dict)


# --- JSON and JSONL -----------------------------------------------------------


def _json(name: str, text: str) -> Iterator[Record]:
    if not text.strip():
        yield _failed(name, f"is empty; {_MAPPING}")
        return
    value, problem = json_value(text)
    if problem is not None:
        line, column, message = problem
        yield _failed(f"{name}:{line}:{column}", message, name)
        return
    yield _mapping(name, value)


def _jsonl(name: str, lines: Lines) -> Iterator[Record]:
    """One JSON object per line; a bad line is an error of its own, the others still count."""
    for line in lines:
        where = f"{name}:{line.number}"
        if line.problem is not None:
            yield _failed(f"{where}:{line.column}" if line.column else where, line.problem, where)
            continue
        if not line.text.strip():
            continue
        value, problem = json_value(line.text.removesuffix("\n"))
        if problem is not None:
            _, column, message = problem
            yield _failed(f"{where}:{column}", message, where)
            continue
        yield _mapping(where, value)


# --- CSV ----------------------------------------------------------------------


def _csv(name: str, lines: Lines, delimiter: str) -> Iterator[Record]:
    """A header row of answer IDs, then one record per row (see the module's docstring)."""
    for row in csv_records(lines, delimiter):
        where = f"{name}:{row.line}"
        if row.answers is not None:
            yield Record(where, answers=row.answers)
        else:
            located = f"{name}:{row.at}" if row.at else name
            yield _failed(located, row.problem, name if row.whole else where)
