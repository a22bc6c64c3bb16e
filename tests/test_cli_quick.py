"""The quick way into `assess` reads a command line exactly as typer does, or leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.cli import quick
from triage.cli.assess import assess

from .test_cli import run, write
from .test_record import ADULT


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write("a.yaml", {**ADULT, "id": "a"})
    return tmp_path


def test_a_plain_command_line_is_read_into_the_commands_arguments() -> None:
    args = ["a.yaml", "--format=jsonl", "-j", "2", "--quiet", "--output", "o.jsonl", "--", "-x"]
    assert quick.parse(assess, args) == {
        "output_format": "jsonl",
        "jobs": 2,
        "quiet": True,
        "output": Path("o.jsonl"),
        "files": ["a.yaml", "-x"],
    }
    assert quick.parse(assess, ["-", "--csv-delimiter", "tab"]) == {
        "files": ["-"],
        "csv_delimiter": "\t",
    }


@pytest.mark.parametrize(
    "args",
    [
        ["a.yaml", "--help"],
        ["a.yaml", "--colour"],  # unknown
        ["a.yaml", "-qj2"],  # bundled short options
        ["a.yaml", "--format"],  # no value
        ["a.yaml", "--format", "xml"],  # refused by the callback
        ["a.yaml", "--jobs", "0"],  # below the range
        ["a.yaml", "--jobs", "two"],
        ["a.yaml", "--output", "."],  # a directory
        ["a.yaml", "--quiet=yes"],
        ["a.yaml", "--format", "json", "--format", "jsonl"],  # repeated
        [],  # no file
    ],
)
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    with pytest.raises(quick._Refused):
        quick.parse(assess, args)


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "a.yaml", "--format", "json"],
        ["assess", "a.yaml", "--format", "csv", "--csv-delimiter", ";"],
        ["assess", "a.yaml", "missing.yaml", "--format", "jsonl"],
        ["assess", "a.yaml", "--format", "jsonl", "--fail-on", "soon"],
    ],
)
def test_the_quick_way_gives_what_typer_gives(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status = quick.run(args)
    quick_out = capsys.readouterr()
    typer_result = run(*args)
    assert status == typer_result.exit_code
    assert (quick_out.out, quick_out.err) == (typer_result.stdout, typer_result.stderr)


def test_other_commands_and_help_go_to_typer() -> None:
    assert quick.run(["validate"]) is None
    assert quick.run(["assess", "--help"]) is None
    assert quick.run([]) is None
