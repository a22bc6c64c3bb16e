"""Assessing a stream of records, in one process or spread over several.

`Assessor(...).assessed(records)` yields one `Finished` per record, in
input order, as soon as each is ready.  With `jobs` > 1, records go to
worker processes in chunks, taken in turn, with a bounded number of chunks
in flight, so memory stays flat however long the input is and the output
order is the input order.

Workers do all of a record's work: the input may hold JSONL lines as they
were read (`triage.intake.read.read_batch`: a `Block` of lines, a `Record`
with its `line`), which a worker splits and parses, and a worker hands back
each record's finished text with plain tuples, so that this process only
reads bytes, orders, counts and writes.

Each worker has a pipe of its own each way, and a thread here that feeds it
(so that this process never waits to send while a worker waits to hand back
a result).  Workers ignore Ctrl-C.  When the batch ends, however it ends
(Ctrl-C, SIGTERM, a broken pipe, an error), the workers are stopped and
joined: a feeding thread waiting on a full pipe is woken when its worker is
gone, no semaphore is used, and nothing is left behind.  (`multiprocessing.Pool`
was not: its `terminate` can wait for ever on a task half sent.)

Nothing in one record stops the others: `finish` turns any failure while a
record is assessed or written out into that record's error object
(`triage.results.record.broken`), and a chunk that cannot go to a worker or
come back (a record or result that cannot be pickled, a worker that died) is
assessed here instead.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from triage.content.load import load
from triage.errors import TriageError
from triage.intake.documents import Block
from triage.intake.record import Record
from triage.model import Content
from triage.results.contract import Outcome
from triage.results.record import Assessed, assess_record, broken
from triage.results.tally import Brief, brief
from triage.results.writers import ENCODED, encode

if TYPE_CHECKING:
    import queue
    import threading
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

CHUNK = 500  # records (or lines of a Block) per task: large enough to amortise the hand-over
IN_FLIGHT = 4  # chunks per worker queued ahead
HERE = -1  # the worker of a chunk assessed in this process
_How = tuple[str, str, bool]  # way, delimiter, with_answers


class Finished(NamedTuple):
    """One record done: what to write (the text, when the format allows a worker
    to make it, else the object), the tally's `Brief`, and the stderr lines.
    (A tuple: a chunk of them pickles quickly.)"""

    output: str | Outcome
    brief: Brief
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


Item = Record | Block  # what a batch is made of


def _records(items: Iterable[Item]) -> Iterator[Record]:
    for item in items:
        if isinstance(item, Block):
            yield from item.records()
        else:
            yield item


def _weight(item: Item) -> int:
    return item.data.count(b"\n") if isinstance(item, Block) else 1


def finish(
    content: Content, record: Record, way: str, delimiter: str, with_answers: bool = False
) -> Finished:
    """One record assessed and, when the format allows, written out as text; a
    failure of either is the record's error object."""
    done = assess_record(content, record, with_answers)
    try:
        return _finished(done, way, delimiter)
    except Exception as exc:  # the record's result could not be written out
        return _finished(broken(content, record, exc), way, delimiter)


def _finished(done: Assessed, way: str, delimiter: str) -> Finished:
    text = encode(way, done.result, delimiter) if way in ENCODED else None
    output: str | Outcome = done.result if text is None else text
    return Finished(output, brief(done.result), done.errors, done.warnings)


def _work(
    tasks: Connection, results: Connection, paths: tuple[Path | None, Path | None], how: _How
) -> None:
    """A worker process: load the content, then finish each chunk it is sent, in order,
    until the empty message or the end of the pipe; None for a chunk whose results
    cannot be pickled."""
    import pickle

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    content = load(*paths)
    with suppress(EOFError, OSError):  # this process is gone: end quietly
        while data := tasks.recv_bytes():
            chunk: list[Item] = pickle.loads(data)
            finished = [finish(content, record, *how) for record in _records(chunk)]
            try:
                back = pickle.dumps(finished, pickle.HIGHEST_PROTOCOL)
            except Exception:
                back = pickle.dumps(None)
            results.send_bytes(back)


