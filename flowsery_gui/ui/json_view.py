"""A read-only, monospace viewer for JSON and other text, coloured by a syntax highlighter.

The text is always plain text: colouring is applied by `QSyntaxHighlighter` formats over the
plain document, so markup inside a server's answer is shown literally, never interpreted.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from flowsery_gui.ui import theme

# Colouring a very large document would stall the GUI thread; above this it is shown plain.
HIGHLIGHT_LIMIT_CHARS = 256 * 1024

_TOKEN = QRegularExpression(
    r'("(?:[^"\\]|\\.)*")(\s*:)?'  # a string, and the colon that makes it a key
    r"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"  # a number
    r"|\b(true|false|null)\b"  # a literal
)


class _DuplicateKeyError(ValueError):
    """A JSON object repeats a key: pretty-printing it would silently drop one."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def pretty_json(text: str) -> str | None:
    """The text re-indented as JSON, or None when it is not JSON (or would lose a duplicate key)."""
    stripped = text.strip()
    if not stripped or stripped[0] not in '{["-0123456789tfn':
        return None
    try:
        value = json.loads(stripped, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):  # includes JSONDecodeError and duplicate keys
        return None
    return json.dumps(value, indent=2, ensure_ascii=False)


class JsonHighlighter(QSyntaxHighlighter):
    """Colours JSON keys, strings, numbers and literals in a plain-text document."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.active = False  # colour blocks from `body_from` on as JSON
        self.body_from = 0
        self.head_blocks = 0  # blocks before this are an HTTP head: a start line, then headers
        self._formats: dict[int, QTextCharFormat] = {}
        self.set_colors(theme.json_colors())

    def set_colors(self, colors: theme.JsonColors) -> None:
        """Use these token colours from the next highlighting pass on."""

        def fmt(color: QColor) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(color)
            return f

        # capture group number -> format
        self._formats = {
            0: fmt(colors.key),
            1: fmt(colors.string),
            3: fmt(colors.number),
            4: fmt(colors.literal),
        }
        self._start_line = QTextCharFormat()
        self._start_line.setFontWeight(QFont.Weight.Bold)

    def highlightBlock(self, text: str) -> None:
        """Apply token formats to one line."""
        number = self.currentBlock().blockNumber()
        if number < self.head_blocks:
            if number == 0:
                self.setFormat(0, len(text), self._start_line)
            else:
                name_end = text.find(":")
                if name_end > 0:
                    self.setFormat(0, name_end, self._formats[0])
            return
        if not self.active or number < self.body_from:
            return
        matches = _TOKEN.globalMatch(text)
        while matches.hasNext():
            m = matches.next()
            if m.capturedLength(1):
                fmt = self._formats[0] if m.capturedLength(2) else self._formats[1]
                self.setFormat(m.capturedStart(1), m.capturedLength(1), fmt)
            elif m.capturedLength(3):
                self.setFormat(m.capturedStart(3), m.capturedLength(3), self._formats[3])
            elif m.capturedLength(4):
                self.setFormat(m.capturedStart(4), m.capturedLength(4), self._formats[4])


class JsonView(QPlainTextEdit):
    """Shows JSON pretty-printed and coloured, or any other text as-is; read-only, selectable."""

    def __init__(self, parent: QWidget | None = None, *, accessible_name: str = "") -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self._highlighter = JsonHighlighter(self.document())
        self._shown: tuple[str, bool, int, int] | None = None

    @property
    def highlighted(self) -> bool:
        """True when the current text is being coloured as JSON."""
        return self._highlighter.active

    def show_json_text(self, text: str) -> bool:
        """Show text pretty-printed when it is JSON (returns True), else exactly as given."""
        pretty = pretty_json(text)
        if pretty is None:
            self._show(text, highlight=False)
            return False
        self._show(pretty, highlight=True)
        return True

    def show_json_value(self, value: object) -> None:
        """Show a Python value as pretty-printed, coloured JSON."""
        self._show(json.dumps(value, indent=2, ensure_ascii=False), highlight=True)

    def show_plain(self, text: str) -> None:
        """Show text exactly as given, uncoloured."""
        self._show(text, highlight=False)

    def show_http(self, head_lines: list[str], body: str | None, *, pretty: bool = True) -> None:
        """An HTTP message: start line and headers, a blank line, then the body.

        A JSON body is coloured, and re-indented unless `pretty` is False (then it is shown
        exactly as given). Head lines must not contain line breaks.
        """
        text = "\n".join(head_lines)
        head = len(head_lines)
        if body is None:
            self._show(text, highlight=False, head=head)
            return
        formatted = pretty_json(body)
        shown = formatted if (formatted is not None and pretty) else body
        self._show(
            text + "\n\n" + shown, highlight=formatted is not None, head=head, body_from=head + 1
        )

    def _show(self, text: str, *, highlight: bool, head: int = 0, body_from: int = 0) -> None:
        highlight = highlight and len(text) <= HIGHLIGHT_LIMIT_CHARS
        if len(text) > HIGHLIGHT_LIMIT_CHARS:
            head = 0
        key = (text, highlight, head, body_from)
        if self._shown == key:
            return  # unchanged: no re-layout, no re-highlight, selection kept
        self._shown = key
        self._highlighter.active = highlight
        self._highlighter.head_blocks = head
        self._highlighter.body_from = body_from
        self.setPlainText(text)  # re-highlights the whole document once

    def changeEvent(self, event: QEvent) -> None:
        """Follow light/dark palette switches with matching token colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._highlighter.set_colors(theme.json_colors(self.palette()))
            if self._highlighter.active or self._highlighter.head_blocks:
                self._highlighter.rehighlight()
