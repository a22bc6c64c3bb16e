"""The cache of loaded content: served only for the same bytes and code, written
atomically and privately, trusted only when the user's own, never in the way."""

from __future__ import annotations

import os
import pickle
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from triage.content import cache
from triage.content.build import build
from triage.content.load import load, shipped
from triage.errors import ContentError
from triage.model import Content

Build = Callable[[Path, Path], Content]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (never the real home's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TRIAGE_NO_CACHE", raising=False)
    return tmp_path / "xdg" / "triage"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the shipped content files, to change."""
    q, r = tmp_path / "questions.yaml", tmp_path / "rules.yaml"
    q.write_bytes(shipped("questions.yaml").read_bytes())
    r.write_bytes(shipped("rules.yaml").read_bytes())
    return q, r


class Counted:
    """`build`, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, q: Path, r: Path) -> Content:
        self.calls += 1
        return build(q, r)


def entries(home: Path) -> list[Path]:
    return sorted(home.glob("content-*.pickle")) if home.exists() else []


def test_the_second_load_is_the_cached_content_equal_to_the_built_one(
    files: tuple[Path, Path], home: Path
) -> None:
    counted = Counted()
    first = cache.cached(*files, counted)
    second = cache.cached(*files, counted)
    assert counted.calls == 1
    assert second is not first
    assert (second.questions, second.rules) == (first.questions, first.rules)
    assert second.questions.sha256 == first.questions.sha256
    # the operators are the table's own, as the engine expects
    ops = {c.op for f in first.rules.facts.values() for c in f.when.walk() if hasattr(c, "op")}
    again = {c.op for f in second.rules.facts.values() for c in f.when.walk() if hasattr(c, "op")}
    assert {id(op) for op in ops} == {id(op) for op in again}


def test_load_uses_the_cache_only_when_asked(files: tuple[Path, Path], home: Path) -> None:
    load(*files)
    assert entries(home) == []
    load(*files, cache=True)
    assert len(entries(home)) == 1


def test_the_entry_and_its_folder_are_the_users_only_and_no_temporary_file_is_left(
    files: tuple[Path, Path], home: Path
) -> None:
    cache.cached(*files, build)
    [entry] = entries(home)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert [p.name for p in home.iterdir()] == [entry.name]


@pytest.mark.parametrize(
    ("which", "old", "new"),
    [(0, "Fever or unwell", "Fevers or unwell"), (1, "mean meningitis.", "mean meningitis!")],
)
def test_a_changed_byte_in_either_file_is_never_served_stale(
    files: tuple[Path, Path], home: Path, which: int, old: str, new: str
) -> None:
    counted = Counted()
    cache.cached(*files, counted)
    path = files[which]
    path.write_text(path.read_text().replace(old, new, 1))
    changed = cache.cached(*files, counted)
    assert counted.calls == 2
    built = build(*files)
    assert (changed.questions, changed.rules) == (built.questions, built.rules)
    assert len(entries(home)) == 2


def test_changed_code_is_a_new_key(
    files: tuple[Path, Path], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted()
    cache.cached(*files, counted)
    monkeypatch.setattr(cache, "_source", lambda: "another version of the code")
    cache.cached(*files, counted)
    assert counted.calls == 2


def test_another_yaml_loader_is_a_new_key(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from triage import safeyaml

    counted = Counted()
    cache.cached(*files, counted)
    monkeypatch.setattr(safeyaml, "Loader", yaml.SafeLoader)  # the pure-Python one
    cache.cached(*files, counted)
    assert counted.calls == 2


def test_the_source_fingerprint_names_every_module_with_its_size_and_time() -> None:
    found = cache._source()
    assert found is not None
    lines = found.splitlines()
    assert any(line.startswith("/content/build.py ") for line in lines)
    assert any(line.startswith("/__init__.py ") for line in lines)  # the version's file
    assert len(lines) == len(list(Path(cache.__file__).parent.parent.rglob("*.py")))


def test_a_content_error_is_never_cached_and_is_said_the_same_each_time(
    files: tuple[Path, Path], home: Path
) -> None:
    q, r = files
    r.write_text(r.read_text().replace("when: fever", "when: fevr", 1))
    with pytest.raises(ContentError) as direct:
        build(q, r)
    for _ in range(2):
        with pytest.raises(ContentError) as through:
            load(q, r, cache=True)
        assert str(through.value) == str(direct.value)
    assert entries(home) == []


def test_missing_files_are_said_as_without_the_cache(tmp_path: Path, home: Path) -> None:
    with pytest.raises(ContentError) as direct:
        load(tmp_path / "none.yaml", tmp_path / "none.yaml")
    with pytest.raises(ContentError) as through:
        load(tmp_path / "none.yaml", tmp_path / "none.yaml", cache=True)
    assert str(through.value) == str(direct.value)
    assert entries(home) == []


def test_a_file_changed_while_being_read_is_not_cached(
    files: tuple[Path, Path], home: Path
) -> None:
    q, _ = files

    def changing(q_path: Path, r_path: Path) -> Content:
        q.write_text(q.read_text().replace("Fever", "Fevers", 1))  # after the digests
        return build(q_path, r_path)

    cache.cached(*files, changing)
    assert entries(home) == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"garbage" + data,  # another header
        lambda data: data.replace(b"triage.model", b"triage.modes"),
        lambda data: data[:-40] + bytes(40),
    ],
)
def test_a_corrupt_entry_is_built_again_and_replaced(
    files: tuple[Path, Path], home: Path, spoil: Callable[[bytes], bytes]
) -> None:
    cache.cached(*files, build)
    [entry] = entries(home)
    entry.write_bytes(spoil(entry.read_bytes()))
    counted = Counted()
    content = cache.cached(*files, counted)
    assert counted.calls == 1
    assert content.rules == build(*files).rules
    assert cache.cached(*files, counted).rules == content.rules  # written again
    assert counted.calls == 1


