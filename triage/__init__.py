"""triage: headache self-triage from a YAML questionnaire and YAML rules.

It does not diagnose.  It sorts: how soon to see a doctor (warning signs
first), which ICHD-3 headache pattern the answers fit, and whether a
dry-needling consultation fits.

    >>> import triage
    >>> content = triage.load()
    >>> result = triage.evaluate(content, answers)
"""

from .engine import evaluate, next_question, red_flags, validate
from .errors import AnswerError, AnswersFileError, ContentError, TriageError
from .loader import load
from .model import Content, Result
from .selfcheck import SelfCheck

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
