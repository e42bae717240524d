"""Text from people or servers, made safe for the places Qt would read as rich text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

# What `html.escape` does (in one pass), without importing `html` and its entity tables
# before the first paint (about 2 ms).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def tooltip(text: str) -> str:
    """A tooltip that shows `text` literally: Qt guesses rich text in tooltips from `<`."""
    if not text:
        return ""
    return "<qt>" + text.translate(_ESCAPES).replace("\n", "<br>") + "</qt>"


def plain_label(
    text: str = "", *, wrap: bool = True, selectable: bool = True, name: str = ""
) -> QLabel:
    """A QLabel that can never interpret its text as rich text (`name`: its objectName)."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
    label.setText(text)
    return label


class ElidingLabel(QLabel):
    """A one-line plain-text label that ends in "…" when its pane is narrow, instead of
    widening the window (the status bar's lasting labels, whose words grow in translation).
    Its text, accessible name and tooltip stay whole."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        """As narrow as a few characters: the layout gives it the room there is."""
        hint = super().minimumSizeHint()
        return QSize(
            min(hint.width(), self.fontMetrics().horizontalAdvance("M" * 6)), hint.height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        """The text, elided at the end (the end in reading order) when it does not fit."""
        rect = self.contentsRect()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self.text()) <= rect.width():
            super().paintEvent(event)
            return
        shown = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        from PySide6.QtGui import QPainter  # when first needed: its enums cost at start-up

        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
