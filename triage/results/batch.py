"""Assessing a stream of records, in one process or spread over several.

`Assessor(...).assessed(records)` yields one `Finished` per record, in
input order, as soon as each is ready.  With `jobs` > 1, records go to
worker processes in chunks, with a bounded number of chunks in flight, so
memory stays flat however long the input is and the output order is the
input order.  Workers ignore Ctrl-C: the parent stops them and reports the
interruption once.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from triage.content.load import load
from triage.intake.record import Record
from triage.model import Content
from triage.results.contract import Outcome
from triage.results.record import assess_record
from triage.results.tally import Brief, brief
from triage.results.writers import ENCODED, encode

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

CHUNK = 500  # records per task: large enough to amortise the hand-over
IN_FLIGHT = 4  # chunks per worker queued ahead

_content: Content | None = None  # a worker's own copy, loaded once


@dataclass(frozen=True)
class Finished:
    """One record done: what to write (the text, when the format allows a worker
    to make it, else the object), the tally's `Brief`, and the stderr lines."""

    output: str | Outcome
    brief: Brief
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def finish(
    content: Content, record: Record, way: str, delimiter: str, with_answers: bool = False
) -> Finished:
    done = assess_record(content, record, with_answers)
    text = encode(way, done.result, delimiter) if way in ENCODED else None
    output: str | Outcome = done.result if text is None else text
    return Finished(output, brief(done.result), done.errors, done.warnings)


def _start_worker(questions: Path | None, rules: Path | None) -> None:
    global _content
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _content = load(questions, rules)


def _finish_chunk(
    chunk: list[Record], way: str, delimiter: str, with_answers: bool
) -> list[Finished]:
    assert _content is not None
    return [finish(_content, record, way, delimiter, with_answers) for record in chunk]


class Assessor:
    """Assesses records with `jobs` processes; use as a context manager.

    `questions` and `rules` are the content files (None: the shipped ones),
    loaded again by each worker; `content` is this process's copy.  `way`
    and `delimiter` say how results are written (see `triage.results.writers.encode`):
    workers hand back finished text, so the parent only writes it.  `with_answers`
    gives each result object its answers.
    """

    def __init__(
        self,
        content: Content,
        jobs: int = 1,
        questions: Path | None = None,
        rules: Path | None = None,
        way: str = "jsonl",
        delimiter: str = ",",
        with_answers: bool = False,
    ) -> None:
        self.content = content
        self.jobs = jobs
        self.paths = (questions, rules)
        self.how = (way, delimiter, with_answers)
        self.pool: Pool | None = None

    def __enter__(self) -> Assessor:
        if self.jobs > 1:
            import multiprocessing  # only a batch spread over processes needs it

            context = multiprocessing.get_context("spawn")
            self.pool = context.Pool(self.jobs, _start_worker, self.paths)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()

    def assessed(self, records: Iterable[Record]) -> Iterator[Finished]:
        """Each record finished, in input order."""
        if self.pool is None:
            for record in records:
                yield finish(self.content, record, *self.how)
            return
        source = iter(records)
        waiting: deque[AsyncResult[list[Finished]]] = deque()
        while True:
            while len(waiting) < self.jobs * IN_FLIGHT:
                chunk = list(islice(source, CHUNK))
                if not chunk:
                    break
                waiting.append(self.pool.apply_async(_finish_chunk, (chunk, *self.how)))
            if not waiting:
                return
            yield from waiting.popleft().get()
