"""Content already built, kept in the user's cache folder, so that a command run once
per record does not parse and check the YAML each time (`load(cache=True)`).

An entry is the pickled `Content`, named by a key: the SHA-256 of both files'
bytes, the versions of Python and PyYAML (and its loader), and the fingerprint
of the package's source (each module's path, size and modification time,
which is what Python checks its own bytecode against; `__init__.py`, which
holds the version, among them), so that a change in either file, or in the
code that builds `Content`, is a new key: an entry is never served stale.
The key is checked again when an entry is read (it is written at its start),
and only content whose own digests are those of the key is written (a file
that changed while it was read is not cached under its old bytes).  A content
error is never cached: `build` says it each time.

The folder is `$XDG_CACHE_HOME/triage`, else `~/.cache/triage`;
`TRIAGE_NO_CACHE` (any value but empty or 0) turns the cache off.  An entry
is written to a temporary file and renamed into place, readable by the user
only; the folder and the entry are read only when the user owns them and no
one else can write them, and the unpickler makes nothing but the records of
`triage.model` and `triage.logic.tree`.  Any failure to read or write (a
read-only home, a full disk, a corrupt entry, another system than POSIX) is
silent: the content is built from the files, as without the cache.  At most
`ENTRIES` entries are kept, the oldest removed first.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

try:  # the built-in module: loading hashlib (and OpenSSL) costs more than a small run
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Python versions name it differently
    from hashlib import sha256

if TYPE_CHECKING:
    from triage.model import Content

FORMAT = b"triage content cache 1\n"
ENTRIES = 8  # entries kept (different questionnaires and rules, or versions)
ABANDONED = 60.0  # seconds after which a temporary file is a crashed writer's
_PREFIX, _SUFFIX = "content-", ".pickle"


def digest(data: bytes) -> str:
    """The SHA-256 of a content file's bytes: `Content` carries it, the key holds it."""
    return str(sha256(data).hexdigest())


def cached(q_path: Path, r_path: Path, build: Callable[[Path, Path], Content]) -> Content:
    """The content of these files from the cache, else `build(q_path, r_path)`,
    which is then cached (unless it raises)."""
    folder = _folder()
    digests = _digests(q_path, r_path) if folder else None
    source = _source() if digests else None
    if folder is None or digests is None or source is None:
        return build(q_path, r_path)
    key = _key(source, *digests)
    found = _read(folder, key)
    if found is not None:
        return found
    content = build(q_path, r_path)
    if (content.questions.sha256, content.rules.sha256) == digests:
        _write(folder, key, content)
    return content


def _folder() -> str | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get("TRIAGE_NO_CACHE", "") not in ("", "0") or os.name != "posix":
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG specification: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):  # no home to expand `~` to
            return None
    return os.path.join(base, "triage")


