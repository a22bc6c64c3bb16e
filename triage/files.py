"""Writing files so that an interrupted run never leaves half of one.

`atomic_write` writes a temporary file beside the target and renames it
into place: the target holds either its old content or the whole new one.
The file is readable by its owner only (answers and results are health data).
`check_writable` finds out before any work whether a path can be written so;
`answers_text` writes answers the way `--answers` reads them back.

Only a regular file or a new path is written.  A renaming replaces whatever
has the name, so anything else is refused, by name, before the work and again
just before the renaming: a device node (as root, `/dev/null` would become a
file), a FIFO (its reader would wait for ever), a directory, and a symbolic
link.  A link is not followed: as root in a shared folder, following one
planted there could replace any file on the system, and replacing the link
would quietly cut it from what it points to; the message names its target, to
be given instead.  A writable file in a folder that cannot be written into is
refused too, with a message saying why: writing it in place would lose the
guarantee that an interrupted run leaves the old file whole.

A lone surrogate (from a JSON `"\\ud800"`), which UTF-8 cannot encode, is
written as its escape `\\ud800`, which JSON reads back as it was.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from triage.errors import TriageError


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces `path` in one step when the block ends.

    If the block raises (an error, Ctrl-C), the temporary file is removed and
    `path` keeps what it held.  Raises `TriageError` if `path` cannot be
    written, before the block runs, or (when it has become something else than a
    regular file meanwhile) instead of replacing it.
    """
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(
            handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n"
        ) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        _replaceable(path)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise TriageError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
ONLY = "only a regular file or a new path can be written"
_FOLDER = (
    "its folder is not writable ({why}); a file is written beside its final name and "
    "renamed into place, so that an interrupted run leaves no half-written file"
)


def _replaceable(path: Path) -> None:
    """Raise `TriageError` unless `path` is a regular file or does not exist."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # nothing there (or a parent that is not a folder: said when writing)
        return
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        kind = f"a symbolic link (to {os.readlink(path)}); {ONLY}; give the file it points to"
    else:
        kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
        kind += f"; {ONLY}"
    raise TriageError(f"{path}: cannot write: it is {kind}")


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, or `TriageError` if there can be none
    (or if `path` is something a renaming must not replace)."""
    import tempfile  # kept off the start-up path of commands that write no file

    _replaceable(path)
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        why = exc.strerror or str(exc)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and path.parent.is_dir():
            why = _FOLDER.format(why=why)
        raise TriageError(f"{path}: cannot write here: {why}") from None


def check_writable(path: Path) -> None:
    """Raise `TriageError` now, as `atomic_write` would, if `path` cannot be
    written (its folder is missing or read-only); `path` itself is not touched."""
    handle, temporary = _temporary(path)
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step; raise `TriageError` if it cannot."""
    with atomic_file(path) as out:
        out.write(text)


def answers_text(answers: Mapping[str, Any], path: Path, header: str = "") -> str:
    """Answers as an answers file: JSON for a `.json` path, else YAML with `header`
    as a comment.  Codes like `no` are quoted, so they read back as text."""
    if path.suffix.lower() == ".json":
        return json.dumps(dict(answers), ensure_ascii=False, indent=2) + "\n"
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    body = yaml.dump(dict(answers), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return comment + body


class _Dumper(yaml.SafeDumper):
    """YAML as `safe_dump` writes it, with numbers in plain decimal digits: an
    answers file reads `1.0e-05` as text (`triage.safeyaml`), `0.00001` as a number."""


def _plain_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if not math.isfinite(value) or "e" not in repr(value):
        return dumper.represent_float(value)
    from decimal import Decimal  # only for a float Python writes with an exponent

    text = format(Decimal(repr(value)), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(float, _plain_float)
