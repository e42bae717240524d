"""Tracking plans: the goals a website fires and what each must carry (`*.plan.yaml`).

Load a plan once (`load_plan`), then check any goal body against it (`check_goal`): the
window as a person types, the sandbox as goals arrive, `verify` over a whole capture.
`LivePlan` keeps a plan current with its file for long-running checkers (the sandbox).
Violations are `contract.Finding`s with `plan.*` codes, severity warning, and fixes.
"""

from __future__ import annotations

from flowsery_gui.plan.check import (
    BAD_VALUE,
    CODES,
    MISSING_METADATA,
    MISSING_SESSION,
    MISSING_VISITOR,
    UNPLANNED_GOAL,
    UNPLANNED_METADATA,
    check_draft,
    check_goal,
    personal_keys_in,
)
from flowsery_gui.plan.engine import FORMATS, PatternError, compile_pattern
from flowsery_gui.plan.live import LivePlan, PlanEvent
from flowsery_gui.plan.loader import PlanError, load_plan, parse_plan, plan_from_doc
from flowsery_gui.plan.model import GoalSpec, KeySpec, Plan
from flowsery_gui.plan.schema import goal_schema

__all__ = [
    "BAD_VALUE",
    "CODES",
    "FORMATS",
    "MISSING_METADATA",
    "MISSING_SESSION",
    "MISSING_VISITOR",
    "UNPLANNED_GOAL",
    "UNPLANNED_METADATA",
    "GoalSpec",
    "KeySpec",
    "LivePlan",
    "PatternError",
    "Plan",
    "PlanError",
    "PlanEvent",
    "check_draft",
    "check_goal",
    "compile_pattern",
    "goal_schema",
    "load_plan",
    "parse_plan",
    "personal_keys_in",
    "plan_from_doc",
]
