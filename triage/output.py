"""Writing result objects as they come: one JSON object, a JSON array, JSONL or text.

Each result is written (and flushed) as soon as it is ready, so a long batch
shows its results at once and holds only one in memory.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from .model import Content


class Output:
    """Writes result objects as they come: one JSON object, a JSON array, JSONL or text."""

    def __init__(
        self, fmt: str, single: bool, content: Content, stream: IO[str] | None = None
    ) -> None:
        self.fmt = fmt
        self.single = single
        self.content = content
        self.stream = stream or sys.stdout
        self.count = 0
        self.console: Any = None

    def write(self, obj: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
        elif self.fmt == "json" and self.single:
            self.stream.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
        elif self.fmt == "json":
            self.stream.write(
                ("[\n" if self.count == 0 else ",\n") + json.dumps(obj, ensure_ascii=False)
            )
        else:
            from . import render

            if self.console is None:
                self.console = render.console(self.stream)
            elif self.count:
                self.console.print()
            self.console.print(render.result(obj, self.content))
        self.count += 1
        self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json" and not self.single:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()
