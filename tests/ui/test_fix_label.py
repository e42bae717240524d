"""A one-click fix is labelled by what it does when its value would not read as a label."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from flowsery_gui.contract import Draft, check_draft
from flowsery_gui.ui.finding_view import FindingView


def test_the_fix_for_an_over_long_value_reads_cut_to_255_characters(qtbot: Any) -> None:
    report = check_draft(Draft(name="a", metadata=(("note", "y" * 300),)))
    [finding] = [f for f in report.findings if f.code == "metadata.value.too_long"]
    view = FindingView(show_path=True)
    qtbot.addWidget(view)
    view.set_finding(finding)
    [button] = view.findChildren(QPushButton)
    assert button.text() == "Fix: cut to 255 characters"
    assert "yyy" not in button.text() + button.accessibleName()
