"""The form with a tracking plan open: completion, required rows, enum cells, plan findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from flowsery_gui.contract import Draft
from flowsery_gui.ui.actions import ActionId
from flowsery_gui.ui.plan_delegate import PlanChoiceCombo
from tests.ui.plan_helpers import open_plan, write_plan

pytestmark = pytest.mark.slow


def rows_of(window: Any) -> list[tuple[str, str]]:
    return [(row.key, row.value) for row in window.form.metadata.rows]


def test_the_goal_name_completes_from_the_plan_with_descriptions(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    edit = window.form_panel.name_edit
    completer = edit.completer()
    assert completer is not None
    model = completer.model()
    shown = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert shown["newsletter_signup"] == "A visitor subscribed in the footer or the popup."

    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    edit.setFocus()
    qtbot.keyClicks(edit, "SIGN")  # any case, anywhere in the name
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert completer.completionCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.form.value("name") == "newsletter_signup", timeout=3000)
    assert rows_of(window) == [("plan", ""), ("source", "")]
    assert "Added 2 rows the plan requires: plan, source." in said


def test_choosing_a_goal_adds_only_missing_rows_within_the_ten_key_limit(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    rows = (("source", "footer"), ("", ""), *((f"k{i}", "v") for i in range(7)))
    window.form.load(Draft(name="newsletter_signup", metadata=rows), touched=True)
    window.plan_flow.form.goal_chosen("newsletter_signup")
    # `source` is there already; `plan` fills the blank row; nothing is duplicated.
    assert rows_of(window)[:2] == [("source", "footer"), ("plan", "")]
    assert len(rows_of(window)) == 9

    full = tuple((f"k{i}", "v") for i in range(9))
    window.form.load(Draft(name="x", metadata=full), touched=True)
    window.plan_flow.form.goal_chosen("newsletter_signup")
    assert [k for k, _v in rows_of(window)].count("plan") == 1  # room for one more key only
    assert "source" not in [k for k, _v in rows_of(window)]
    assert window.form.metadata.used_count() == 10


def test_a_key_with_allowed_values_offers_them_in_its_value_cell(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    window.form.load(
        Draft(name="newsletter_signup", metadata=(("plan", ""), ("note", ""))), touched=False
    )
    table = window.form_panel.table
    value = window.form.metadata.index(0, 1)
    table.setCurrentIndex(value)
    table.edit(value)
    editor = table.indexWidget(value) or table.findChild(PlanChoiceCombo)
    assert isinstance(editor, PlanChoiceCombo)
    assert [editor.itemText(i) for i in range(editor.count())] == ["free", "pro", "team"]
    editor.setCurrentIndex(2)
    editor.activated.emit(2)  # picked from the list: that is the edit
    qtbot.waitUntil(lambda: rows_of(window)[0] == ("plan", "team"), timeout=3000)

    note = window.form.metadata.index(1, 1)  # a key the plan does not list: plain text
    table.setCurrentIndex(note)
    table.edit(note)
    assert window.plan_flow.form.choices(1, 1) == ()
    key_cell = window.plan_flow.form.choices(1, 0)
    assert key_cell == ("source", "contact")  # the goal's keys not used in another row


def test_plan_findings_show_beside_the_api_findings_with_a_tag_and_a_one_click_fix(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    window.form.load(
        Draft(name="newsletter_signup", metadata=(("plan", "Pro"), ("source", "footer"))),
        touched=True,
    )
    views = [v for v in window.form_panel.metadata.finding_views if v.isVisible()]
    planned = [v for v in views if v.finding() and v.finding().code == "plan.bad_value"]
    assert planned, [v.text() for v in views]
    view = planned[0]
    assert "must be one of free, pro, team; got `Pro`" in view.text()
    tag = view.findChild(QLabel, "plan_tag")
    assert tag is not None and tag.isVisible() and tag.text() == "plan"
    assert view.fix_button().text() == "Fix: pro"
    qtbot.mouseClick(view.fix_button(), Qt.MouseButton.LeftButton)
    assert rows_of(window)[0] == ("plan", "pro")
    assert not any(f.code.startswith("plan.") for f in window.form.report.findings)

    # An API finding has no tag.
    window.form.load(Draft(name="newsletter_signup", metadata=(("Plan", "pro"),)), touched=True)
    api = [
        v
        for v in window.form_panel.metadata.finding_views
        if v.isVisible() and v.finding() and not v.finding().code.startswith("plan.")
    ]
    assert api and all(
        v.findChild(QLabel, "plan_tag") is None or not v.findChild(QLabel, "plan_tag").isVisible()
        for v in api
    )


def test_a_goal_the_plan_does_not_know_is_warned_about_and_still_sent_to_the_sandbox(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    window.form.load(Draft(name="newsleter_signup"), touched=True)
    message = window.form_panel.messages["name"]
    assert "is not in the plan. Did you mean `newsletter_signup`?" in message.text()
    assert message.fix_button().text() == "Fix: newsletter_signup"
    assert window.actions_[ActionId.SEND].isEnabled()  # a plan warning never blocks
    window.send_flow.send()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert window.ctx.target.sandbox.received()[-1]["answer"]["status"] == 200


def test_closing_the_plan_leaves_the_api_rules_alone(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    open_plan(qtbot, window, write_plan(tmp_path))
    window.form.load(Draft(name="unplanned_goal"), touched=True)
    assert any(f.code == "plan.unplanned_goal" for f in window.form.report.findings)
    window.actions_[ActionId.CLOSE_PLAN].trigger()
    assert window.ctx.plans.plan is None
    assert not any(f.code.startswith("plan.") for f in window.form.report.findings)
    assert not window.plan_flow.label.isVisible()
