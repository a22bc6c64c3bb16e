"""Writing files atomically, and answers files that read back as they were written."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from triage.errors import TriageError
from triage.files import answers_text, atomic_file, atomic_write, check_writable
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


# --- only a regular file or a new path is replaced (issue 12, item 3) ------------------

ONLY = "only a regular file or a new path can be written"


def refused(target: Path) -> str:
    with pytest.raises(TriageError) as caught:
        atomic_write(target, "new")
    with pytest.raises(TriageError) as checked:
        check_writable(target)
    assert str(checked.value) == str(caught.value)  # said before any work, as at the end
    return str(caught.value)


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path: Path) -> None:
    """Replacing a FIFO left its reader waiting for ever."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert refused(fifo) == f"{fifo}: cannot write: it is a FIFO (named pipe); {ONLY}"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_refused_and_stays_a_device(tmp_path: Path) -> None:
    """As root, `--output /dev/null` replaced the device with a regular file; here a
    node of the same device (1, 3) in a folder of the test's own."""
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    assert refused(null) == f"{null}: cannot write: it is a character device; {ONLY}"
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_dev_null_is_refused_before_anything_is_written() -> None:
    with pytest.raises(TriageError) as caught:
        check_writable(Path("/dev/null"))
    assert str(caught.value) == f"/dev/null: cannot write: it is a character device; {ONLY}"


def test_a_symlink_is_refused_and_names_its_target(tmp_path: Path) -> None:
    """A link is not followed (as root in a shared folder, following one could replace
    any file) nor replaced by a file: the message names the file to give instead."""
    target = tmp_path / "results.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert refused(link) == (
        f"{link}: cannot write: it is a symbolic link (to {target}); {ONLY}; "
        "give the file it points to"
    )
    assert link.is_symlink() and target.read_text() == "old"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    assert refused(dangling).startswith(f"{dangling}: cannot write: it is a symbolic link (to ")
    assert dangling.is_symlink() and not (tmp_path / "nowhere.json").exists()


def test_a_folder_is_refused_before_the_work_is_done(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert refused(folder) == f"{folder}: cannot write: it is a directory; {ONLY}"


def test_a_path_that_becomes_a_fifo_while_writing_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(TriageError) as caught, atomic_file(target) as out:
        out.write("new")
        os.mkfifo(target)
    assert str(caught.value) == f"{target}: cannot write: it is a FIFO (named pipe); {ONLY}"
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_writable_file_in_a_read_only_folder_is_a_clear_error() -> None:
    """Decided: refused with a message, never written in place (an interrupted run
    would leave half a file).  Root ignores a folder's permissions, so the write is
    made in a child process that has given up root for `nobody`: the real
    behaviour, not a stand-in."""
    folder = Path(tempfile.mkdtemp())
    target = folder / "out.json"
    target.write_text("old")
    target.chmod(0o666)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
        os.chown(target, NOBODY, NOBODY)
    folder.chmod(0o555)
    try:
        assert as_nobody(lambda: atomic_write(target, "new")) == (
            f"{target}: cannot write here: its folder is not writable (Permission denied); "
            "a file is written beside its final name and renamed into place, so that an "
            "interrupted run leaves no half-written file"
        )
        assert target.read_text() == "old"
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


NOBODY = 65534


def as_nobody(write: Callable[[], None]) -> str:
    """Run `write` in a child process without root; the `TriageError` it raised."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        code = 1
        try:
            os.close(reading)
            if os.geteuid() == 0:
                try:
                    os.setgroups([])
                    os.setgid(NOBODY)
                    os.setuid(NOBODY)
                except OSError:  # a container that lets root keep its powers
                    code = 2
                    raise
            write()
        except TriageError as exc:
            os.write(writing, str(exc).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading, "rb") as said:
        message = said.read().decode()
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) == 2:
        pytest.skip("root cannot give up its powers here, and root ignores a folder's mode")
    assert os.waitstatus_to_exitcode(status) == 0, "the write was not refused"
    return message


def test_a_lone_surrogate_is_written_as_its_escape_and_json_reads_it_back(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    atomic_write(target, json.dumps({"k\ud800": "\udfff"}, ensure_ascii=False))
    assert target.read_text(encoding="utf-8") == '{"k\\ud800": "\\udfff"}'
    assert json.loads(target.read_text(encoding="utf-8")) == {"k\ud800": "\udfff"}
    saved = tmp_path / "saved.json"
    atomic_write(saved, answers_text({"age": "4\ud800"}, saved))
    _, records = read(str(saved), None)
    assert [r.answers for r in records] == [{"age": "4\ud800"}]


def test_saved_numbers_are_plain_decimal_and_read_back_as_they_were(tmp_path: Path) -> None:
    """YAML writes 1e-05 as `1.0e-05`, which an answers file reads as text now (and a
    duration refuses an exponent): numbers are saved in plain decimal digits."""
    answers = {"attack_duration_hours": 1e-05, "big": 1.5e16, "tenth": 0.1, "two": 2.0, "n": 3}
    path = tmp_path / "saved.yaml"
    text = answers_text(answers, path)
    assert text == (
        "attack_duration_hours: 0.00001\nbig: 15000000000000000.0\ntenth: 0.1\ntwo: 2.0\nn: 3\n"
    )
    path.write_text(text, encoding="utf-8")
    _, records = read(str(path), None)
    [record] = list(records)
    assert record.answers == answers
    assert all(type(record.answers[k]) is type(v) for k, v in answers.items())
