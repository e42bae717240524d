"""The history list as a lazy table model: newest first, a page at a time as the view scrolls.

`fetchMore` asks for the next page through a callable, so a huge history costs little memory
and the model knows nothing of where the rows come from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from flowsery_gui.ui import icons
from flowsery_gui.ui.history_marks import goal_words
from flowsery_gui.ui.plain import tooltip

if TYPE_CHECKING:
    from flowsery_gui.history import HistoryRow

_Index = QModelIndex | QPersistentModelIndex
TIME, PROFILE, GOAL, STATUS, LATENCY = range(5)


def failure_words(row: HistoryRow) -> str:
    """The status column's words for an exchange that got no response."""
    kind = (row.failure_kind or "failure").replace("_", " ")
    return f"no response ({kind})"


class HistoryTableModel(QAbstractTableModel):
    """Rows of history, newest first, fetched a page at a time."""

    HEADERS = ("Time", "Profile", "Goal", "Status", "Latency")

    def __init__(
        self, fetch_after: Callable[[int], list[HistoryRow]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._fetch_after = fetch_after  # the page after a row id (older rows)
        self.rows: list[HistoryRow] = []
        self.total = 0
        self.cleaned: dict[int, int] = {}  # send id -> the cleanup's DELETE record id

    def reset(
        self, total: int, rows: list[HistoryRow], cleaned: dict[int, int] | None = None
    ) -> None:
        """Show a fresh result (new filters, or a record was added); `cleaned`: which of
        the rows were deleted from analytics."""
        self.beginResetModel()
        self.total = total
        self.rows = list(rows)
        self.cleaned = dict(cleaned or {})
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid() or not self.rows:
            return
        more = self._fetch_after(self.rows[-1].id)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TIME:
                return datetime.fromtimestamp(row.started_at).strftime("%Y-%m-%d %H:%M:%S")
            if column == PROFILE:
                return row.profile
            if column == GOAL:
                return goal_words(row, row.id in self.cleaned)
            if column == STATUS:
                return str(row.status) if row.status is not None else failure_words(row)
            return f"{row.elapsed_ms:,.0f} ms"
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            if row.status_class == "2xx":
                return icons.icon("success")
            if row.status_class in ("4xx", "3xx"):
                return icons.icon("warning")
            return icons.icon("error")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LATENCY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == GOAL and row.id in self.cleaned:
            return icons.icon("delete")  # seen even where the column cuts the words off
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == GOAL:
                return tooltip(goal_words(row, row.id in self.cleaned))
            return tooltip(row.url)
        return None
