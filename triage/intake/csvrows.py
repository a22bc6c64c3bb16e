"""The records of a CSV file: a header row of answer IDs, then one record per row.

Rows come from `Lines`, so a bad byte or an oversized row spoils only its own
record.  Each record says what is wrong and where (`line` or `line:column`);
`triage.intake.documents` makes `Record`s of them.  `list_separator` is the one
place that says how a cell separates a list of codes.

The header is checked once, so that nothing about it is said again for every
row: a header that names no answer ID (a `;` export read with `,`, say) is one
error for the file, and a column that is not an answer ID one warning.  A
quoted cell that is never closed is located where its quote opened.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, NamedTuple

from triage.engine.answers import quote
from triage.intake.lines import MAX_RECORD_BYTES, TOO_LARGE, Line, Lines
from triage.model import RECORD_ID, UNDONE
from triage.text import did_you_mean


class Row(NamedTuple):
    """A record of a CSV file: its answers, or what is wrong with it and where.

    `line` is the line the row ends on (or the line where a quoted cell that is
    never closed opened), where the record is said to be; `at`
    locates the problem (`line` or `line:column`, empty for the whole file);
    `whole` is true when the problem spoils the whole file (a bad header).
    A `warning` row is no record: `problem` is a warning about the file, at
    `at`, to be said once (a header column that is not an answer ID).
    """

    line: int
    answers: dict[str, Any] | None
    problem: str = ""
    at: str = ""
    whole: bool = False
    warning: bool = False


class _TooLarge(Exception):
    pass


class _Feed:
    """Lines of text for `csv.reader`, keeping the size, quotes and first trouble of a row.

    `opened` is where the row's last quote that is not closed yet stands (line,
    column), told from the count of quotes on each line: a quote inside an
    unquoted cell (`5" tall`) is text, but counts the same, so `opened` is a
    good guess rather than sure.  `ended` is set when the file ends in a row.
    """

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.ended = False
        self.start()

    def start(self) -> None:
        self.size = self.quotes = 0
        self.trouble: Line | None = None
        self.first = self.lines.number + 1  # the line the row starts on
        self.opened: tuple[int, int] | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self._next()
        if line is None:
            raise StopIteration
        self.size += line.size
        if self.size > MAX_RECORD_BYTES:
            raise _TooLarge
        if line.problem is not None and self.trouble is None:
            self.trouble = line
        return line.text

    def _next(self) -> Line | None:
        line = next(self.lines, None)
        if line is None:
            self.ended = True
            return None
        count = line.text.count('"')
        self.quotes += count
        if self.quotes % 2 == 0:
            self.opened = None
        elif count:  # a quote left open, and it opened on this line
            self.opened = (line.number, _opener(line.text))
        return line

    def skip_rest(self) -> None:
        """Drop what is left of a row given up: the lines up to where its quotes close.

        Otherwise the lines of a quoted cell would be read as rows of their own.
        """
        while self.quotes % 2 and self._next() is not None:
            pass

    def never_closed(self) -> Row:
        """The row's error when the file ends inside one of its quoted cells.

        The lines after the quote are not read as rows: they may be the text of
        a cell whose closing quote was lost, and a guess could assess a record
        on answers it does not hold.
        """
        line, column = self.opened or (self.first, 0)  # (its first line: unsure where)
        after = self.lines.number - line
        problem = "a quoted cell opened here is never closed"
        if after:
            lines = "the line after it was" if after == 1 else f"the {after} lines after it were"
            problem += f", so {lines} not read"
        at = f"{line}:{column}" if column else str(line)
        return Row(line, None, f"{problem}; close the quote where the cell ends", at)


def _opener(text: str) -> int:
    """The column of the quote on a line that opens a cell left open: the last quote
    that is not one of a pair (`""` is a quote inside a quoted cell); 0 if unsure."""
    at = text.rfind('"')
    while at > 0 and text[at - 1] == '"':
        at = text.rfind('"', 0, at - 1)
    return at + 1


def _rows(lines: Lines, delimiter: str) -> Iterator[Row | tuple[int, list[str]]]:
    """Each row's line and cells, or a `Row` saying what is wrong with it.

    A row over `MAX_RECORD_BYTES` is given up at the line where it grows too
    large; the next row starts on the line after.  A quoted cell that is never
    closed ends the file: see `_Feed.never_closed`.
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
            if feed.ended and feed.quotes % 2:
                yield feed.never_closed()
                return
            problem = TOO_LARGE if isinstance(exc, _TooLarge) else f"not valid CSV: {exc}"
            yield Row(line, None, problem, str(line))
            continue
        if feed.ended:  # the file ended inside a quoted cell, which took in the rest
            yield feed.never_closed()
            return
        bad = feed.trouble
        if bad is not None and bad.problem is not None:
            yield Row(lines.number, None, bad.problem, f"{bad.number}:{bad.column}")
            continue
        yield lines.number, cells


