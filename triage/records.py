"""Reading answers files: YAML, JSON, JSONL and CSV, from files or standard input.

Each input yields `Record`s in order: a mapping of raw answers, or the reason
the record (or the whole file) cannot be read, located as `file:line:col`.
Values are not checked here; every answer goes through the engine's single
validation.  Nothing in a file can run code: YAML goes through the checked
composer of `yamlnodes` (no aliases, no tags), JSON through `json`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

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


def read(
    path: str, fmt: str | None, stdin: IO[str] | None = None
) -> tuple[str | None, Iterator[Record]]:
    """The format of one input (as given, by its name or guessed) and its records, in order.

    Standard input is read at once, so that its format can be guessed: a
    YAML/JSON mapping or JSONL.  A file is read when its records are.
    """
    fmt = format_of(path, fmt)
    if path != STDIN:
        return fmt, _records(path, fmt, None)
    text = _stdin_text(stdin)
    if isinstance(text, Record):
        return fmt or "yaml", iter([text])
    if fmt is not None:
        return fmt, _records(STDIN_NAME, fmt, text)
    fmt = _guess(text)
    if fmt == "json" and _json_value(text)[1] is not None and _yaml_mapping(text):
        fmt = "yaml"  # a YAML flow mapping such as {age: 40}
    return fmt, _records(STDIN_NAME, fmt, text)


def _stdin_text(stdin: IO[str] | None) -> str | Record:
    assert stdin is not None
    raw = getattr(stdin, "buffer", None)
    try:
        return _decode(STDIN_NAME, raw.read()) if raw is not None else stdin.read()
    except _NotText as exc:
        return _failed(exc.where, exc.message, STDIN_NAME)
    except OSError as exc:
        return _failed(STDIN_NAME, f"cannot be read: {exc.strerror or exc}")


class _NotText(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where, self.message = where, message


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        message = f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        raise _NotText(f"{name}:{line}:{column}", message) from None


def _records(name: str, fmt: str | None, text: str | None) -> Iterator[Record]:
    if text is None:
        loaded = _file_text(name)
        if isinstance(loaded, Record):
            yield loaded
            return
        text = loaded
    text = text.removeprefix("\ufeff")
    if fmt is None:
        yield _failed(
            name,
            "unknown kind of answers file; name it .yaml, .yml, .json, .jsonl "
            f"or .csv, or give --input-format ({', '.join(FORMATS)})",
        )
        return
    reader = {"yaml": _yaml, "json": _json, "jsonl": _jsonl, "csv": _csv}[fmt]
    yield from reader(name, text)


def _file_text(name: str) -> str | Record:
    path = Path(name)
    try:
        if path.is_dir():
            return _failed(name, "is a directory, not an answers file")
        return _decode(name, path.read_bytes())
    except _NotText as exc:
        return _failed(exc.where, exc.message, name)
    except FileNotFoundError:
        return _failed(name, "no such file")
    except PermissionError:
        return _failed(name, "permission denied")
    except OSError as exc:
        return _failed(name, f"cannot be read: {exc.strerror or exc}")


def _guess(text: str) -> str:
    """JSONL when several lines start with `{` and the whole is not one JSON value.

    One malformed line does not turn a JSONL batch into YAML: every line
    starting with `{`, or the first line alone being an object, is enough.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].startswith("{") and _json_value(text)[1] is not None:
        if all(line.startswith("{") for line in lines):
            return "jsonl"
        first, problem = _json_value(lines[0])
        if problem is None and isinstance(first, dict):
            return "jsonl"
    return "json" if text.lstrip().startswith("{") else "yaml"


