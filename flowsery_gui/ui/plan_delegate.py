"""Metadata cells that offer what the tracking plan allows: a key's values, a goal's keys.

A value cell whose key the plan gives a list of values (`enum`, or a `const`) edits with an
editable drop-down of those values, and shows a small arrow saying so; a key cell offers the
goal's planned keys not used yet. Anything may still be typed: the plan warns, it never
blocks. Cells the plan says nothing about edit as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from flowsery_gui.i18n import _

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter

_Index = QModelIndex | QPersistentModelIndex
#: (row, column) -> the choices the plan offers there (empty: plain text).
Choices = Callable[[int, int], Sequence[str]]
ARROW_SIZE = 9


class PlanChoiceCombo(QComboBox):
    """The editor of a cell with planned choices: pick one, or type anything."""

    def __init__(self, choices: Sequence[str], what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_choice_editor")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(choices))
        self.setAccessibleName(what)
        self.setToolTip(
            # Translators: {what} is "Values the plan allows" or "Keys the plan lists".
            _("{what}; typing something else is allowed (the plan will warn)", what=what)
        )


class PlanCellDelegate(QStyledItemDelegate):
    """Edits a metadata cell with the plan's choices when it has any, else as plain text."""

    def __init__(self, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def choices_at(self, index: _Index) -> Sequence[str]:
        """What the plan offers in this cell (empty when nothing)."""
        return self._choices(index.row(), index.column()) if index.isValid() else ()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        choices = self.choices_at(index)
        if not choices:
            return super().createEditor(parent, option, index)
        what = _("Values the plan allows") if index.column() == 1 else _("Keys the plan lists")
        combo = PlanChoiceCombo(choices, what, parent)
        # A value picked from the list is the edit: commit it and close, as Enter would.
        combo.activated.connect(lambda _i, c=combo: self._picked(c))
        return combo

    def _picked(self, combo: PlanChoiceCombo) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if not isinstance(editor, PlanChoiceCombo):
            super().setEditorData(editor, index)
            return
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        found = editor.findText(text)
        if found >= 0:
            editor.setCurrentIndex(found)
        editor.setEditText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if not isinstance(editor, PlanChoiceCombo):
            super().setModelData(editor, model, index)
            return
        text = editor.currentText()
        if text != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, text, Qt.ItemDataRole.EditRole)


class PlanValueDelegate(PlanCellDelegate):
    """The value column's delegate: also marks cells that offer a list with a small arrow.
    (Set on that column only: a painting delegate runs Python for every cell it paints.)"""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        if not self.choices_at(index):
            return
        # A small arrow at the right: this cell offers a list (F2, a double-click or typing).
        rect: QRect = option.rect
        arrow = QStyleOptionViewItem(option)
        arrow.rect = QRect(
            rect.right() - ARROW_SIZE - 6,
            rect.center().y() - ARROW_SIZE // 2,
            ARROW_SIZE,
            ARROW_SIZE,
        )
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            arrow_down = QStyle.PrimitiveElement.PE_IndicatorArrowDown
            style.drawPrimitive(arrow_down, arrow, painter, widget)
