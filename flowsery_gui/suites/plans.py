"""The tracking plans the suites of a run name, each read once and turned into a check.

A suite's `plan:` is read before anything is sent: a plan that cannot be used refuses the
run like a bad suite does. The check gives each violation in plain words for the runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flowsery_gui.i18n import _
from flowsery_gui.suites.model import Suite, SuiteError
from flowsery_gui.suites.runner import PlanCheck


def plan_checks(suites: Sequence[Suite]) -> dict[Path, PlanCheck]:
    """Each suite's plan check, by suite path (plans shared by suites are read once);
    SuiteError naming the suite, its `plan:` key and what is wrong with the plan."""
    if all(suite.plan_path is None for suite in suites):
        return {}  # the plan package (JSON Schema, RE2) is loaded only when a suite needs it
    from flowsery_gui.plan import PlanError, check_goal, load_plan

    loaded: dict[Path, Any] = {}
    checks: dict[Path, PlanCheck] = {}
    for suite in suites:
        if suite.plan_path is None:
            continue
        if suite.plan_path not in loaded:
            try:
                loaded[suite.plan_path] = load_plan(suite.plan_path)
            except PlanError as exc:
                said = _("its plan cannot be used: {problem}", problem=exc)
                raise SuiteError(suite.path, suite.plan_line, "plan", said) from None
        plan = loaded[suite.plan_path]

        def check(body: dict[str, Any], plan: Any = plan) -> list[str]:
            return [_words(finding) for finding in check_goal(plan, body)]

        checks[suite.path] = check
    return checks


def _words(finding: Any) -> str:
    if finding.fix:
        return _("{message} (fix: {fix})", message=finding.message, fix=finding.fix)
    return str(finding.message)
