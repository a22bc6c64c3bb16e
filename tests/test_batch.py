"""Assessing a stream of records in one process or several: the same, in order."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from triage.intake.read import read, read_batch
from triage.intake.record import Record
from triage.model import Content
from triage.results.batch import Assessor
from triage.results.tally import Tally

from .test_record import INTERNAL, Unprintable, UnwritableId, adult


def records(count: int) -> list[Record]:
    out = []
    for n in range(count):
        answers = adult(id=n, sudden_onset="yes" if n % 5 == 0 else "no")
        if n % 7 == 3:
            out.append(Record(f"in.jsonl:{n + 1}", error=f"in.jsonl:{n + 1}: not JSON"))
        else:
            out.append(Record(f"in.jsonl:{n + 1}", answers=answers))
    return out


def test_two_workers_give_what_one_process_gives_in_the_same_order(content: Content) -> None:
    batch = records(1_200)  # more than two chunks
    with Assessor(content, 1, way="jsonl") as one:
        alone = list(one.assessed(batch))
    with Assessor(content, 2, way="jsonl") as two:
        spread = list(two.assessed(batch))
    assert spread == alone
    counted = Tally()
    for done in alone:
        counted.add(done.brief)
    assert (counted.records, counted.failed) == (1_200, sum(1 for r in batch if r.error))
    assert counted.levels["emergency"] == sum(
        1 for r in batch if r.answers and r.answers["sudden_onset"] == "yes"
    )


def test_workers_read_the_lines_they_are_given_as_this_process_reads_them(
    content: Content, tmp_path: Path
) -> None:
    """From `read_batch`, JSONL lines go to the workers as bytes: a bad line, a line
    that is no object and a duplicate key are each the error they are in one process."""
    lines = [
        json.dumps(adult(id=n, sudden_onset="yes" if n % 5 == 0 else "no")) for n in range(1_100)
    ]
    lines[7] = lines[7][:40]  # cut short
    lines[8] = "[1, 2]"
    lines[9] = '{"id": 9, "id": 10}'
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    found = {}
    for jobs, reader in ((1, read), (2, read_batch)):
        _, batch = reader(str(path), None)
        with Assessor(content, jobs, way="jsonl") as assessor:
            found[jobs] = [done.output for done in assessor.assessed(batch)]
    assert found[2] == found[1]
    assert len(found[1]) == 1_100
    messages = [json.loads(found[1][n])["error"]["message"] for n in (7, 8, 9)]
    assert messages[0].startswith(f"{path}:8:41: not valid JSON:")
    assert messages[1].startswith(f"{path}:9: expected a mapping")
    assert messages[2] == f"{path}:10:11: duplicate key 'id' (first given at column 2)"


def test_for_text_output_the_object_comes_back(content: Content) -> None:
    with Assessor(content, 1, way="text") as one:
        (done,) = one.assessed(records(1))
    assert isinstance(done.output, dict) and done.output["triage_level"] == "emergency"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_record_that_breaks_leaves_the_next_one_assessed_in_every_process(
    content: Content, jobs: int
) -> None:
    batch = [
        Record("in.jsonl:1", answers=adult(id="broken", age=Unprintable())),
        Record("in.jsonl:2", answers=adult(id="next", sudden_onset="yes")),
    ]
    with Assessor(content, jobs, way="jsonl") as assessor:
        first, second = assessor.assessed(batch)
    assert isinstance(first.output, str) and isinstance(second.output, str)
    broken, after = json.loads(first.output), json.loads(second.output)
    assert (broken["id"], broken["error"]["message"]) == ("broken", INTERNAL)
    assert first.errors == (f"in.jsonl:1: {INTERNAL}",)
    assert first.brief.failed
    assert (after["id"], after["triage_level"]) == ("next", "emergency")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_result_that_cannot_be_written_is_that_records_error_row(
    content: Content, jobs: int
) -> None:
    batch = [
        Record("in.jsonl:1", answers=adult(id=UnwritableId("x"), sudden_onset="yes")),
        Record("in.jsonl:2", answers=adult(id="next")),
    ]
    with Assessor(content, jobs, way="csv") as assessor:
        first, second = assessor.assessed(batch)
    assert isinstance(first.output, str) and isinstance(second.output, str)
    row = next(csv.reader(io.StringIO(first.output)))
    why = "internal error while assessing this record: RuntimeError: no text; please report it"
    assert row[:2] == ["", "in.jsonl:1"] and why in row and "thunderclap" in row
    assert first.errors[0] == f"in.jsonl:1: {why}"
    assert (first.brief.failed, first.brief.level) == (True, "emergency")
    assert next(csv.reader(io.StringIO(second.output)))[:2] == ["next", "in.jsonl:2"]
    assert (second.brief.failed, second.brief.level) == (False, "routine")


def test_a_chunk_that_cannot_go_to_a_worker_is_assessed_in_this_process(content: Content) -> None:
    unpicklable = adult(id="here", sudden_onset="yes", pregnancy=lambda: "no")
    batch = [Record("in.jsonl:1", answers=unpicklable), Record("in.jsonl:2", answers=adult())]
    with Assessor(content, 2, way="jsonl") as two:
        first, second = two.assessed(batch)
    assert (first.brief.failed, first.brief.level) == (True, "emergency")
    assert first.errors[0].startswith("in.jsonl:1: 'pregnancy': unknown code <function ")
    assert (second.brief.failed, second.brief.level) == (False, "routine")