def _mapping(where: str, value: Any) -> Record:
    if isinstance(value, dict):
        return Record(where, answers={str(k): v for k, v in value.items()})
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
        line, column = _position(text, bad.start())
        message = f"not valid YAML: the control character U+{ord(bad.group()):04X} is not allowed"
        yield _failed(f"{name}:{line}:{column}", message, name)
        return
    try:
        root = compose(text)
    except YamlProblem as exc:
        message = exc.message
        if "another document" in message or "single document" in message:
            message = (
                "holds more than one YAML document; give one record per file, "
                "or use JSONL or CSV for several"
            )
        yield _failed(f"{name}:{exc.line}:{exc.column}", message, name)
        return
    value = None if root is None else to_python(root)
    if root is not None and isinstance(value, dict):
        # keys as written: `123:` or `yes:` is an answer ID, not a number or a bool
        value = {str(key.value): to_python(node) for key, node in root.value}
    yield _mapping(name, value)


def _yaml_mapping(text: str) -> bool:
    try:
        root = compose(text)
    except YamlProblem:
        return False
    return root is not None and isinstance(to_python(root), dict)


# --- JSON and JSONL -----------------------------------------------------------


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
    """Where `key` is first repeated within one object of valid JSON, and where it first was."""
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
            name = json.loads(previous.group())
            if name == key and name in stack[-1]:
                return stack[-1][name], previous.start()
            stack[-1][name] = previous.start()
        previous = match
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _json_value(text: str) -> tuple[Any, tuple[int, int, str] | None]:
    """The value of a JSON text, or (line, column, what is wrong), line relative to `text`."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant), None
    except _Duplicate as exc:
        found = _duplicate_at(text, exc.key)
        if found is None:
            return None, (1, 1, f"duplicate key '{exc.key}'")
        first, again = (_position(text, offset) for offset in found)
        earlier = f"column {first[1]}" if first[0] == again[0] else f"line {first[0]}"
        return None, (*again, f"duplicate key '{exc.key}' (first given at {earlier})")
    except json.JSONDecodeError as exc:
        return None, (exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
    except ValueError as exc:
        return None, (1, 1, f"not valid JSON: {exc}")
    except RecursionError:
        return None, (1, 1, "not valid here: nested too deeply")


def _json(name: str, text: str) -> Iterator[Record]:
    if not text.strip():
        yield _failed(name, f"is empty; {_MAPPING}")
        return
    value, problem = _json_value(text)
    if problem is not None:
        line, column, message = problem
        yield _failed(f"{name}:{line}:{column}", message, name)
        return
    yield _mapping(name, value)


def _jsonl(name: str, text: str) -> Iterator[Record]:
    """One JSON object per line; a bad line is an error of its own, the others still count."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        value, problem = _json_value(line)
        if problem is not None:
            _, column, message = problem
            yield _failed(f"{where}:{column}", message, where)
            continue
        yield _mapping(where, value)


# --- CSV ----------------------------------------------------------------------


def _csv(name: str, text: str) -> Iterator[Record]:
    """A header row of answer IDs, then one record per row.

    A `multi` answer's codes are joined by `;`; an empty cell is no answer.
    """
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(rows)]
    except StopIteration:
        yield _failed(name, "is empty; expected a header row of answer IDs")
        return
    except csv.Error as exc:
        yield _failed(f"{name}:1", f"not valid CSV: {exc}", name)
        return
    for number, column in enumerate(header):
        if column and column in header[:number]:
            yield _failed(f"{name}:1", f"column '{column}' is named twice in the header", name)
            return
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _failed(f"{name}:{rows.line_num}", f"not valid CSV: {exc}")
            continue
        where = f"{name}:{rows.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield _failed(
                where,
                f"{len(row)} cells, but the header names {len(header)} "
                "columns; quote a cell that holds a comma",
            )
            continue
        unnamed = [n + 1 for n, cell in enumerate(row) if not header[n] and cell.strip()]
        if unnamed:
            yield _failed(
                where,
                f"a value in column {unnamed[0]}, which has no name in the "
                "header; name it with an answer ID",
            )
            continue
        yield Record(
            where,
            answers={
                column: cell.strip()
                for column, cell in zip(header, row, strict=False)
                if column and cell.strip()
            },
        )
