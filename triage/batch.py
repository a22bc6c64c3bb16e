"""Assessing a stream of records, in one process or spread over several.

`assessed(records, content, jobs=1)` yields one `report.Outcome` per record,
in input order, as soon as each is ready.  With `jobs` > 1, records go to
worker processes in chunks, with a bounded number of chunks in flight, so
memory stays flat however long the input is and the output order is the
input order.  Workers ignore Ctrl-C: the parent stops them and reports the
interruption once.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from .loader import load
from .model import Content
from .records import Record
from .report import Outcome, assess

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

CHUNK = 500  # records per task: large enough to amortise the hand-over
IN_FLIGHT = 4  # chunks per worker queued ahead

_content: Content | None = None  # a worker's own copy, loaded once


def _start_worker(questions: Path | None, rules: Path | None) -> None:
    global _content
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _content = load(questions, rules)


def _assess_chunk(chunk: list[Record]) -> list[Outcome]:
    assert _content is not None
    return [assess(_content, record) for record in chunk]


class Assessor:
    """Assesses records with `jobs` processes; use as a context manager.

    `questions` and `rules` are the content files (None: the shipped ones),
    loaded again by each worker; `content` is this process's copy.
    """

    def __init__(
        self,
        content: Content,
        jobs: int = 1,
        questions: Path | None = None,
        rules: Path | None = None,
    ) -> None:
        self.content = content
        self.jobs = jobs
        self.paths = (questions, rules)
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

    def assessed(self, records: Iterable[Record]) -> Iterator[Outcome]:
        """One outcome per record, in input order."""
        if self.pool is None:
            for record in records:
                yield assess(self.content, record)
            return
        source = iter(records)
        waiting: deque[AsyncResult[list[Outcome]]] = deque()
        while True:
            while len(waiting) < self.jobs * IN_FLIGHT:
                chunk = list(islice(source, CHUNK))
                if not chunk:
                    break
                waiting.append(self.pool.apply_async(_assess_chunk, (chunk,)))
            if not waiting:
                return
            yield from waiting.popleft().get()
