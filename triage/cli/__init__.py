"""The command line: the only package that imports typer.

Each command is a thin module (parse -> call the engine -> render -> exit);
`common` holds the app, the shared options and `reporting`; `exits` what
needs no typer: messages, checks of values, `handled` and `failure`.  `quick`
runs a plain `triage assess` command line (`assessing.run`) without importing
typer, so scripts that call it per record start fast.

`main` is where a run starts and ends.  It sets up the process (SIGTERM,
standard streams closed or failing), and what ends a run unexpectedly becomes
one line on standard error and an exit status through `exits.failure`, the
function `reporting` uses too.  No traceback reaches a user: an unexpected
exception is "triage: internal error: ...; please report this ..." and 70.

- SIGTERM is handled like Ctrl-C: the work stops through the same clean-up
  (the temporary file of `--output` removed, worker processes stopped and
  joined), then "terminated" and 143.
- Standard output is guarded, and so are the messages on standard error: a
  write that fails there becomes an `exits.OutputError`.  A pipe closed
  early (`| head -1`) ends the run quietly with 141, as a process killed by
  SIGPIPE would; any other failure (a full disk, a closed stream, an
  encoding that cannot hold the text) is "cannot write the results to
  standard output: ..." and 74.  Only these writes give 74: an `OSError`
  from anywhere else is unexpected.
- A standard stream closed when the program starts (`<&-`, `>&-`) reads or
  writes as the closed descriptor would (`Bad file descriptor`), and its
  descriptor is held by `/dev/null` so that no file the run opens takes its
  number.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from typing import TYPE_CHECKING, Any, TextIO, cast

from triage.errors import ExitStatus

if TYPE_CHECKING:
    from types import FrameType

    import typer

    from .exits import OutputError

__all__ = ["Terminated", "app", "main"]


class Terminated(BaseException):
    """SIGTERM arrived.  Not an `Exception`: nothing between the signal and `main`
    handles it but clean-up (`finally`, `with`), as for Ctrl-C."""


def full_app() -> typer.Typer:
    """The app with every command registered (each module registers its own)."""
    from . import assess, check, content, export, report  # noqa: F401
    from .common import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return full_app()
    raise AttributeError(f"module 'triage.cli' has no attribute '{name}'")


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the `triage` script and `python -m triage`)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        signal.signal(signal.SIGTERM, _terminate)
        _standard_streams()
        status = _command(args)
        sys.stdout.flush()  # here, not at exit: a failing write is said like any other
    except BaseException as exc:
        status = _ended(exc)
    sys.exit(status)


def _ended(exc: BaseException) -> int:
    """The exit status for what ended the run, said on standard error (`failure`)."""
    from .exits import failure, say

    if isinstance(exc, Terminated):
        say("terminated")
        return ExitStatus.TERMINATED
    status = failure(exc)
    if status is None:
        raise exc
    return status


def _command(args: list[str]) -> int:
    from . import quick

    status = quick.run(args)
    if status is not None:
        return status
    try:
        full_app()(args=args, prog_name="triage")
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else ExitStatus.OK if code is None else 1
    return ExitStatus.OK


def _terminate(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the clean-up is not cut short
    raise Terminated


# --- the standard streams ---------------------------------------------------------------


class _Guarded:
    """A standard stream whose failing writes raise `OutputError`; the rest is the stream's."""

    def __init__(self, stream: Any, name: str) -> None:
        self._stream, self._name = stream, name

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except (OSError, UnicodeEncodeError) as exc:
            raise self.error(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self.error(exc) from None

    def error(self, exc: OSError | UnicodeEncodeError) -> OutputError:
        from .exits import OutputError

        if isinstance(exc, UnicodeEncodeError):
            return OutputError(self._name, None, str(exc))
        return OutputError(self._name, exc.errno, exc.strerror or str(exc))

    @property
    def buffer(self) -> _GuardedBytes:
        return _GuardedBytes(self._stream.buffer, self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _GuardedBytes:
    """The binary buffer of a guarded stream (`triage report` writes bytes)."""

    def __init__(self, buffer: Any, guard: _Guarded) -> None:
        self._buffer, self._guard = buffer, guard

    def write(self, data: bytes) -> int:
        try:
            return int(self._buffer.write(data))
        except OSError as exc:
            raise self._guard.error(exc) from None

    def flush(self) -> None:
        try:
            self._buffer.flush()
        except OSError as exc:
            raise self._guard.error(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._buffer, name)


class _Closed:
    """A standard stream that was closed when the program started: reading or
    writing it fails as the closed descriptor would."""

    closed = False
    encoding = "utf-8"
    errors = "strict"

    def __init__(self) -> None:
        self._failed = False

    def read(self, size: int = -1) -> str:
        raise _bad_descriptor()

    readline = read

    def write(self, text: str) -> int:
        self._failed = True
        raise _bad_descriptor()

    def flush(self) -> None:
        if self._failed:  # what could not be written is still not written
            raise _bad_descriptor()

    def isatty(self) -> bool:
        return False

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True


def _bad_descriptor() -> OSError:
    return OSError(errno.EBADF, os.strerror(errno.EBADF))


def _standard_streams() -> None:
    """Stand-ins for streams closed at the start, and the guard on standard output
    (`exits.err` and `exits.say` guard what they write on standard error)."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            _hold(fd)
            setattr(sys, name, _Closed() if fd < 2 else open(os.devnull, "w"))  # noqa: SIM115
    sys.stdout = cast(TextIO, _Guarded(sys.stdout, "standard output"))


def _hold(fd: int) -> None:
    """Put `/dev/null` on a closed descriptor, so no file opened later takes it."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    if null != fd:
        os.dup2(null, fd)
        os.close(null)
