"""How much history to keep: the last N requests and/or the last N days (0: no limit)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from flowsery_gui.ui.history_service import HistoryService


class RetentionDialog(QDialog):
    """Keep the last N records and/or the last N days; 0 means no limit."""

    def __init__(self, history: HistoryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.setWindowTitle("Keep history")
        keep_last, keep_days = history.retention()
        layout = QFormLayout(self)
        self.keep_last = QSpinBox()
        self.keep_last.setRange(0, 10_000_000)
        self.keep_last.setSingleStep(1000)
        self.keep_last.setSpecialValueText("no limit")
        self.keep_last.setValue(keep_last)
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 36500)
        self.keep_days.setSpecialValueText("no limit")
        self.keep_days.setSuffix(" days")
        self.keep_days.setValue(keep_days)
        layout.addRow("Keep the last &requests", self.keep_last)
        layout.addRow("Keep &days", self.keep_days)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _save(self) -> None:
        self.history.set_retention(self.keep_last.value(), self.keep_days.value())
        self.accept()
