"""Helpers for the window's cleanup tests: goals sent from the window and from "real
visitors", the History tab, and the Delete from analytics dialog driven to its end."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.test_main_window import send_and_wait, stored_goals, type_name

TEST_VID = "test-visitor-0001"
TEST_SID = "test-session-0001"

__all__ = [
    "TEST_SID",
    "TEST_VID",
    "deletes_received",
    "open_history",
    "post_real_goal",
    "run_dialog",
    "send_from_window",
    "stored",
    "stored_goals",
    "wait_planned",
]


def send_from_window(qtbot: Any, window: Any, name: str, visitor: str = "") -> None:
    """Type a goal in the form (the visitor ID empty unless given) and send it."""
    window.form_panel.visitor_edit.setText(visitor)
    type_name(qtbot, window, name)
    send_and_wait(qtbot, window)


def post_real_goal(window: Any, name: str, visitor: str) -> None:
    """A goal from someone else: posted straight to the sandbox, unknown to history."""
    sandbox = window.target.sandbox
    request = urllib.request.Request(
        sandbox.url + "/api/v1/goals",
        data=json.dumps({"name": name, "visitorUid": visitor}).encode(),
        headers={"Authorization": f"Bearer {sandbox.api_key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200


def stored(window: Any) -> list[tuple[str, str]]:
    """(name, visitor ID) of every goal the sandbox holds."""
    return sorted((g["name"], g.get("visitorUid", "")) for g in stored_goals(window))


def deletes_received(window: Any) -> list[dict[str, Any]]:
    """The DELETE /api/v1/goals requests the sandbox received."""
    return [
        r
        for r in window.target.sandbox.received()
        if r["method"] == "DELETE" and r["path"] == "/api/v1/goals"
    ]


def open_history(qtbot: Any, window: Any, rows: int) -> Any:
    """The History tab, once it lists `rows` records."""
    window.tabs.show_history()
    panel = window.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == rows, timeout=5000)
    return panel


def wait_planned(qtbot: Any, dialog: Any) -> None:
    """Wait until the dialog shows a plan (or why there is none)."""
    qtbot.waitUntil(lambda: dialog._planned is not None, timeout=5000)


def run_dialog(qtbot: Any, dialog: Any, profile: str = "Sandbox") -> Any:
    """Confirm with the profile's name, press Delete, and wait for the summary."""
    dialog.confirm_combo.setCurrentText(profile)
    assert dialog.delete_button.isEnabled()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run_result is not None, timeout=15000)
    return dialog.run_result
