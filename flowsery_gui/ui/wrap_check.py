"""A check box whose words wrap: a QCheckBox never wraps its text, so a long sentence (longer
still in translation) would set the whole window's minimum width."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:  # the event types load when an event comes, not at start-up
    from PySide6.QtGui import QFocusEvent, QMouseEvent


class _Box(QCheckBox):
    """The box itself: its label's mnemonic focuses it and ticks it, as a check box's own."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.ShortcutFocusReason:
            self.click()


class _Words(QLabel):
    """The box's words: a click on them ticks the box, as on a check box's own text."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.box.click()
            return
        super().mouseReleaseEvent(event)


class WrappingCheckBox(QWidget):
    """`box` is the QCheckBox (state, signals, Tab order); `words` wrap beside it, with the
    mnemonic (`&`) of the text. Show and hide this widget, not the box."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = _Box()
        self.box.setAccessibleName(text.replace("&", ""))
        self.words = _Words(text, self.box)
        self.words.setWordWrap(True)
        self.words.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.words.setBuddy(self.box)
        self.words.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.words, 1)
