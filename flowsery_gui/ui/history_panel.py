"""The history tab: every exchange, newest first, searchable, and reusable.

A lazy table model pages rows in as the view scrolls (fetchMore), so a huge history costs
little memory. Queries and exports run on the task runner; the GUI thread only renders.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import contract, icons
from flowsery_gui.history import SHORT_SEARCH_WINDOW
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.response_panel import ResponsePanel

if TYPE_CHECKING:
    from flowsery_gui.history import Filters, HistoryRecord, HistoryRow
    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow

PAGE_SIZE = 200
COUNT_CAP = 100_000
_Index = QModelIndex | QPersistentModelIndex

STATUS_CHOICES = (
    ("Any status", None),
    ("2xx success", "2xx"),
    ("4xx rejected", "4xx"),
    ("5xx server error", "5xx"),
    ("No response", "failure"),
)
WHEN_CHOICES = (
    ("Any time", None),
    ("Last hour", 3600),
    ("Last 24 hours", 86400),
    ("Last 7 days", 7 * 86400),
    ("Last 30 days", 30 * 86400),
    ("Between dates…", "range"),
)


class HistoryTableModel(QAbstractTableModel):
    """Rows of history, newest first, fetched a page at a time."""

    HEADERS = ("Time", "Profile", "Goal", "Status", "Latency")

    def __init__(self, panel: HistoryPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.rows: list[HistoryRow] = []
        self.total = 0

    def reset(self, total: int, rows: list[HistoryRow]) -> None:
        """Show a fresh result (new filters, or a record was added)."""
        self.beginResetModel()
        self.total = total
        self.rows = list(rows)
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
        more = self.panel.fetch_page(before_id=self.rows[-1].id)
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
            if column == 0:
                return datetime.fromtimestamp(row.started_at).strftime("%Y-%m-%d %H:%M:%S")
            if column == 1:
                return row.profile
            if column == 2:
                return row.goal_name or "—"
            if column == 3:
                return str(row.status) if row.status is not None else _failure_words(row)
            return f"{row.elapsed_ms:,.0f} ms"
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            if row.status_class == "2xx":
                return icons.icon("success")
            if row.status_class in ("4xx", "3xx"):
                return icons.icon("warning")
            return icons.icon("error")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.url)
        return None


def _failure_words(row: HistoryRow) -> str:
    kind = (row.failure_kind or "failure").replace("_", " ")
    return f"no response ({kind})"


class HistoryPanel(QWidget):
    """Search, filter, inspect, reuse and export past exchanges."""

    def __init__(self, ctx: AppContext, window: MainWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self._filters_version = 0
        self.model = HistoryTableModel(self)
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh)
        self.refresh()

    # Building -----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.off_label = QLabel()
        self.off_label.setObjectName("history_off")
        self.off_label.setTextFormat(Qt.TextFormat.PlainText)
        self.off_label.setWordWrap(True)
        self.off_label.hide()
        layout.addWidget(self.off_label)

        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("history_search")
        self.search_edit.setPlaceholderText("Search goal names, IDs, metadata, status…")
        self.search_edit.setAccessibleName("Search history")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.profile_filter = QComboBox()
        self.profile_filter.setAccessibleName("Filter by profile")
        self.refresh_profiles()
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        for text, value in STATUS_CHOICES:
            self.status_filter.addItem(text, value)
        self.when_filter = QComboBox()
        self.when_filter.setAccessibleName("Filter by date")
        for text, value in WHEN_CHOICES:
            self.when_filter.addItem(text, value)
        for combo in (self.profile_filter, self.status_filter, self.when_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.search_edit)
        filters.addWidget(self.profile_filter, 1)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.when_filter, 1)
        layout.addLayout(filters)

        # "Between dates…": two date fields, both days included, shown only for that choice.
        self.range_row = QWidget()
        range_layout = QHBoxLayout(self.range_row)
        range_layout.setContentsMargins(0, 0, 0, 0)
        today = QDate.currentDate()
        self.from_date = QDateEdit(today.addDays(-7))
        self.to_date = QDateEdit(today)
        for label_text, edit in (("From", self.from_date), ("to", self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(f"{label_text.capitalize()} date")
            edit.dateChanged.connect(lambda _d: self._debounce.start())
            label = QLabel(label_text)
            label.setBuddy(edit)
            range_layout.addWidget(label)
            range_layout.addWidget(edit)
        range_layout.addStretch(1)
        self.range_row.hide()
        layout.addWidget(self.range_row)
        self.when_filter.currentIndexChanged.connect(
            lambda _i: self.range_row.setVisible(self.when_filter.currentData() == "range")
        )

        self.count_label = QLabel()
        self.count_label.setObjectName("history_count")
        layout.addWidget(self.count_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setObjectName("history_table")
        self.table.setAccessibleName("History of requests")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 4):  # time and latency: always whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 90)
        header.resizeSection(3, 120)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _i: self.load_into_form())
        splitter.addWidget(self.table)
        self.detail = ResponsePanel()
        self.detail.setObjectName("history_detail")
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        reuse, manage = QHBoxLayout(), QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, icon_name, tip, slot in (
            (
                "load",
                "Load into form",
                "paste",
                "Put this goal back in the form",
                self.load_into_form,
            ),
            ("again", "Send again", "send", "Load this goal and send it again", self.send_again),
            ("curl", "Copy as cURL", "copy", "Copy this request as a cURL command", self.copy_curl),
            (
                "export",
                "Export…",
                "export",
                "Export everything shown (or the rows selected, when several are) as JSON "
                "Lines or HAR",
                self.export,
            ),
            ("delete", "Delete", "delete", "Delete the selected records", self.delete_selected),
            ("clear", "Clear all…", "delete", "Delete every record", self.clear_all),
            ("retention", "Keep…", "settings", "How much history to keep", self.edit_retention),
        ):
            button = QPushButton(text)
            icons.set_icon(button, icon_name)
            button.setToolTip(tip)
            button.setAccessibleName(text.rstrip("…"))
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            (reuse if len(self.buttons) < 3 else manage).addWidget(button)
            self.buttons[key] = button
        reuse.addStretch(1)
        manage.addStretch(1)
        layout.addLayout(reuse)  # two rows, so a narrow pane shows every action
        layout.addLayout(manage)
        self._selection_changed()

    def refresh_profiles(self) -> None:
        """List the profiles as they are now (one may have been added since)."""
        chosen = self.profile_filter.currentData()
        self.profile_filter.blockSignals(True)
        self.profile_filter.clear()
        self.profile_filter.addItem("All profiles", None)
        for profile in self.ctx.profiles.list():
            self.profile_filter.addItem(profile.name, profile.name)
        self.profile_filter.setCurrentIndex(max(0, self.profile_filter.findData(chosen)))
        self.profile_filter.blockSignals(False)

    # Queries ------------------------------------------------------------------------------
    def filters(self) -> Filters:
        """The filters as set in the panel."""
        from flowsery_gui.history import Filters

        window = self.when_filter.currentData()
        since: float | None = None
        until: float | None = None
        if window == "range":
            start, end = sorted((self.from_date.date(), self.to_date.date()))
            since = QDateTime(start, QTime(0, 0)).toSecsSinceEpoch()
            until = QDateTime(end.addDays(1), QTime(0, 0)).toSecsSinceEpoch() - 0.000001
        elif window:
            since = time.time() - window
        return Filters(
            text=self.search_edit.text().strip(),
            profile=self.profile_filter.currentData(),
            status_class=self.status_filter.currentData(),
            since=since,
            until=until,
        )

    def refresh(self) -> None:
        """Re-run the query off the GUI thread and show the first page."""
        history = self.ctx.history
        if history is None:
            self.off_label.setText(self.ctx.history_message or "History is off.")
            self.off_label.show()
            self.model.reset(0, [])
            self.count_label.setText("")
            return
        self.off_label.hide()
        self._filters_version += 1
        version = self._filters_version
        filters = self.filters()

        def query() -> tuple[int, int, list[HistoryRow]]:
            total = history.count(filters, cap=COUNT_CAP)
            return version, total, history.page(filters, limit=PAGE_SIZE)

        self.ctx.tasks.run(query, self._show_result)

    def _show_result(self, result: tuple[int, int, list[HistoryRow]]) -> None:
        version, total, rows = result
        if version != self._filters_version or self.ctx.history is None:
            return  # a newer query is on its way
        selected = self.selected_ids()
        self.model.reset(total, rows)
        shown = f"{total:,}" + ("+" if total >= COUNT_CAP else "")
        filtered = self.filters()
        is_filtered = bool(
            filtered.text
            or filtered.profile
            or filtered.status_class
            or filtered.since
            or filtered.until
        )
        noun = "match" if total == 1 else "matches"
        if not is_filtered:
            noun = "request" if total == 1 else "requests"
        if self.ctx.history is not None and self.ctx.history.search_is_windowed(filtered):
            noun += (
                f" among the newest {SHORT_SEARCH_WINDOW:,} (type 3 or more characters to "
                "search everything)"
            )
        self.count_label.setText(f"{shown} {noun}")
        if not is_filtered:
            self.window_.show_history_count(shown, total)
        for row_index, row in enumerate(self.model.rows):
            if row.id in selected:
                self.table.selectRow(row_index)
        self._selection_changed()

    def fetch_page(self, before_id: int) -> list[HistoryRow]:
        """The next page for the lazy model (small and indexed: fine on the GUI thread)."""
        if self.ctx.history is None:
            return []
        return self.ctx.history.page(self.filters(), limit=PAGE_SIZE, before_id=before_id)

    # Selection and detail -----------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, newest first."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].id for r in rows if r < len(self.model.rows)]

    def current_record(self) -> HistoryRecord | None:
        """The whole record of the current row."""
        from flowsery_gui.history import HistoryError

        ids = self.selected_ids()
        history = self.ctx.history
        if not ids or history is None:
            return None
        try:
            return history.get(ids[0])
        except HistoryError as exc:
            self.window_.statusBar().showMessage(exc.message, 8000)
            return None

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        one = len(ids) == 1
        for key in ("load", "again", "curl"):
            self.buttons[key].setEnabled(one)
        self.buttons["delete"].setEnabled(bool(ids))
        has_rows = bool(self.model.rows)
        self.buttons["export"].setEnabled(has_rows)
        self.buttons["clear"].setEnabled(has_rows)
        record = self.current_record() if one else None
        if record is None:
            self.detail.clear("Pick a request above to see what was sent and what came back.")
        else:
            self.detail.show_exchange(record.exchange)

    # Actions ------------------------------------------------------------------------------
    def _draft_of(self, record: HistoryRecord) -> contract.Draft | None:
        body = record.exchange.request.body
        if not body:
            return None
        try:
            parsed = contract.parse_body(body)
        except contract.NotJSON:
            return None
        draft, _findings = contract.draft_from_body(parsed.value)
        return draft

    def load_into_form(self) -> bool:
        """Put the selected record's goal back into the form."""
        record = self.current_record()
        draft = self._draft_of(record) if record else None
        if draft is None:
            self.window_.statusBar().showMessage("This record has no goal body to load.", 5000)
            return False
        self.window_.form.load(draft, touched=True)
        where = ""
        if record is not None and self.ctx.profiles.get(record.profile) is not None:
            if record.profile != self.ctx.session.profile.name:
                where = f" The profile is now {record.profile}, where it was sent."
            self.ctx.session.set_profile(record.profile)
        self.window_.statusBar().showMessage(
            f"Loaded {draft.name or 'the goal'} from history.{where}", 8000
        )
        return True

    def send_again(self) -> None:
        """Load the goal and send it through the usual checks (production asks first)."""
        if self.load_into_form():
            self.window_.send()

    def copy_curl(self) -> None:
        """Copy the selected request as cURL; the key stays $FLOWSERY_API_KEY."""
        from flowsery_gui.codegen import to_curl
        from flowsery_gui.request_model import plan_goal_request

        record = self.current_record()
        if record is None:
            return
        draft = self._draft_of(record)
        report = contract.check_draft(draft) if draft else None
        body = report.body if report and report.body else None
        if body is None and record.exchange.request.body:
            body = contract.parse_body(record.exchange.request.body).value
        base = record.url.removesuffix(contract.GOALS_PATH)
        planned = plan_goal_request(base, body or {}, has_key=True, user_agent=self.ctx.user_agent)
        QGuiApplication.clipboard().setText(to_curl(planned))
        self.window_.statusBar().showMessage(
            "Copied as cURL. The key is $FLOWSERY_API_KEY: set it in your shell.", 6000
        )

    def export(self) -> None:
        """Export the selection, or everything shown, as JSON Lines or HAR 1.2."""
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export history",
            "flowsery-history.jsonl",
            "JSON Lines (*.jsonl);;HAR 1.2 (*.har)",
        )
        if not path:
            return
        self.export_to(path, har="HAR" in chosen or path.endswith(".har"))

    def export_to(self, path: str, *, har: bool) -> None:
        """Write the export off the GUI thread and say how it went."""
        from flowsery_gui.history import export_har, export_jsonl

        history = self.ctx.history
        if history is None:
            return
        # Two or more selected rows are a deliberate choice; one selected row is usually just
        # the one being looked at, so then everything shown is exported.
        ids = self.selected_ids()
        ids = ids if len(ids) > 1 else []
        filters = self.filters()

        def work() -> str:
            records = (
                history.iter_records(ids=ids) if ids else history.iter_records(filters=filters)
            )
            try:
                with open(path, "w", encoding="utf-8") as handle:
                    count = (export_har if har else export_jsonl)(records, handle)
            except OSError as exc:
                return f"Could not export to {path}: {exc.strerror or exc}."
            which = "the selected" if ids else "all shown"
            noun = "record" if count == 1 else "records"
            return f"Exported {count} {noun} ({which}) to {path}."

        self.ctx.tasks.run(work, lambda msg: self.window_.statusBar().showMessage(msg, 8000))

    def delete_selected(self) -> None:
        """Delete the selected records."""
        ids = self.selected_ids()
        if not ids or self.ctx.history is None:
            return
        history = self.ctx.history
        self.ctx.tasks.run(lambda: history.delete(ids), lambda _n: self.refresh())

    def clear_all(self) -> None:
        """Delete every record, after asking."""
        history = self.ctx.history
        if history is None:
            return
        if not self.window_.ask.confirm(
            "Clear all history?",
            "Every stored request and response will be deleted. This cannot be undone.",
            "Clear all",
        ):
            return
        self.ctx.tasks.run(history.clear, lambda _n: self.refresh())

    def edit_retention(self) -> None:
        """Ask how much to keep, remember it, and apply it now."""
        dialog = RetentionDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:

            def done(removed: int) -> None:
                noun = "record" if removed == 1 else "records"
                self.window_.statusBar().showMessage(
                    f"History kept as set: {removed} older {noun} removed.", 8000
                )
                self.refresh()

            self.ctx.apply_retention(then=done)


class RetentionDialog(QDialog):
    """Keep the last N records and/or the last N days; 0 means no limit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Keep history")
        layout = QFormLayout(self)
        self.keep_last = QSpinBox()
        self.keep_last.setRange(0, 10_000_000)
        self.keep_last.setSingleStep(1000)
        self.keep_last.setSpecialValueText("no limit")
        self.keep_last.setValue(int(ctx.settings.value("history/keep_last", 0) or 0))
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 36500)
        self.keep_days.setSpecialValueText("no limit")
        self.keep_days.setSuffix(" days")
        self.keep_days.setValue(int(ctx.settings.value("history/keep_days", 0) or 0))
        layout.addRow("Keep the last &requests", self.keep_last)
        layout.addRow("Keep &days", self.keep_days)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _save(self) -> None:
        self.ctx.settings.setValue("history/keep_last", self.keep_last.value())
        self.ctx.settings.setValue("history/keep_days", self.keep_days.value())
        self.accept()
