"""Help > About: the version, and the one promise about the key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from flowsery_gui import APP_NAME, version
from flowsery_gui.i18n import _


def show_about(parent: QWidget) -> None:
    """The About box (plain text: nothing in it is markup)."""
    box = QMessageBox(parent)
    # Translators: the About box's title; {app} is the app's name ("Flowsery Goal Tester").
    box.setWindowTitle(_("About {app}", app=APP_NAME))
    box.setTextFormat(Qt.TextFormat.PlainText)
    what = _("Fire custom goal events at the Flowsery analytics API and see exactly what happened.")
    keys = _("API keys are kept only in your system keyring.")
    box.setText(f"{APP_NAME} {version()}\n\n{what}\n\n{keys}")
    box.exec()
