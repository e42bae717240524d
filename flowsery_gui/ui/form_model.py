"""The goal form's view model: the fields, the metadata rows, and the live report.

Widgets write into it and render from it; every change re-runs the contract's rule set.
A finding is shown at its field only after the person first leaves that field (or fills it
by paste), and from then on it follows each keystroke.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from flowsery_gui import contract
from flowsery_gui.contract import Draft, Finding, Report
from flowsery_gui.i18n import N_, _, format_number, pgettext
from flowsery_gui.ui.plain import tooltip

SCALAR_FIELDS = ("name", "visitorUid", "sessionUid", "timezone")
#: The fields' names in words (msgids: `_(FIELD_LABELS[path])` where shown).
FIELD_LABELS = {
    "name": N_("Goal name"),
    "visitorUid": N_("Visitor ID"),
    "sessionUid": N_("Session ID"),
    "timezone": N_("Timezone"),
}
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


def describe_path(path: str) -> str:
    """A field path in words for people who never saw the JSON (`metadata[2].key` -> row 3 key)."""
    if path in FIELD_LABELS:
        return _(FIELD_LABELS[path])
    if path.startswith("metadata["):
        cell = row_of(path)
        if cell is not None:
            row = format_number(cell[0] + 1)
            if cell[1] == KEY_COLUMN:
                # Translators: where a finding is: the key cell of a metadata row.
                return _("Metadata row {row}, key", row=row)
            # Translators: where a finding is: the value cell of a metadata row.
            return _("Metadata row {row}, value", row=row)
    if path == "metadata":
        return _("Metadata")
    # Translators: where a finding is: the whole request body, not one field of it.
    return path or pgettext("HTTP body", "Body")


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


class _Scalars:
    """The four text fields, and which of them the person has left once."""

    __slots__ = ("touched", "values")

    def __init__(self) -> None:
        self.values: dict[str, str] = dict.fromkeys(SCALAR_FIELDS, "")
        self.touched: set[str] = set()


class GoalFormModel(QObject):
    """The whole form: fields, rows, which fields were left once, and the current report."""

    changed = Signal()  # the report (and possibly values) changed
    loaded = Signal()  # the whole form was replaced (restore, paste JSON, history, new goal)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scalars = _Scalars()
        self.metadata = MetadataModel(self)
        self._report = Report()
        self._suspended = False
        self._marking = False
        self._extra_check: Callable[[Draft], tuple[Finding, ...]] | None = None
        for sig in (
            self.metadata.dataChanged,
            self.metadata.rowsInserted,
            self.metadata.rowsRemoved,
            self.metadata.rowsMoved,
            self.metadata.modelReset,
        ):
            sig.connect(self._on_rows_changed)

    # Values -------------------------------------------------------------------------------
    def value(self, path: str) -> str:
        """The current text of a scalar field."""
        return self._scalars.values[path]

    def set_value(self, path: str, text: str) -> None:
        """A scalar field was edited."""
        if self._scalars.values[path] == text:
            return
        self._scalars.values[path] = text
        self.revalidate()

    def touch(self, path: str) -> None:
        """The person left this field: from now on its findings are shown."""
        if path not in self._scalars.touched:
            self._scalars.touched.add(path)
            self.changed.emit()

    def touch_row(self, position: int) -> None:
        """The person left a metadata row: from now on its value's findings are shown too."""
        if 0 <= position < len(self.metadata.rows):
            row = self.metadata.rows[position]
            if (row.key or row.value) and not (row.touched and row.value_touched):
                row.touched = row.value_touched = True
                self.revalidate()

    def visible_warnings(self) -> tuple[Finding, ...]:
        """The warnings shown at their fields (the only ones a count may speak of)."""
        return tuple(f for f in self.visible_findings() if not f.is_error)

    def touch_all(self) -> None:
        """Show every finding (after a send attempt, a paste, or a restore)."""
        self._scalars.touched.update(SCALAR_FIELDS)
        for row in self.metadata.rows:
            row.touched = row.value_touched = True
        self.revalidate()

    def is_touched(self, path: str) -> bool:
        """Whether findings for this path are shown yet."""
        if path in SCALAR_FIELDS:
            return path in self._scalars.touched
        cell = row_of(path)
        if cell is not None:
            if cell[0] >= len(self.metadata.rows):
                return False
            row = self.metadata.rows[cell[0]]
            return row.touched and (cell[1] == KEY_COLUMN or row.value_touched)
        return True  # whole-body findings (too many keys) are always shown

    def draft(self) -> Draft:
        """The form as a contract draft."""
        v = self._scalars.values
        return Draft(
            name=v["name"],
            visitor_uid=v["visitorUid"],
            session_uid=v["sessionUid"],
            timezone=v["timezone"],
            metadata=self.metadata.pairs(),
        )

    def load(self, draft: Draft, *, touched: bool) -> None:
        """Replace the whole form (restore, paste JSON, new goal)."""
        self._suspended = True
        try:
            self._scalars.values.update(
                name=draft.name,
                visitorUid=draft.visitor_uid,
                sessionUid=draft.session_uid,
                timezone=draft.timezone,
            )
            self._scalars.touched = (
                {p for p in SCALAR_FIELDS if self._scalars.values[p]} if touched else set()
            )
            self.metadata.replace_rows(list(draft.metadata), touched)
        finally:
            self._suspended = False
        self.revalidate()
        self.loaded.emit()

    # Report -------------------------------------------------------------------------------
    @property
    def report(self) -> Report:
        """The latest report for the whole form."""
        return self._report

    def visible_findings(self) -> tuple[Finding, ...]:
        """Findings at fields the person has already left."""
        return tuple(f for f in self._report.findings if self.is_touched(f.path))

    def findings_at(self, path: str) -> tuple[Finding, ...]:
        """Visible findings for one field."""
        if not self.is_touched(path):
            return ()
        return self._report.at(path)

    def apply_fix(self, finding: Finding) -> bool:
        """Put a finding's suggested fix into its field; False when it has none or no field."""
        if finding.fix is None:
            return False
        if finding.path in SCALAR_FIELDS:
            self.set_value(finding.path, finding.fix)
            return True
        cell = row_of(finding.path)
        if cell is None or cell[0] >= len(self.metadata.rows):
            return False
        return self.metadata.setData(self.metadata.index(*cell), finding.fix)

    def set_extra_check(self, check: Callable[[Draft], tuple[Finding, ...]] | None) -> None:
        """Another rule set whose findings join the API's (a tracking plan's warnings), or
        None; the form is checked again at once."""
        self._extra_check = check
        self.revalidate()

    def revalidate(self) -> None:
        """Re-run the rule set and tell the views."""
        if self._suspended:
            return
        draft = self.draft()
        self._report = contract.check_draft(draft)
        if self._extra_check is not None:
            extra = self._extra_check(draft)
            if extra:
                self._report = Report(self._report.findings + extra, self._report.body)
        marks: dict[tuple[int, int], Finding] = {}
        for finding in self._report.findings:
            cell = row_of(finding.path)
            if cell is None or not self.is_touched(finding.path):
                continue
            if cell not in marks or (finding.is_error and not marks[cell].is_error):
                marks[cell] = finding
        self._marking = True
        try:
            self.metadata.set_marks(marks)
        finally:
            self._marking = False
        self.changed.emit()

    def _on_rows_changed(self, *args: object) -> None:
        if not self._marking:
            self.revalidate()
