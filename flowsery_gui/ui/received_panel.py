"""The Received view: what the built-in sandbox received from any client, live, newest first.

Renders the feed's model; picking a request shows it as received and the answer given, as
plain text. Raises "load this goal into the form" and "clear" as signals the window connects.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _, format_time
from flowsery_gui.ui import icons
from flowsery_gui.ui.received_feed import ReceivedFeed
from flowsery_gui.ui.received_model import CLIENT, TIME
from flowsery_gui.ui.received_text import record_text
from flowsery_gui.ui.row_table import make_table

if TYPE_CHECKING:
    from PySide6.QtCore import QItemSelection

#: Under the summary's "Nothing received yet." while nothing arrived (a msgid, {url}
#: filled by `_()`).
EMPTY_TEXT = N_(
    "Point your backend, curl or a suite at {url}: every request it gets appears here as it "
    "arrives, checked against the API's rules and the open plan."
)
BURST_ROWS = 24  # rows in one batch (300 a second or more) that make it a burst
CALM_MS = 400  # no burst for this long: the table follows again
BURST_TEXT = N_("receiving a burst: the list follows when it calms down")
COLUMN_WIDTHS = (66, 150, 190, 64, 140)  # time, goal, verdict, answer, request; then from
GONE_TEXT = N_("The sandbox no longer keeps this request (it keeps the newest ones only).")


class ReceivedPanel(QWidget):
    """The table of received requests, the picked one in full, Load into form and Clear."""

    load_requested = Signal(str)  # the body of the picked goal, as received
    clear_requested = Signal()

    def __init__(self, feed: ReceivedFeed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feed = feed
        self._url = ""
        self._body: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addLayout(self._build_bar())
        self.hint = QLabel()
        self.hint.setObjectName("received_hint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.hint)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_table())
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("received_detail")
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName(_("The picked request as received, and the answer given"))
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setPlaceholderText(_("Pick a request to see it as received and the answer."))
        self.detail.setTabChangesFocus(True)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)
        self.setTabOrder(self.load_button, self.clear_button)
        self.setTabOrder(self.clear_button, self.table)
        self.setTabOrder(self.table, self.detail)
        # While a burst lasts the table holds still (the counts above it still follow):
        # repainting it means calls from Qt into Python, and each waits for the interpreter
        # lock while the sandbox's threads are busy taking the burst in.
        self._calm = QTimer(self)
        self._calm.setSingleShot(True)
        self._calm.setInterval(CALM_MS)
        self._calm.timeout.connect(self._burst_over)
        feed.updated.connect(self._arrived)
        self.refresh()

    # Building -----------------------------------------------------------------------------
    def _build_bar(self) -> QVBoxLayout:
        # The summary above its buttons: side by side, a narrow pane squeezed it into a column.
        bar = QVBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("received_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary)
        self.load_button = QPushButton(_("&Load into form"))
        self.load_button.setToolTip(_("Put the picked goal in the form, to edit and send it again"))
        self.load_button.clicked.connect(self._load)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        # Translators: a button: reset the sandbox (it forgets what it received).
        self.clear_button = QPushButton(_("C&lear"))
        icons.set_icon(self.clear_button, "delete")
        self.clear_button.setToolTip(
            _("Reset the sandbox: it forgets every request it received and every goal it stored")
        )
        self.clear_button.clicked.connect(self.clear_requested)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        bar.addLayout(buttons)
        return bar

    def _build_table(self) -> QTableView:
        self.table = make_table(
            "received_table",
            self.feed.model.newest_first,
            CLIENT,
            _("Requests the sandbox received, newest first"),
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Set widths, not sized to the rows: measuring cells at every change of a busy table
        # would cost the GUI thread what the rest of this view saves it.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        # The time as the language writes it (`2:05:09 PM` is wider than `14:05:09`), and
        # each header in the language: once, from the font, not from the rows.
        metrics = header.fontMetrics()
        late = format_time(datetime(2000, 12, 28, 23, 58, 58))
        widest = metrics.horizontalAdvance(late) + 2 * metrics.averageCharWidth()
        header.resizeSection(TIME, max(COLUMN_WIDTHS[TIME], widest))
        for column in range(len(COLUMN_WIDTHS)):
            title = str(self.feed.model.headerData(column, Qt.Orientation.Horizontal))
            wanted = metrics.horizontalAdvance(title) + 3 * metrics.averageCharWidth()
            header.resizeSection(column, max(header.sectionSize(column), wanted))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setMinimumHeight(120)
        self.table.selectionModel().selectionChanged.connect(self._picked)
        self.table.activated.connect(lambda _index: self._load())
        return self.table

    # Rendering ----------------------------------------------------------------------------
    def _arrived(self, count: int) -> None:
        if count >= BURST_ROWS and self.isVisible():
            if self.table.updatesEnabled():
                self.table.setUpdatesEnabled(False)
            self._calm.start()  # (again): the table follows once the burst is over
        self.refresh()

    def _burst_over(self) -> None:
        self.table.setUpdatesEnabled(True)
        self.refresh()

    def bursting(self) -> bool:
        """True while the table holds still during a burst of goals."""
        return not self.table.updatesEnabled()

    def set_url(self, url: str) -> None:
        """Where clients should send (shown while nothing has arrived)."""
        self._url = url
        self.refresh()

    def refresh(self) -> None:
        """The summary line and the empty-state hint, from the model."""
        model = self.feed.model
        empty = not len(model)
        where = self._url or _("the sandbox (starting…)")
        self.hint.setText(_(EMPTY_TEXT, url=where))
        self.hint.setVisible(empty)
        summary = model.summary() if not empty else _("Nothing received yet.")
        if not self.table.updatesEnabled():
            summary += " · " + _(BURST_TEXT)
        self.summary.setText(summary)
        self.clear_button.setEnabled(not empty)
        if empty:  # cleared (the sandbox was reset): nothing is picked any more
            self.table.clearSelection()
            self.detail.clear()
            self._body = None
        self.load_button.setEnabled(self._body is not None)

    def _picked(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_picked()

    def _show_picked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.feed.model.shown_at(rows[0].row()) if rows else None
        record = self.feed.record(row.id) if row is not None else None
        self._body = None
        if row is None:
            self.detail.clear()
        elif record is None:
            self.detail.setPlainText(_(GONE_TEXT))
        else:
            self.detail.setPlainText(record_text(record))
            body = record.get("body")
            if isinstance(body, str) and row.goal:
                self._body = body
        self.load_button.setEnabled(self._body is not None)

    def _load(self) -> None:
        if self._body is not None:
            self.load_requested.emit(self._body)
