"""The goal name completes from the tracking plan: each planned goal with its description.

A completer over a two-column model (name, description) whose pop-up shows both columns;
typing matches anywhere in the name, in any case. Made when a plan is first opened.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHeaderView, QLineEdit, QTreeView

from flowsery_gui.i18n import _
from flowsery_gui.ui.plain import tooltip

NAME_COLUMN, DESCRIPTION_COLUMN = 0, 1
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
POPUP_MIN_WIDTH = 460


class GoalNameModel(QStandardItemModel):
    """The plan's goals as (name, description) rows, in plan order. A standard item model:
    the completer filters it on every keystroke, and its cells are read without Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, 2, parent)
        # Translators: the columns of the goal name's completion pop-up.
        self.setHorizontalHeaderLabels([_("Goal"), _("Description")])
        self.rows: list[tuple[str, str]] = []

    def set_goals(self, goals: list[tuple[str, str]]) -> None:
        """Replace the rows (a plan opened, reloaded or closed)."""
        if goals == self.rows:
            return
        self.rows = goals
        self.setRowCount(0)
        for name, description in goals:
            one_line = " ".join(description.split())  # one line in the pop-up
            cells = [QStandardItem(name), QStandardItem(one_line)]
            for cell in cells:
                cell.setEditable(False)
                spoken = _("{name}: {description}", name=name, description=one_line)
                cell.setData(spoken if one_line else name, ACCESSIBLE)
                if one_line:
                    cell.setToolTip(tooltip(description))
            self.appendRow(cells)


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
    popup.setAccessibleName(_("Goals in the tracking plan"))
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
