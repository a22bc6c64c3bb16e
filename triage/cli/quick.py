"""A quick way into `triage assess` for scripts that call it once per record.

Typer builds a pydantic validator for each option the first time a command
runs (about 40 ms, more than the whole of a one-record assessment).  For
`assess`, the command scripts call most, `run` reads the command line from
the command's own signature (`Annotated` typer options: one definition),
converts the values as typer would, runs the same callbacks, and calls the
command function.

Anything it does not read plainly — help, an unknown or repeated-letter
option, a missing value, a value a callback or range refuses, a directory
where a file is wanted — returns None, and typer handles the whole command
line with its usual messages.  Nothing has been read or written by then.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.models import ArgumentInfo, OptionInfo

from .assess import assess

COMMANDS: dict[str, Callable[..., None]] = {"assess": assess}


class _Refused(Exception):
    """The command line is not one this reader takes; typer will."""


@dataclass(frozen=True)
class _Option:
    name: str  # the function's parameter
    kind: type  # bool (a flag), int, str or Path
    callback: Callable[[Any], Any] | None
    least: int | None


def _options(command: Callable[..., None]) -> tuple[dict[str, _Option], str | None]:
    """The command's options by each of their names, and its list argument."""
    options: dict[str, _Option] = {}
    argument = None
    for name, parameter in inspect.signature(command, eval_str=True).parameters.items():
        kind, info = typing.get_args(parameter.annotation)[:2]
        if isinstance(info, ArgumentInfo):
            argument = name
            continue
        assert isinstance(info, OptionInfo)
        base = next((t for t in typing.get_args(kind) if t is not type(None)), kind)
        option = _Option(name, base, info.callback, getattr(info, "min", None))
        for decl in (info.default, *(info.param_decls or ())):
            if isinstance(decl, str) and decl.startswith("-"):
                options[decl] = option
    return options, argument


def _value(option: _Option, text: str) -> Any:
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


def parse(command: Callable[..., None], args: list[str]) -> dict[str, Any]:
    """The keyword arguments for `command` from `args`, or `_Refused`."""
    options, argument = _options(command)
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
    if argument is None or not positional:
        raise _Refused
    values[argument] = positional
    for option in {id(o): o for o in options.values()}.values():
        if option.callback is not None and option.name in values:
            try:
                values[option.name] = option.callback(values[option.name])
            except typer.BadParameter:
                raise _Refused from None
    return values


def run(args: list[str]) -> int | None:
    """Run `args` (without the program name) if it is a plain `assess` command
    line, returning its exit status; None to leave it to typer."""
    if not args or args[0] not in COMMANDS:
        return None
    command = COMMANDS[args[0]]
    try:
        values = parse(command, args[1:])
    except _Refused:
        return None
    try:
        command(**values)
    except typer.BadParameter:
        return None  # checked before anything is read: typer says it properly
    except typer.Exit as done:
        return int(done.exit_code)
    return 0
