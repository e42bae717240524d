"""The status bar's word on the tracking plan in use: its name and goal count, or a warning."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from flowsery_gui.i18n import _
from flowsery_gui.ui.plain import ElidingLabel, tooltip


class PlanLabel(ElidingLabel):
    """`Plan: acme-website (3 goals)`; `⚠` when the file changed and could not be used."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("plan_status")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_plan(self, described: str, path: str, problem: str) -> None:
        """The plan in use ("" for none), its file, and why the file is not what is in use."""
        if not described:
            self.hide()
            return
        # Translators: the status bar's word on the plan in use: "Plan: acme-website (3 goals)".
        text = _("Plan: {plan}", plan=described)
        tip = _("Tracking plan in use: {path}", path=path)
        if problem:
            text += " ⚠"
            tip += f"\n\n{problem}"
        self.setText(text)
        self.setToolTip(tooltip(tip))
        self.setAccessibleName(text)
        self.show()
