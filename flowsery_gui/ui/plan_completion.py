"""The goal name completes from the tracking plan: each planned goal with its description.

A completer over a two-column model (name, description) whose pop-up shows both columns;
typing matches anywhere in the name, in any case. Made when a plan is first opened.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHeaderView, QLineEdit, QTreeView

from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.row_model import Index, RowsModel

NAME_COLUMN, DESCRIPTION_COLUMN = 0, 1
POPUP_MIN_WIDTH = 460


class GoalNameModel(RowsModel):
    """The plan's goals as (name, description) rows, in plan order."""

    HEADERS = ("Goal", "Description")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str]] = []

    def set_goals(self, goals: list[tuple[str, str]]) -> None:
        """Replace the rows (a plan opened, reloaded or closed)."""
        if goals == self.rows:
            return
        self.beginResetModel()
        self.rows = goals
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name, description = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == NAME_COLUMN:
                return name
            return " ".join(description.split())  # one line in the pop-up
        if role == Qt.ItemDataRole.ToolTipRole and description:
            return tooltip(description)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}: {description}" if description else name
        return None


def goal_completer(edit: QLineEdit, model: GoalNameModel) -> QCompleter:
    """A completer for the goal name over `model`, with a pop-up showing both columns."""
    completer = QCompleter(model, edit)
    completer.setCompletionColumn(NAME_COLUMN)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)
    popup = QTreeView()
    popup.setObjectName("goal_completion_popup")
    popup.setAccessibleName("Goals in the tracking plan")
    popup.setHeaderHidden(True)
    popup.setRootIsDecorated(False)
    popup.setUniformRowHeights(True)
    popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    popup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    popup.setTextElideMode(Qt.TextElideMode.ElideRight)
    popup.setMinimumWidth(POPUP_MIN_WIDTH)
    completer.setPopup(popup)  # the completer sets the popup's model (its filtered rows)
    header = popup.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
    edit.setCompleter(completer)
    return completer
