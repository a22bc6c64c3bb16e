"""Reading answers files: YAML, JSON, JSONL and CSV, from files or standard input.

Each input yields `Record`s in order: a mapping of raw answers, or the reason
the record (or the whole file) cannot be read.  Values are not checked here;
every answer goes through the engine's single validation.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .yamlnodes import YamlProblem, compose, to_python

FORMATS = ("yaml", "json", "jsonl", "csv")
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl",
             ".ndjson": "jsonl", ".csv": "csv"}
STDIN = "-"


@dataclass(frozen=True)
class Record:
    """One record of an answers file, or why it cannot be read.

    `source` says where it came from (`answers.yaml`, `intake.jsonl:12`);
    `fallback_id` is the ID an unreadable file is reported under (its name).
    """

    source: str
    answers: dict[str, Any] | None = None
    error: str | None = None
    fallback_id: Any = None


def format_of(path: str, given: str | None) -> str | None:
    """The input format: as given, else from the file name (None: guess from content)."""
    if given:
        return given
    if path == STDIN:
        return None
    return _SUFFIXES.get(Path(path).suffix.lower())


def read(path: str, fmt: str | None, stdin: IO[str] | None = None) -> tuple[str | None, Iterator[Record]]:
    """The format of one input (as given, by its name or guessed) and its records, in order."""
    fmt = format_of(path, fmt)
    if path == STDIN and fmt is None:
        assert stdin is not None
        text = stdin.read()
        fmt = _guess(text)
        return fmt, _records(path, fmt, io.StringIO(text))
    return fmt, _records(path, fmt, stdin)


def _records(path: str, fmt: str | None, stdin: IO[str] | None) -> Iterator[Record]:
    name = "<stdin>" if path == STDIN else path
    try:
        if path == STDIN:
            assert stdin is not None
            text = stdin.read()
            text = text[1:] if text.startswith("\ufeff") else text
        else:
            if Path(path).is_dir():
                yield Record(name, error=f"{name}: is a directory, not an answers file",
                             fallback_id=name)
                return
            text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        yield Record(name, error=f"{name}: no such file", fallback_id=name)
        return
    except UnicodeDecodeError as exc:
        yield Record(name, error=f"{name}: not UTF-8 text (byte {exc.start})", fallback_id=name)
        return
    except OSError as exc:
        yield Record(name, error=f"{name}: cannot be read: {exc.strerror or exc}",
                     fallback_id=name)
        return
    if fmt is None:
        known = ", ".join(FORMATS)
        yield Record(name, error=f"{name}: unknown file type; use a .yaml, .json, .jsonl or "
                     f".csv name, or --input-format ({known})", fallback_id=name)
        return
    reader = {"yaml": _yaml, "json": _json, "jsonl": _jsonl, "csv": _csv}[fmt]
    yield from reader(name, text)


def _guess(text: str) -> str:
    """JSONL when every non-blank line is a JSON object and there are several; else YAML/JSON."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
        try:
            for line in lines:
                json.loads(line)
        except ValueError:
            return "yaml"
        return "jsonl"
    return "json" if text.lstrip().startswith("{") else "yaml"


def _mapping(name: str, value: Any) -> Record:
    if not isinstance(value, dict):
        what = "a list" if isinstance(value, list) else f"{type(value).__name__} {value!r}"[:80]
        if value is None or value == "":
            return Record(name, error=f"{name}: is empty; expected a mapping of "
                          "answer ID to value", fallback_id=name)
        return Record(name, error=f"{name}: expected a mapping of answer ID to value, "
                      f"not {what}", fallback_id=name)
    return Record(name, answers={str(k): v for k, v in value.items()})


def _yaml(name: str, text: str) -> Iterator[Record]:
    try:
        root = compose(text)
    except YamlProblem as exc:
        yield Record(name, error=f"{name}:{exc.line}:{exc.column}: {exc.message}",
                     fallback_id=name)
        return
    yield _mapping(name, None if root is None else to_python(root))


class _Duplicate(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(f"duplicate key '{key}'")
        out[key] = value
    return out


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a number JSON allows")


def _loads(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)


def _json_error(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
    return f"not valid JSON: {exc}"


def _json(name: str, text: str) -> Iterator[Record]:
    if not text.strip():
        yield Record(name, error=f"{name}: is empty; expected a mapping of answer ID to value",
                     fallback_id=name)
        return
    try:
        value = _loads(text)
    except ValueError as exc:
        yield Record(name, error=f"{name}:{_json_error(exc)}", fallback_id=name)
        return
    except RecursionError:
        yield Record(name, error=f"{name}: nested too deeply", fallback_id=name)
        return
    yield _mapping(name, value)


def _jsonl(name: str, text: str) -> Iterator[Record]:
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            value = _loads(line)
        except ValueError as exc:
            message = f"not valid JSON: {exc.msg} (column {exc.colno})" if isinstance(
                exc, json.JSONDecodeError) else f"not valid JSON: {exc}"
            yield Record(where, error=f"{where}: {message}", fallback_id=where)
            continue
        except RecursionError:
            yield Record(where, error=f"{where}: nested too deeply", fallback_id=where)
            continue
        yield _mapping(where, value)


def _csv(name: str, text: str) -> Iterator[Record]:
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except StopIteration:
        yield Record(name, error=f"{name}: is empty; expected a header row of answer IDs",
                     fallback_id=name)
        return
    except csv.Error as exc:
        yield Record(name, error=f"{name}:1: not valid CSV: {exc}", fallback_id=name)
        return
    header = [h.strip() for h in header]
    seen = set()
    for column in header:
        if column in seen:
            yield Record(name, error=f"{name}:1: duplicate column '{column}'", fallback_id=name)
            return
        seen.add(column)
    line = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            line = rows.line_num
            where = f"{name}:{line}"
            yield Record(where, error=f"{where}: not valid CSV: {exc}", fallback_id=where)
            return
        line = rows.line_num
        where = f"{name}:{line}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield Record(where, error=f"{where}: {len(row)} cells but the header has "
                         f"{len(header)} columns", fallback_id=where)
            continue
        answers = {col: (cell if cell.strip() else None) for col, cell in zip(header, row)}
        yield Record(where, answers=answers)
