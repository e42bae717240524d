"""Goal suites: files of goals with what must come back, read, run and judged (no Qt).

`load_suite` reads a `*.suite.yaml` once; `runner.SuiteRunner` sends its cases through the
send pipeline and judges them; `commands` is `flowsery-goal run`. See docs/suite-format.md.
Importing this package does not import `requests` (the runner module does).
"""

from flowsery_gui.suites.loader import load_suite, load_suites
from flowsery_gui.suites.model import Case, Expectation, StatusRule, Suite, SuiteError
from flowsery_gui.suites.results import CaseResult, Outcome, Progress, RunResult, SuiteResult

__all__ = [
    "Case",
    "CaseResult",
    "Expectation",
    "Outcome",
    "Progress",
    "RunResult",
    "StatusRule",
    "Suite",
    "SuiteError",
    "SuiteResult",
    "load_suite",
    "load_suites",
]
