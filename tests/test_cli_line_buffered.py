"""Results into a pipe: gathered into blocks, each at once with `--line-buffered`,
and never lost when a run is cut short (Ctrl-C, SIGTERM, an error)."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from triage.cli import assessing
from triage.results.tally import Tally

from .test_cli import run
from .test_record import ADULT

STDIN_JSONL = ["assess", "-", "--input-format", "jsonl", "--format", "jsonl"]


pytestmark = pytest.mark.usefixtures("here")  # each test in its own directory


def line(n: int, **more: Any) -> bytes:
    return (json.dumps({"id": f"r{n}", **ADULT, **more}) + "\n").encode()


def started(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "triage", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def next_line(stream: IO[bytes], seconds: float = 60) -> bytes:
    """The next line a child writes, failing (not hanging) if none comes in time."""
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "no line came"
    return stream.readline()


def test_line_buffered_hands_each_result_to_the_reader_before_the_next_record() -> None:
    child = started(*STDIN_JSONL, "--line-buffered")
    assert child.stdin is not None and child.stdout is not None
    try:
        for n in range(3):
            child.stdin.write(line(n))
            child.stdin.flush()
            assert json.loads(next_line(child.stdout))["id"] == f"r{n}"  # before the next
        rest, said = child.communicate(timeout=60)  # the input ends
    finally:
        child.kill()
    assert (child.returncode, rest, said) == (0, b"", b"")


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_line_buffered_writes_the_same_bytes(fmt: str) -> None:
    Path("batch.jsonl").write_bytes(b"".join(line(n) for n in range(5)) + b"not json\n")
    gathered = run("assess", "batch.jsonl", "--format", fmt)
    at_once = run("assess", "batch.jsonl", "--format", fmt, "--line-buffered")
    assert gathered.exit_code == at_once.exit_code == 1
    assert (gathered.stdout, gathered.stderr) == (at_once.stdout, at_once.stderr)
    assert gathered.stdout.count("r4") == 1


@pytest.mark.parametrize(
    ("sent", "status", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_run_cut_short_by_a_signal_still_writes_the_results_it_made(
    sent: signal.Signals, status: int, said: str
) -> None:
    child = started(*STDIN_JSONL)  # gathering: the results are not written yet
    assert child.stdin is not None and child.stderr is not None
    try:
        child.stdin.write(b"".join(line(n) for n in range(3)) + line(3, not_asked="x"))
        child.stdin.flush()
        assert b"warning" in next_line(child.stderr)  # the fourth record's: r0-r2 are done
        child.send_signal(sent)
        out, rest = child.communicate(timeout=60)
    finally:
        child.kill()
    assert (child.returncode, rest.decode().splitlines()[-1]) == (status, said)
    ids = [json.loads(text)["id"] for text in out.decode().splitlines()]
    assert ids in (["r0", "r1", "r2"], ["r0", "r1", "r2", "r3"])


@pytest.mark.parametrize(
    ("stop", "status", "said"),
    [
        (KeyboardInterrupt(), 130, "interrupted\n"),
        (RuntimeError("boom"), 70, "triage: internal error: RuntimeError: boom; please report "),
    ],
)
def test_a_run_ended_by_an_error_still_writes_the_results_it_made(
    stop: BaseException,
    status: int,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("batch.jsonl").write_bytes(b"".join(line(n) for n in range(5)))
    add = Tally.add

    def failing(self: Tally, brief: Any) -> None:
        if self.records == 3:
            raise stop
        add(self, brief)

    monkeypatch.setattr(Tally, "add", failing)
    assert assessing.run(["batch.jsonl"], output_format="jsonl") == status
    out, err = capsys.readouterr()
    assert [json.loads(text)["id"] for text in out.splitlines()] == ["r0", "r1", "r2"]
    assert err.startswith(said)


def test_a_run_cut_short_into_a_file_writes_nothing_on_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("batch.jsonl").write_bytes(b"".join(line(n) for n in range(5)))
    Path("out.jsonl").write_text("old\n")

    def failing(self: Tally, brief: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Tally, "add", failing)
    status = assessing.run(["batch.jsonl"], output_format="jsonl", output=Path("out.jsonl"))
    assert (status, capsys.readouterr()) == (130, ("", "interrupted\n"))
    assert Path("out.jsonl").read_text() == "old\n"
    assert sorted(p.name for p in Path().iterdir()) == ["batch.jsonl", "out.jsonl"]
