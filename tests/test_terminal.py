"""The self-check at a terminal, with the keyboard and screen simulated; and the
README's captured runs, which must stay what the program shows."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from triage import render
from triage.intake.record import Record
from triage.model import Content
from triage.render.terminal import Terminal
from triage.results import contract
from triage.results.record import assess_record
from triage.selfcheck.flow import SelfCheck

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def session(content: Content, entries: list[str], plain: bool = False) -> str:
    """A whole self-check typed from `entries`, as the terminal would show it."""
    stream = io.StringIO()
    typed = iter(entries)

    def read(prompt: str) -> str:
        entry = next(typed)
        stream.write(f"{prompt}{entry}\n")  # a terminal echoes what is typed
        return entry

    terminal = Terminal(content, render.console(stream, terminal=True), plain, read=read)
    check = SelfCheck(content)
    terminal.welcome(None)
    terminal.result(contract.result_object(content, check.run(terminal)))
    return "\n".join(line.rstrip() for line in stream.getvalue().splitlines())


def readme_block(after: str) -> str:
    """The README's text from the line `after` (or the code block that follows it)
    to the end of that code block."""
    start = README.index(after) + len(after)
    rest = README[start:].removeprefix("\n\n```text")
    return rest[1 : rest.index("\n```")]


def test_the_readme_short_run_is_what_the_self_check_shows(content: Content) -> None:
    shown = session(content, ["38", "1", "1", "5", "4", "y", "1"])
    parts = readme_block("$ triage check").split("\n…\n")
    assert [len(part.splitlines()) > 10 for part in parts] == [True, True]
    for part in parts:
        assert part in shown


def test_the_readme_result_screen_is_what_the_self_check_shows(content: Content) -> None:
    path = "examples/tension-type.yaml"
    data = assess_record(content, Record(path, answers=_yaml(ROOT / path))).result
    stream = io.StringIO()
    render.console(stream, terminal=True).print(render.result(data, content))
    shown = "\n".join(line.rstrip() for line in stream.getvalue().splitlines())
    block = readme_block(
        "(`triage check --answers examples/tension-type.yaml`, Enter at the review):"
    )
    assert block == shown


def test_the_notice_is_on_the_welcome_the_warning_and_the_result_only(
    content: Content,
) -> None:
    shown = session(content, ["38", "2", "4", "y", "1"])
    screens = [" ".join(screen.replace("│", " ").split()) for screen in shown.split("\n> ")]
    assert len(screens) == 6  # welcome+age, sex, history, sudden onset, emergency, result
    notice = " ".join(content.rules.notice.split())
    assert [notice in screen for screen in screens] == [True, False, False, False, True, True]
    assert not [screen for screen in screens if "Not a diagnosis." in screen]


def test_plain_mode_reads_as_lines_without_drawing(content: Content) -> None:
    shown = session(content, ["38", "2", "4", "y", "1"], plain=True)
    assert not re.search("[─│╭╮╰╯━┃┏┓┗┛]", shown)
    assert "Answer: 38" in shown
    assert "1 of 2: End now and see the summary (recommended)" in shown


def _yaml(path: Path) -> dict[str, object]:
    import yaml

    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict)
    return loaded
