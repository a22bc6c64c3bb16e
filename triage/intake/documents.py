"""The records of each kind of answers file: YAML and JSON (one record each),
JSONL (one per line) and CSV (one per row after the header).

Nothing in a file can run code: YAML goes through the checked composer of
`triage.safeyaml` (no aliases, no tags), JSON through `triage.intake.jsontext`.
Every problem is located as `file:line:col` and spoils only its own record.

A YAML document that is no mapping but looks like CSV (standard input, say,
which is never guessed to be CSV) is refused with the options that read it.

A JSON document or JSONL line that is a FHIR resource (an object with a
`resourceType`, which no answer ID is) is read by `triage.intake.fhir`,
imported only then, against the Questionnaire `questionnaire` gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from triage.intake.csvrows import (
    csv_records,
    delimiter_option,
    looks_like_answer_id,
    separated,
)
from triage.intake.jsontext import json_value, position
from triage.intake.lines import Line, Lines
from triage.intake.record import MAPPING, Record, as_record, failed
from triage.safeyaml import YamlProblem, compose, to_python

FhirQuestionnaire = Callable[[], Mapping[str, Any]]  # as `triage.intake.fhir` reads it
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # a CSV header's cell, told from other text
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def yaml_records(name: str, text: str) -> Iterator[Record]:
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, column = position(text, bad.start())
        message = f"not valid YAML: the control character U+{ord(bad.group()):04X} is not allowed"
        yield failed(f"{name}:{line}:{column}", message, name)
        return
    try:
        root = compose(text)
        value = None if root is None else to_python(root)
        if root is not None and isinstance(value, dict):
            # keys as written: `123:` or `yes:` is an answer ID, not a number or a bool
            value = {str(key.value): to_python(node) for key, node in root.value}
    except YamlProblem as exc:
        message = exc.message
        if (hint := _csv_hint(text)) is not None:
            yield failed(name, f"{MAPPING}; {hint}", name)
            return
        if "another document" in message or "single document" in message:
            message = (
                "holds more than one YAML document; give one record per file, "
                "or use JSONL or CSV for several"
            )
        yield failed(f"{name}:{exc.line}:{exc.column}", message, name)
        return
    if isinstance(value, str) and (hint := _csv_hint(text)) is not None:
        yield failed(name, f"{MAPPING}; {hint}", name)
        return
    yield as_record(name, value)


def _csv_hint(text: str) -> str | None:
    """What to give when a text that is no YAML mapping looks like CSV: its first line
    is two or more names, answer IDs among them, separated by `,`, `;`, a tab or `|`.
    Standard input is never guessed to be CSV (a header row is also valid YAML)."""
    line = next(filter(None, (part.strip() for part in text[:4096].splitlines())), "")
    delimiter = separated(line, looks_like_answer_id)
    if delimiter is None or not all(
        _NAME.fullmatch(cell.strip().strip('"')) for cell in line.split(delimiter)
    ):
        return None
    words, option = delimiter_option(delimiter)
    give = "--input-format csv" + ("" if delimiter == "," else f" --csv-delimiter {option}")
    return f"this looks like CSV (its first line names answers separated by {words}): give {give}"


def is_yaml_mapping(text: str) -> bool:
    try:
        root = compose(text)
    except YamlProblem:
        return False
    return root is not None and isinstance(to_python(root), dict)


def json_records(
    name: str, text: str, questionnaire: FhirQuestionnaire | None = None, fhir: bool = False
) -> Iterator[Record]:
    """One JSON document: a record, or a FHIR resource's (any object, with `fhir`)."""
    if not text.strip():
        yield failed(name, f"is empty; {MAPPING}")
        return
    value, problem = json_value(text)
    if problem is not None:
        line, column, message = problem
        yield failed(f"{name}:{line}:{column}", message, name)
        return
    yield from _records(name, value, questionnaire, fhir)


