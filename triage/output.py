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
import json
import sys
from typing import IO, Any

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
        self.fmt = fmt
        self.single = single
        self.content = content
        self.stream = stream or sys.stdout
        self.count = 0
        self.console: Any = None
        self.interactive = self.stream.isatty()
        self.joiner = "|" if delimiter == ";" else ";"
        self.csv = csv.writer(self.stream, delimiter=delimiter, lineterminator="\n")
        if fmt == "csv":
            self.csv.writerow(CSV_COLUMNS)

    def write(self, obj: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            self.csv.writerow(csv_row(obj, self.joiner))
        elif self.fmt == "json" and self.single:
            self.stream.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
        elif self.fmt == "json":
            self.stream.write(
                ("[\n" if self.count == 0 else ",\n") + json.dumps(obj, ensure_ascii=False)
            )
        else:
            from . import render

            if self.console is None:
                self.console = render.console(self.stream)
            elif self.count:
                self.console.print()
            self.console.print(render.result(obj, self.content))
        self.count += 1
        if self.interactive:
            self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json" and not self.single:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()
