"""Fuzzing every way in: no input makes the tool crash, hang or run code.

One answer that cannot be read is a `ValueError` saying what is valid; an
answers file that cannot be read is a `Record` with an `error`; a content file
that cannot be read is a `ContentError`.  Nothing else escapes, whatever the
bytes.  Each test keeps to a few hundred examples so that the file runs in
well under a minute; set TRIAGE_FUZZ_EXAMPLES to hunt longer.
"""

from __future__ import annotations

import codecs
import copy
import csv
import functools
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.content import build
from triage.content.load import load, shipped
from triage.engine.answers import expectation, parse_answer
from triage.engine.validate import validate
from triage.errors import ContentError
from triage.intake import lines
from triage.intake import read as records
from triage.model import Content, Question
from triage.results.batch import finish
from triage.results.writers import Output
from triage.selfcheck.typed import parse_typed

FUZZ = settings(
    max_examples=int(os.environ.get("TRIAGE_FUZZ_EXAMPLES", "250")),  # more for a longer hunt
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


# --- one answer ---------------------------------------------------------------

ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
LONG_TEXT = st.sampled_from(
    ["9" * 5000, "x" * 100_000, "1" + "0" * 400, "1e400", "-1e400", "45m" * 1000, "yes" * 1000]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([5000, 4300, 1024, 400, 53]).map(lambda digits: 10**digits + 1),
    st.sampled_from([5000, 1024]).map(lambda digits: -(10**digits)),
    st.floats(),
    st.text(max_size=20),
    ODD_TEXT,
    LONG_TEXT,
)
VALUES = st.one_of(
    st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.tuples(inner, inner)
            | st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    st.sampled_from([50, 5000]).map(_nested),
    st.just([[["neck"]]] * 2),
)


def _words(q: Question) -> st.SearchStrategy[str]:
    """Text close to a valid answer: codes, labels, numbers near the bounds, with noise."""
    words = [*q.codes, *(label for _, label in q.options), "y", "n", "u", "unsure"]
    numbers = [n for n in (q.min, q.max, q.greater_than) if n is not None]
    pieces = st.one_of(
        st.sampled_from(words or ["x"]),
        st.sampled_from(numbers or [0]).map(str),
        st.floats(allow_nan=True).map(str),
        st.integers(-5, 5000).map(str),
        st.sampled_from(["m", "min", "h", "hours", "d", "days", " ", ",", ";", ".", "-", "+"]),
        ODD_TEXT,
    )
    return st.lists(pieces, max_size=5).map(_join)


def _join(parts: list[str]) -> str:
    return "".join(parts) if len(parts) < 3 else ", ".join(parts)


def _raw_answers(q: Question) -> st.SearchStrategy[Any]:
    return st.one_of(
        VALUES,
        _words(q),
        st.lists(_words(q), max_size=4),
        st.lists(st.sampled_from(q.codes or ("x",)), max_size=5).map(";".join),
    )


_KNOWN = ("unknown code", "must name at least", "is not one of the choices", "there is no choice")


def _sensible(q: Question, message: str) -> bool:
    """A message of the tool's own, not one leaking from Python (digits, recursion)."""
    ours = expectation(q) in message or any(known in message for known in _KNOWN)
    return (ours or message == q.below_min) and len(message) < 1000


def test_parse_answer_raises_only_value_error_and_is_idempotent(content: Content) -> None:
    ids = [q.id for q in content.questions]

    @FUZZ
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        q = content.questions.questions[data.draw(st.sampled_from(ids), label="question")]
        raw = data.draw(_raw_answers(q), label="raw")
        try:
            value = parse_answer(q, raw)
        except ValueError as exc:
            assert _sensible(q, str(exc)), str(exc)[:300]
            return
        again = parse_answer(q, value)
        assert (again, type(again)) == (value, type(value))

    check()


def test_parse_typed_raises_only_value_error_and_is_idempotent(content: Content) -> None:
    ids = [q.id for q in content.questions]

    @FUZZ
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        q = content.questions.questions[data.draw(st.sampled_from(ids), label="question")]
        text = data.draw(st.one_of(_words(q), ODD_TEXT, LONG_TEXT), label="typed")
        try:
            value = parse_typed(q, text)
        except ValueError as exc:
            assert _sensible(q, str(exc)) or "choice" in str(exc), str(exc)[:300]
            return
        again = parse_answer(q, value)
        assert (again, type(again)) == (value, type(value))
        if isinstance(value, str):
            assert parse_typed(q, value) == value

    check()


# --- answers files ------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252")
FRAGMENTS = (
    '{"id": 1, "age": 40}',
    '{"age": 40, "age": 41}',
    '{"a": NaN}',
    "{age: 40}",
    "age: 40\nfever: no\n",
    "- 1\n- 2\n",
    "a: &a [1]\nb: *a\n",
    "<<: {a: 1}\n",
    "? [a]\n: 1\n",
    "--- 1\n--- 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: !!python/object/apply:os.system ['touch {marker}']\n",
    "a: !!binary aGk=\n",
    "a: 0x_\nb: 0b_\n",
    "a: " + "9" * 5000 + "\n",
    "a: " + ":".join(["1"] * 300) + ".5\n",
    "a: 1:2:3\nb: 1_000\nc: .inf\nd: 0o17\ne: 2001-12-14\n",
    "id,age,location\np1,40,neck;temples\n",
    'id;age\n"p;1";"4\n0"\n',
    "id,age\r\np1,40\rp2,41\n",
    "\t",
    "\x00",
    "\ufeff",
    "\u2028",
    '"',
    "\\",
    "[" * 2000,
    "{" * 2000,
    "- " * 500,
)


def _mutated(text: str) -> st.SearchStrategy[str]:
    """A text with a piece cut out, repeated or replaced by a random one."""

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 50)))
        piece = draw(st.sampled_from(["", text[start:end] * 2, *FRAGMENTS]) | ODD_TEXT)
        return text[:start] + piece + text[end:]

    return mutate() if text else st.just(text)


