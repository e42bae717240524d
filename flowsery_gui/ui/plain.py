"""Text from people or servers, made safe for the places Qt would read as rich text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

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
