"""The records of a CSV file: a header row of answer IDs, then one record per row.

Rows come from `Lines`, so a bad byte or an oversized row spoils only its own
record.  Each record says what is wrong and where (`line` or `line:column`);
`triage.intake.read` makes `Record`s of them.  `list_separator` is the one
place that says how a cell separates a list of codes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, NamedTuple

from triage.intake.lines import MAX_RECORD_BYTES, TOO_LARGE, Line, Lines
from triage.model import RECORD_ID


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
