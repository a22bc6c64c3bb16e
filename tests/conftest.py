from __future__ import annotations

import errno
import json
import os
import select
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import triage
from triage.model import Content


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped questionnaire and rules."""
    return triage.load()


@pytest.fixture(scope="session", autouse=True)
def _content_cache_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every command the tests run keeps its content cache in one folder of the test
    session's (each xdist worker's), never in the home folder of whoever runs them,
    and uses it whatever the environment says: the content is built once, and each
    command after that starts from the cache.  (`tests/test_cache.py` and
    `tests/test_startup.py` test the cache itself, in folders of their own.)"""
    folder = tmp_path_factory.getbasetemp() / "cache"
    folder.mkdir(exist_ok=True)
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(folder))
    patch.delenv("TRIAGE_NO_CACHE", raising=False)
    yield
    patch.undo()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A test's own folder as the working directory, so that files are named as a
    user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


Feed = Callable[[Path, Sequence[Mapping[str, Any]]], None]


@pytest.fixture
def endless_jsonl() -> Iterator[Feed]:
    """`feed(path, records)` makes `path` a named pipe that a thread keeps writing
    JSONL lines into (`records` in turn, with IDs r0, r1, ...) for as long as it is
    read, until the test ends: a batch read from it is mid-way whenever the test
    looks, and cannot end before the test ends it, however quick the machine."""
    stop = threading.Event()
    threads: list[threading.Thread] = []
    failed: list[BaseException] = []

    def write_until_stopped(path: Path, records: Sequence[Mapping[str, Any]]) -> None:
        try:
            fd = _opened_for_writing(path, stop)
            if fd is None:
                return
            try:
                n, pending = 0, b""
                while not stop.is_set():
                    if not pending:
                        answers = records[n % len(records)]
                        pending = (json.dumps({"id": f"r{n}", **answers}) + "\n").encode()
                        n += 1
                    try:
                        pending = pending[os.write(fd, pending) :]
                    except BlockingIOError:  # the reader is busy: look again shortly
                        select.select([], [fd], [], 0.05)
            except BrokenPipeError:  # the reader is gone
                pass
            finally:
                os.close(fd)
        except BaseException as exc:
            failed.append(exc)

    def feed(path: Path, records: Sequence[Mapping[str, Any]]) -> None:
        os.mkfifo(path)
        thread = threading.Thread(target=write_until_stopped, args=(path, records), daemon=True)
        thread.start()
        threads.append(thread)

    yield feed
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    if failed:
        raise failed[0]


def _opened_for_writing(path: Path, stop: threading.Event) -> int | None:
    """The pipe opened for writing without blocking, once a reader has opened it
    (None if the test ends first)."""
    while not stop.is_set():
        try:
            return os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            stop.wait(0.01)
    return None


def until_written(child: subprocess.Popen[bytes], written: Callable[[], bool]) -> None:
    """Wait until a batch reading from `endless_jsonl` has written some of its
    results (`written`): well into it, and still running, as its input never
    ends.  The time limit only keeps a broken run from hanging the suite."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert child.poll() is None, "the batch ended before the signal"
        if written():
            return
        time.sleep(0.02)
    raise AssertionError("no result was written")
