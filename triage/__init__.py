"""triage: headache self-triage from a YAML questionnaire and YAML rules.

It does not diagnose.  It sorts: how soon to see a doctor (warning signs
first), which ICHD-3 headache pattern the answers fit, and whether a
dry-needling consultation fits.

    >>> import triage
    >>> content = triage.load()
    >>> result = triage.evaluate(content, answers)
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import evaluate, next_question, red_flags, validate
    from .errors import AnswerError, AnswersFileError, ContentError, TriageError
    from .loader import load
    from .model import Content, Result
    from .selfcheck import SelfCheck

# Each name is imported when first used, so that `triage assess` (which
# needs only part of the package) starts quickly.
_HOME = {
    "evaluate": "engine",
    "next_question": "engine",
    "red_flags": "engine",
    "validate": "engine",
    "AnswerError": "errors",
    "AnswersFileError": "errors",
    "ContentError": "errors",
    "TriageError": "errors",
    "load": "loader",
    "Content": "model",
    "Result": "model",
    "SelfCheck": "selfcheck",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module 'triage' has no attribute '{name}'")


__all__ = [
    "AnswerError",
    "AnswersFileError",
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
