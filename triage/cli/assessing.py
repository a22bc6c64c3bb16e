"""What `triage assess` does, without typer: answers files in, one result per record
out, never a prompt.

`run` is the body of the command: `assess` (typer) and `quick` (a plain
command line, read without typer) both call it, with `OPTIONS`, the table
`quick` reads assess's options by (a test checks that it is the typer
declaration's).  Its checks of the values raise `exits.ParameterError` before
anything is read, for typer to say as a usage error; what ends the work is
said through `exits.handled`; `run` returns the exit status.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from triage.content.load import load
from triage.errors import ExitStatus
from triage.intake import read as records
from triage.results.batch import Assessor
from triage.results.tally import Tally
from triage.results.writers import Output

from .exits import OutputError, ParameterError, err, fhir_questionnaire, handled, one_of

if TYPE_CHECKING:
    from triage.intake.read import Item
    from triage.results.writers import Show

ASSESS_FORMATS = ("json", "jsonl", "csv", "text")
FAIL_LEVELS = ("emergency", "urgent", "soon")


def delimiter(value: str) -> str:
    """`--csv-delimiter`: one character; `tab` (or `\\t`) for a tab."""
    value = {"tab": "\t", "\\t": "\t"}.get(value, value)
    if len(value) != 1 or value in '"\r\n':
        raise ParameterError(f"'{value}' is not one character such as , ; or tab.")
    return value


format_check = one_of(*ASSESS_FORMATS)
input_format_check = one_of(*records.INPUT_FORMATS)
fail_on_check = one_of(*FAIL_LEVELS)


class Option(NamedTuple):
    """An option as `quick` reads it: the keyword of `run` it gives, its kind (bool
    for a flag; int, str or Path for a value), the check its value passes, and
    the least an int may be."""

    name: str
    kind: type
    check: Callable[[Any], Any] | None = None
    least: int | None = None


_JOBS = Option("jobs", int, None, 1)
_QUIET = Option("quiet", bool)
OPTIONS = {  # each option by each of its names; the rest of a command line is `files`
    "--format": Option("output_format", str, format_check),
    "--output": Option("output", Path),
    "--input-format": Option("input_format", str, input_format_check),
    "--csv-delimiter": Option("csv_delimiter", str, delimiter),
    "--summary": Option("print_tally", bool),
    "--fail-on": Option("fail_on", str, fail_on_check),
    "--jobs": _JOBS,
    "-j": _JOBS,
    "--quiet": _QUIET,
    "-q": _QUIET,
    "--with-answers": Option("with_answers", bool),
    "--line-buffered": Option("line_buffered", bool),
    "--questions": Option("questions", Path),
    "--rules": Option("rules", Path),
    "--no-input": Option("no_input", bool),
}
ARGUMENT = "files"


def run(
    files: list[str],
    output_format: str | None = None,
    output: Path | None = None,
    input_format: str | None = None,
    csv_delimiter: str = ",",
    print_tally: bool = False,
    fail_on: str | None = None,
    jobs: int = 1,
    quiet: bool = False,
    with_answers: bool = False,
    line_buffered: bool = False,
    questions: Path | None = None,
    rules: Path | None = None,
    no_input: bool = False,
) -> int:
    """Assess `files` and write one result per record; the exit status (see the
    command's help).  `ParameterError` for a usage error, before anything is read."""
    if files.count(records.STDIN) > 1:
        raise ParameterError("'-' (standard input) can be given only once", param_hint="FILE")
    if records.STDIN in files and sys.stdin.isatty():
        raise ParameterError(
            "standard input is a terminal; pipe the answers in, or name a file", param_hint="FILE"
        )
    to_terminal = output is None and sys.stdout.isatty()
    fmt = output_format or ("text" if to_terminal else "json")
    if with_answers and fmt not in ("json", "jsonl"):
        raise ParameterError(
            "the answers go into JSON results; give --format json or --format jsonl",
            param_hint="--with-answers",
        )
    try:
        content = load(questions, rules, cache=True)
        questionnaire = fhir_questionnaire(content)
        read = records.read_batch if jobs > 1 else records.read  # workers read their lines
        opened = [
            read(
                path,
                input_format,
                sys.stdin,
                csv_delimiter=csv_delimiter,
                questionnaire=questionnaire,
                answer_ids=content.questions.questions,
            )
            for path in files
        ]
        single = len(opened) == 1 and _one_record(opened)
        tally = Tally()
        with ExitStack() as stack:
            if output:
                from triage.files import atomic_file  # only `--output` writes a file

                stream = stack.enter_context(atomic_file(output))
            else:
                stream = sys.stdout
            show = _text_writer(fmt, stream, content)
            out = Output(fmt, single, stream, csv_delimiter, show, line_buffered=line_buffered)
            if not output:
                stack.push(_cut_short(out))
            assessor = stack.enter_context(
                Assessor(content, jobs, questions, rules, out.way, csv_delimiter, with_answers)
            )
            advance = _progress(stack, files, opened, quiet or to_terminal)
            for path, (_, found) in zip(files, opened, strict=True):
                before = tally.records
                for done in assessor.assessed(found):
                    tally.add(done.brief)
                    if fmt != "text" or output is not None:
                        for line in done.errors + (() if quiet else done.warnings):
                            err(line)
                    out.write(done.output)
                    advance()
                if tally.records == before:
                    name = records.STDIN_NAME if path == records.STDIN else path
                    err(f"{name}: warning: no records")
            out.close()
        if tally.failed and tally.records > 1:
            err(f"{tally.failed} of {tally.records} records could not be assessed")
        if print_tally:
            from triage.render import console
            from triage.render.batch import tally_table

            console(sys.stderr).print(tally_table(tally, sys.stderr.isatty()))
    except BaseException as exc:
        return handled(exc)
    if fail_on is not None and tally.reached(fail_on):
        return ExitStatus.FAIL_ON
    return ExitStatus.RECORD_ERROR if tally.failed else ExitStatus.OK


def _cut_short(out: Output) -> Callable[..., None]:
    """What writes the results `out` gathered when a run is cut short (Ctrl-C,
    SIGTERM, an error), as they were written before; standard output failing
    again says nothing more (what ended the run is said)."""

    def exit_(kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            with suppress(OutputError, OSError, ValueError):
                out.flush()

    return exit_


def _one_record(opened: list[tuple[str | None, Iterator[Item]]]) -> bool:
    """Whether one input is one record: a YAML or JSON document, unless it is a FHIR
    Bundle (whose first record, read to tell, is put back)."""
    fmt, found = opened[0]
    if fmt == "yaml":
        return True
    if fmt not in ("json", "fhir"):
        return False
    first = list(islice(found, 1))
    opened[0] = (fmt, chain(first, found))
    return bool(first) and not getattr(first[0], "batch", False)


def _text_writer(fmt: str, stream: Any, content: Any) -> Show | None:
    """What draws results as text, for `--format text` (rich is loaded only then)."""
    if fmt != "text":
        return None
    from triage.render import writer

    return writer(stream, content)


def _progress(
    stack: ExitStack, files: list[str], opened: list[tuple[str | None, Any]], silent: bool
) -> Callable[[], None]:
    """A progress bar on standard error when it is a terminal (and not `silent`);
    returns what to call after each record."""
    if silent or not sys.stderr.isatty():
        return lambda: None
    from triage.render.batch import BatchProgress

    total: int | None = 0
    for path, (fmt, _) in zip(files, opened, strict=True):
        if path == records.STDIN or total is None:
            total = None
        elif fmt in ("jsonl", "csv"):
            total += _lines(path) - (fmt == "csv")
        else:
            total += 1
    bar = stack.enter_context(BatchProgress(sys.stderr, total))
    return bar.advance


def _lines(path: str) -> int:
    """How many lines a file holds (for the progress bar's estimate), or 0."""
    count, last = 0, b"\n"
    try:
        with open(path, "rb") as data:
            while block := data.read(1 << 20):
                count, last = count + block.count(b"\n"), block[-1:]
    except OSError:
        return 0
    return count + (last != b"\n")
