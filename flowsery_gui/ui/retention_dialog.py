"""How much history to keep: the last N requests and/or the last N days (0: no limit)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from flowsery_gui.i18n import _, ngettext
from flowsery_gui.ui.language import apply_widget_locale


class RetentionDialog(QDialog):
    """Keep the last N records and/or the last N days; 0 means no limit.

    It only asks: the history panel reads the setting from the history file before, and
    stores and applies the answer after (both off the GUI thread)."""

    def __init__(self, keep_last: int, keep_days: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keep history"))
        layout = QFormLayout(self)
        apply_widget_locale()  # the numbers in the language's format
        self.keep_last = QSpinBox()
        self.keep_last.setRange(0, 10_000_000)
        self.keep_last.setSingleStep(1000)
        # Translators: what the spin box shows at 0.
        self.keep_last.setSpecialValueText(_("no limit"))
        self.keep_last.setValue(keep_last)
        self.keep_last.setAccessibleName(_("Keep the last requests"))
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 36500)
        self.keep_days.setSpecialValueText(_("no limit"))
        self.keep_days.valueChanged.connect(self._days_suffix)
        self.keep_days.setValue(keep_days)
        self._days_suffix(self.keep_days.value())
        self.keep_days.setAccessibleName(_("Keep days"))
        layout.addRow(_("Keep the last &requests"), self.keep_last)
        layout.addRow(_("Keep &days"), self.keep_days)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _days_suffix(self, days: int) -> None:
        """The unit after the number, in the plural form the number takes."""
        # Translators: the unit after a number of days in a spin box; keep the leading space
        # if your language puts one between a number and its unit.
        self.keep_days.setSuffix(ngettext(" day", " days", days))

    def chosen(self) -> tuple[int, int]:
        """What was set: (last N requests, last N days), 0 meaning no limit."""
        return self.keep_last.value(), self.keep_days.value()
