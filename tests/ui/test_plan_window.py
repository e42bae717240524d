"""The window with a tracking plan: opening, a bad plan, edits on disk, the Plan view's
coverage, and the personal-data question before Production."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from flowsery_gui import paths
from flowsery_gui.contract import Draft
from flowsery_gui.profiles import Profile
from flowsery_gui.ui.actions import ActionId
from tests.ui.plan_helpers import BAD_PLAN_TEXT, EXTRA_GOAL, PLAN_TEXT, open_plan, write_plan

pytestmark = pytest.mark.slow


def send(qtbot: Any, window: Any, draft: Draft) -> None:
    window.form.load(draft, touched=True)
    window.send_flow.send()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)


def test_the_status_bar_names_the_plan_in_use(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    assert not window.plan_flow.label.isVisible()
    assert not window.actions_[ActionId.CLOSE_PLAN].isEnabled()
    path = write_plan(tmp_path)
    open_plan(qtbot, window, path)
    label = window.plan_flow.label
    assert label.isVisible() and label.text() == "Plan: test-site (3 goals)"
    assert str(path) in label.toolTip()
    assert window.actions_[ActionId.CLOSE_PLAN].isEnabled()


def test_a_bad_plan_at_open_lists_file_line_and_key_of_each_problem(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    good = write_plan(tmp_path)
    open_plan(qtbot, window, good)
    bad = write_plan(tmp_path, BAD_PLAN_TEXT, "bad.plan.yaml")
    window.ctx.plans.open(str(bad))
    qtbot.waitUntil(lambda: any(kind == "warn" for kind, _ in window.ask.asked), timeout=10000)
    text = next(text for kind, text in window.ask.asked if kind == "warn")
    assert "cannot be used (2 problems)" in text
    assert f'{bad}, line 3, goals["Newsletter Signup"]' in text
    assert f'{bad}, line 5, goals["Newsletter Signup"].metadata.plan.colour' in text
    assert window.ctx.plans.path == str(good)  # the plan in use stays
    assert window.plan_flow.label.text() == "Plan: test-site (3 goals)"


def test_a_plan_edited_on_disk_while_open_is_followed_and_a_broken_edit_is_said(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    plans = window.ctx.plans
    plans.poll_ms = 40
    said: list[str] = []  # what the status bar showed (other news may follow it)
    window.statusBar().messageChanged.connect(said.append)
    path = write_plan(tmp_path)
    open_plan(qtbot, window, path)

    path.write_text(PLAN_TEXT + EXTRA_GOAL, encoding="utf-8")
    qtbot.waitUntil(lambda: "trial_started" in plans.plan.goals, timeout=10000)
    names = window.plan_flow.form.names
    assert "trial_started" in [name for name, _text in names.rows]  # completion follows
    assert window.plan_flow.label.text() == "Plan: test-site (4 goals)"

    path.write_text("plan: test-site\ngoals:\n  x: {colour: blue}\n", encoding="utf-8")
    qtbot.waitUntil(lambda: bool(plans.problem), timeout=10000)
    assert len(plans.plan.goals) == 4  # the last good plan is kept
    assert window.plan_flow.label.text().endswith("⚠")
    assert any("cannot be used; still checking against the last good plan" in m for m in said)

    os.remove(path)
    qtbot.waitUntil(lambda: "is gone" in plans.problem, timeout=10000)
    assert len(plans.plan.goals) == 4
    assert any("is gone" in m for m in said)
    window.form.load(Draft(name="trial_started"), touched=True)
    assert not any(f.code.startswith("plan.") for f in window.form.report.findings)


def test_the_plan_view_shows_each_goals_last_send_and_follows_history(
    qtbot: Any, make_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))  # a history of its own
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    qtbot.waitUntil(lambda: window.target.sandbox is not None, timeout=10000)
    window.actions_[ActionId.SHOW_PLAN].trigger()
    panel = window.plan_flow.show_plan()
    assert window.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: "3 never sent" in panel.summary.text(), timeout=10000)

    send(qtbot, window, Draft(name="newsletter_signup", metadata=(("plan", "pro"),)))
    window.sending.set_fault("status=500")
    send(qtbot, window, Draft(name="checkout_completed", metadata=(("value", "12"),)))
    window.sending.set_fault("")
    assert window.tabs.currentWidget() is not panel  # the answer shows
    window.plan_flow.show_plan()  # the view reads history again when shown
    qtbot.waitUntil(
        lambda: "1 last sent OK · 1 last sent failed · 1 never sent" in panel.summary.text(),
        timeout=10000,
    )
    model = panel.model
    by_name = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(3)}
    assert by_name["newsletter_signup"].startswith("OK · 200 · ")
    assert by_name["newsletter_signup"].endswith("on Sandbox")
    assert by_name["checkout_completed"].startswith("Failed · 500 · ")
    assert by_name["demo_requested"] == "Never sent"

    send(qtbot, window, Draft(name="demo_requested", metadata=(("company", "Acme"),)))
    window.plan_flow.show_plan()
    qtbot.waitUntil(lambda: "0 never sent" in panel.summary.text(), timeout=10000)
    window.ctx.history.clear()  # while shown, a history change is followed at once
    qtbot.waitUntil(lambda: "3 never sent" in panel.summary.text(), timeout=10000)


def test_enter_on_a_planned_goal_loads_it_with_its_required_keys(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    window.form.load(Draft(name="old", visitor_uid="vid-1", metadata=(("a", "b"),)), touched=True)
    panel = window.plan_flow.show_plan()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=10000)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(2, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.form.value("name") == "demo_requested"
    assert window.form.value("visitorUid") == "vid-1"  # the IDs typed so far stay
    assert [(r.key, r.value) for r in window.form.metadata.rows] == [("company", "")]


def test_the_plan_view_without_a_plan_says_what_a_plan_is_and_offers_to_open_one(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    panel = window.plan_flow.show_plan()
    assert "No tracking plan is open" in panel.summary.text()
    assert panel.open_button.isVisible()
    assert not panel.table.isVisible()


def production_window(make_window: Any) -> Any:
    """A production-kind profile pointed at the loopback sandbox: nothing leaves this machine."""
    window = make_window()
    sandbox = window.target.ensure_sandbox()
    window.target.profile = Profile("Production", sandbox.url, "production")
    window.target.use_for_this_run("Production", sandbox.api_key)
    window.render_profile()
    return window


def test_personal_data_to_production_is_warned_about_in_the_confirmation_naming_the_keys(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = production_window(make_window)
    open_plan(qtbot, window, write_plan(tmp_path))
    rows = (("plan", "pro"), ("source", "footer"), ("contact", "x"), ("customer_email", "a@b.c"))
    # A visitor ID of its own: no offer of the profile's test IDs comes first.
    draft = Draft(name="newsletter_signup", visitor_uid="v-1", session_uid="s-1", metadata=rows)
    window.form.load(draft, touched=True)

    window.ask.confirm_answers.append(False)
    window.send_flow.send()
    kind, text = window.ask.asked[-1]
    assert kind == "confirm" and "real analytics" in text  # one question, both warnings
    assert "look like a person's data: contact, customer_email" in text
    assert window.target.sandbox.received() == []

    window.ask.confirm_answers.append(True)  # the person can still send
    window.send_flow.send()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert window.target.sandbox.received()[-1]["answer"]["status"] == 200

    asked = len(window.ask.asked)
    window.ask.confirm_answers.append(False)  # production confirmed: the warning still asks
    window.send_flow.send()
    assert len(window.ask.asked) == asked + 1
    title_and_text = window.ask.asked[-1][1]
    assert title_and_text.startswith("Personal data to production?")
    assert "contact, customer_email" in title_and_text
    assert len(window.target.sandbox.received()) == 1


def test_no_personal_data_question_for_the_sandbox_or_harmless_keys(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = production_window(make_window)
    window.ask.confirm_answers.append(True)
    plain = Draft(name="plain_goal", visitor_uid="v-1", metadata=(("plan_name", "pro"),))
    send(qtbot, window, plain)
    assert len(window.ask.asked) == 1 and "person" not in window.ask.asked[0][1]

    sandbox_window = make_window()
    send(qtbot, sandbox_window, Draft(name="x", metadata=(("email", "a@b.c"),)))
    assert sandbox_window.ask.asked == []
