"""Writing files atomically, and answers files that read back as they were written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from triage.errors import TriageError
from triage.files import answers_text, atomic_write, check_writable
from triage.intake.read import read


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    atomic_write(target, "new ✓\n")
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_an_interrupted_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_folder_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    with pytest.raises(TriageError) as caught:
        atomic_write(target, "x")
    assert str(caught.value) == f"{target}: cannot write here: No such file or directory"


@pytest.mark.parametrize("name", ["saved.yaml", "saved.yml", "saved.json"])
def test_answers_read_back_as_they_were_written(tmp_path: Path, name: str) -> None:
    answers = {"id": 7, "pregnancy": "no", "sudden_onset": "yes", "location": ["neck"], "age": 40}
    path = tmp_path / name
    path.write_text(answers_text(answers, path, "a header\nover two lines"), encoding="utf-8")
    _, records = read(str(path), None)
    assert [r.answers for r in records] == [answers]


def test_a_yaml_answers_file_starts_with_its_header_as_comments(tmp_path: Path) -> None:
    text = answers_text({"pregnancy": "no"}, tmp_path / "a.yaml", "line one\nline two")
    assert text == "# line one\n# line two\npregnancy: 'no'\n"
    assert yaml.safe_load(text) == {"pregnancy": "no"}


def test_check_writable_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    old = tmp_path / "out.json"
    old.write_text("old")
    check_writable(old)
    check_writable(tmp_path / "new.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert old.read_text() == "old"


def test_check_writable_says_what_atomic_write_would(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    with pytest.raises(TriageError) as caught:
        check_writable(target)
    assert str(caught.value) == f"{target}: cannot write here: No such file or directory"


def test_check_writable_refuses_a_folder_that_is_a_file(tmp_path: Path) -> None:
    """A parent that is not a folder cannot be written into, even as root."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(TriageError) as caught:
        check_writable(blocker / "out.json")
    assert str(caught.value) == f"{blocker / 'out.json'}: cannot write here: Not a directory"


def test_emergency_undone_reads_back_as_it_was_written(tmp_path: Path) -> None:
    answers = {"age": 40, "sudden_onset": "no", "emergency_undone": ["sudden_onset"]}
    path = tmp_path / "saved.yaml"
    path.write_text(answers_text(answers, path), encoding="utf-8")
    assert path.read_text().endswith("emergency_undone:\n- sudden_onset\n")
    _, records = read(str(path), None)
    assert [r.answers for r in records] == [answers]
