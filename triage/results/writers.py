"""Writing result objects as they come: one JSON object, a JSON array, JSONL, CSV or text.

Each result is written as soon as it is ready, so memory holds one at a
time however long the batch.  On a terminal (or with `line_buffered`) each
is flushed at once.  Into a file or a pipe they are gathered here and
written in blocks of about `BLOCK` characters, or once a result has waited
`WAIT` seconds (looked at when the next one comes), and at the end: a write
per record would cost a system call each where standard output is
unbuffered (`PYTHONUNBUFFERED`, `python -u`).

`--format csv` is one flat row per record for spreadsheets (`CSV_COLUMNS`),
lists of IDs joined by `;` (by `|` when the delimiter is `;`):

- `id`: the record's `id` (for a file that cannot be read, its name);
  `source`: where it was read, `file:line` in a batch;
- `triage_level`: `emergency`, `urgent`, `soon` or `routine` for a record
  assessed; `not_assessed` for one that could not be (never a level: a
  spreadsheet sorted or filtered by it never reads such a row as routine);
- `red_flags`: the red flags that fired (for a record not assessed, those
  its valid answers already fire);
- `headache_types`, `recommendation`, `contraindications`, `precautions`:
  every pattern found, and dry needling; empty for a record not assessed;
- `error`: why a record could not be assessed (empty when it was);
- `main_headache`, `other_headache` (spec v3): `headache_types` split by the
  headache they belong to (`other_headache` = `yes`); a pattern of the
  person, `medication_overuse`, is in `headache_types` only;
- `triage_level_at_least`: the level the row reaches for certain, to sort
  or filter on: the triage level of a record assessed; for one not assessed,
  the level its valid answers already reach (`routine` when they show no
  red flag), the JSON error object's `triage_level_at_least`; empty when no
  answer could be read at all (a file not found, a header of no answer ID):
  there is no level then (the JSON keeps the contract's `routine`).

A cell that a spreadsheet would read as a formula (starting with =, +, -,
@) gets a leading apostrophe, and so does each line of a cell after a line
break; a cell holding a line break of any kind (CR, LF, U+2028, ...), the
delimiter or a quote is quoted, so that no spreadsheet starts a new row
inside it.  Columns are only ever added at the end, so scripts that read the
others keep working.

Nothing in a record makes a writer fail or split a line: a lone surrogate
(`"\\ud800"` in JSON, which cannot be encoded as UTF-8) is written as its JSON
escape, which reads back as it was, and shown as that escape in CSV and text;
JSON also escapes U+2028, U+2029 and NEL, which line readers split on.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from typing import IO, Any

from triage.intake.csvrows import list_separator
from triage.results.contract import ErrorObject, Outcome
from triage.results.jsonline import escaped, json_text, safe

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
    "triage_level_at_least",
)
NOT_ASSESSED = "not_assessed"  # the `triage_level` cell of a record that could not be assessed
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# what a spreadsheet or a line reader may take for the end of a row
_BREAK = re.compile("(\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _defused(cell: str) -> str:
    """A cell as a spreadsheet may safely read it: each of its lines that would
    start a formula after an apostrophe, a lone surrogate as its escape."""
    if not cell.isascii() and _SURROGATE.search(cell):
        cell = _SURROGATE.sub(escaped, cell)
    if _BREAK.search(cell) is None:
        return "'" + cell if cell.startswith(_FORMULA) else cell
    parts = _BREAK.split(cell)  # lines, with the breaks between them
    return "".join(
        "'" + part if n % 2 == 0 and part.startswith(_FORMULA) else part
        for n, part in enumerate(parts)
    )


def _csv_line(cells: list[str] | tuple[str, ...], delimiter: str = ",") -> str:
    """One CSV row: a cell quoted when it holds the delimiter, a quote or any line break."""
    out = []
    for cell in cells:
        if delimiter in cell or '"' in cell or _BREAK.search(cell):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return delimiter.join(out) + "\n"


def _visible(value: Any) -> Any:
    """A result object with each lone surrogate in its text written as its escape."""
    if isinstance(value, str):
        return _SURROGATE.sub(escaped, value)
    if isinstance(value, dict):
        return {_visible(k): _visible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_visible(v) for v in value]
    return value


def level_at_least(obj: ErrorObject) -> str | None:
    """The level an error object reaches for certain; None when no answer was read
    (the JSON keeps the contract's `routine`, but CSV and counts must not)."""
    error, flags = obj["error"], obj["red_flags"]
    return (
        None
        if not (error["missing"] or error["invalid"] or flags)
        else obj["triage_level_at_least"]
    )


def csv_row(obj: Outcome, joiner: str = ";") -> list[str]:
    """One result object (or error object) as a flat row of `CSV_COLUMNS`."""
    flags = joiner.join(flag["id"] for flag in obj["red_flags"])
    head = ["" if obj["id"] is None else str(obj["id"]), str(obj.get("source") or "")]
    if "error" in obj:
        level, at_least = NOT_ASSESSED, level_at_least(obj) or ""
        rest = ["", "", "", "", obj["error"]["message"], "", ""]
    else:
        needling = obj["dry_needling"]
        level = at_least = obj["triage_level"]
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
    return [_defused(cell) for cell in (*head, level, flags, *rest, at_least)]


ENCODED = ("jsonl", "csv", "json-array")  # what a worker process can write out itself


def way_of(fmt: str, single: bool) -> str:
    """The way results are written: json-single, json-array, jsonl, csv or text."""
    return ("json-single" if single else "json-array") if fmt == "json" else fmt


def encode(way: str, obj: Outcome, delimiter: str = ",") -> str | None:
    """One result as the text the output holds for it (without separators), or
    None when only the object will do (text, a single JSON object)."""
    if way == "jsonl":
        return json_text(obj) + "\n"
    if way == "json-array":
        return json_text(obj)
    if way == "csv":
        return _csv_line(csv_row(obj, list_separator(delimiter)), delimiter)
    return None


Show = Callable[[Outcome, bool], None]  # writes one object as text; true: not the first


BLOCK = 1 << 16  # characters gathered before they are written, into a file or pipe
WAIT = 1.0  # seconds a gathered result may wait for the next before it is written


class Output:
    """Writes result objects in one format to one stream.

    The text format is drawn by `show` (the command line passes the renderer's),
    so that this module stays below the presentation layer.  `line_buffered`
    writes and flushes each result at once, as on a terminal.
    """

    def __init__(
        self,
        fmt: str,
        single: bool,
        stream: IO[str] | None = None,
        delimiter: str = ",",
        show: Show | None = None,
        line_buffered: bool = False,
    ) -> None:
        self.stream = stream or sys.stdout
        self.count = 0
        self.show = show
        self.interactive = line_buffered or self.stream.isatty()
        self.way = way_of(fmt, single)
        self.delimiter = delimiter
        self._held: list[str] = []  # text gathered, not yet written
        self._size = 0
        self._since = 0.0  # when the first of `_held` came
        if fmt == "csv":
            self._put(_csv_line(CSV_COLUMNS, delimiter))

    def write(self, obj: Outcome | str) -> None:
        """Write one result: its object, or the text `encode` made of it."""
        piece = obj if isinstance(obj, str) else encode(self.way, obj, self.delimiter)
        if piece is not None:
            if self.way == "json-array":
                piece = ("[\n" if self.count == 0 else ",\n") + piece
            self._put(piece)
        elif self.way == "json-single":
            assert isinstance(obj, dict)
            self._put(safe(json.dumps(obj, ensure_ascii=False, indent=2)) + "\n")
        else:
            assert isinstance(obj, dict) and self.show is not None
            self._write_held()
            self.show(_visible(obj), self.count > 0)
        self.count += 1
        if self.interactive:
            self.flush()

    def _put(self, text: str) -> None:
        """Gather `text`; write what is gathered once it is large or has waited."""
        held = self._held
        if not held:
            self._since = time.monotonic()
        held.append(text)
        self._size += len(text)
        if self._size >= BLOCK or time.monotonic() - self._since >= WAIT:
            self._write_held()

    def _write_held(self) -> None:
        if self._held:
            text = "".join(self._held)
            self._held.clear()
            self._size = 0
            self.stream.write(text)

    def flush(self) -> None:
        """Write what is gathered, and flush the stream (also when a run is cut short:
        every result made by then is written)."""
        self._write_held()
        self.stream.flush()

    def close(self) -> None:
        if self.way == "json-array":
            self._put("[]\n" if self.count == 0 else "\n]\n")
        self.flush()