TEXTS = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(FRAGMENTS).flatmap(_mutated),
    st.lists(st.sampled_from(FRAGMENTS) | ODD_TEXT, max_size=6).map("\n".join),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=10,
    ).flatmap(
        lambda value: st.sampled_from(
            [json.dumps(value), yaml.safe_dump(value), json.dumps(value) + "\n" + json.dumps(value)]
        ).flatmap(lambda text: st.just(text) | _mutated(text))
    ),
)


@st.composite
def _payloads(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "text", "text", "text", "long", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "long":
        line = draw(st.sampled_from([b'{"a": "', b"id,", b"a: ", b"\xff"]))
        return line + b"x" * (lines.MAX_RECORD_BYTES + draw(st.integers(-2, 2))) + b'"}\n{}\n'
    if kind == "deep":
        opener = draw(st.sampled_from([b"[", b"{", b'{"a":', b"- ", b"a:\n "]))
        return opener * draw(st.sampled_from([99, 100, 101, 1000, 100_000]))
    text = draw(TEXTS)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    return (codecs.BOM_UTF8 if draw(st.booleans()) else b"") + data


def _check(kind: str | None, recs: list[records.Record], name: str) -> None:
    assert kind in (*records.FORMATS, None)
    for record in recs:
        assert record.source.startswith(name)
        if record.answers is None:
            assert record.error is not None
            assert record.error.startswith(name), record.error
            assert len(record.error) < 2000
        else:
            assert record.error is None
            assert all(isinstance(key, str) for key in record.answers)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(
    data=_payloads(),
    suffix=st.sampled_from([".json", ".jsonl", ".yaml", ".csv", ".txt"]),
    fmt=st.sampled_from([None, None, *records.FORMATS]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    text_stdin=st.booleans(),
)
def test_reading_any_bytes_gives_records_or_errors(
    folder: Path, data: bytes, suffix: str, fmt: str | None, delimiter: str, text_stdin: bool
) -> None:
    marker = folder / "ran"
    path = folder / f"answers{suffix}"
    data = data.replace(b"{marker}", str(marker).encode())
    path.write_bytes(data)
    kind, found = records.read(str(path), fmt, csv_delimiter=delimiter)
    _check(kind, list(found), str(path))
    stream: Any = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    if text_stdin:  # a text stream without a binary buffer under it
        stream = io.StringIO(data.decode("utf-8", "surrogateescape"), newline="")
    kind, found = records.read("-", fmt, stream, csv_delimiter=delimiter)
    _check(kind, list(found), records.STDIN_NAME)
    assert not marker.exists()


# --- content files ------------------------------------------------------------


def _lines_mutated(text: str) -> st.SearchStrategy[str]:
    """Delete, repeat or swap lines, replace a token, or cut the text short."""
    lines = text.splitlines(keepends=True)
    tokens = sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\S", text)))

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        out = list(lines)
        for _ in range(draw(st.integers(1, 3))):
            how = draw(st.sampled_from(["delete", "repeat", "swap", "token", "cut"]))
            i, j = (draw(st.integers(0, len(out) - 1)) for _ in range(2))
            if how == "delete":
                del out[i]
            elif how == "repeat":
                out.insert(i, out[i])
            elif how == "swap":
                out[i], out[j] = out[j], out[i]
            elif how == "token":
                found = list(re.finditer(r"[A-Za-z_][A-Za-z0-9_]*|\S", out[i]))
                if found:
                    at = draw(st.sampled_from(found))
                    new = draw(st.sampled_from(tokens) | st.sampled_from(FRAGMENTS) | ODD_TEXT)
                    out[i] = out[i][: at.start()] + new + out[i][at.end() :]
            else:
                whole = "".join(out)
                out = [whole[: draw(st.integers(0, len(whole)))]]
            if not out:
                break
        return "".join(out)

    return mutate()


QUESTIONS = shipped("questions.yaml").read_text(encoding="utf-8")
RULES = shipped("rules.yaml").read_text(encoding="utf-8")


def _content_texts() -> st.SearchStrategy[tuple[str, str]]:
    random_yaml = TEXTS | st.text(max_size=200)
    return st.one_of(
        st.tuples(_lines_mutated(QUESTIONS), st.just(RULES)),
        st.tuples(st.just(QUESTIONS), _lines_mutated(RULES)),
        st.tuples(_lines_mutated(QUESTIONS), _lines_mutated(RULES)),
        st.tuples(random_yaml, st.just(RULES)),
        st.tuples(st.just(QUESTIONS), random_yaml),
    )


@pytest.fixture(scope="module")
def shipped_composed_once() -> Iterator[None]:
    """The shipped files, left as they are in most examples, are composed into YAML
    nodes once: `compose` is pure and what reads the nodes never changes them (checked
    at the end), so each example parses only the text it mutated."""
    real = build.compose
    kept = {text: real(text) for text in (QUESTIONS, RULES)}
    before = {text: yaml.serialize(node) for text, node in kept.items()}

    def compose(text: str) -> yaml.Node | None:
        return kept[text] if text in kept else real(text)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "compose", compose)
        yield
    assert {text: yaml.serialize(node) for text, node in kept.items()} == before


@pytest.mark.usefixtures("shipped_composed_once")
@FUZZ
@given(texts=_content_texts())
def test_loading_mutated_content_raises_only_content_error(
    folder: Path, texts: tuple[str, str]
) -> None:
    marker = folder / "ran"
    q, r = folder / "questions.yaml", folder / "rules.yaml"
    for path, text in ((q, texts[0]), (r, texts[1])):
        path.write_bytes(text.replace("{marker}", str(marker)).encode("utf-8", "surrogatepass"))
    try:
        load(q, r)
    except ContentError as exc:
        assert exc.problems
        assert all(p.path in (str(q), str(r)) for p in exc.problems)
    assert not marker.exists()


def test_a_python_tag_in_content_is_refused_and_never_runs(folder: Path) -> None:
    marker = folder / "ran-content"
    q, r = folder / "questions.yaml", folder / "rules.yaml"
    q.write_text(QUESTIONS, encoding="utf-8")
    tag = f"!!python/object/apply:os.system ['touch {marker}']"
    r.write_text(RULES.replace("version: ", f"version: {tag} #", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load(q, r)
    assert [p.message for p in caught.value.problems] == [
        "the tag '!!python/object/apply:os.system' is not allowed on a list"
    ]
    assert not marker.exists()


# --- the whole path: reader, engine, result writer (issue 12, item 2) --------------------

DECIMAL = "write the number in plain decimal digits"
AGE = "must be a whole number from 12 to 120, not"
DAYS = "must be a number from 0 to 31, not"
HOURS = (
    "must be a number greater than 0 and at most 2160 (hours, or with a unit: 45m, 6h, 3d, 2w), not"
)


class Refused(str):
    """The message an answer is refused with."""


# How each spelling of a number reads, the same in a YAML, CSV, JSON and JSONL file
# (in YAML written bare; YAML 1.1 read 060 as 48, 0x3c and 0b111100 as 60, 1:30 as 90).
SPELLINGS: list[tuple[str, str, object]] = [
    ("age", "60", 60),
    ("age", "060", 60),
    ("age", "+60", 60),
    ("age", "60.0", 60),
    ("age", "6e1", 60),
    ("age", "0x3c", Refused(f"{AGE} '0x3c': {DECIMAL}")),
    ("age", "0o74", Refused(f"{AGE} '0o74': {DECIMAL}")),
    ("age", "0b111100", Refused(f"{AGE} '0b111100': {DECIMAL}")),
    ("age", "6_0", Refused(f"{AGE} '6_0': write it without _, as 60")),
    ("age", "1:00", Refused(f"{AGE} '1:00': {DECIMAL}")),
    ("age", "sixty", Refused(f"{AGE} 'sixty'")),
    ("headache_days_per_month", "015", 15),
    ("headache_days_per_month", ".5", 0.5),
    ("headache_days_per_month", "1_5", Refused(f"{DAYS} '1_5': write it without _, as 15")),
    ("attack_duration_hours", "1.5", 1.5),
    (
        "attack_duration_hours",
        "1:30",
        Refused(f"{HOURS} '1:30': write 90 minutes as 1.5 or 90 min"),
    ),
    ("attack_duration_hours", "190:20:30", Refused(f"{HOURS} '190:20:30': {DECIMAL}")),
]
FORMATS = ("yaml", "csv", "jsonl", "json")


@functools.cache
def _older_man_read() -> dict[str, Any]:
    from .test_engine import base

    return base("older_man_frequent_tension_type")


def _older_man() -> dict[str, Any]:
    """The older man's answers, read from the cases once (not in every example): a
    copy of their own for each caller."""
    return copy.deepcopy(_older_man_read())


def _answers_file(folder: Path, kind: str, answers: dict[str, Any], bare: tuple[str, str]) -> Path:
    """`answers` with `bare` (an ID and its text) written as each format writes text;
    in YAML bare, as a person would type it."""
    path = folder / f"answers.{kind}"
    qid, written = bare
    if kind == "yaml":
        text = yaml.safe_dump(answers, sort_keys=False) + f"{qid}: {written}\n"
    elif kind == "csv":
        cells = {k: ";".join(v) if isinstance(v, list) else str(v) for k, v in answers.items()}
        line = io.StringIO()
        writer = csv.DictWriter(line, [*cells, qid], lineterminator="\n")
        writer.writeheader()
        writer.writerow({**cells, qid: written})
        text = line.getvalue()
    else:
        text = json.dumps({**answers, qid: written}) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def _written(content: Content, record: records.Record, way: str) -> list[dict[str, Any]]:
    """What the result writer puts out for `record` (on a strict UTF-8 stream), read back."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    out = Output("csv" if way == "csv" else "jsonl", False, stream)
    out.write(finish(content, record, way, ",").output)
    out.close()
    text = raw.getvalue().decode("utf-8")
    if way == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(("qid", "written", "expected"), SPELLINGS)
def test_each_spelling_of_a_number_reads_the_same_in_every_format(
    content: Content, tmp_path: Path, kind: str, qid: str, written: str, expected: object
) -> None:
    answers = {k: v for k, v in _older_man().items() if k != qid}
    _, found = records.read(str(_answers_file(tmp_path, kind, answers, (qid, written))), None)
    [record] = list(found)
    assert record.answers is not None, record.error
    checked = validate(content, record.answers)
    if isinstance(expected, Refused):
        assert checked.invalid == {qid: expected}
    else:
        assert (checked.answers[qid], type(checked.answers[qid])) == (expected, type(expected))
    for way in ("jsonl", "csv"):
        [obj] = _written(content, record, way)
        if isinstance(expected, Refused):
            if way == "csv":
                assert obj["error"] == f"'{qid}' {expected}"
            else:
                assert obj["error"]["invalid"] == {qid: expected}
            continue
        same = records.Record(record.source, answers={**answers, qid: expected})
        assert obj == _written(content, same, way)[0]


HOSTILE_IDS = (
    "intake-7",
    "intake-7\r=cmd|' /C calc'!A0",
    "a\n@SUM(A1)",
    "=1+1",
    "x\u2028-2",
    "\u202eevil\ufeff",
    "x\ud800y",
    'say "hi", then; go',
)


@st.composite
def _batch(draw: st.DrawFn, kind: str) -> list[tuple[dict[str, Any], tuple[str, str, object]]]:
    """Records of the older man's answers, each with one number spelled some way, a
    hostile id and perhaps unknown keys; with the spelling each was given."""
    base = _older_man()
    count = 1 if kind == "yaml" else draw(st.integers(1, 4))
    out = []
    for n in range(count):
        spelled = draw(st.sampled_from(SPELLINGS))
        ids = [i for i in HOSTILE_IDS if kind == "jsonl" or "\ud800" not in i]
        answers = {k: v for k, v in base.items() if k != spelled[0]}
        answers = {"id": f"{draw(st.sampled_from(ids))}-{n}", **answers}
        for key in draw(st.lists(st.sampled_from(["agee", "notes", "x y", "fevr"]), max_size=3)):
            answers[key] = "1"
        out.append((answers, spelled))
    return out


def _batch_file(
    folder: Path, kind: str, batch: list[tuple[dict[str, Any], tuple[str, str, object]]]
) -> Path:
    if kind == "yaml":
        [(answers, spelled)] = batch
        return _answers_file(folder, "yaml", answers, spelled[:2])
    path = folder / f"batch.{kind}"
    rows = [{**answers, spelled[0]: spelled[1]} for answers, spelled in batch]
    if kind == "jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        return path
    header = list(dict.fromkeys(key for row in rows for key in row))
    line = io.StringIO()
    writer = csv.DictWriter(line, header, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    path.write_text(line.getvalue(), encoding="utf-8")
    return path


_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_FORMULA_LINE = re.compile(f"(?:^|[{_BREAKS}])[=+\\-@]")


def _undefused(cell: str) -> str:
    """A CSV cell without the apostrophes that keep its lines from being formulas."""
    return re.sub(f"(^|[{_BREAKS}])'(?=[=+\\-@\t])", r"\1", cell)


@pytest.mark.parametrize("kind", ["jsonl", "csv", "yaml"])
def test_records_reach_the_result_writer_whole_in_every_format(
    content: Content, folder: Path, kind: str
) -> None:
    @settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
    @given(batch=_batch(kind))
    def check(batch: list[tuple[dict[str, Any], tuple[str, str, object]]]) -> None:
        path = _batch_file(folder, kind, batch)
        _, found = records.read(str(path), None)
        recs = list(found)
        assert len(recs) == len(batch)
        for record, (answers, (qid, _, expected)) in zip(recs, batch, strict=True):
            assert record.answers is not None, record.error
            assert record.answers["id"] == answers["id"]
            checked = validate(content, record.answers)
            if isinstance(expected, Refused):
                assert checked.invalid == {qid: expected}
            else:
                assert checked.complete and checked.answers[qid] == expected
        for way in ("jsonl", "csv", "json-array"):
            raw = io.BytesIO()
            stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out = Output("json" if way == "json-array" else way, False, stream)
            for record in recs:
                out.write(finish(content, record, way, ",").output)
            out.close()
            text = raw.getvalue().decode("utf-8")
            if way == "csv":
                rows = list(csv.DictReader(io.StringIO(text, newline="")))
                objs: list[Any] = rows
                assert [_undefused(r["id"]) for r in rows] == [
                    a["id"].replace("\ud800", "\\ud800") for a, _ in batch
                ]
                assert _FORMULA_LINE.search(text) is None  # no line a spreadsheet would run
            else:  # JSONL read by any line reader: no line break of any kind in a line
                lines = text.splitlines()
                objs = [json.loads(t) for t in lines] if way == "jsonl" else json.loads(text)
                assert [o["id"] for o in objs] == [a["id"] for a, _ in batch]
            for obj, (_, (qid, _, expected)) in zip(objs, batch, strict=True):
                error = obj.get("error")
                if isinstance(expected, Refused):
                    assert (error if way == "csv" else error["invalid"]) == (
                        f"'{qid}' {expected}" if way == "csv" else {qid: expected}
                    )
                else:
                    assert not error

    check()
