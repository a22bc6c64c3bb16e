"""Signals sent to a real `triage` process: SIGTERM is handled like Ctrl-C.

Each test starts `python -m triage`, sends a real signal in the middle of the
work and checks what a user (or a service manager) sees: one line on standard
error, the exit status, the old output file untouched and no temporary file
or worker process left behind.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .scenarios import vignettes
from .test_cli import _blocked_reading

GOOD = [v.answers for v in vignettes() if v.expect["triage_level"] != "emergency"][:5]
OLD = "the old results\n"


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def batch(path: str, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"r{n}", **GOOD[n % len(GOOD)]}) + "\n")


def started(*args: str, stdout: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "triage", *args],
        stdin=subprocess.PIPE,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


def temporary(here: Path) -> list[Path]:
    return sorted(here.glob(".out.jsonl.*.tmp"))


def until_writing(child: subprocess.Popen[bytes], here: Path) -> None:
    """Wait until the batch has written part of its temporary file: well into it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert child.poll() is None, "the batch ended before the signal"
        if any(p.stat().st_size > 0 for p in temporary(here)):
            return
        time.sleep(0.05)
    raise AssertionError("no temporary file was written")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("sent", "status", "line"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signal_mid_batch_leaves_the_old_output_and_no_temporary_file(
    here: Path, jobs: str, sent: signal.Signals, status: int, line: str
) -> None:
    batch("big.jsonl", 300_000)
    Path("out.jsonl").write_text(OLD)
    child = started("assess", "big.jsonl", "--output", "out.jsonl", "--jobs", jobs)
    try:
        until_writing(child, here)
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


def test_sigterm_while_writing_to_standard_output_is_143(here: Path) -> None:
    batch("big.jsonl", 300_000)
    with open("seen.jsonl", "wb") as seen:
        child = started("assess", "big.jsonl", "--format", "jsonl", stdout=seen.fileno())
        try:
            deadline = time.monotonic() + 60
            while Path("seen.jsonl").stat().st_size == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert child.poll() is None, "the batch ended before the signal"
            child.send_signal(signal.SIGTERM)
            _, stderr = child.communicate(timeout=60)
        finally:
            child.kill()
    assert (child.returncode, stderr) == (143, b"terminated\n")
    lines = Path("seen.jsonl").read_text().splitlines()
    assert all(json.loads(line)["schema"] == "triage.result/1" for line in lines)