def csv_records(
    lines: Lines, delimiter: str, answer_ids: Collection[str] | None = None
) -> Iterator[Row]:
    """A header row of answer IDs, then one record per row; empty cells are no answer.

    With `;` between cells, a cell's `multi` codes are joined by `|` and read
    as a list (but in the `id` column); with any other delimiter they are
    joined by `;`, which the answer's validation splits.

    The header is checked once, against `answer_ids` (the questionnaire's),
    or without them against the form every answer ID has (lower-case letters,
    digits and `_`).  A header that names no answer ID spoils the whole file,
    with the delimiter its cells seem to be separated by, if any; a column
    that is not an answer ID is left out of every row, with one warning.
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
    is_answer = answer_ids.__contains__ if answer_ids is not None else looks_like_answer_id
    if not any(is_answer(column) and column not in NOT_ANSWERS for column in named):
        yield Row(0, None, _names_no_answer(header, delimiter, is_answer), str(header_line), True)
        return
    ignored = [c for c in header if c and c not in NOT_ANSWERS and not is_answer(c)]
    for problem in _ignored(ignored, answer_ids):
        yield Row(header_line, None, problem, str(header_line), warning=True)
    left_out = set(ignored)
    columns = [None if c in left_out else c for c in header] if ignored else header
    for row in rows:
        record = row if isinstance(row, Row) else _record(*row, columns, delimiter)
        if record is not None:
            yield record


NOT_ANSWERS = (RECORD_ID, UNDONE)  # keys a record may hold that are not answers
WARNED_COLUMNS = 20  # columns that are not answer IDs named one by one, then how many more
SUGGESTED = 5  # of those, how many get a "did you mean" (difflib against every answer ID)
_DELIMITERS = (",", ";", "\t", "|")
_ANSWER_ID = re.compile(r"[a-z][a-z0-9_]*")


def looks_like_answer_id(name: str) -> bool:
    """Whether `name` has the form of an answer ID: lower-case ASCII letters, digits and
    `_`, starting with a letter (as `triage validate` requires of every question ID)."""
    return _ANSWER_ID.fullmatch(name) is not None


def separated(line: str, is_answer: Callable[[str], bool], but: str = "") -> str | None:
    """The delimiter (`,`, `;`, a tab or `|`; not `but`) that splits `line` into two or
    more cells naming the most answers (at least one), if any."""
    best, most = None, 0
    for delimiter in _DELIMITERS:
        cells = [cell.strip().strip('"').strip() for cell in line.split(delimiter)]
        if delimiter == but or len(cells) < 2:
            continue
        count = sum(1 for cell in cells if cell not in NOT_ANSWERS and is_answer(cell))
        if count > most:
            best, most = delimiter, count
    return best


def delimiter_option(delimiter: str) -> tuple[str, str]:
    """How a delimiter is named in words, and how `--csv-delimiter` takes it."""
    return ("tabs", "tab") if delimiter == "\t" else (f"'{delimiter}'", f"'{delimiter}'")


def _names_no_answer(header: list[str], delimiter: str, is_answer: Callable[[str], bool]) -> str:
    found = separated(delimiter.join(header), is_answer, but=delimiter)
    if found is None:
        hint = "the first row must name each column by its answer ID (triage questions lists them)"
    else:
        words, option = delimiter_option(found)
        hint = f"its cells look separated by {words}: give --csv-delimiter {option}"
    return f"the header names no answer ID; {hint}"


def _ignored(columns: list[str], answer_ids: Collection[str] | None) -> list[str]:
    """The warnings for a header's columns that are not answer IDs, capped."""
    warnings = [
        f"column {quote(column)} is not an answer ID; ignored"
        + (did_you_mean(column, answer_ids) if answer_ids and n < SUGGESTED else "")
        for n, column in enumerate(columns[:WARNED_COLUMNS])
    ]
    more = len(columns) - WARNED_COLUMNS
    if more > 0:
        noun = "column that is not an answer ID" if more == 1 else "columns that are not answer IDs"
        warnings.append(f"and {more} more {noun}; ignored")
    return warnings


def _record(
    line: int, cells: list[str], header: Sequence[str | None], delimiter: str
) -> Row | None:
    """The record of one row (None for a row of empty cells); a column named None is
    left out (it is not an answer ID, as the header's warning said)."""
    if len(cells) > len(header) and any(cell.strip() for cell in cells):
        holds = {",": "a comma", "\t": "a tab"}.get(delimiter, f"a '{delimiter}'")
        problem = (
            f"{len(cells)} cells, but the header names {len(header)} columns; "
            f"quote a cell that holds {holds}"
        )
        return Row(line, None, problem, str(line))
    answers: dict[str, Any] = {}
    for number, (column, cell) in enumerate(zip(header, cells, strict=False), start=1):
        if column is None:
            continue
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
