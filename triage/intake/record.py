"""One record of an answers file, or why it cannot be read.

Values are not checked here; every answer goes through the engine's single
validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

MAPPING = "expected a mapping of answer ID to value"


@dataclass(frozen=True)
class Record:
    """One record of an answers file, or why it cannot be read.

    `source` says where it came from (`answers.yaml`, `intake.jsonl:12`);
    `error` is the whole message, located (`intake.jsonl:12:5: ...`);
    `fallback_id` is the ID an unreadable record is reported under;
    `warnings` says what the reader left out or read with care (a FHIR item,
    say), each naming what it is about: they join the result's warnings.
    """

    source: str
    answers: dict[str, Any] | None = None
    error: str | None = None
    fallback_id: Any = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class WithFileWarnings(Record):
    """The first record read from a file, bringing the file's own warnings with it.

    `file_warnings` are whole lines for standard error, each located where its
    file says it (`intake.csv:1: warning: column 'Notes' is not an answer ID;
    ignored`): said once for the file, before anything about this record.
    They are not the record's warnings, which name the record's own answers.
    """

    file_warnings: tuple[str, ...] = ()


def with_file_warnings(record: Record, warnings: Sequence[str]) -> Record:
    """`record`, bringing its file's `warnings` (none: the record itself)."""
    if not warnings:
        return record
    kept = {field.name: getattr(record, field.name) for field in fields(Record)}
    return WithFileWarnings(**kept, file_warnings=tuple(warnings))


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