def _digests(q_path: Path, r_path: Path) -> tuple[str, str] | None:
    """The digests of both files, or None if either cannot be read whole (`build`
    says why)."""
    from triage.safeyaml import MAX_DOCUMENT_BYTES

    found = []
    for path in (q_path, r_path):
        try:
            with open(path, "rb") as stream:
                data = stream.read(MAX_DOCUMENT_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_DOCUMENT_BYTES:
            return None
        found.append(digest(data))
    return found[0], found[1]


def _key(source: str, questions: str, rules: str) -> str:
    import yaml  # already imported by `safeyaml` (see `_digests`): its version only

    from triage.safeyaml import Loader

    parser = f"PyYAML {yaml.__version__} {Loader.__name__}"
    parts = (FORMAT.decode(), sys.version, parser, source, questions, rules)
    return digest("\0".join(parts).encode("utf-8", "surrogateescape"))


@cache
def _source() -> str | None:
    """The fingerprint of the package's source: each module's path, size and
    modification time (what Python checks its bytecode against); None if it
    cannot be read."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found: list[str] = []

    def walk(folder: str) -> None:
        for item in sorted(os.scandir(folder), key=lambda item: item.name):
            if item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                walk(item.path)
            elif item.name.endswith(".py"):
                info = item.stat()
                found.append(f"{item.path[len(root) :]} {info.st_size} {info.st_mtime_ns}")

    try:
        walk(root)
    except OSError:
        return None
    return "\n".join(found)


def _trusted(info: os.stat_result) -> bool:
    """Whether a folder or file is the user's own, and no one else can write it."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(folder: str, key: str) -> Content | None:
    try:
        where = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        if not _trusted(os.fstat(where)):
            return None
        handle = os.open(_PREFIX + key + _SUFFIX, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=where)
        with open(handle, "rb") as stream:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or not _trusted(info):
                return None
            data = stream.read()
    except OSError:
        return None
    finally:
        os.close(where)
    return _unpickled(data, key)


def _unpickled(data: bytes, key: str) -> Content | None:
    import io

    try:  # the C module: the rest of `pickle` (its Python pickler) is not needed here
        from _pickle import Unpickler, UnpicklingError
    except ImportError:  # pragma: no cover - a Python without it
        from pickle import Unpickler, UnpicklingError

    from triage import model
    from triage.logic import tree
    from triage.logic.operators import OPERATORS

    head = FORMAT + key.encode() + b"\n"
    if not data.startswith(head):
        return None

    class Records(Unpickler):
        """Makes the records of `model` and `logic.tree` (and their mappings) only."""

        def find_class(self, module: str, name: str) -> Any:
            if module == __name__ and name == "_proxy":
                return _proxy
            found = {model.__name__: model, tree.__name__: tree}.get(module)
            made = getattr(found, name, None)
            if found is None or not isinstance(made, type) or made.__module__ != module:
                raise UnpicklingError(f"{module}.{name} is not content")
            return made

        def persistent_load(self, pid: Any) -> Any:
            return OPERATORS[pid]  # an operator, by its name in the table

    try:
        content = Records(io.BytesIO(data[len(head) :])).load()
    except Exception:
        return None
    return content if isinstance(content, model.Content) else None


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _pickled(content: Content) -> bytes:
    import copyreg
    import io
    import pickle

    from triage.logic.operators import Operator

    class Pickler(pickle.Pickler):
        dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _proxied}

        def persistent_id(self, obj: Any) -> Any:
            return obj.name if isinstance(obj, Operator) else None  # from the table

    stream = io.BytesIO()
    Pickler(stream, pickle.HIGHEST_PROTOCOL).dump(content)
    return stream.getvalue()


def _proxied(mapping: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _proxy, (dict(mapping),)


def _write(folder: str, key: str, content: Content) -> None:
    """Write the entry, quietly: a cache that cannot be written is no cache."""
    name = _PREFIX + key + _SUFFIX
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    with suppress(Exception):
        data = FORMAT + key.encode() + b"\n" + _pickled(content)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        where = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if not _trusted(os.fstat(where)):
                return
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
            handle = os.open(temporary, flags, 0o600, dir_fd=where)
            try:
                with open(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, name, src_dir_fd=where, dst_dir_fd=where)
            except BaseException:
                with suppress(OSError):
                    os.unlink(temporary, dir_fd=where)
                raise
            _prune(where)
        finally:
            os.close(where)


def _prune(where: int) -> None:
    """Remove the oldest entries beyond `ENTRIES`, and temporary files abandoned."""
    import time

    entries, gone, now = [], [], time.time()
    with os.scandir(where) as items:
        for item in items:
            info = item.stat(follow_symlinks=False)
            if item.name.startswith(_PREFIX) and item.name.endswith(_SUFFIX):
                entries.append((info.st_mtime, item.name))
            elif item.name.startswith("." + _PREFIX) and now - info.st_mtime > ABANDONED:
                gone.append(item.name)
    gone += [name for _, name in sorted(entries, reverse=True)[ENTRIES:]]
    for name in gone:
        with suppress(OSError):
            os.unlink(name, dir_fd=where)
