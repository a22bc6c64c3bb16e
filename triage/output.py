"""Writing result objects as they come: one JSON object, a JSON array, JSONL, CSV or text.

Each result is written as soon as it is ready, so memory holds one at a
time however long the batch.  On a terminal each is flushed at once; into a
file or a pipe the stream's buffer gathers them (a flush per record would
cost a system call each).

`--format csv` is one flat row per record for spreadsheets (`CSV_COLUMNS`):
lists of IDs are joined by `;` (by `|` when the delimiter is `;`).  For a
record that cannot be assessed, `triage_level` is the level its answers
already show and `error` says why.  A cell that a spreadsheet would read as
a formula (starting with =, +, -, @) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import IO, Any

from .lines import list_separator
from .model import Content

CSV_COLUMNS = (
    "id",
    "source",
    "triage_level",
    "red_flags",
    "headache_types",
    "recommendation",
    "contraindications",
    "precautions",
    "error",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_row(obj: dict[str, Any], joiner: str = ";") -> list[str]:
    """One result object as a flat row of `CSV_COLUMNS`."""
    needling = obj.get("dry_needling", {})
    error = obj.get("error")
    cells = [
        "" if obj.get("id") is None else str(obj["id"]),
        str(obj.get("source") or ""),
        obj.get("triage_level") or obj.get("triage_level_at_least", ""),
        joiner.join(flag["id"] for flag in obj.get("red_flags", ())),
        joiner.join(p["id"] for p in obj.get("headache_types", ())),
        needling.get("recommendation", ""),
        joiner.join(needling.get("contraindications", ())),
        joiner.join(needling.get("precautions", ())),
        error["message"] if error else "",
    ]
    return ["'" + cell if cell.startswith(_FORMULA) else cell for cell in cells]


ENCODED = ("jsonl", "csv", "json-array")  # what a worker process can write out itself


def kind(fmt: str, single: bool) -> str:
    """The way results are written: json-single, json-array, jsonl, csv or text."""
    return ("json-single" if single else "json-array") if fmt == "json" else fmt


def encode(way: str, obj: dict[str, Any], delimiter: str = ",") -> str | None:
    """One result as the text the output holds for it (without separators), or
    None when only the object will do (text, a single JSON object)."""
    if way == "jsonl":
        return json.dumps(obj, ensure_ascii=False) + "\n"
    if way == "json-array":
        return json.dumps(obj, ensure_ascii=False)
    if way == "csv":
        line = io.StringIO()
        row = csv_row(obj, list_separator(delimiter))
        csv.writer(line, delimiter=delimiter, lineterminator="\n").writerow(row)
        return line.getvalue()
    return None


class Output:
    """Writes result objects in one format to one stream."""

    def __init__(
        self,
        fmt: str,
        single: bool,
        content: Content,
        stream: IO[str] | None = None,
        delimiter: str = ",",
    ) -> None:
        self.content = content
        self.stream = stream or sys.stdout
        self.count = 0
        self.console: Any = None
        self.interactive = self.stream.isatty()
        self.way = kind(fmt, single)
        self.delimiter = delimiter
        if fmt == "csv":
            csv.writer(self.stream, delimiter=delimiter, lineterminator="\n").writerow(CSV_COLUMNS)

    def write(self, obj: dict[str, Any] | str) -> None:
        """Write one result: its object, or the text `encode` made of it."""
        piece = obj if isinstance(obj, str) else encode(self.way, obj, self.delimiter)
        if piece is not None:
            if self.way == "json-array":
                piece = ("[\n" if self.count == 0 else ",\n") + piece
            self.stream.write(piece)
        elif self.way == "json-single":
            assert isinstance(obj, dict)
            self.stream.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
        else:
            from . import render

            assert isinstance(obj, dict)
            if self.console is None:
                self.console = render.console(self.stream)
            elif self.count:
                self.console.print()
            self.console.print(render.result(obj, self.content))
        self.count += 1
        if self.interactive:
            self.stream.flush()

    def close(self) -> None:
        if self.way == "json-array":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()
