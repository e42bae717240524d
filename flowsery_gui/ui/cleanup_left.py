"""What a cleanup leaves out and why (`cleanup.words.left_summary`), with the two options that
take more in: the sends that got no answer, and the sends with no precise time in wide
windows (behind a warning of their own)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from flowsery_gui.cleanup.model import CleanupPlan, PlanOptions, Reason
from flowsery_gui.cleanup.words import left_summary
from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ui import theme
from flowsery_gui.ui.plain import plain_label

WIDE_WARNING = N_(
    "⚠ A wide window reaches an hour before and after each such send: every goal of that name "
    "sent in it goes, your other test goals and, without a test visitor ID, real visitors' "
    "goals too. Each wide call also needs its own box ticked."
)


class LeftOutBox(QGroupBox):
    """The records no call covers, by reason, and the options that plan more of them."""

    options_changed = Signal()  # an option was ticked or unticked: plan again

    def __init__(self, parent: QWidget | None = None) -> None:
        # Translators: the title of the box listing the sends a cleanup does not delete.
        super().__init__(_("Left out"), parent)
        box = QVBoxLayout(self)
        self.left_label = plain_label(name="cleanup_left", selectable=False)
        self.unanswered_check = QCheckBox()
        self.unanswered_check.setObjectName("cleanup_unanswered")
        self.wide_check = QCheckBox()
        self.wide_check.setObjectName("cleanup_wide")
        self.wide_warning = plain_label(name="cleanup_wide_warning", selectable=False)
        self.wide_warning.setText(_(WIDE_WARNING))
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
            ngettext(
                "Also delete the {count} send that got no answer (it may or may not have been "
                "stored)",
                "Also delete the {count} sends that got no answer (they may or may not have "
                "been stored)",
                unanswered,
                count=format_number(unanswered),
            )
            if unanswered
            else _("Also delete the sends that got no answer (included above)")
        )
        wide = bool(inexact) or options.wide_window
        self.wide_check.setVisible(wide)
        self.wide_warning.setVisible(wide)
        self.wide_check.setText(
            ngettext(
                "Delete the {count} send with no precise send time in a wide window",
                "Delete the {count} sends with no precise send time in wide windows",
                inexact,
                count=format_number(inexact),
            )
            if inexact
            else _("Delete the sends with no precise send time in wide windows (included above)")
        )
        self.setVisible(bool(lines) or self.unanswered_check.isVisible() or wide)
