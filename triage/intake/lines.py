"""Reading answers a line at a time with flat memory.

JSONL and CSV inputs may hold millions of records: `Lines` reads them in
chunks and splits them into lines, each decoded from UTF-8 on its own, so that
a bad byte or an oversized line spoils only the record it is in.  No line over
`MAX_RECORD_BYTES` is ever held whole: its bytes are dropped up to its end.

A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files), in every
format: a JSONL file saved with `\r` line ends is one record a line, as its
editor shows it.  No JSON value is split by this: a `\r` inside a JSON
string must be escaped, so a lone one can only stand between tokens, and a
line cut there is an error, never another record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple, Protocol

MAX_RECORD_BYTES = 1 << 20  # the largest JSONL line or CSV row (line endings not counted)
TOO_LARGE = "record is larger than 1 MiB (the limit per record); split it or remove the large value"
_CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"


class Readable(Protocol):
    """A binary stream: a file opened with "rb", or standard input's buffer."""

    def read(self, size: int = ..., /) -> bytes: ...


class Line(NamedTuple):
    """One line: its number, its text (with its line ending) and its trouble, if any.

    `size` is its length in bytes without the line ending; `problem` is a
    message and `column` where in the line it is (0: the whole line).  A line
    that is not UTF-8 still has a `text`, with U+FFFD for the bad bytes.
    """

    number: int
    text: str
    size: int
    problem: str | None = None
    column: int = 0


class Lines:
    """The lines of a binary stream, numbered from 1, each at most `MAX_RECORD_BYTES`.

    `prefix` holds bytes already taken from the stream (when its start was
    looked at to guess its format; with no stream, all there is).  Lines end
    at `\\n`, `\\r\\n` or a lone `\\r`, whatever the format.  A UTF-8 byte-order
    mark at the start is dropped.  `first` is the number of the first line
    (the lines of a `block` are read again numbered where they were).
    """

    def __init__(self, stream: Readable | None, prefix: bytes = b"", first: int = 1) -> None:
        self._read: Callable[[int], bytes | None] = (
            getattr(stream, "read1", stream.read) if stream is not None else _nothing
        )
        self._buffer = prefix
        self._pos = 0  # where the next line starts in the buffer
        self._eof = stream is None
        self._newline = (-1, -1)  # (from, at): the first \n at or after `from` (-1: none)
        self.number = first - 1

    def __iter__(self) -> Iterator[Line]:
        return self

    def __next__(self) -> Line:
        got = self._raw()
        if got is None:
            raise StopIteration
        raw, size = got
        self.number += 1
        if self.number == 1 and raw.startswith(_BOM):
            raw, size = raw[len(_BOM) :], size - len(_BOM)
        if size > MAX_RECORD_BYTES:
            return Line(self.number, "", size, TOO_LARGE)
        try:
            return Line(self.number, raw.decode("utf-8"), size)
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            return Line(self.number, raw.decode("utf-8", "replace"), size, message, exc.start + 1)

    def block(self, size: int) -> tuple[int, bytes] | None:
        """The next whole lines, as raw bytes of at most `size` (at most
        `MAX_RECORD_BYTES`), and the number of the first; None when the next
        line is to be taken alone (`__next__`): at the end, or when no `\\n`
        ends a line within `size` bytes (a long line, `\\r` line ends).

        Lines are not split here: the bytes go as they are to whoever reads
        them, with `Lines(None, data, first)`, which numbers and reads each as
        this would.  They end with a `\\n`, so no `\\r\\n` is cut in two.
        """
        while len(self._buffer) - self._pos < size and not self._eof:
            self._more()
        start = self._pos
        end = self._buffer.rfind(b"\n", start, start + min(size, MAX_RECORD_BYTES))
        if end < 0:
            return None
        data = self._buffer[start : end + 1]
        first = self.number + 1
        self.number += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
        self._pos = end + 1
        self._newline = (-1, -1)
        return first, data

    def _end(self, start: int) -> tuple[int, int] | None:
        """Where the next line's ending starts and ends, when that is known yet.

        Two searches in C (`bytes.find`), not a regular expression: a `\\n`, and a
        `\\r` before it.  The `\\n` found is kept, so that the lines a lone `\\r`
        ends before it do not search for it again.
        """
        buffer = self._buffer
        since, newline = self._newline
        if since < 0 or start < since or 0 <= newline < start:
            newline = buffer.find(b"\n", start)
            self._newline = (start, newline)
        stop = newline if newline >= 0 else len(buffer)
        cr = buffer.find(b"\r", start, stop)
        if cr < 0:
            return (newline, newline + 1) if newline >= 0 else None
        if cr + 1 < len(buffer):
            return cr, cr + 2 if cr + 1 == newline else cr + 1
        return (cr, cr + 1) if self._eof else None  # perhaps the first half of \r\n

    def _more(self) -> None:
        """Read the next chunk; the lines already taken are dropped from the buffer."""
        more = self._read(_CHUNK) if not self._eof else b""
        self._eof = not more
        self._buffer = self._buffer[self._pos :] + (more or b"")
        self._pos = 0
        self._newline = (-1, -1)

    def _raw(self) -> tuple[bytes, int] | None:
        """The next line's bytes (empty when too long) and its size; None at the end."""
        searched = self._pos
        while True:
            end = self._end(searched)
            if end is not None:
                start, self._pos = self._pos, end[1]
                size = end[0] - start
                return (self._buffer[start : end[1]] if size <= MAX_RECORD_BYTES else b""), size
            if self._eof:
                line, self._buffer, self._pos = self._buffer[self._pos :], b"", 0
                if not line:
                    return None
                return (line if len(line) <= MAX_RECORD_BYTES else b""), len(line)
            if len(self._buffer) - self._pos > MAX_RECORD_BYTES + 1:  # + 1: a \r may end it
                return self._skip()
            searched = max(0, len(self._buffer) - self._pos - 1)
            self._more()

    def _skip(self) -> tuple[bytes, int]:
        """Drop the bytes of a line that is too long, up to its end."""
        size = 0
        while True:
            end = self._end(self._pos)
            if end is not None:
                size += end[0] - self._pos
                self._pos = end[1]
                return b"", size
            # keep a last \r: it may be the first half of \r\n
            keep = len(self._buffer) - (1 if self._buffer.endswith(b"\r") else 0)
            size += keep - self._pos
            self._pos = keep
            if self._eof:
                self._buffer, self._pos = b"", 0
                return b"", size
            self._more()


def _nothing(size: int) -> bytes:
    return b""
