"""Assessing a stream of records in one process or several: the same, in order."""

from __future__ import annotations

from triage.intake.record import Record
from triage.model import Content
from triage.results.batch import Assessor
from triage.results.tally import Tally

from .test_record import adult


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


def test_for_text_output_the_object_comes_back(content: Content) -> None:
    with Assessor(content, 1, way="text") as one:
        (done,) = one.assessed(records(1))
    assert isinstance(done.output, dict) and done.output["triage_level"] == "emergency"