def test_an_entry_that_would_run_code_is_refused(
    files: tuple[Path, Path], home: Path, tmp_path: Path
) -> None:
    cache.cached(*files, build)
    [entry] = entries(home)
    head = entry.read_bytes().split(b"\n", 2)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    entry.write_bytes(head[0] + b"\n" + head[1] + b"\n" + pickle.dumps(Evil()))
    counted = Counted()
    cache.cached(*files, counted)
    assert counted.calls == 1
    assert not marker.exists()


@pytest.mark.parametrize("what", ["entry", "folder"])
def test_an_entry_others_can_write_is_not_trusted(
    files: tuple[Path, Path], home: Path, what: str
) -> None:
    cache.cached(*files, build)
    [entry] = entries(home)
    (entry if what == "entry" else home).chmod(0o666 if what == "entry" else 0o777)
    counted = Counted()
    cache.cached(*files, counted)
    assert counted.calls == 1


def test_an_entry_another_user_owns_is_not_trusted(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.cached(*files, build)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)  # as if someone else
    counted = Counted()
    cache.cached(*files, counted)
    assert counted.calls == 1


def test_a_symbolic_link_for_an_entry_is_not_followed(
    files: tuple[Path, Path], home: Path, tmp_path: Path
) -> None:
    cache.cached(*files, build)
    [entry] = entries(home)
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    counted = Counted()
    cache.cached(*files, counted)
    assert counted.calls == 1


def test_a_cache_folder_that_cannot_be_made_is_no_cache(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))  # not a folder
    counted = Counted()
    for _ in range(2):
        assert cache.cached(*files, counted).rules == build(*files).rules
    assert counted.calls == 2


def test_a_failing_write_is_silent_and_leaves_no_temporary_file(
    files: tuple[Path, Path], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    content = cache.cached(*files, build)
    assert content.rules == build(*files).rules
    assert list(home.iterdir()) == []


@pytest.mark.parametrize("value", ["1", "yes"])
def test_triage_no_cache_turns_it_off(
    files: tuple[Path, Path], home: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TRIAGE_NO_CACHE", value)
    counted = Counted()
    cache.cached(*files, counted)
    cache.cached(*files, counted)
    assert counted.calls == 2
    assert not home.exists()


def test_a_relative_xdg_cache_home_is_ignored_for_the_home_folder(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    cache.cached(*files, build)
    assert not (tmp_path / "relative").exists()
    assert len(entries(tmp_path / "home" / ".cache" / "triage")) == 1


def test_at_most_entries_are_kept_the_oldest_removed(files: tuple[Path, Path], home: Path) -> None:
    q, r = files
    for n in range(cache.ENTRIES + 3):
        q.write_text(q.read_text().replace("Fever", f"Fever{n}", 1))
        cache.cached(q, r, build)
        newest = max(entries(home), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(n * 10**9, n * 10**9))  # each entry older than the next
    assert len(entries(home)) == cache.ENTRIES
    counted = Counted()
    cache.cached(q, r, counted)  # the newest is still there
    assert counted.calls == 0
