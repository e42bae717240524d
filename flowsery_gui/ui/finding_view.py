"""One finding of the rule set in words: a severity icon, the message, and a one-click fix."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from flowsery_gui.contract import Finding
from flowsery_gui.ui import icons
from flowsery_gui.ui.form_model import describe_path

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent, QResizeEvent


def border_for(state: str) -> str:
    """The style sheet that marks a field with an error, a warning, or nothing."""
    if state == "error":
        return "border: 2px solid #dc2626; border-radius: 3px; padding: 1px;"
    if state == "warning":
        return "border: 2px solid #d97706; border-radius: 3px; padding: 1px;"
    return ""


class _MessageLabel(QLabel):
    """The finding's words: selectable, and a plain click on them asks for the field."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if not self.hasSelectedText():  # a drag to select text is not a click
            self.clicked.emit()


ICON_SIZE = 16
SPACING = 6


class FindingView(QWidget):
    """One finding in words: severity icon, message, and a one-click fix when there is one.

    The fix sits beside the words when that keeps the finding as short, else under them:
    a long fix label must not squeeze the words into a narrow column many lines tall.
    """

    fix_requested = Signal(object)
    focus_requested = Signal(object)

    def __init__(self, show_path: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finding: Finding | None = None
        self._rendered = False
        self._show_path = show_path
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        # The words and the fix: side by side, or one under the other (only the direction
        # changes: no widget is taken out of a layout and put back).
        self._words_and_fix = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._words_and_fix.setSpacing(SPACING)
        self._beside = True
        self._icon = QLabel()
        self._icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        self._text = _MessageLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.clicked.connect(self._clicked)
        self._fix = QPushButton()
        self._fix.setAutoDefault(False)
        self._fix.clicked.connect(lambda: self.fix_requested.emit(self._finding))
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._words_and_fix, 1)
        self._words_and_fix.addWidget(self._text, 1)
        self._words_and_fix.addWidget(self._fix, 0, Qt.AlignmentFlag.AlignTop)
        self.set_finding(None)

    def finding(self) -> Finding | None:
        """The finding shown, if any."""
        return self._finding

    def text(self) -> str:
        """The words shown."""
        return self._text.text()

    def words(self) -> QLabel:
        """The label holding the words (a click on it asks for the field)."""
        return self._text

    def fix_button(self) -> QPushButton:
        """The one-click fix (hidden when the finding has none)."""
        return self._fix

    def one_line_height(self) -> int:
        """How tall a one-line finding with its Fix button is (kept free under a field)."""
        line = self._text.fontMetrics().lineSpacing()
        return max(ICON_SIZE, line, self._fix.sizeHint().height())

    def fix_is_beside(self) -> bool:
        """True when the fix sits beside the words, False when under them."""
        return self._beside

    def minimumSizeHint(self) -> QSize:
        # As narrow as the words and the fix one under the other: the fix moves down rather
        # than making the form wider (see `_arrange`).
        hint = super().minimumSizeHint()
        fix = self._fix.sizeHint().width() if not self._fix.isHidden() else 0
        words = self._text.minimumSizeHint().width()
        return QSize(ICON_SIZE + SPACING + max(words, fix), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int) -> None:
        """The fix beside the words when the finding is no taller that way, else under them;
        then the words get the height they need at the width they will have."""
        if width <= 0:
            return
        below_room = width - ICON_SIZE - SPACING
        beside, words_width = True, below_room
        if not self._fix.isHidden():
            metrics = self._text.fontMetrics()
            line = metrics.lineSpacing()
            one_line = metrics.horizontalAdvance(self._text.text()) + 4
            fix = self._fix.sizeHint()
            beside_room = below_room - SPACING - fix.width()
            if beside_room < 12 * metrics.averageCharWidth():  # a column of a word or two
                beside = False
            else:
                tall_beside = max(math.ceil(one_line / beside_room) * line, fix.height())
                tall_below = math.ceil(one_line / max(1, below_room)) * line + fix.height()
                beside = tall_beside <= tall_below
            words_width = beside_room if beside else below_room
        if beside != self._beside:
            self._beside = beside
            box = self._words_and_fix
            box.setDirection(
                QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
            )
            box.setSpacing(SPACING if beside else 2)
            box.setStretchFactor(self._text, 1 if beside else 0)
            box.setAlignment(
                self._fix, Qt.AlignmentFlag.AlignTop if beside else Qt.AlignmentFlag.AlignLeft
            )
        # Word-wrapped labels in nested layouts are not given the height their text needs at
        # the width they end up with: set it, so a second line is never cut off (measured as
        # the label measures plain text; its own heightForWidth counts the minimum set here).
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)
        metrics = self._text.fontMetrics()
        needed = metrics.boundingRect(
            0, 0, max(1, words_width), 100_000, flags, self.text()
        ).height()
        if needed > 0 and self._text.minimumHeight() != needed:
            self._text.setMinimumHeight(needed)

    def set_finding(self, finding: Finding | None) -> None:
        """Show one finding, or hide when None."""
        if finding == self._finding and self._rendered:
            return  # every keystroke re-renders: skip what did not change
        self._rendered = True
        self._finding = finding
        if finding is None:
            self.hide()
            return
        name = "error" if finding.is_error else "warning"
        self._icon.setPixmap(icons.icon(name).pixmap(16, 16))
        prefix = f"{describe_path(finding.path)}: " if self._show_path else ""
        self._text.setText(prefix + finding.message)
        self._text.setAccessibleName(f"{name}: {prefix}{finding.message}")
        if finding.fix is not None:
            label = finding.fix_text or ""  # "cut to 255 characters", not the cut value
            shown = label if len(label) <= 28 else label[:27] + "…"
            self._fix.setText(f"Fix: {shown}" if shown else "Fix: clear it")
            self._fix.setAccessibleName(f"Apply fix {shown}")
            self._fix.show()
        else:
            self._fix.hide()
        self.show()
        self._arrange(self.width())

    def _clicked(self) -> None:
        if self._finding is not None:
            self.focus_requested.emit(self._finding)
