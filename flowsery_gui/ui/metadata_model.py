"""The metadata rows as an editable two-column table: the rows as typed, and their marks.

A module of its own because the table is a part with its own job: the form's view model
(`form_model`) owns one and re-checks the form when its rows change, while this module knows
only the table (its rows and columns, which cell a finding's path names, how pasted lines
become rows), not the form's other fields or the rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from flowsery_gui.contract import Finding
from flowsery_gui.i18n import N_, _, format_number
from flowsery_gui.ui.plain import tooltip

_ROW_PATH = re.compile(r"metadata\[(\d+)\]\.(key|value)")
KEY_COLUMN, VALUE_COLUMN = 0, 1

_Index = QModelIndex | QPersistentModelIndex


class MetadataRow:
    """One key/value row as typed; `touched` once the person has edited it."""

    __slots__ = ("key", "touched", "value", "value_touched")

    def __init__(
        self, key: str = "", value: str = "", touched: bool = False, value_touched: bool = False
    ) -> None:
        self.key = key
        self.value = value
        self.touched = touched
        self.value_touched = value_touched  # no "empty value" complaint while the key is typed


def parse_rows_text(text: str) -> list[tuple[str, str]]:
    """Rows from pasted `key=value`, `key: value` or tab-separated lines; blank lines skipped."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for sep in ("\t", "=", ":"):
            if sep in line:
                key, _sep, value = line.partition(sep)
                rows.append((key.strip(), value.strip()))
                break
        else:
            rows.append((line.strip(), ""))
    return rows


def row_of(path: str) -> tuple[int, int] | None:
    """(row, column) for a `metadata[i].key|value` path, else None."""
    match = _ROW_PATH.fullmatch(path)
    if not match:
        return None
    return int(match.group(1)), KEY_COLUMN if match.group(2) == "key" else VALUE_COLUMN


class MetadataModel(QAbstractTableModel):
    """The metadata rows as an editable two-column table, marked with their visible findings."""

    # Translators: the metadata table's column headers (a metadata key and its value).
    HEADERS = (N_("Key"), N_("Value"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MetadataRow] = []
        self._marks: dict[tuple[int, int], Finding] = {}
        # (error_brush, warning_brush, error_icon, warning_icon), made when a cell is first marked
        self._style: tuple[Any, Any, Any, Any] | None = None
        self._make_style: Callable[[], tuple[Any, Any, Any, Any]] | None = None

    # Qt overrides -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(self.HEADERS[section])
        return format_number(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        text = row.key if index.column() == KEY_COLUMN else row.value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        mark = self._marks.get((index.row(), index.column()))
        style = self._cell_style() if mark is not None else None
        if mark is None or style is None:
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return text
            return None
        error_brush, warning_brush, error_icon, warning_icon = style
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(mark.message)
        if role == Qt.ItemDataRole.BackgroundRole:
            return error_brush if mark.is_error else warning_brush
        if role == Qt.ItemDataRole.DecorationRole:
            return error_icon if mark.is_error else warning_icon
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if mark.is_error:
                # Translators: a metadata cell for screen readers: its text, then the finding.
                return _("{text}: error: {message}", text=text, message=mark.message)
            return _("{text}: warning: {message}", text=text, message=mark.message)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows[index.row()]
        text = "" if value is None else str(value)
        if index.column() == KEY_COLUMN:
            row.key = text
        else:
            row.value = text
            row.value_touched = True
        row.touched = True
        self.dataChanged.emit(index, index)
        return True

    # Editing ------------------------------------------------------------------------------
    def set_style(self, make: Callable[[], tuple[Any, Any, Any, Any]]) -> None:
        """How to make the brushes and icons that mark cells (given by the view, which knows
        the look; made when a cell is first marked, not at start-up)."""
        self._make_style = make
        self._style = None

    def _cell_style(self) -> tuple[Any, Any, Any, Any] | None:
        if self._style is None and self._make_style is not None:
            self._style = self._make_style()
        return self._style

    def set_marks(self, marks: dict[tuple[int, int], Finding]) -> None:
        """Which cells carry which finding; repaints only when the marks changed."""
        if marks == self._marks:
            return
        self._marks = marks
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 1))

    def replace_rows(self, rows: list[tuple[str, str]], touched: bool) -> None:
        """Put a whole new set of rows in (form restore, pasted JSON, clear)."""
        self.beginResetModel()
        self.rows = [MetadataRow(k, v, touched, touched) for k, v in rows]
        self._marks = {}
        self.endResetModel()

    def insert_rows_at(self, position: int, rows: list[tuple[str, str]], touched: bool) -> None:
        """Insert rows at a position (add, paste several lines)."""
        if not rows:
            return
        position = max(0, min(position, len(self.rows)))
        self.beginInsertRows(QModelIndex(), position, position + len(rows) - 1)
        self.rows[position:position] = [MetadataRow(k, v, touched, touched) for k, v in rows]
        self.endInsertRows()

    def remove_row_at(self, position: int) -> bool:
        """Remove one row; False when there is none there."""
        if not 0 <= position < len(self.rows):
            return False
        self.beginRemoveRows(QModelIndex(), position, position)
        del self.rows[position]
        self.endRemoveRows()
        return True

    def move_row(self, position: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new position."""
        target = position + delta
        if not (0 <= position < len(self.rows) and 0 <= target < len(self.rows)):
            return position
        dest = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), dest)
        self.rows.insert(target, self.rows.pop(position))
        self.endMoveRows()
        return target

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The rows as (key, value) pairs, in order."""
        return tuple((r.key, r.value) for r in self.rows)

    def used_count(self) -> int:
        """How many rows will be sent (blank rows are not)."""
        return sum(1 for r in self.rows if r.key or r.value)
