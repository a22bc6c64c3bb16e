"""Standard streams that fail under a real `triage` process.

A pipe closed early (`| head -1`) ends the run quietly, as pipes do; a
standard output that cannot be written (`> /dev/full`, `>&-`) is one line on
standard error and its own exit status; a closed standard input is an input
that cannot be read.  Each test runs `python -m triage` with the stream set up
as a shell would.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from triage.errors import ExitStatus

from .scenarios import vignettes
from .test_record import ADULT

GOOD = [v.answers for v in vignettes() if v.expect["triage_level"] != "emergency"][:5]
FULL = "cannot write the results to standard output: No space left on device\n"
CLOSED = "cannot write the results to standard output: Bad file descriptor\n"
TRIAGE = [sys.executable, "-m", "triage"]


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("one.json").write_text(json.dumps(ADULT))
    with open("many.jsonl", "w", encoding="utf-8") as out:
        for n in range(3_000):  # far more than a pipe holds
            out.write(json.dumps({"id": f"r{n}", **GOOD[n % len(GOOD)]}) + "\n")
    return tmp_path


def shell(command: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run triage with `args` through `sh -c`, with `command` after it (a redirection)."""
    line = f"exec {shlex.join([*TRIAGE, *args])} {command}"
    return subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=60)


COMMANDS = [
    ["assess", "one.json"],
    ["assess", "many.jsonl", "--format", "jsonl"],
    ["assess", "many.jsonl", "--format", "csv", "--jobs", "2"],
    ["assess", "many.jsonl", "--format", "csv", "--format", "jsonl"],  # typer's way in
    ["questions", "--format", "json"],
    ["export", "fhir"],
]


@pytest.mark.parametrize("args", COMMANDS)
def test_a_pipe_closed_early_ends_quietly_with_141(args: list[str]) -> None:
    reading, writing = os.pipe()
    child = subprocess.Popen([*TRIAGE, *args], stdout=writing, stderr=subprocess.PIPE)
    os.close(writing)
    os.close(reading)  # as `| head -0` would: gone before the first result
    _, stderr = child.communicate(timeout=60)
    assert (child.returncode, stderr) == (ExitStatus.BROKEN_PIPE, b"")


def test_head_takes_the_first_line_and_triage_ends_quietly() -> None:
    line = f"{shlex.join([*TRIAGE, 'assess', 'many.jsonl', '--format', 'jsonl'])} | head -1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (141, "")
    assert json.loads(done.stdout)["id"] == "r0"


@pytest.mark.parametrize("args", COMMANDS)
def test_a_full_standard_output_is_one_line_and_74(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*TRIAGE, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert (done.returncode, done.stderr) == (ExitStatus.OUTPUT_ERROR, FULL)


@pytest.mark.parametrize("args", COMMANDS)
def test_a_closed_standard_output_is_one_line_and_74(args: list[str]) -> None:
    done = shell(">&-", *args)
    assert (done.returncode, done.stdout, done.stderr) == (ExitStatus.OUTPUT_ERROR, "", CLOSED)


def test_a_closed_standard_output_is_no_matter_when_the_results_go_to_a_file() -> None:
    done = shell(">&-", "assess", "one.json", "--output", "out.json")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(Path("out.json").read_text())["triage_level"] == "routine"


def test_a_closed_standard_input_is_an_input_that_cannot_be_read() -> None:
    done = shell("<&-", "assess", "-")
    assert (done.returncode, done.stderr) == (1, "<stdin>: cannot be read: Bad file descriptor\n")
    assert json.loads(done.stdout)["id"] == "<stdin>"


def test_an_empty_standard_input_is_no_record() -> None:
    done = subprocess.run(
        [*TRIAGE, "assess", "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 1 and done.stderr.startswith("<stdin>")


def test_a_closed_standard_input_leaves_check_refusing_to_start() -> None:
    done = shell("<&-", "check")
    assert done.returncode == ExitStatus.USAGE
    assert done.stderr.splitlines()[0] == (
        "error: triage check asks questions, but standard input is not a terminal."
    )


def test_a_closed_standard_error_never_sends_messages_into_the_results() -> None:
    Path("bad.jsonl").write_text('{"id": "b", "age": 40}\n')
    done = shell("2>&-", "assess", "bad.jsonl", "--format", "jsonl")
    assert done.returncode == 1
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["b"]
