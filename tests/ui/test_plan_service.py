"""The window's plan service on its own: opening, refusing, following the file, per profile."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from flowsery_gui.ui.plan_service import PlanService
from tests.ui.fakes import InlineTaskRunner
from tests.ui.plan_helpers import BAD_PLAN_TEXT, EXTRA_GOAL, PLAN_TEXT, write_plan


def make_service(tmp_path: Path, profile: str = "Sandbox") -> PlanService:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    service = PlanService(settings, InlineTaskRunner())
    service.resume(profile)
    return service


def rewrite(path: Path, text: str) -> None:
    """Write a new version of the file, seen as changed even within one clock tick."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 5_000_000, before + 5_000_000))


def test_a_plan_opens_and_says_what_it_holds(qapp: Any, tmp_path: Path) -> None:
    service = make_service(tmp_path)
    notices: list[str] = []
    service.notice.connect(notices.append)
    service.open(str(write_plan(tmp_path)))
    assert service.plan is not None
    assert service.plan.names == ("newsletter_signup", "checkout_completed", "demo_requested")
    assert service.describe() == "test-site (3 goals)"
    assert "test-site (3 goals) opened" in notices[-1]


def test_a_bad_plan_is_refused_with_file_line_and_key_and_the_open_plan_stays(
    qapp: Any, tmp_path: Path
) -> None:
    service = make_service(tmp_path)
    good = write_plan(tmp_path)
    service.open(str(good))
    refused: list[tuple[str, Any]] = []
    service.refused.connect(lambda path, error: refused.append((path, error)))
    bad = write_plan(tmp_path, BAD_PLAN_TEXT, "bad.plan.yaml")
    service.open(str(bad))
    assert refused and refused[0][0] == str(bad)
    problems = [str(p) for p in refused[0][1].problems]
    assert any("line 5" in p and "colour" in p for p in problems)
    assert any("line 3" in p and "Newsletter Signup" in p for p in problems)
    assert service.path == str(good)  # nothing lost


def test_a_plan_edited_on_disk_is_reloaded_and_a_broken_edit_keeps_the_last_good_one(
    qapp: Any, tmp_path: Path
) -> None:
    service = make_service(tmp_path)
    path = write_plan(tmp_path)
    service.open(str(path))
    rewrite(path, PLAN_TEXT + EXTRA_GOAL)
    service.poll()  # a change is loaded once the file stays the same for one poll
    service.poll()
    assert service.plan is not None and "trial_started" in service.plan.goals
    assert service.problem == ""

    rewrite(path, "plan: broken\ngoals:\n  x: {colour: blue}\n")
    service.poll()
    service.poll()
    assert service.plan is not None and "trial_started" in service.plan.goals
    assert "cannot be used" in service.problem and "line 3" in service.problem

    path.unlink()
    service.poll()
    service.poll()
    assert service.plan is not None and len(service.plan.goals) == 4
    assert "is gone" in service.problem


def test_each_profile_remembers_its_recent_plans_and_the_one_it_had_open(
    qapp: Any, tmp_path: Path
) -> None:
    service = make_service(tmp_path)
    first = write_plan(tmp_path, name="first.plan.yaml")
    second = write_plan(tmp_path, name="second.plan.yaml")
    service.open(str(first))
    service.open(str(second))
    assert service.recent() == [str(second), str(first)]

    service.set_profile("Staging")  # never had a plan: keeps the one open now
    assert service.path == str(second)
    service.close()
    assert service.plan is None
    assert service.recent() == [str(second)]

    service.set_profile("Sandbox")  # it had `second` open
    assert service.path == str(second)
    service.set_profile("Staging")  # its plan was closed
    assert service.plan is None

    again = make_service(tmp_path, profile="Sandbox")  # the next run reopens it after paint
    assert again.path == str(second)
    closed = make_service(tmp_path, profile="Staging")
    assert closed.plan is None


def test_a_recent_plan_gone_at_start_is_said_in_the_status_bar_not_in_a_dialog(
    qapp: Any, tmp_path: Path
) -> None:
    service = make_service(tmp_path)
    path = write_plan(tmp_path)
    service.open(str(path))
    path.unlink()
    settings = service.settings
    later = PlanService(settings, InlineTaskRunner())
    notices: list[str] = []
    refused: list[str] = []
    later.notice.connect(notices.append)
    later.refused.connect(lambda p, _e: refused.append(p))
    later.resume("Sandbox")
    assert later.plan is None
    assert refused == []
    assert notices and str(path) in notices[-1] and "was not opened" in notices[-1]


def test_nothing_is_read_before_the_window_is_shown(qapp: Any, tmp_path: Path) -> None:
    service = make_service(tmp_path)
    service.open(str(write_plan(tmp_path)))
    runner = InlineTaskRunner()
    held = PlanService(service.settings, runner)
    held.set_profile("Sandbox")  # the start profile is chosen before the first paint
    assert runner.ran == 0 and held.plan is None
    held.resume("Sandbox")
    assert runner.ran == 1 and held.plan is not None
