"""triage: headache self-triage from a YAML questionnaire and YAML rules.

It does not diagnose.  It sorts: how soon to see a doctor (warning signs
first), which ICHD-3 headache pattern the answers fit, and whether a
dry-needling consultation fits.

    >>> import triage
    >>> content = triage.load()
    >>> result = triage.evaluate(content, answers)

The package is laid out along the data's journey (see docs/architecture.md):
content files -> `Content` (`content/`), answers files -> records (`intake/`),
the pure engine (`engine/`, over the condition language of `logic/`), the
result contract and its writers (`results/`), the self-check flow
(`selfcheck/`), rendering (`render/`, rich only), the command line (`cli/`,
typer only).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .content.load import load
    from .engine.evaluate import evaluate, next_question, red_flags
    from .engine.validate import validate
    from .errors import AnswerError, ContentError, TriageError
    from .model import Content, Result
    from .selfcheck.flow import SelfCheck

# Each name is imported when first used, so that `triage assess` (which
# needs only part of the package) starts quickly.
_HOME = {
    "evaluate": "engine.evaluate",
    "red_flags": "engine.evaluate",
    "next_question": "engine.evaluate",
    "validate": "engine.validate",
    "AnswerError": "errors",
    "ContentError": "errors",
    "TriageError": "errors",
    "load": "content.load",
    "Content": "model",
    "Result": "model",
    "SelfCheck": "selfcheck.flow",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module 'triage' has no attribute '{name}'")


__all__ = [
    "AnswerError",
    "Content",
    "ContentError",
    "Result",
    "SelfCheck",
    "TriageError",
    "evaluate",
    "load",
    "next_question",
    "red_flags",
    "validate",
]
__version__ = "0.1.0"
