"""One finding of the rule set in words: a severity icon, the message, and a one-click fix."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from flowsery_gui.contract import Finding
from flowsery_gui.i18n import _, pgettext
from flowsery_gui.ui import icons
from flowsery_gui.ui.form_model import describe_path

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent, QResizeEvent


def is_plan_finding(finding: Finding) -> bool:
    """True for a tracking plan's finding (its code is `plan.*`): shown with the plan's tag."""
    return finding.code.startswith("plan.")


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
        self._tag: QLabel | None = None  # the plan's tag, made for the first plan finding
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
        tag = (
            self._tag.sizeHint().width() + SPACING if self._tag and not self._tag.isHidden() else 0
        )
        return QSize(ICON_SIZE + SPACING + tag + max(words, fix), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int) -> None:
        """The fix beside the words when the finding is no taller that way, else under them;
        then the words get the height they need at the width they will have."""
        if width <= 0:
            return
        below_room = width - ICON_SIZE - SPACING
        if self._tag is not None and not self._tag.isHidden():
            below_room -= self._tag.sizeHint().width() + SPACING
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
        shown = finding.message
        if self._show_path:
            # Translators: a finding under the form: where it is, then what is wrong there.
            shown = _("{where}: {message}", where=describe_path(finding.path), message=shown)
        self._text.setText(shown)
        planned = is_plan_finding(finding)
        if planned and self._tag is None:
            self._tag = _plan_tag()
            layout = self.layout()
            assert isinstance(layout, QHBoxLayout)
            layout.insertWidget(1, self._tag, 0, Qt.AlignmentFlag.AlignTop)
        if self._tag is not None:
            self._tag.setVisible(planned)
        self._text.setAccessibleName(_accessible_words(finding, planned, shown))
        if finding.fix is not None:
            label = finding.fix_text or ""  # "cut to 255 characters", not the cut value
            short = label if len(label) <= 28 else label[:27] + "…"
            if short:
                # Translators: a button that applies a finding's fix; {fix} says what it does
                # ("cut to 255 characters"), at most 28 characters.
                self._fix.setText(_("Fix: {fix}", fix=short))
                # Translators: the Fix button's name for screen readers.
                self._fix.setAccessibleName(_("Apply fix {fix}", fix=short))
            else:
                # Translators: a button that empties the field the finding is about.
                self._fix.setText(_("Fix: clear it"))
                self._fix.setAccessibleName(_("Apply fix: clear it"))
            self._fix.show()
        else:
            self._fix.hide()
        self.show()
        self._arrange(self.width())

    def _clicked(self) -> None:
        if self._finding is not None:
            self.focus_requested.emit(self._finding)


def _accessible_words(finding: Finding, planned: bool, shown: str) -> str:
    """What a screen reader says for a finding: whose rule, how grave, and the words."""
    if planned:
        if finding.is_error:
            return _("Tracking plan error: {message}", message=shown)
        return _("Tracking plan warning: {message}", message=shown)
    if finding.is_error:
        return _("Error: {message}", message=shown)
    return _("Warning: {message}", message=shown)


def _plan_tag() -> QLabel:
    """The small "plan" tag beside a tracking plan's finding (the API's have none)."""
    # Translators: a small tag beside a finding that comes from the tracking plan (a noun,
    # as short as possible).
    tag = QLabel(pgettext("tag of a tracking plan's finding", "plan"))
    tag.setObjectName("plan_tag")
    tag.setToolTip(_("From the tracking plan, not the API's rules: a warning, never a block"))
    tag.setStyleSheet(
        "QLabel#plan_tag { border: 1px solid #7c3aed; border-radius: 3px; color: #7c3aed;"
        " padding: 0px 3px; }"
    )
    font = tag.font()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    tag.setFont(font)
    return tag
