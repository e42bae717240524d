"""A read-only table of rows shown through one function per cell, and the view the suite
lists use (whole rows selected, Tab leaves the table, one stretching column).

Small lists whose rows are plain objects, such as the Suites tab's past runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from flowsery_gui.ui import icons
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.theme import is_dark

_Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
#: A cell's text, and the name of its icon (None for none).
Cells = Callable[[Any, int], tuple[str, "str | None"]]


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Rows shown through `cells(row, column) -> (text, icon name)`; text is plain text."""

    def __init__(self, headers: Iterable[str], cells: Cells, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self._cells = cells
        self.rows: list[Row] = []
        self._icons = IconCache()

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def tip(self, row: Row, text: str) -> str:
        """A cell's tooltip (its text; subclasses say more)."""
        return text

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        text, icon = self._cells(row, index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.tip(row, text))
        if role == Qt.ItemDataRole.DecorationRole and icon:
            return self._icons.get(icon)
        return None


class IconCache:
    """Status icons by name, made once per palette (a list asks for them at every repaint)."""

    def __init__(self) -> None:
        self._icons: dict[str, QIcon] = {}
        self._dark = False

    def get(self, name: str) -> QIcon:
        """The icon of this name for the current palette."""
        dark = is_dark()
        if dark != self._dark:
            self._icons, self._dark = {}, dark
        if name not in self._icons:
            self._icons[name] = icons.icon(name)
        return self._icons[name]


def make_table(name: str, model: QAbstractItemModel, stretch: int, accessible: str) -> QTableView:
    """A list of whole rows: no editing, Tab leaves it, `stretch` takes the spare width."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    # Columns fit the rows on show, not all of them: with 1,000 goals, measuring every row
    # at each repaint stalled the window for a second.
    header.setResizeContentsPrecision(0)
    return table
