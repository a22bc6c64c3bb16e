"""The command line: the only package that imports typer.

Each command is a thin module (parse -> call the engine -> render -> exit);
`common` holds the app, the shared options and `reporting`, the one place
that turns errors into messages and exit statuses.  `quick` runs a plain
`triage assess` command line without building the rest of the app, so
scripts that call it per record start fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from triage.errors import ExitStatus

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


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
        from . import quick

        status = quick.run(args)
        if status is not None:
            sys.exit(status)
        full_app()(args=args, prog_name="triage")
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        sys.exit(ExitStatus.INTERRUPTED)
