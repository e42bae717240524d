"""One finding of the rule set in words: a severity icon, the message, and a one-click fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from flowsery_gui.contract import Finding
from flowsery_gui.ui import icons
from flowsery_gui.ui.form_model import describe_path

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent, QResizeEvent


PLAN_TAG = "plan"


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


class FindingView(QWidget):
    """One finding in words: severity icon, message, and a one-click fix when there is one."""

    fix_requested = Signal(object)
    focus_requested = Signal(object)

    def __init__(self, show_path: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finding: Finding | None = None
        self._rendered = False
        self._show_path = show_path
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._icon = QLabel()
        self._icon.setFixedSize(16, 16)
        self._text = _MessageLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.clicked.connect(self._clicked)
        self._tag: QLabel | None = None  # the plan's tag, made for the first plan finding
        self._fix = QPushButton()
        self._fix.setAutoDefault(False)
        self._fix.clicked.connect(lambda: self.fix_requested.emit(self._finding))
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._fix, 0, Qt.AlignmentFlag.AlignTop)
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_text()

    def _fit_text(self) -> None:
        # Word-wrapped labels in nested layouts are not given the height their text needs at
        # the width they end up with: ask for it, so a second line is never cut off.
        width = self._text.width()
        needed = self._text.heightForWidth(width) if width > 0 else -1
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
        self._fit_text()
        planned = is_plan_finding(finding)
        if planned and self._tag is None:
            self._tag = _plan_tag()
            layout = self.layout()
            assert isinstance(layout, QHBoxLayout)
            layout.insertWidget(1, self._tag, 0, Qt.AlignmentFlag.AlignTop)
        if self._tag is not None:
            self._tag.setVisible(planned)
        whose = "tracking plan " if planned else ""
        self._text.setAccessibleName(f"{whose}{name}: {prefix}{finding.message}")
        if finding.fix is not None:
            label = finding.fix_text or ""  # "cut to 255 characters", not the cut value
            shown = label if len(label) <= 28 else label[:27] + "…"
            self._fix.setText(f"Fix: {shown}" if shown else "Fix: clear it")
            self._fix.setAccessibleName(f"Apply fix {shown}")
            self._fix.show()
        else:
            self._fix.hide()
        self.show()

    def _clicked(self) -> None:
        if self._finding is not None:
            self.focus_requested.emit(self._finding)


def _plan_tag() -> QLabel:
    """The small "plan" tag beside a tracking plan's finding (the API's have none)."""
    tag = QLabel(PLAN_TAG)
    tag.setObjectName("plan_tag")
    tag.setToolTip("From the tracking plan, not the API's rules: a warning, never a block")
    tag.setStyleSheet(
        "QLabel#plan_tag { border: 1px solid #7c3aed; border-radius: 3px; color: #7c3aed;"
        " padding: 0px 3px; }"
    )
    font = tag.font()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    tag.setFont(font)
    return tag
