"""A small tracking plan for the window's tests, written where a test wants it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PLAN_TEXT = """\
plan: test-site
goals:
  newsletter_signup:
    description: A visitor subscribed in the footer or the popup.
    metadata:
      plan:    { required: true, enum: [free, pro, team] }
      source:  { required: true, enum: [footer, popup] }
      contact: { personal: true }
  checkout_completed:
    description: Payment succeeded.
    metadata:
      value: { required: true, pattern: '^[0-9]+$' }
  demo_requested:
    description: A visitor asked for a demo.
    metadata:
      company: { required: true }
    other_metadata: allow
"""

EXTRA_GOAL = """\
  trial_started:
    description: A free trial began.
"""

BAD_PLAN_TEXT = """\
plan: broken
goals:
  Newsletter Signup:
    metadata:
      plan: { required: true, colour: blue }
"""


def write_plan(folder: Path, text: str = PLAN_TEXT, name: str = "site.plan.yaml") -> Path:
    """The plan file, written in `folder`."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def open_plan(qtbot: Any, window: Any, path: Path) -> None:
    """Open a plan in the window (as File > Open Tracking Plan… does) and wait until it is used."""
    window.ctx.plans.open(str(path))
    qtbot.waitUntil(lambda: window.ctx.plans.path == str(path), timeout=10000)
