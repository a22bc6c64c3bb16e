"""A plain one-record `triage assess` imports only what it uses: no typer, click or
rich, and, once the content is cached, none of the YAML readers of the content.

The time itself is measured by `benchmarks/bench.py --startup`; these tests keep
what makes it (what is imported) from coming back unseen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .test_cli import run
from .test_record import ADULT

CODE = """\
import json, sys
from triage.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    status = done.code
names = sorted(m for m in sys.modules if m.split(".")[0] in ("typer", "click", "rich"))
content = sorted(m for m in sys.modules if m.startswith("triage.content."))
print(json.dumps([status, names, content]), file=sys.stderr)
"""


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TRIAGE_NO_CACHE", raising=False)
    Path("one.yaml").write_text(json.dumps({**ADULT, "id": "one"}))
    return tmp_path


def assess(*args: str, env: dict[str, str] | None = None) -> tuple[str, str, list[Any]]:
    """Standard output, the messages, and [exit status, the typer, click and rich
    modules imported, the `triage.content` modules imported]."""
    done = subprocess.run(
        [sys.executable, "-c", CODE, "assess", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    *said, imported = done.stderr.splitlines()
    return done.stdout, "".join(line + "\n" for line in said), json.loads(imported)


def test_a_plain_assess_imports_neither_typer_nor_click_nor_rich() -> None:
    _, _, (status, names, content) = assess("one.yaml", "--format", "json")
    assert (status, names) == (0, [])
    assert "triage.content.build" in content  # the first run builds and caches the content
    _, _, imported = assess("one.yaml", "--format", "jsonl", "--line-buffered", "--quiet")
    assert imported == [0, [], ["triage.content.cache", "triage.content.load"]]


def test_anything_else_still_goes_to_typer() -> None:
    _, said, (status, names, _) = assess("one.yaml", "--format", "xml")
    assert status == 2 and "typer" in {name.split(".")[0] for name in names}
    assert "Invalid value for '--format': 'xml' is not one of json, jsonl, csv, text." in said


def test_the_result_is_the_same_from_the_cache_without_it_and_through_typer() -> None:
    cold, _, _ = assess("one.yaml", "--format", "json")
    warm, _, _ = assess("one.yaml", "--format", "json")
    off, _, _ = assess("one.yaml", "--format", "json", env={**os.environ, "TRIAGE_NO_CACHE": "1"})
    assert cold == warm == off == run("assess", "one.yaml", "--format", "json").stdout
    assert json.loads(warm)["id"] == "one"
    assert list(Path("cache", "triage").glob("content-*.pickle"))  # the runs share a cache