class _Worker:
    """One worker process, its two pipes, and the thread here that feeds it."""

    def __init__(self, context: Any, paths: tuple[Path | None, Path | None], how: _How) -> None:
        import queue
        import threading

        tasks_out, self.tasks = context.Pipe(duplex=False)
        self.results, results_in = context.Pipe(duplex=False)
        self.process: BaseProcess = context.Process(
            target=_work, args=(tasks_out, results_in, paths, how), daemon=True
        )
        self.process.start()
        tasks_out.close()  # the worker's ends: once it is gone, a send here fails at once
        results_in.close()
        self.queue: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self.feeder: threading.Thread = threading.Thread(target=self._feed, daemon=True)
        self.feeder.start()
        self.alive = True

    def _feed(self) -> None:
        while True:
            data = self.queue.get()
            try:
                self.tasks.send_bytes(data)
            except OSError:  # the worker is gone
                return
            if not data:
                return

    def result(self) -> list[Finished] | None:
        """The next chunk's results, or None if they cannot come back."""
        import pickle

        if self.alive:
            try:
                found: list[Finished] | None = pickle.loads(self.results.recv_bytes())
                return found
            except Exception:  # gone (EOFError), or what it sent cannot be read
                self.alive = False  # its other chunks are assessed here
        return None

    def stop(self) -> None:
        self.queue.put(b"")
        self.process.terminate()
        self.process.join(5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.feeder.join(5)
        self.tasks.close()
        self.results.close()


def _chunk(source: Iterator[Item]) -> list[Item]:
    """The next items of `source`, about `CHUNK` records' worth."""
    chunk: list[Item] = []
    weight = 0
    for item in source:
        chunk.append(item)
        weight += _weight(item)
        if weight >= CHUNK:
            break
    return chunk


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
        self.how: _How = (way, delimiter, with_answers)
        self.workers: list[_Worker] = []

    def __enter__(self) -> Assessor:
        if self.jobs > 1:
            import multiprocessing  # only a batch spread over processes needs it

            context = multiprocessing.get_context("spawn")
            try:
                for _ in range(self.jobs):
                    self.workers.append(_Worker(context, self.paths, self.how))
            except BaseException as exc:
                self.__exit__()
                if not isinstance(exc, (OSError, ImportError)):
                    raise
                why = getattr(exc, "strerror", None) or exc
                raise TriageError(
                    f"--jobs {self.jobs}: cannot start worker processes here: {why}"
                ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop every worker (they are idle once all is read) and wait for each."""
        workers, self.workers = self.workers, []
        for worker in workers:
            with suppress(OSError):
                worker.stop()

    def assessed(self, records: Iterable[Item]) -> Iterator[Finished]:
        """Each record finished, in input order (a `Block`'s records in its place)."""
        if not self.workers:
            for record in _records(records):
                yield finish(self.content, record, *self.how)
            return
        source = iter(records)
        waiting: deque[tuple[int, list[Item]]] = deque()
        turn = 0
        while True:
            while len(waiting) < self.jobs * IN_FLIGHT:
                chunk = _chunk(source)
                if not chunk:
                    break
                waiting.append((self._send(turn % self.jobs, chunk), chunk))
                turn += 1
            if not waiting:
                return
            worker, chunk = waiting.popleft()
            finished = self.workers[worker].result() if worker != HERE else None
            if finished is None:
                finished = [finish(self.content, r, *self.how) for r in _records(chunk)]
            yield from finished

    def _send(self, worker: int, chunk: list[Item]) -> int:
        """Queue `chunk` for a worker; which one, or `HERE` if it must be done here."""
        import pickle  # only a batch spread over processes needs it

        if not self.workers[worker].alive:
            return HERE
        try:
            data = pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)
        except Exception:
            return HERE
        self.workers[worker].queue.put(data)
        return worker
