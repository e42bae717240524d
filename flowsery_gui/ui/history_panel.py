"""The history tab: every exchange, newest first, searchable, and reusable.

Queries and exports run on the task runner; the GUI thread only renders. Putting a goal back
in the form, or sending it again, is an intent (a signal) the window carries out; every
change to the store comes back through the history service's `changed` signal. The buttons'
words, icons and tips are `history_buttons`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import contract
from flowsery_gui.history.cleaned import cleaned_marks
from flowsery_gui.i18n import _, format_number, ngettext
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.flow_layout import FlowLayout
from flowsery_gui.ui.history_buttons import BUTTONS, history_button
from flowsery_gui.ui.history_filters import HistoryFilters, count_words, is_filtered
from flowsery_gui.ui.history_marks import cleaned_words, with_cleaned_line
from flowsery_gui.ui.history_reuse import curl_of, export_work, sent_again_words
from flowsery_gui.ui.history_table import (
    HistoryTableModel,
    HistoryTableView,
    list_height,
    set_up_view,
)
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.response_panel import ResponsePanel
from flowsery_gui.ui.suite_tag import tag_over

if TYPE_CHECKING:
    from flowsery_gui.history import HistoryRecord, HistoryRow

PAGE_SIZE = 200
COUNT_CAP = 100_000


class HistoryPanel(QWidget):
    """Search, filter, inspect, reuse and export past exchanges."""

    load_requested = Signal(object, str)  # Draft, the profile it was sent to
    send_again_requested = Signal(object, str)  # Draft, the profile it was sent to
    save_as_suite_requested = Signal(list)  # the selected record ids, for a new goal suite
    cleanup_requested = Signal(object, str)  # the selected record ids, their main profile
    status = Signal(str, int)  # words for the status bar, and for how many ms

    def __init__(self, ctx: AppContext, ask: Ask, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.history = ctx.history
        self.ask = ask
        self._query_version = 0
        self.model = HistoryTableModel(self.fetch_page, self)
        self._build()
        self.filter_bar.changed.connect(self.refresh)
        self.history.changed.connect(lambda _count: self.refresh())
        ctx.target.profiles_changed.connect(
            lambda: self.filter_bar.set_profiles(ctx.profiles.list())
        )
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
        self.filter_bar = HistoryFilters(self.ctx.profiles.list())
        layout.addWidget(self.filter_bar)
        self.count_label = QLabel()
        self.count_label.setObjectName("history_count")
        count_row = QHBoxLayout()  # the count, and Delete from analytics… (in Tab order too)
        count_row.addWidget(self.count_label, 1)
        self.buttons: dict[str, QPushButton] = {}
        count_row.addWidget(self._button("cleanup", self.delete_from_analytics))
        layout.addLayout(count_row)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = HistoryTableView()
        self.table.setObjectName("history_table")
        self.table.setAccessibleName(_("History of requests"))
        self.table.setModel(self.model)
        set_up_view(self.table)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_args: self._selection_changed()
        )
        # Enter on a row, or a double click, puts its goal back in the form.
        self.table.row_chosen.connect(self.load_into_form)
        self.splitter.addWidget(self.table)
        self.detail = ResponsePanel()
        self.detail.setObjectName("history_detail")
        detail, self.cleaned_label = with_cleaned_line(self.detail)  # "Deleted from analytics…"
        self.suite_tag = tag_over(detail, self.ctx)  # "suite: NAME (run ID)", when a run sent it
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._list_fitted = False
        layout.addWidget(self.splitter, 1)

        slots = {
            "load": self.load_into_form,
            "again": self.send_again,
            "curl": self.copy_curl,
            "suite": lambda: self.save_as_suite_requested.emit(self.selected_ids()),
            "export": self.export,
            "delete": self.delete_selected,
            "clear": self.clear_all,
            "retention": self.edit_retention,
        }
        # Two groups of buttons that wrap onto more rows in a narrow pane: every action in
        # sight at 800x600, none widening the panel.
        reuse, manage = FlowLayout(), FlowLayout()
        for key, *_words in BUTTONS:
            if key not in self.buttons:
                button = self._button(key, slots[key])
                (reuse if key in ("load", "again", "curl", "suite") else manage).addWidget(button)
        layout.addLayout(reuse)
        layout.addLayout(manage)
        self._selection_changed()

    def _button(self, key: str, slot: Callable[[], None]) -> QPushButton:
        self.buttons[key] = button = history_button(key, slot)
        return button

    def tab_chain(self) -> list[QWidget]:
        """Its controls in visual order: filters, Delete from analytics… on the count's row,
        the list, the detail, the two rows of buttons."""
        rows = [button for key, button in self.buttons.items() if key != "cleanup"]
        filters, detail = self.filter_bar.tab_chain(), self.detail.tab_chain()
        return [*filters, self.buttons["cleanup"], self.table, *detail, *rows]

    # Queries ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-run the query off the GUI thread and show the first page."""
        store = self.history.store
        if store is None:
            self.off_label.setText(self.history.message or _("History is off."))
            self.off_label.show()
            self.model.reset(0, [])
            self.count_label.setText("")
            return
        self.off_label.hide()
        self._query_version += 1
        version = self._query_version
        filters = self.filter_bar.filters()

        def query() -> tuple[int, int, list[HistoryRow], dict[int, int]]:
            total = store.count(filters, cap=COUNT_CAP)
            rows = store.page(filters, limit=PAGE_SIZE)
            return version, total, rows, cleaned_marks(store, [r.id for r in rows])

        self.ctx.tasks.run(query, self._show_result)

    def _show_result(self, result: tuple[int, int, list[HistoryRow], dict[int, int]]) -> None:
        version, total, rows, cleaned = result
        store = self.history.store
        if version != self._query_version or store is None:
            return  # a newer query is on its way
        selected = self.selected_ids()
        self.model.reset(total, rows, cleaned)
        filters = self.filter_bar.filters()
        self.count_label.setText(
            count_words(
                total, total >= COUNT_CAP, is_filtered(filters), store.search_is_windowed(filters)
            )
        )
        for row_index, row in enumerate(self.model.rows):
            if row.id in selected:
                self.table.selectRow(row_index)
        self._selection_changed()
        if not self._list_fitted and self.splitter.height() > 0:
            # Once: the list as tall as its rows need (within bounds), the detail the rest;
            # after that the person's own split is kept.
            self._list_fitted = True
            wanted = list_height(self.table, len(rows))
            self.splitter.setSizes([wanted, max(1, self.splitter.height() - wanted)])

    def fetch_page(self, before_id: int) -> list[HistoryRow]:
        """The next page for the lazy model (small and indexed: fine on the GUI thread)."""
        store = self.history.store
        if store is None:
            return []
        rows = store.page(self.filter_bar.filters(), limit=PAGE_SIZE, before_id=before_id)
        self.model.cleaned.update(cleaned_marks(store, [r.id for r in rows]))
        return rows

    # Selection and detail -----------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, newest first."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].id for r in rows if r < len(self.model.rows)]

    def current_record(self) -> HistoryRecord | None:
        """The whole record of the current row."""
        from flowsery_gui.history import HistoryError

        ids = self.selected_ids()
        store = self.history.store
        if not ids or store is None:
            return None
        try:
            return store.get(ids[0])
        except HistoryError as exc:
            self.status.emit(exc.message, 8000)
            return None

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        one = len(ids) == 1
        for key in ("load", "again", "curl"):
            self.buttons[key].setEnabled(one)
        self.buttons["delete"].setEnabled(bool(ids))
        self.buttons["suite"].setEnabled(bool(ids))
        self.buttons["cleanup"].setEnabled(self.history.store is not None)
        has_rows = bool(self.model.rows)
        self.buttons["export"].setEnabled(has_rows)
        self.buttons["clear"].setEnabled(has_rows)
        record = self.current_record() if one else None
        self.suite_tag.show_for(record.id if record is not None else None)
        self.cleaned_label.setText(self._cleaned_words(record))
        self.cleaned_label.setVisible(bool(self.cleaned_label.text()))
        if record is None:
            self.detail.clear(_("Pick a request above to see what was sent and what came back."))
        else:
            self.detail.show_exchange(record.exchange)

    def _cleaned_words(self, record: HistoryRecord | None) -> str:
        store = self.history.store
        if record is None or store is None or record.id not in self.model.cleaned:
            return ""
        return cleaned_words(store, record.id)

    # Actions ------------------------------------------------------------------------------
    def _chosen_goal(self) -> tuple[contract.Draft, str] | None:
        from flowsery_gui.sending.drafts import draft_from_record

        record = self.current_record()
        draft = draft_from_record(record.exchange.request.body)[0] if record else None
        if record is None or draft is None:
            self.status.emit(_("This record has no goal body to load."), 5000)
            return None
        return draft, record.profile

    def delete_from_analytics(self) -> None:
        """Ask for the cleanup dialog: for the selected sends, on the profile most of them
        went to; with none selected, for everything sent to a profile since a time."""
        ids = self.selected_ids()
        chosen = set(ids)
        profiles = Counter(row.profile for row in self.model.rows if row.id in chosen)
        top = profiles.most_common(1)
        self.cleanup_requested.emit(ids, top[0][0] if top else "")

    def load_into_form(self) -> None:
        """Ask for the selected record's goal to be put back into the form."""
        chosen = self._chosen_goal()
        if chosen is not None:
            self.load_requested.emit(*chosen)

    def send_again(self) -> None:
        """Ask for the selected goal to be sent again, through the usual checks (a sandbox
        record goes to the sandbox running now, and the status bar says so)."""
        chosen = self._chosen_goal()
        record = self.current_record()
        if chosen is None or record is None:
            return
        self.send_again_requested.emit(*chosen)
        moved = sent_again_words(self.ctx, record)
        if moved is not None:
            self.status.emit(moved, 10000)

    def copy_curl(self) -> None:
        """Copy the selected request as cURL (see `history_reuse.curl_of`)."""
        record = self.current_record()
        if record is None:
            return
        snippet, words = curl_of(self.ctx, record)
        if snippet is not None:
            QGuiApplication.clipboard().setText(snippet)
        self.status.emit(words, 10000)

    def export(self) -> None:
        """Export the selection, or everything shown, as JSON Lines or HAR 1.2."""
        path, chosen = QFileDialog.getSaveFileName(
            self,
            _("Export history"),
            "flowsery-history.jsonl",
            # Translators: the file dialog's types; keep each "(*.ext)" and the ";;" as is.
            _("JSON Lines (*.jsonl);;HAR 1.2 (*.har)"),
        )
        if not path:
            return
        self.export_to(path, har="*.har" in chosen or path.endswith(".har"))

    def export_to(self, path: str, *, har: bool) -> None:
        """Write the export off the GUI thread and say how it went."""
        store = self.history.store
        if store is None:
            return
        # Two or more selected rows are a deliberate choice; one selected row is usually just
        # the one being looked at, so then everything shown is exported.
        ids = self.selected_ids()
        ids = ids if len(ids) > 1 else []
        work = export_work(store, path, ids, self.filter_bar.filters(), har=har)
        self.ctx.tasks.run(work, lambda message: self.status.emit(message, 8000))

    def delete_selected(self) -> None:
        """Delete the selected records."""
        ids = self.selected_ids()
        if ids:
            self.history.delete(ids)

    def clear_all(self) -> None:
        """Delete every record, after asking."""
        if self.history.store is None:
            return
        if self.ask.confirm(
            _("Clear all history?"),
            _("Every stored request and response will be deleted. This cannot be undone."),
            # Translators: the button that confirms deleting every history record.
            _("Clear all"),
        ):
            self.history.clear()

    def edit_retention(self) -> None:
        """Ask how much to keep (read from the history file first), store it, apply it now."""
        self.history.read_retention(self._ask_retention)

    def _ask_retention(self, keep_last: int, keep_days: int) -> None:
        from flowsery_gui.ui.retention_dialog import RetentionDialog

        dialog = RetentionDialog(keep_last, keep_days, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return

        def done(removed: int) -> None:
            words = ngettext(
                "History kept as set: {count} older record removed.",
                "History kept as set: {count} older records removed.",
                removed,
                count=format_number(removed),
            )
            self.status.emit(words, 8000)

        self.history.set_retention(*dialog.chosen(), then=done)
