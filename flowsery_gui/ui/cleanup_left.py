"""What a cleanup leaves out and why (`cleanup.words.left_summary`), with the two options that
take more in: the sends that got no answer, and the sends with no precise time in wide
windows (behind a warning of their own)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from flowsery_gui.cleanup.model import CleanupPlan, PlanOptions, Reason
from flowsery_gui.cleanup.words import counted, left_summary
from flowsery_gui.ui import theme

WIDE_WARNING = (
    "⚠ A wide window reaches an hour before and after each such send: every goal of that name "
    "sent in it goes, your other test goals and, without a test visitor ID, real visitors' "
    "goals too. Each wide call also needs its own box ticked."
)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class LeftOutBox(QGroupBox):
    """The records no call covers, by reason, and the options that plan more of them."""

    options_changed = Signal()  # an option was ticked or unticked: plan again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Left out", parent)
        box = QVBoxLayout(self)
        self.left_label = _label("cleanup_left")
        self.unanswered_check = QCheckBox()
        self.unanswered_check.setObjectName("cleanup_unanswered")
        self.wide_check = QCheckBox()
        self.wide_check.setObjectName("cleanup_wide")
        self.wide_warning = _label("cleanup_wide_warning")
        self.wide_warning.setText(WIDE_WARNING)
        self.wide_warning.setStyleSheet(theme.banner_style_sheet("client_error", self.palette()))
        for widget in (self.left_label, self.unanswered_check, self.wide_check, self.wide_warning):
            box.addWidget(widget)
        self.unanswered_check.toggled.connect(lambda _on: self.options_changed.emit())
        self.wide_check.toggled.connect(lambda _on: self.options_changed.emit())

    def options(self) -> PlanOptions:
        """The plan options as ticked."""
        return PlanOptions(
            include_unanswered=self.unanswered_check.isChecked(),
            wide_window=self.wide_check.isChecked(),
        )

    def show_plan(self, plan: CleanupPlan) -> None:
        """What this plan leaves out; each option shown while it has something to take in."""
        lines = left_summary(plan)
        unanswered = len(plan.left_for(Reason.UNANSWERED))
        inexact = len(plan.left_for(Reason.INEXACT))
        options = plan.options
        self.left_label.setText("\n".join(lines))
        self.left_label.setVisible(bool(lines))
        self.unanswered_check.setVisible(bool(unanswered) or options.include_unanswered)
        self.unanswered_check.setText(
            f"Also delete the {counted(unanswered, 'send')} that got no answer (they may or "
            "may not have been stored)"
            if unanswered
            else "Also delete the sends that got no answer (included above)"
        )
        wide = bool(inexact) or options.wide_window
        self.wide_check.setVisible(wide)
        self.wide_warning.setVisible(wide)
        self.wide_check.setText(
            f"Delete the {counted(inexact, 'send')} with no precise send time in wide windows"
            if inexact
            else "Delete the sends with no precise send time in wide windows (included above)"
        )
        self.setVisible(bool(lines) or self.unanswered_check.isVisible() or wide)
