"""One small dialog for every "Paste …" action: a text box, a live preview, OK when usable.

The caller gives a function from the pasted text to (ok, preview in plain words); the
dialog only renders that. It starts with the clipboard's text so one click usually suffices.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import _

Preview = Callable[[str], tuple[bool, str]]


class PasteDialog(QDialog):
    """Paste text, see what it will do, then apply it."""

    def __init__(
        self,
        title: str,
        explanation: str,
        preview: Preview,
        ok_text: str,
        parent: QWidget | None = None,
        initial: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(560, 360)
        self._preview = preview
        layout = QVBoxLayout(self)
        intro = QLabel(explanation)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(title)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # Tab moves on (pasted text keeps its tabs); Ctrl+Enter applies, as Send does.
        self.editor.setTabChangesFocus(True)
        intro.setBuddy(self.editor)
        layout.addWidget(self.editor, 1)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("paste_preview")
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.preview_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._accept_if_usable)
        self.editor.textChanged.connect(self._update)
        if initial is None:
            initial = QGuiApplication.clipboard().text()
        self.editor.setPlainText(initial or "")
        self.editor.selectAll()
        self._update()

    def _accept_if_usable(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def text(self) -> str:
        """What is in the box now."""
        return self.editor.toPlainText()

    def _update(self) -> None:
        text = self.text()
        if not text.strip():
            usable, message = False, _("Paste the text above.")
        else:
            usable, message = self._preview(text)
        self.preview_label.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(usable)
