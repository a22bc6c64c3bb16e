"""Reading answers a line at a time with flat memory; CSV rows and JSON values.

JSONL and CSV inputs may hold millions of records: `Lines` reads them in
chunks and splits them into lines, each decoded from UTF-8 on its own, so that
a bad byte or an oversized line spoils only the record it is in.  No line over
`MAX_RECORD_BYTES` is ever held whole: its bytes are dropped up to its end.

`csv_records` reads the rows of a CSV file against its header; `json_value`
parses one JSON text (a JSONL line or a whole document), refusing duplicate
keys, NaN and deep nesting.  Both say what is wrong and where; `records` makes
`Record`s of what they give.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Protocol

from .yamlnodes import MAX_DEPTH

MAX_RECORD_BYTES = 1 << 20  # the largest JSONL line or CSV row (line endings not counted)
TOO_LARGE = "record is larger than 1 MiB (the limit per record); split it or remove the large value"
RECORD_ID = "id"  # a CSV column kept as written (the engine's record ID)
_CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"
_NEWLINE = re.compile(rb"\n")
_ANY_NEWLINE = re.compile(rb"\r\n?|\n")  # as CSV files end lines: \n, \r\n or a lone \r


class Readable(Protocol):
    """A binary stream: a file opened with "rb", or standard input's buffer."""

    def read(self, size: int = ..., /) -> bytes: ...


class Line(NamedTuple):
    """One line: its number, its text (with its line ending) and its trouble, if any.

    `size` is its length in bytes without the line ending; `problem` is a
    message and `column` where in the line it is (0: the whole line).  A line
    that is not UTF-8 still has a `text`, with U+FFFD for the bad bytes.
    """

    number: int
    text: str
    size: int
    problem: str | None = None
    column: int = 0


class Lines:
    """The lines of a binary stream, numbered from 1, each at most `MAX_RECORD_BYTES`.

    `prefix` holds bytes already taken from the stream (when its start was
    looked at to guess its format).  Lines end at `\\n` only, as JSONL lines
    do, or with `any_newline` also at `\\r\\n` and a lone `\\r`, as CSV lines
    may.  A UTF-8 byte-order mark at the start is dropped.
    """

    def __init__(
        self, stream: Readable | None, prefix: bytes = b"", any_newline: bool = False
    ) -> None:
        self._read: Callable[[int], bytes | None] = (
            getattr(stream, "read1", stream.read) if stream is not None else _nothing
        )
        self._buffer = prefix
        self._pos = 0  # where the next line starts in the buffer
        self._eof = stream is None
        self._ends = _ANY_NEWLINE if any_newline else _NEWLINE
        self.number = 0

    def __iter__(self) -> Iterator[Line]:
        return self

    def __next__(self) -> Line:
        got = self._raw()
        if got is None:
            raise StopIteration
        raw, size = got
        self.number += 1
        if self.number == 1 and raw.startswith(_BOM):
            raw, size = raw[len(_BOM) :], size - len(_BOM)
        if size > MAX_RECORD_BYTES:
            return Line(self.number, "", size, TOO_LARGE)
        try:
            return Line(self.number, raw.decode("utf-8"), size)
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            return Line(self.number, raw.decode("utf-8", "replace"), size, message, exc.start + 1)

    def _end(self, start: int) -> re.Match[bytes] | None:
        """Where the next line ends, when that is known yet."""
        end = self._ends.search(self._buffer, start)
        if end is None or self._eof or end.end() < len(self._buffer) or end.group() != b"\r":
            return end
        return None  # a \r last in what is read so far: perhaps the first half of \r\n

    def _more(self) -> None:
        """Read the next chunk; the lines already taken are dropped from the buffer."""
        more = self._read(_CHUNK) if not self._eof else b""
        self._eof = not more
        self._buffer = self._buffer[self._pos :] + (more or b"")
        self._pos = 0

    def _raw(self) -> tuple[bytes, int] | None:
        """The next line's bytes (empty when too long) and its size; None at the end."""
        searched = self._pos
        while True:
            end = self._end(searched)
            if end is not None:
                start, self._pos = self._pos, end.end()
                size = end.start() - start
                if size and self._buffer[end.start() - 1] == 13:  # \r\n in a JSONL file
                    size -= 1
                return (self._buffer[start : end.end()] if size <= MAX_RECORD_BYTES else b""), size
            if self._eof:
                line, self._buffer, self._pos = self._buffer[self._pos :], b"", 0
                if not line:
                    return None
                return (line if len(line) <= MAX_RECORD_BYTES else b""), len(line)
            if len(self._buffer) - self._pos > MAX_RECORD_BYTES + 1:  # + 1: a \r may end it
                return self._skip()
            searched = max(0, len(self._buffer) - self._pos - 1)
            self._more()

    def _skip(self) -> tuple[bytes, int]:
        """Drop the bytes of a line that is too long, up to its end."""
        size = 0
        while True:
            end = self._end(self._pos)
            if end is not None:
                size += end.start() - self._pos
                self._pos = end.end()
                return b"", size
            # keep a last \r: it may be the first half of \r\n
            keep = len(self._buffer) - (1 if self._buffer.endswith(b"\r") else 0)
            size += keep - self._pos
            self._pos = keep
            if self._eof:
                self._buffer, self._pos = b"", 0
                return b"", size
            self._more()


