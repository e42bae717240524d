"""Tells when the light/dark palette changes, without the window handling every change event.

A hidden child widget hears the palette change (it reaches every widget); the window then
redraws what it drew for the old palette. Overriding the window's own `changeEvent` would
send each of its change events (title, activation, state…) through Python, and the first
few would build type wrappers at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


class PaletteWatch(QWidget):
    """An invisible child whose `changed` fires when the application's palette changes."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Deferred: the event class's 170-name enum costs start-up time (~2 ms); no palette
        # changes before the first paint.
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.changed.emit()
