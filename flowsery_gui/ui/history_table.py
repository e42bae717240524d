"""The history list as a lazy table model: newest first, a page at a time as the view scrolls.

`fetchMore` asks for the next page through a callable, so a huge history costs little memory
and the model knows nothing of where the rows come from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from flowsery_gui.i18n import N_, _, format_datetime, format_duration, format_time
from flowsery_gui.ui import icons
from flowsery_gui.ui.history_marks import goal_words
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.theme import TONE_ICONS

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from flowsery_gui.history import HistoryRow

_Index = QModelIndex | QPersistentModelIndex
TIME, PROFILE, GOAL, STATUS, LATENCY = range(5)
ROW_HEIGHT = 24
LIST_ROWS = (5, 12)  # the list shows at least, and asks for at most, this many rows
#: The Status column of an exchange that got no response, by its stored failure kind
#: (translated where shown).
FAILURE_WORDS = {
    "dns": N_("no response (host not found)"),
    "refused": N_("no response (refused)"),
    "tls": N_("no response (TLS)"),
    "connect_timeout": N_("no response (connect timeout)"),
    "read_timeout": N_("no response (read timeout)"),
    "reset": N_("no response (reset)"),
    "dropped": N_("no response (dropped)"),
    "too_many_redirects": N_("no response (too many redirects)"),
    "invalid_url": N_("no response (invalid URL)"),
    "refused_by_app": N_("no response (refused by the app)"),
    "cancelled": N_("no response (cancelled)"),
    "other": N_("no response (other)"),
}


class HistoryTableView(QTableView):
    """The history list: Enter on a row, or a double click, chooses it (`row_chosen`)."""

    row_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doubleClicked.connect(lambda _index: self.row_chosen.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if enter and plain and self.currentIndex().isValid():
            self.row_chosen.emit()
            return
        super().keyPressEvent(event)


def set_up_view(table: QTableView) -> None:
    """Rows selected whole, read-only, Tab out of the list (never from cell to cell), and
    every column but the goal's as wide as its words: the goal takes what is left."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(60)
    for column in (TIME, PROFILE, STATUS, LATENCY):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(GOAL, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(list_height(table, LIST_ROWS[0]))


def list_height(table: QTableView, rows: int) -> int:
    """The height that shows `rows` rows (within LIST_ROWS) under the header."""
    shown = max(LIST_ROWS[0], min(LIST_ROWS[1], rows))
    header = table.horizontalHeader().sizeHint().height()
    scrollbar = table.horizontalScrollBar().sizeHint().height()
    return header + shown * ROW_HEIGHT + scrollbar + 2 * table.frameWidth()


def time_text(started_at: float, now: float | None = None) -> str:
    """The time for today (`2:03:27 PM`, `14:03:27`), the short date and time for another
    day (`5/2/26, 2:03 PM`, `02.05.26, 14:03`): local time, in the language's format."""
    when = datetime.fromtimestamp(started_at)
    today = datetime.fromtimestamp(now) if now is not None else datetime.now()
    if when.date() == today.date():
        return format_time(when)
    return format_datetime(when, "short")


def failure_words(row: HistoryRow) -> str:
    """The status column's words for an exchange that got no response."""
    words = FAILURE_WORDS.get(row.failure_kind or "other")
    if words is None:
        # Translators: the Status column of an exchange with no response; {kind} is a code.
        return _("no response ({kind})", kind=row.failure_kind)
    return _(words)


def status_tone(status: int | None, failure_kind: str | None) -> str:
    """The tone of a stored exchange from its status alone: the one `explain` gives the same
    exchange in the answer panel, so a status has one icon everywhere (a test holds them
    together). A 401 is the key's trouble (red), a 4xx the request's (orange)."""
    if status is None:
        return "info" if failure_kind == "cancelled" else "failure"
    if 200 <= status < 300:
        return "success"
    if status in (401, 403):
        return "auth"
    if 400 <= status < 500:
        return "client_error"
    if 500 <= status < 600:
        return "server_error"
    return "info"  # 1xx and 3xx: not an outcome the app can judge


class HistoryTableModel(QAbstractTableModel):
    """Rows of history, newest first, fetched a page at a time."""

    #: The column headers (translated where shown).
    HEADERS = (
        # Translators: a column header of the history list: when the request was sent.
        N_("Time"),
        # Translators: a column header of the history list: the profile it was sent with.
        N_("Profile"),
        # Translators: a column header of the history list: the goal's name.
        N_("Goal"),
        # Translators: a column header of the history list: the HTTP status, or no response.
        N_("Status"),
        # Translators: a column header of the history list: how long the answer took.
        N_("Latency"),
    )

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
            return _(self.HEADERS[section])
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
                return time_text(row.started_at)
            if column == PROFILE:
                return row.profile
            if column == GOAL:
                return goal_words(row, row.id in self.cleaned)
            if column == STATUS:
                return str(row.status) if row.status is not None else failure_words(row)
            return format_duration(row.elapsed_ms)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return icons.icon(TONE_ICONS[status_tone(row.status, row.failure_kind)])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LATENCY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == GOAL and row.id in self.cleaned:
            return icons.icon("delete")  # seen even where the column cuts the words off
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TIME:
                return format_datetime(row.started_at)
            if column == GOAL:
                return tooltip(goal_words(row, row.id in self.cleaned))
            return tooltip(row.url)
        return None
