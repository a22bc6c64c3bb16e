"""Writing files so that an interrupted run never leaves half of one.

`atomic_write` writes a temporary file beside the target and renames it
into place: the target holds either its old content or the whole new one.
The file is readable by its owner only (answers and results are health data).
`check_writable` finds out before any work whether a path can be written so;
`answers_text` writes answers the way `--answers` reads them back.
"""

from __future__ import annotations

import contextlib
import json
import os
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
    written, before the block runs.
    """
    handle, temporary = _temporary(path)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise TriageError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, or `TriageError` if there can be none."""
    import tempfile  # kept off the start-up path of commands that write no file

    try:
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise TriageError(f"{path}: cannot write here: {exc.strerror or exc}") from None


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
    body = yaml.safe_dump(dict(answers), sort_keys=False, allow_unicode=True, width=1000)
    return comment + body
