"""The records of a raw REDCap export (`triage assess --input-format redcap`).

A raw export is CSV with a header of variable names.  The first column is the
record ID (`record_id` in the dictionary `triage export redcap` writes); it
becomes the record's `id`.  Each row with an answer is a record, located as
`file:LINE`: in a longitudinal project or with repeating instruments a record
ID has several rows, one per event or instance, each assessed on its own.

- A checkbox is exported as one column per code, `field___code`, holding `1`
  when ticked and `0` when not; the ticked codes are folded back into one
  `multi` answer, in column order (none ticked: no answer).
- `redcap_event_name`, `redcap_repeat_instrument`, `redcap_repeat_instance`,
  any other `redcap_*` column and each form's `{form}_complete` are REDCap's
  bookkeeping, not answers: they are left out.  A row holding nothing else
  (an event where no form was filled) is skipped.
- A label export is refused: its header holds field labels, not variable
  names, or its cells hold labels (`Checked`, `Complete`, an event's label).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from triage.intake.csvrows import Row, _rows
from triage.intake.lines import Lines
from triage.intake.record import Record, failed
from triage.model import RECORD_ID

_VARIABLE = re.compile(r"[a-z][a-z0-9_]*")
_CHECKBOX = re.compile(r"(?P<field>[a-z][a-z0-9_]*?)___(?P<code>[a-z0-9_]+)")
_EVENT = "redcap_event_name"
_TICKS = {"1": True, "0": False, "": False}
RAW_EXPORT = "export the data from REDCap as 'CSV / Microsoft Excel (raw data)'"
LABEL_HEADER = (
    "is a REDCap export with labels in the header ('{label}'), not variable names; " + RAW_EXPORT
)
LABEL_CELLS = (
    "is a REDCap export with labels in its cells ('{value}' in column '{column}'), "
    "not raw codes; " + RAW_EXPORT
)


def redcap_records(name: str, lines: Lines) -> Iterator[Record]:
    """The records of a raw REDCap export, in order (see the module's docstring)."""
    rows = _rows(lines, ",")
    first = next(rows, None)
    if first is None or isinstance(first, Row):
        problem = first.problem if first else "is empty; expected a REDCap export"
        yield failed(f"{name}:{first.at}" if first and first.at else name, problem, name)
        return
    header_line, cells = first
    header = [cell.strip() for cell in cells]
    label = next((c for c in header if c and not _VARIABLE.fullmatch(c)), None)
    if label is not None:
        yield failed(f"{name}:{header_line}", LABEL_HEADER.format(label=label[:60]), name)
        return
    doubled = next((c for n, c in enumerate(header) if c and c in header[:n]), None)
    if doubled is not None:
        problem = f"column '{doubled}' is named twice in the header"
        yield failed(f"{name}:{header_line}", problem, name)
        return
    for row in rows:
        if isinstance(row, Row):
            where = f"{name}:{row.line}"
            yield failed(f"{name}:{row.at}", row.problem, where)
            continue
        line, cells = row
        where = f"{name}:{line}"
        if len(cells) != len(header):
            if any(cell.strip() for cell in cells):
                problem = f"{len(cells)} cells, but the header names {len(header)} columns"
                yield failed(where, problem, where)
            continue
        answers, labelled = _answers(header, [cell.strip() for cell in cells])
        if labelled is not None:
            yield failed(where, LABEL_CELLS.format(value=labelled[1], column=labelled[0]), name)
            return
        if answers is not None:
            yield Record(where, answers=answers)


def _answers(
    header: list[str], cells: list[str]
) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """A row's answers (None: no answer) or the column and cell that hold a label."""
    answers: dict[str, Any] = {RECORD_ID: cells[0]} if cells[0] else {}
    ticks: dict[str, list[str]] = {}
    for column, value in zip(header[1:], cells[1:], strict=True):
        if not column:
            continue
        if column.startswith("redcap_") or column.endswith("_complete"):
            status = column.endswith("_complete") and not value.isdigit()
            event = column == _EVENT and not _VARIABLE.fullmatch(value)
            if value and (status or event):
                return None, (column, value)
            continue
        checkbox = _CHECKBOX.fullmatch(column)
        if checkbox is not None:
            ticked = _TICKS.get(value)
            if ticked is None:
                return None, (column, value)
            codes = ticks.setdefault(checkbox["field"], [])
            if ticked:
                codes.append(checkbox["code"])
        elif value:
            answers[column] = value
    answers.update((field, codes) for field, codes in ticks.items() if codes)
    if not answers.keys() - {RECORD_ID}:
        return None, None
    return answers, None
