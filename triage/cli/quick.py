"""A quick way into `triage assess` for scripts that call it once per record.

Importing typer (and click), and building the app, would cost more than the
whole of a one-record assessment.  For `assess`, the command scripts call
most, `run` reads the command line with `assessing.OPTIONS` (a test checks
that the table is the typer declaration's), converts the values as typer
would, runs the same checks, and calls `assessing.run`: neither typer nor
rich is imported.

Anything it does not read plainly — help, an unknown or repeated-letter
option, a missing value, a value a check or range refuses, a directory
where a file is wanted, a usage error of the command itself — returns None,
and typer handles the whole command line with its usual messages.  Nothing
has been read or written by then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import assessing
from .assessing import Option
from .exits import ParameterError

Command = tuple[Callable[..., int], Mapping[str, Option], str]  # run, options, argument
COMMANDS: dict[str, Command] = {
    "assess": (assessing.run, assessing.OPTIONS, assessing.ARGUMENT),
}


class _Refused(Exception):
    """The command line is not one this reader takes; typer will."""


def _value(option: Option, text: str) -> Any:
    if option.kind is int:
        if not text.lstrip("-").isdigit():
            raise _Refused
        number = int(text)
        if option.least is not None and number < option.least:
            raise _Refused
        return number
    if option.kind is Path:
        path = Path(text)
        if path.is_dir():
            raise _Refused
        return path
    return text


def parse(options: Mapping[str, Option], argument: str, args: list[str]) -> dict[str, Any]:
    """The keyword arguments of a command from `args` (its `options` by each of their
    names, the rest for `argument`), or `_Refused`."""
    values: dict[str, Any] = {}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            positional.extend(rest)
            break
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        name, equals, text = arg.partition("=")
        option = options.get(name)
        if option is None or option.name in values:
            raise _Refused
        if option.kind is bool:
            if equals:
                raise _Refused
            values[option.name] = True
            continue
        given = text if equals else next(rest, None)
        if given is None:
            raise _Refused
        values[option.name] = _value(option, given)
    if not positional:
        raise _Refused
    values[argument] = positional
    for option in dict.fromkeys(options.values()):
        if option.check is not None and option.name in values:
            try:
                values[option.name] = option.check(values[option.name])
            except ParameterError:
                raise _Refused from None
    return values


def run(args: list[str]) -> int | None:
    """Run `args` (without the program name) if it is a plain `assess` command
    line, returning its exit status; None to leave it to typer."""
    if not args or args[0] not in COMMANDS:
        return None
    command, options, argument = COMMANDS[args[0]]
    try:
        values = parse(options, argument, args[1:])
    except _Refused:
        return None
    try:
        return int(command(**values))
    except ParameterError:
        return None  # checked before anything is read: typer says it properly