def _records(
    where: str, value: Any, questionnaire: FhirQuestionnaire | None, fhir: bool = False
) -> Iterator[Record]:
    if fhir or (isinstance(value, dict) and "resourceType" in value):
        from triage.intake.fhir import responses  # only a FHIR resource needs it

        yield from responses(where, value, questionnaire)
    else:
        yield as_record(where, value)


BLOCK_BYTES = 1 << 18  # the JSONL lines handed on together, unsplit (see `Block`)


@dataclass(frozen=True)
class Block:
    """Whole JSONL lines of `name` from line `first` on, as raw bytes, to be split
    and read by whoever assesses them (a worker process: see `jsonl_records`)."""

    name: str
    first: int
    data: bytes

    def records(self) -> Iterator[Record]:
        """Its records, each line as `jsonl_records` reads it (unparsed)."""
        return jsonl_records(self.name, Lines(None, self.data, self.first))


def jsonl_records(
    name: str, lines: Lines, questionnaire: FhirQuestionnaire | None = None
) -> Iterator[Record]:
    """One JSON object per line; a bad line is an error of its own, the others still count.
    A line may be a FHIR resource (FHIR's NDJSON).

    The usual line is handed on unparsed (`Record.line`, read by `parsed`): one
    that cannot name a `resourceType` (neither the word nor a `\\u` escape is in
    it) is one record whatever it holds.  A FHIR line is read here.
    """
    for line in lines:
        yield from _line_records(name, line, questionnaire)


def jsonl_blocks(
    name: str, lines: Lines, questionnaire: FhirQuestionnaire | None = None
) -> Iterator[Record | Block]:
    """`jsonl_records`, with whole lines that cannot name a `resourceType` handed
    on unsplit, as `Block`s (a line that `Lines.block` does not take, alone)."""
    while True:
        got = lines.block(BLOCK_BYTES)
        if got is not None:
            if b"resourceType" not in got[1] and b"\\u" not in got[1]:
                yield Block(name, *got)
            else:  # FHIR perhaps: read here, a line at a time
                yield from jsonl_records(name, Lines(None, got[1], got[0]), questionnaire)
            continue
        line = next(lines, None)
        if line is None:
            return
        yield from _line_records(name, line, questionnaire)


def _line_records(
    name: str, line: Line, questionnaire: FhirQuestionnaire | None
) -> Iterator[Record]:
    where = f"{name}:{line.number}"
    if line.problem is not None:
        yield failed(f"{where}:{line.column}" if line.column else where, line.problem, where)
        return
    if not line.text.strip():
        return
    text = line.text.removesuffix("\n").removesuffix("\r")
    if "resourceType" not in text and "\\u" not in text:
        yield Record(where, fallback_id=where, line=text)
        return
    value, problem = json_value(text)
    if problem is not None:
        _, column, message = problem
        yield failed(f"{where}:{column}", message, where)
    else:
        yield from _records(where, value, questionnaire)


def parsed(record: Record) -> Record:
    """A record whose JSONL line is read: its answers, or why it cannot be read
    (a record with no `line` as it is)."""
    if record.line is None:
        return record
    where = record.source
    value, problem = json_value(record.line)
    if problem is not None:
        _, column, message = problem
        return failed(f"{where}:{column}", message, where)
    return as_record(where, value)


def csv_file_records(
    name: str, lines: Lines, delimiter: str, answer_ids: Collection[str] | None = None
) -> Iterator[Record]:
    """A header row of answer IDs, then one record per row (see `csv_records`).

    The header's warnings come with the first record, as its `file_warnings`.
    """
    warnings: list[str] = []
    for row in csv_records(lines, delimiter, answer_ids):
        if row.warning:
            warnings.append(f"{name}:{row.at}: warning: {row.problem}")
            continue
        where = f"{name}:{row.line}"
        if row.answers is not None:
            record = Record(where, answers=row.answers)
        else:
            located = f"{name}:{row.at}" if row.at else name
            record = failed(located, row.problem, name if row.whole else where)
        yield replace(record, file_warnings=tuple(warnings)) if warnings else record
        warnings = []
