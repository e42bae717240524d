"""Edit > Preferences…: the window's language, kept for the next start.

The language is applied once, at start-up, before any widget exists (`ui/language.py`):
the dialog saves the choice and says it takes effect on restart. The list offers the
system's language first, then every shipped language by its own name (the pseudo
languages are for testing layouts and are not offered).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import i18n
from flowsery_gui.i18n import _
from flowsery_gui.ui import language as window_language


class PreferencesDialog(QDialog):
    """The Language choice: System default, then each language in its own name."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferences_dialog")
        self.setWindowTitle(_("Preferences"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language_combo")
        self.language_combo.setAccessibleName(_("Language"))
        system = i18n.language(window_language.system_language()).native_name
        # Translators: the first entry of the language list; {language} is the system's
        # language in its own name ("Deutsch"), which the window uses with this choice.
        self.language_combo.addItem(_("System default ({language})", language=system), "")
        for entry in i18n.available_languages():
            self.language_combo.addItem(entry.native_name, entry.code)
        saved = window_language.saved_choice(settings)
        index = self.language_combo.findData(i18n.match_language(saved) or "") if saved else 0
        self.language_combo.setCurrentIndex(max(index, 0))
        self.started_in = i18n.current_language()
        form.addRow(_("&Language:"), self.language_combo)
        layout.addLayout(form)
        self.note = QLabel(_("The new language is used the next time you start the app."))
        self.note.setObjectName("preferences_note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)

    def chosen(self) -> str:
        """The code picked ("" to follow the system)."""
        return str(self.language_combo.currentData() or "")

    def accept(self) -> None:
        """Keep the choice for the next start."""
        window_language.save_choice(self.settings, self.chosen() or None)
        self.settings.sync()
        super().accept()


def open_preferences(parent: QWidget, settings: QSettings) -> bool:
    """Show Preferences; True when a choice was saved."""
    dialog = PreferencesDialog(settings, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def install_preferences(action: QAction, settings: QSettings, parent: QWidget) -> None:
    """Open Preferences from its action (wired after the window's first paint)."""
    action.triggered.connect(lambda: open_preferences(parent, settings))
