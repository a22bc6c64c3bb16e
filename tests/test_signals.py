"""Signals sent to a real `triage` process: SIGTERM is handled like Ctrl-C.

Each test starts `python -m triage`, sends a real signal in the middle of the
work and checks what a user (or a service manager) sees: one line on standard
error, the exit status, the old output file untouched and no temporary file
or worker process left behind.  A batch reads a named pipe that never ends
(`endless_jsonl`), and the signal is sent once its first results are written.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Feed, until_written
from .test_cli import _blocked_reading
from .test_cli_batch import GOOD

OLD = "the old results\n"

pytestmark = pytest.mark.usefixtures("here")


def started(*args: str, stdout: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "triage", *args],
        stdin=subprocess.PIPE,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


def temporary(here: Path) -> list[Path]:
    return sorted(here.glob(".out.jsonl.*.tmp"))


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("sent", "status", "line"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signal_mid_batch_leaves_the_old_output_and_no_temporary_file(
    here: Path, endless_jsonl: Feed, jobs: str, sent: signal.Signals, status: int, line: str
) -> None:
    endless_jsonl(here / "big.jsonl", GOOD)
    Path("out.jsonl").write_text(OLD)
    child = started("assess", "big.jsonl", "--output", "out.jsonl", "--jobs", jobs)
    try:
        until_written(child, lambda: any(p.stat().st_size > 0 for p in temporary(here)))
        child.send_signal(sent)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    # one line, and no "leaked semaphore objects" from multiprocessing's resource tracker
    assert (child.returncode, stderr.decode(), stdout) == (status, f"{line}\n", b"")
    assert Path("out.jsonl").read_text() == OLD
    assert temporary(here) == []
    assert sorted(p.name for p in here.iterdir()) == ["big.jsonl", "out.jsonl"]


def test_sigterm_while_waiting_for_standard_input_is_143() -> None:
    child = started("assess", "-")
    try:
        _blocked_reading(child.pid)
        child.send_signal(signal.SIGTERM)
        stdout, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
    assert (child.returncode, stderr, stdout) == (143, b"terminated\n", b"")


def test_sigterm_while_writing_to_standard_output_is_143(here: Path, endless_jsonl: Feed) -> None:
    endless_jsonl(here / "big.jsonl", GOOD)
    with open("seen.jsonl", "wb") as seen:
        child = started("assess", "big.jsonl", "--format", "jsonl", stdout=seen.fileno())
        try:
            until_written(child, lambda: Path("seen.jsonl").stat().st_size > 0)
            child.send_signal(signal.SIGTERM)
            _, stderr = child.communicate(timeout=60)
        finally:
            child.kill()
    assert (child.returncode, stderr) == (143, b"terminated\n")
    lines = Path("seen.jsonl").read_text().splitlines()
    assert all(json.loads(line)["schema"] == "triage.result/1" for line in lines)
