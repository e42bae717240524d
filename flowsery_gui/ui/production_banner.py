"""The red line over the whole window while goals go to production."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def production_banner(text: str) -> QLabel:
    """The banner, made the first time production is chosen."""
    # Deferred: a palette and a bold font cost start-up time (~3 ms) on a window that
    # usually opens on the sandbox.
    from PySide6.QtGui import QColor, QPalette

    banner = QLabel(text)
    banner.setObjectName("production_banner")
    # A palette, not a style sheet: style sheets cost memory for the whole window.
    palette = banner.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#b91c1c"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    banner.setPalette(palette)
    banner.setAutoFillBackground(True)
    banner.setContentsMargins(8, 4, 8, 4)
    font = banner.font()
    font.setBold(True)
    banner.setFont(font)
    banner.setTextFormat(Qt.TextFormat.PlainText)
    return banner
