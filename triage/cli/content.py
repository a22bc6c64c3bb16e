"""`triage validate` and `triage questions`: the content files, checked and listed."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from triage.content import catalog
from triage.content.load import load

from .common import NoInputOption, QuestionsOption, RulesOption, app, format_option, reporting


@app.command()
def validate(
    questions: QuestionsOption = None, rules: RulesOption = None, no_input: NoInputOption = False
) -> None:
    """Check the questionnaire and rules files; report every problem as file:line:col.

    Exit status: 0 no problems, 2 problems found (listed on standard error).

    Example: triage validate --rules my-rules.yaml
    """
    with reporting():
        content = load(questions, rules, cache=True)
    print(catalog.validation_report(content, questions, rules))  # its texts escaped


@app.command("questions")
def list_questions(
    output_format: Annotated[
        str | None,
        format_option(
            "[text|json|jsonl]", "text (a table), json (an array) or jsonl (one question per line)"
        ),
    ] = None,
    template: Annotated[
        bool, typer.Option("--template", help="Print a blank answers file (YAML) to fill in.")
    ] = False,
    questions: QuestionsOption = None,
    rules: RulesOption = None,
    no_input: NoInputOption = False,
) -> None:
    """List the questionnaire: ID, allowed values and when each question is asked.

    Example: triage questions --template > answers.yaml
    """
    with reporting():
        content = load(questions, rules, cache=True)
    if template:
        sys.stdout.write(catalog.template(content))  # every text in it escaped
    elif output_format == "json":
        print(json.dumps(catalog.as_list(content), ensure_ascii=False, indent=2))
    elif output_format == "jsonl":
        for entry in catalog.as_list(content):
            print(json.dumps(entry, ensure_ascii=False))
    else:
        from triage import render

        render.console(sys.stdout).print(render.questions_table(content))
