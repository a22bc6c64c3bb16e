"""The only package that imports rich: results, the questionnaire and the
self-check's screens for people.

Functions return renderables; the CLI prints them.  Nothing is ever read as
rich markup: every piece of text is a `Text` and the console has markup off,
so a `[` in a question, a rule or an answer prints as itself.  Meaning is
never carried by colour alone: each level has a word and a symbol (in the
`plain` look for screen readers, words only), and `NO_COLOR` (or output that
is not a terminal) gives plain text.
"""

from triage.render.results import (
    LEVEL_LOOK,
    WIDTH,
    allowed,
    console,
    questions_table,
    result,
    writer,
)

__all__ = ["LEVEL_LOOK", "WIDTH", "allowed", "console", "questions_table", "result", "writer"]
