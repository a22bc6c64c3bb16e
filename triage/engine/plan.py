"""A record's validation as generated straight-line code, for the compiled engine.

`triage.engine.validate.validate_into` reads the questions in order: an asked
question's answer is a usual spelling of a code (read from its `spelled`
table) or goes to `Checking.asked`; an answer to a question not asked goes to
`Checking.unasked`.  `write_validation` writes the same as one function
`validates(raw, a, m, state)` (`a` the valid answers so far, `m` an empty
memo, `state` the `Checking`), with, for each question in order:

- its ask-if as an expression, once for a run of questions that share it
  (the other headache's questions), when it reads none of them;
- the usual answers read at once, as `parse_answer` reads them: a usual
  spelling (`spelled`), true and false for a yes/no question, and for a
  number question an integer within its bounds or (with both bounds) a
  float that is not whole within them;
- anything else handed to `state.asked` or `state.unasked`, which say what
  the reference says, in the same order.

The source follows the rules of `triage.engine.source`.
"""

from __future__ import annotations

from triage.engine.compiled import Compiler, indent
from triage.engine.program import Check
from triage.engine.source import Source
from triage.model import Question

RUN = 4  # a run of unasked questions this long is passed over at once when none is answered


def write_validation(asks: Compiler, checks: tuple[Check, ...]) -> str:
    """The name of the generated `validates` function; `asks` compiles ask-ifs."""
    src = asks.src
    integer, real = src.bind(int), src.bind(float)
    string = src.bind(str)
    lines: list[str] = ["get = raw.get"]

    def asked(n: int) -> list[str]:
        qid, _, spelled, entry, _, _ = checks[n]
        key = asks.key(qid)
        # true and false, as `AnswerCheck.parse` reads them
        tests = [(f"_g is {given}", src.bind(value)) for given, value in entry.truth.items()]
        within = _within(src, entry.question)
        if within is not None:  # a number within range, as `parse_answer` reads it
            whole = f"_g.__class__ is {integer} and {within}"
            if entry.question.type in ("integer", "number"):
                tests.insert(0, (whole, "_g"))
            if entry.question.type == "number" and _bounded(entry.question):
                tests.append((f"_g.__class__ is {real} and {within} and not _g.is_integer()", "_g"))
        if entry.codes is not None:  # a list of codes, as `AnswerCheck.parse` reads it
            listed = f"(_x := {src.bind(entry.listed)}(_g)) is not None"
            tests.append((f"_g.__class__ is {src.bind(list)} and {listed}", "_x"))
        out = [f"_g = get({key})"]
        if spelled:  # a usual spelling; a yes/no question's own codes compared first
            written = []
            if entry.question.type in ("yes_no", "yes_no_unsure"):
                written = [(src.bind(code), src.bind(spelled[code])) for code in ("no", "yes")]
            text = [(f"_g == {code}", value) for code, value in written]
            text.append((f"(_x := {src.bind(spelled)}.get(_g)) is not None", "_x"))
            out.append(f"if _g.__class__ is {string}:")
            out += indent(_chain(text, key, n))
            out += _chain(tests, key, n, "el")
            return out
        return out + _chain(tests, key, n)

    def unasked(n: int) -> list[str]:
        key = asks.key(checks[n][0])
        return [f"_g = get({key})", "if _g is not None:", f"    state.unasked({n}, _g)"]

    n = 0
    while n < len(checks):
        qid, _, _, entry, _, _ = checks[n]
        when = entry.question.ask_if
        if when is None:
            lines += asked(n)
            n += 1
            continue
        end = n + 1
        reads = when.reads
        if qid not in reads:  # its own answer does not change whether it is asked
            while (
                end < len(checks)
                and checks[end][3].question.ask_if == when
                and checks[end][0] not in reads
            ):
                end += 1
        run = range(n, end)
        lines.append(f"if {asks.expr(when, 0)}:")
        lines += indent([line for i in run for line in asked(i)])
        if len(run) >= RUN:  # none answered: passed over at once
            lines.append(
                f"elif not raw.keys().isdisjoint({src.bind(frozenset(checks[i][0] for i in run))}):"
            )
        else:
            lines.append("else:")
        lines += indent([line for i in run for line in unasked(i)])
        n = end
    name = src.name("p")
    src.add(0, f"def {name}(raw, a, m, state):")
    for line in lines:
        src.add(1, line)
    return name


def _chain(tests: list[tuple[str, str]], key: str, n: int, first: str = "") -> list[str]:
    """`if`s storing the value of the first test that holds, else the long way."""
    out: list[str] = []
    for k, (test, value) in enumerate(tests):
        out += [f"{'el' if k or first else ''}if {test}:", f"    a[{key}] = {value}"]
    return (
        [*out, "else:", f"    state.asked({n}, _g)"] if out or first else [f"state.asked({n}, _g)"]
    )


def _within(src: Source, q: Question) -> str | None:
    """`_g` within a number question's bounds, as `_parse_number` checks them."""
    if q.type not in ("integer", "number"):
        return None
    parts = []
    if q.greater_than is not None:
        parts.append(f"{src.bind(q.greater_than)} < _g")
    if q.min is not None:
        parts.append(f"{src.bind(q.min)} <= _g")
    if q.max is not None:
        parts.append(f"_g <= {src.bind(q.max)}")
    return "(" + " and ".join(parts) + ")" if parts else "True"


def _bounded(q: Question) -> bool:
    """Bounded below and above: no infinity or NaN passes `_within`."""
    return q.max is not None and (q.min is not None or q.greater_than is not None)
