"""The quick way into `assess` reads a command line exactly as typer does, or leaves it."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import pytest
from typer.models import ArgumentInfo, OptionInfo

from triage.cli import assessing, quick
from triage.cli.assess import assess
from triage.cli.assessing import Option

from .test_cli import cached, run, write
from .test_record import ADULT


@pytest.fixture(autouse=True)
def here(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    cached(tmp_path_factory, monkeypatch)
    monkeypatch.chdir(tmp_path)
    write("a.yaml", {**ADULT, "id": "a"})
    return tmp_path


def parse(args: list[str]) -> dict[str, Any]:
    return quick.parse(assessing.OPTIONS, assessing.ARGUMENT, args)


def declared() -> tuple[dict[str, Option], str | None]:
    """assess's options as its typer declaration gives them (by each of their names),
    and its list argument: the table `quick` reads should be this."""
    options: dict[str, Option] = {}
    argument = None
    for name, parameter in inspect.signature(assess, eval_str=True).parameters.items():
        kind, info = typing.get_args(parameter.annotation)[:2]
        if isinstance(info, ArgumentInfo):
            argument = name
            continue
        assert isinstance(info, OptionInfo)
        base = next((t for t in typing.get_args(kind) if t is not type(None)), kind)
        check = getattr(info.callback, "__wrapped__", info.callback)  # typer's wrapper off
        option = Option(name, base, check, getattr(info, "min", None))
        for decl in (info.default, *(info.param_decls or ())):
            if isinstance(decl, str) and decl.startswith("-"):
                options[decl] = option
    return options, argument


def test_the_quick_table_is_the_typer_declaration() -> None:
    assert declared() == (assessing.OPTIONS, assessing.ARGUMENT)


def test_typer_reads_no_option_in_a_way_the_quick_table_does_not_hold() -> None:
    """No environment variable, prompt, maximum, `exists`...: only what `quick` reads
    (a path: never a folder, as `quick` refuses one)."""
    plain = vars(OptionInfo())
    held = {"default", "param_decls", "callback", "metavar", "help", "min", "dir_okay"}
    for name, parameter in inspect.signature(assess, eval_str=True).parameters.items():
        kind, info = typing.get_args(parameter.annotation)[:2]
        if isinstance(info, OptionInfo):
            assert {k for k, v in vars(info).items() if plain.get(k) != v} <= held, name
            assert info.dir_okay is (Path not in typing.get_args(kind)), name


def test_the_command_passes_every_option_to_run_and_run_takes_each_as_declared() -> None:
    run_takes = inspect.signature(assessing.run).parameters
    typer_gives = inspect.signature(assess).parameters
    assert list(run_takes) == list(typer_gives)
    for name, parameter in typer_gives.items():
        assert run_takes[name].default == parameter.default, name


def test_a_plain_command_line_is_read_into_the_commands_arguments() -> None:
    args = ["a.yaml", "--format=jsonl", "-j", "2", "--quiet", "--output", "o.jsonl", "--", "-x"]
    assert parse(args) == {
        "output_format": "jsonl",
        "jobs": 2,
        "quiet": True,
        "output": Path("o.jsonl"),
        "files": ["a.yaml", "-x"],
    }
    assert parse(["-", "--csv-delimiter", "tab", "--line-buffered"]) == {
        "files": ["-"],
        "csv_delimiter": "\t",
        "line_buffered": True,
    }


@pytest.mark.parametrize(
    "args",
    [
        ["a.yaml", "--help"],
        ["a.yaml", "--colour"],  # unknown
        ["a.yaml", "-qj2"],  # bundled short options
        ["a.yaml", "--format"],  # no value
        ["a.yaml", "--format", "xml"],  # refused by the check
        ["a.yaml", "--csv-delimiter", "::"],
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
        parse(args)


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "a.yaml", "--format", "json"],
        ["assess", "a.yaml", "--format", "csv", "--csv-delimiter", ";"],
        ["assess", "a.yaml", "missing.yaml", "--format", "jsonl"],
        ["assess", "a.yaml", "--format", "jsonl", "--fail-on", "soon"],
        ["assess", "a.yaml", "--format", "jsonl", "--line-buffered"],
        ["assess", "a.yaml", "--questions", "missing.yaml"],  # a content error
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "-"], "Invalid value for FILE: '-' (standard input) can be given only once"),
        (
            ["a.yaml", "--format", "csv", "--with-answers"],
            "Invalid value for --with-answers: the answers go into JSON results; give "
            "--format json or --format jsonl",
        ),
        (["a.yaml", "--format", "xml"], "Invalid value for '--format': 'xml' is not one of json, "),
        (["a.yaml", "--csv-delimiter", "::"], "Invalid value for '--csv-delimiter': '::' is not "),
    ],
)
def test_a_usage_error_is_left_to_typer_which_says_it_as_before(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert quick.run(["assess", *args]) is None
    assert capsys.readouterr() == ("", "")  # nothing read, nothing written
    result = run("assess", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.replace("│", "").split())


def test_other_commands_and_help_go_to_typer() -> None:
    assert quick.run(["validate"]) is None
    assert quick.run(["assess", "--help"]) is None
    assert quick.run([]) is None
