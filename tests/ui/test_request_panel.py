"""The live request preview and its "Copy as…" buttons."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from flowsery_gui.codegen import SNIPPETS
from flowsery_gui.request_model import (
    KEY_PLACEHOLDER,
    PlannedRequest,
    masked_for_display,
    plan_goal_request,
    with_real_key,
)
from flowsery_gui.ui.request_panel import RequestPanel

KEY = "flow_sk_test_0123456789abcdefWXYZ"
BASE = "https://analytics.flowsery.com"
BODY = {"name": "newsletter_signup", "metadata": {"plan": "pro"}}


def planned(body: dict[str, Any] | None = None) -> PlannedRequest:
    return plan_goal_request(BASE, body or BODY, has_key=True, user_agent="FlowseryGoalTester/test")


@pytest.fixture()
def panel(qtbot: Any) -> RequestPanel:
    widget = RequestPanel()
    qtbot.addWidget(widget)
    widget.resize(560, 520)
    widget.show()
    return widget


def test_preview_shows_method_url_masked_key_and_pretty_body(panel: RequestPanel) -> None:
    plan = planned()
    panel.set_planned(masked_for_display(plan, KEY), plan)
    text = panel.preview.toPlainText()
    assert text.startswith(f"POST {BASE}/api/v1/goals\n")
    assert "Authorization: Bearer …WXYZ" in text
    assert "Content-Type: application/json" in text
    assert '\n{\n  "name": "newsletter_signup",' in text
    assert KEY not in text


def test_preview_never_shows_a_full_key_even_when_handed_one(panel: RequestPanel) -> None:
    panel.set_planned(with_real_key(planned(), KEY), None)
    text = panel.preview.toPlainText()
    assert KEY not in text
    assert "Bearer …WXYZ" in text


def test_preview_follows_each_edit(panel: RequestPanel) -> None:
    first = planned()
    panel.set_planned(masked_for_display(first, KEY), first)
    second = planned({"name": "trial_started"})
    panel.set_planned(masked_for_display(second, KEY), second)
    text = panel.preview.toPlainText()
    assert '"trial_started"' in text
    assert "newsletter_signup" not in text


def test_an_unchanged_plan_is_not_rendered_again(panel: RequestPanel) -> None:
    plan = planned()
    panel.set_planned(masked_for_display(plan, KEY), plan)
    revision = panel.preview.document().revision()
    panel.set_planned(masked_for_display(plan, KEY), plan)
    assert panel.preview.document().revision() == revision


@pytest.mark.parametrize("snippet_id", list(SNIPPETS))
def test_copy_button_puts_the_snippet_with_the_env_variable_on_the_clipboard(
    qtbot: Any, panel: RequestPanel, snippet_id: str
) -> None:
    plan = planned()
    panel.set_planned(masked_for_display(plan, KEY), plan)
    label, generate = SNIPPETS[snippet_id]
    button = panel.copy_buttons[snippet_id]
    assert button.accessibleName() == f"Copy as {label}"
    with qtbot.waitSignal(panel.copied, timeout=1000) as signal:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == generate(plan)
    assert "FLOWSERY_API_KEY" in copied
    assert KEY not in copied and "…WXYZ" not in copied
    assert signal.args[0].startswith(f"Copied as {label}.")
    assert "$FLOWSERY_API_KEY" in signal.args[0]


def test_copy_buttons_are_disabled_with_nothing_to_copy(panel: RequestPanel) -> None:
    QGuiApplication.clipboard().setText("untouched")
    panel.set_planned(None)
    assert not any(button.isEnabled() for button in panel.copy_buttons.values())
    assert panel.copy_snippet("curl") is False
    plan = planned()
    panel.set_planned(masked_for_display(plan, KEY), None, blocked_reason="Fix 1 problem.")
    assert not any(button.isEnabled() for button in panel.copy_buttons.values())
    assert panel.copy_snippet("curl") is False
    assert QGuiApplication.clipboard().text() == "untouched"
    panel.set_planned(masked_for_display(plan, KEY), plan)
    assert all(button.isEnabled() for button in panel.copy_buttons.values())


def test_a_snippet_source_holding_a_real_key_is_refused(qtbot: Any, panel: RequestPanel) -> None:
    QGuiApplication.clipboard().setText("untouched")
    plan = planned()
    panel.set_planned(masked_for_display(plan, KEY), with_real_key(plan, KEY))
    with qtbot.waitSignal(panel.copied, timeout=1000) as signal:
        assert panel.copy_snippet("curl") is False
    assert signal.args[0].startswith("Not copied")
    assert QGuiApplication.clipboard().text() == "untouched"


def test_blocked_reason_shows_above_what_is_known(panel: RequestPanel) -> None:
    plan = replace(planned(), body_text=None)
    reason = "Fix 2 problems in the form to send this goal."
    panel.set_planned(masked_for_display(plan, KEY), None, blocked_reason=reason)
    assert panel.blocked_label.isVisible()
    assert panel.blocked_label.text() == reason
    assert panel.blocked_label.textFormat() == Qt.TextFormat.PlainText
    text = panel.preview.toPlainText()
    assert f"{BASE}/api/v1/goals" in text
    assert "once the form has no errors" in text
    panel.set_planned(masked_for_display(planned(), KEY), planned())
    assert not panel.blocked_label.isVisible()


def test_nothing_planned_shows_a_placeholder(panel: RequestPanel) -> None:
    panel.set_planned(None)
    assert panel.preview.toPlainText() == ""
    assert panel.preview.placeholderText()


def test_a_request_without_a_key_says_so_when_copied(qtbot: Any, panel: RequestPanel) -> None:
    plan = plan_goal_request(BASE, BODY, has_key=False, user_agent="FlowseryGoalTester/test")
    panel.set_planned(masked_for_display(plan, None), plan)
    with qtbot.waitSignal(panel.copied, timeout=1000) as signal:
        assert panel.copy_snippet("curl") is True
    assert KEY_PLACEHOLDER not in QGuiApplication.clipboard().text()
    assert "no key" in signal.args[0]


def test_every_control_has_an_accessible_name(panel: RequestPanel) -> None:
    controls = [panel.preview, panel.blocked_label, *panel.copy_buttons.values()]
    assert all(control.accessibleName() for control in controls)
