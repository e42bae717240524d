"""Help > About: the version, and the one promise about the key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from flowsery_gui import APP_NAME, version


def show_about(parent: QWidget) -> None:
    """The About box (plain text: nothing in it is markup)."""
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"{APP_NAME} {version()}\n\nFire custom goal events at the Flowsery analytics API "
        "and see exactly what happened.\n\nAPI keys are kept only in your system keyring."
    )
    box.exec()
