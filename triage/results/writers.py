"""Writing result objects as they come: one JSON object, a JSON array, JSONL, CSV or text.

Each result is written as soon as it is ready, so memory holds one at a
time however long the batch.  On a terminal each is flushed at once; into a
file or a pipe the stream's buffer gathers them (a flush per record would
cost a system call each).

`--format csv` is one flat row per record for spreadsheets (`CSV_COLUMNS`):
lists of IDs are joined by `;` (by `|` when the delimiter is `;`).
`headache_types` lists every pattern found; the last two columns split them
by the headache they belong to (spec v3): `main_headache` the patterns of the
main headache, `other_headache` those of the other headache (`other_headache`
= `yes`).  A pattern of the person, `medication_overuse`, is in
`headache_types` only.  For a record that cannot be assessed, `triage_level`
is the level its answers already show, `error` says why and the pattern
columns are empty.  A cell that a spreadsheet would read as a formula
(starting with =, +, -, @) gets a leading apostrophe.  Columns are only ever
added at the end, so scripts that read the others keep working.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from typing import IO

from triage.intake.csvrows import list_separator
from triage.results.contract import Outcome

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
    "main_headache",
    "other_headache",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_row(obj: Outcome, joiner: str = ";") -> list[str]:
    """One result object (or error object) as a flat row of `CSV_COLUMNS`."""
    flags = joiner.join(flag["id"] for flag in obj["red_flags"])
    head = ["" if obj["id"] is None else str(obj["id"]), str(obj.get("source") or "")]
    if "error" in obj:
        level = obj["triage_level_at_least"]
        rest = ["", "", "", "", obj["error"]["message"], "", ""]
    else:
        needling = obj["dry_needling"]
        level = obj["triage_level"]
        patterns = obj["headache_types"]
        rest = [
            joiner.join(p["id"] for p in patterns),
            needling["recommendation"],
            joiner.join(needling["contraindications"]),
            joiner.join(needling["precautions"]),
            "",
            joiner.join(p["id"] for p in patterns if p["headache"] == 1),
            joiner.join(p["id"] for p in patterns if p["headache"] == 2),
        ]
    cells = [*head, level, flags, *rest]
    return ["'" + cell if cell.startswith(_FORMULA) else cell for cell in cells]


ENCODED = ("jsonl", "csv", "json-array")  # what a worker process can write out itself


# one encoder for every result (`json.dumps` with options builds one a call)
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def way_of(fmt: str, single: bool) -> str:
    """The way results are written: json-single, json-array, jsonl, csv or text."""
    return ("json-single" if single else "json-array") if fmt == "json" else fmt


def encode(way: str, obj: Outcome, delimiter: str = ",") -> str | None:
    """One result as the text the output holds for it (without separators), or
    None when only the object will do (text, a single JSON object)."""
    if way == "jsonl":
        return _ENCODE(obj) + "\n"
    if way == "json-array":
        return _ENCODE(obj)
    if way == "csv":
        line = io.StringIO()
        row = csv_row(obj, list_separator(delimiter))
        csv.writer(line, delimiter=delimiter, lineterminator="\n").writerow(row)
        return line.getvalue()
    return None


Show = Callable[[Outcome, bool], None]  # writes one object as text; true: not the first


class Output:
    """Writes result objects in one format to one stream.

    The text format is drawn by `show` (the command line passes the renderer's),
    so that this module stays below the presentation layer.
    """

    def __init__(
        self,
        fmt: str,
        single: bool,
        stream: IO[str] | None = None,
        delimiter: str = ",",
        show: Show | None = None,
    ) -> None:
        self.stream = stream or sys.stdout
        self.count = 0
        self.show = show
        self.interactive = self.stream.isatty()
        self.way = way_of(fmt, single)
        self.delimiter = delimiter
        if fmt == "csv":
            csv.writer(self.stream, delimiter=delimiter, lineterminator="\n").writerow(CSV_COLUMNS)

    def write(self, obj: Outcome | str) -> None:
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
            assert isinstance(obj, dict) and self.show is not None
            self.show(obj, self.count > 0)
        self.count += 1
        if self.interactive:
            self.stream.flush()

    def close(self) -> None:
        if self.way == "json-array":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()
