"""One record of an answers file, or why it cannot be read.

Values are not checked here; every answer goes through the engine's single
validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAPPING = "expected a mapping of answer ID to value"


@dataclass(frozen=True)
class Record:
    """One record of an answers file, or why it cannot be read.

    `source` says where it came from (`answers.yaml`, `intake.jsonl:12`);
    `error` is the whole message, located (`intake.jsonl:12:5: ...`);
    `fallback_id` is the ID an unreadable record is reported under;
    `warnings` says what the reader left out or read with care (a FHIR item,
    say), each naming what it is about: they join the result's warnings;
    `file_warnings`, on a file's first record only, are its file's own, whole
    lines for standard error said once before anything about the record
    (`intake.csv:1: warning: column 'Notes' is not an answer ID; ignored`).

    `line` is a JSONL line not parsed yet (`answers` and `error` are None
    then): `triage.intake.documents.parsed` reads it where the record is
    assessed, so that a batch spread over processes hands its workers text
    and each parses its own lines.
    """

    source: str
    answers: dict[str, Any] | None = None
    error: str | None = None
    fallback_id: Any = None
    warnings: tuple[str, ...] = ()
    file_warnings: tuple[str, ...] = ()
    line: str | None = None


def failed(where: str, message: str, name: str | None = None) -> Record:
    """A record that cannot be read; a whole file (`name`) is reported under its name."""
    return Record(name or where, error=f"{where}: {message}", fallback_id=name or where)


def as_record(where: str, value: Any) -> Record:
    """The record a parsed document or line holds: a mapping of answers, else why not."""
    if isinstance(value, dict):  # its keys are strings already (JSON's, or YAML's as written)
        return Record(where, answers=value)
    if value is None or value == "":
        return failed(where, f"is empty; {MAPPING}")
    what = "a list" if isinstance(value, list) else f"{type(value).__name__} {value!r}"[:80]
    return failed(where, f"{MAPPING}, not {what}")
