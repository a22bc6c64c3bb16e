"""Reading answers files: YAML, JSON, JSONL and CSV, from files or standard input.

Each input yields `Record`s in order: a mapping of raw answers, or the reason
the record (or the whole file) cannot be read, located as `file:line:col`.
Values are not checked here; every answer goes through the engine's single
validation.  Nothing in a file can run code: YAML goes through the checked
composer of `triage.safeyaml` (no aliases, no tags), JSON through `json`.

A YAML or JSON file is one record, read whole; one over `MAX_DOCUMENT_BYTES`
(10 MiB) is an error.  JSONL and CSV are read a record at a time
(`triage.intake.lines`), so a batch of millions takes no more memory than one record: a line or row
over `MAX_RECORD_BYTES` (1 MiB), or one that is not UTF-8, is an error of its
own and the rest are still read.

A raw REDCap export (`redcap`, only when given as the format) is read by
`triage.intake.redcap`, imported only then.  FHIR (`triage.intake.fhir`,
imported only when met): a JSON document or JSONL line that is a FHIR
resource is read as one, a QuestionnaireResponse or a Bundle of them, against
the Questionnaire `questionnaire` gives; `fhir` as the format reads a JSON
document as FHIR whatever it holds.

CSV: UTF-8 with or without a byte-order mark; a header row of answer IDs,
then one record per row, located by the line it ends on; an empty cell is no
answer.  Cells are separated by commas, and a `multi` answer's codes in a cell
are joined by `;` (`neck;temples`).  With `csv_delimiter=";"`, as European
spreadsheets export, cells are separated by `;` and codes joined by `|`
(`neck|temples`, read as a list).  Any other delimiter (a tab, say) keeps `;`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from triage.intake.documents import (
    Block,
    FhirQuestionnaire,
    csv_file_records,
    json_records,
    jsonl_blocks,
    jsonl_records,
    parsed,
    yaml_records,
)
from triage.intake.lines import Lines
from triage.intake.record import Record, failed
from triage.safeyaml import MAX_DOCUMENT_BYTES

if TYPE_CHECKING:
    from triage.intake.stdin import Binary

FORMATS = ("yaml", "json", "jsonl", "csv")
INPUT_FORMATS = (*FORMATS, "redcap", "fhir")  # REDCap and (forced) FHIR only when asked for
_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
STDIN = "-"
STDIN_NAME = "<stdin>"
# the CSV delimiter, the FHIR Questionnaire, the answer IDs a CSV header is checked against
Item = Record | Block
_How = tuple[str, FhirQuestionnaire | None, Collection[str] | None, bool]  # bool: blocks
DOCUMENT_TOO_LARGE = (
    "is larger than 10 MiB (the limit for one YAML or JSON document); "
    "give one record per file, or use JSONL or CSV for a batch"
)


def format_of(path: str, given: str | None) -> str | None:
    """The input format: as given, else from the file name (None: guess from content)."""
    if given:
        return given
    if path == STDIN:
        return None
    return _SUFFIXES.get(Path(path).suffix.lower())


def read(
    path: str,
    fmt: str | None,
    stdin: IO[str] | None = None,
    *,
    csv_delimiter: str = ",",
    questionnaire: FhirQuestionnaire | None = None,
    answer_ids: Collection[str] | None = None,
) -> tuple[str | None, Iterator[Record]]:
    """The format of one input (as given, by its name or guessed) and its records, in order.

    A file is opened when its records are first asked for.  Standard input is
    looked at now, to guess its format when none is given: see `triage.intake.stdin`.
    `csv_delimiter` is one character, not a quote or a line end (see above).
    `questionnaire` gives the FHIR Questionnaire responses are read against
    (None: a FHIR resource is an error saying that only `triage assess` reads one).
    `answer_ids` are what a CSV header's columns are checked against, once
    (None: only their form is).
    """
    fmt, found = _read(path, fmt, stdin, (csv_delimiter, questionnaire, answer_ids, False))
    return fmt, _parsed(found)


def _parsed(found: Iterator[Item]) -> Iterator[Record]:
    for item in found:
        assert isinstance(item, Record)  # a Block only ever comes from `read_batch`
        yield parsed(item)


def read_batch(
    path: str,
    fmt: str | None,
    stdin: IO[str] | None = None,
    *,
    csv_delimiter: str = ",",
    questionnaire: FhirQuestionnaire | None = None,
    answer_ids: Collection[str] | None = None,
) -> tuple[str | None, Iterator[Record | Block]]:
    """`read`, for a batch spread over processes: JSONL lines come as they are, for
    whoever assesses them to split and read (`Block`, or a `Record` with its `line`:
    see `triage.intake.documents.parsed`)."""
    return _read(path, fmt, stdin, (csv_delimiter, questionnaire, answer_ids, True))


def _read(
    path: str, fmt: str | None, stdin: IO[str] | None, how: _How
) -> tuple[str | None, Iterator[Record | Block]]:
    if len(how[0]) != 1 or how[0] in '"\r\n':
        raise ValueError(f"csv_delimiter must be one character such as , or ;, not {how[0]!r}")
    fmt = format_of(path, fmt)
    if path != STDIN:
        return fmt, _guarded(path, _file(path, fmt, how))
    assert stdin is not None
    from triage.intake.stdin import Encoded, guess_format  # only standard input needs it

    binary: Binary = getattr(stdin, "buffer", None) or Encoded(stdin)
    try:
        if fmt is None:
            fmt, prefix = guess_format(binary)
        else:
            prefix = b""
    except OSError as exc:
        return "yaml", iter([failed(STDIN_NAME, f"cannot be read: {exc.strerror or exc}")])
    records = _parse(STDIN_NAME, fmt, binary, prefix, how)
    return fmt, _guarded(STDIN_NAME, records, stdin)


def _guarded(name: str, records: Iterator[Item], stream: object = None) -> Iterator[Item]:
    """The records of an input; one that breaks off while being read ends with an error.

    `stream` is only held, so that standard input's text stream, which closes
    its buffer when it is dropped, lives as long as its records are read.
    """
    try:
        yield from records
    except OSError as exc:
        yield failed(name, f"cannot be read: {exc.strerror or exc}")


def _file(name: str, fmt: str | None, how: _How) -> Iterator[Item]:
    path = Path(name)
    try:
        if path.is_dir():
            yield failed(name, "is a directory, not an answers file")
            return
        stream = path.open("rb")
    except FileNotFoundError:
        yield failed(name, "no such file")
        return
    except PermissionError:
        yield failed(name, "permission denied")
        return
    with stream:
        if fmt is None:
            yield failed(
                name,
                "unknown kind of answers file; name it .yaml, .yml, .json, .jsonl "
                f"or .csv, or give --input-format ({', '.join(FORMATS)})",
            )
            return
        yield from _parse(name, fmt, stream, b"", how)


def _parse(name: str, fmt: str, stream: Binary | None, prefix: bytes, how: _How) -> Iterator[Item]:
    """The records of a stream whose first bytes (`prefix`) were already taken from it."""
    csv_delimiter, questionnaire, answer_ids, blocks = how
    if fmt == "redcap":
        from triage.intake.redcap import redcap_records  # only a REDCap export needs it

        yield from redcap_records(name, Lines(stream, prefix))
        return
    if fmt in ("jsonl", "csv"):
        lines = Lines(stream, prefix)
        if fmt == "csv":
            yield from csv_file_records(name, lines, csv_delimiter, answer_ids)
        else:
            yield from (jsonl_blocks if blocks else jsonl_records)(name, lines, questionnaire)
        return
    data = prefix
    if stream is not None:
        data += stream.read(max(0, MAX_DOCUMENT_BYTES + 1 - len(prefix)))
    if len(data) > MAX_DOCUMENT_BYTES:
        yield failed(name, DOCUMENT_TOO_LARGE)
        return
    try:
        text = data.decode("utf-8-sig").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        yield failed(f"{name}:{line}:{column}", message, name)
        return
    if fmt == "yaml":
        yield from yaml_records(name, text)
    else:
        yield from json_records(name, text, questionnaire, fhir=fmt == "fhir")