def _nothing(size: int) -> bytes:
    return b""


# --- CSV ----------------------------------------------------------------------


class Row(NamedTuple):
    """A record of a CSV file: its answers, or what is wrong with it and where.

    `line` is the line the row ends on, where the record is said to be; `at`
    locates the problem (`line` or `line:column`, empty for the whole file);
    `whole` is true when the problem spoils the whole file (a bad header).
    """

    line: int
    answers: dict[str, Any] | None
    problem: str = ""
    at: str = ""
    whole: bool = False


class _TooLarge(Exception):
    pass


class _Feed:
    """Lines of text for `csv.reader`, keeping the size, quotes and first trouble of a row."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.start()

    def start(self) -> None:
        self.size = self.quotes = 0
        self.trouble: Line | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.size += line.size
        self.quotes += line.text.count('"')
        if self.size > MAX_RECORD_BYTES:
            raise _TooLarge
        if line.problem is not None and self.trouble is None:
            self.trouble = line
        return line.text

    def skip_rest(self) -> None:
        """Drop what is left of a row given up: the lines up to where its quotes close.

        Otherwise the lines of a quoted cell would be read as rows of their own.
        """
        while self.quotes % 2:
            line = next(self.lines, None)
            if line is None:
                return
            self.quotes += line.text.count('"')


def _rows(lines: Lines, delimiter: str) -> Iterator[Row | tuple[int, list[str]]]:
    """Each row's line and cells, or a `Row` saying what is wrong with it.

    A row over `MAX_RECORD_BYTES` is given up at the line where it grows too
    large; the next row starts on the line after.
    """
    feed = _Feed(lines)
    reader: Any = csv.reader(feed, delimiter=delimiter)
    while True:
        feed.start()
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except (_TooLarge, csv.Error) as exc:
            line = lines.number
            feed.skip_rest()
            problem = TOO_LARGE if isinstance(exc, _TooLarge) else f"not valid CSV: {exc}"
            yield Row(line, None, problem, str(line))
            continue
        bad = feed.trouble
        if bad is not None and bad.problem is not None:
            yield Row(lines.number, None, bad.problem, f"{bad.number}:{bad.column}")
            continue
        yield lines.number, cells


def csv_records(lines: Lines, delimiter: str) -> Iterator[Row]:
    """A header row of answer IDs, then one record per row; empty cells are no answer.

    With `;` between cells, a cell's `multi` codes are joined by `|` and read
    as a list (but in the `id` column); with any other delimiter they are
    joined by `;`, which the answer's validation splits.
    """
    rows = _rows(lines, delimiter)
    first = next(rows, None)
    if first is None or isinstance(first, Row):
        problem = first.problem if first else "is empty; expected a header row of answer IDs"
        yield Row(0, None, problem, first.at if first else "", whole=True)
        return
    header_line, cells = first
    header = [cell.strip() for cell in cells]
    named: set[str] = set()
    for column in filter(None, header):
        if column in named:
            problem = f"column '{column}' is named twice in the header"
            yield Row(0, None, problem, str(header_line), whole=True)
            return
        named.add(column)
    for row in rows:
        record = row if isinstance(row, Row) else _record(*row, header, delimiter)
        if record is not None:
            yield record


def _record(line: int, cells: list[str], header: list[str], delimiter: str) -> Row | None:
    """The record of one row (None for a row of empty cells)."""
    if len(cells) > len(header) and any(cell.strip() for cell in cells):
        holds = {",": "a comma", "\t": "a tab"}.get(delimiter, f"a '{delimiter}'")
        problem = (
            f"{len(cells)} cells, but the header names {len(header)} columns; "
            f"quote a cell that holds {holds}"
        )
        return Row(line, None, problem, str(line))
    answers: dict[str, Any] = {}
    for number, (column, cell) in enumerate(zip(header, cells, strict=False), start=1):
        value = cell.strip()
        if value and not column:
            problem = (
                f"a value in column {number}, which has no name in the header; "
                "name it with an answer ID"
            )
            return Row(line, None, problem, str(line))
        if value:
            answers[column] = _codes(column, value) if delimiter == ";" else value
    return Row(line, answers) if answers else None


def list_separator(delimiter: str) -> str:
    """What separates the codes of a list in one CSV cell: `;`, or `|` when `;`
    already separates the cells (European exports)."""
    return "|" if delimiter == ";" else ";"


def _codes(column: str, cell: str) -> str | list[str]:
    """A cell of a `;`-separated file: `neck|temples` is a list of codes."""
    bar = list_separator(";")
    if bar not in cell or column == RECORD_ID:
        return cell
    return [part.strip() for part in cell.split(bar) if part.strip()]


# --- JSON ---------------------------------------------------------------------


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


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset in a text."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def json_value(text: str) -> tuple[Any, tuple[int, int, str] | None]:
    """The value of a JSON text, or (line, column, what is wrong), line relative to `text`."""
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
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
