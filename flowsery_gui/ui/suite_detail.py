"""Below the Suites tab's lists: the picked goal's outcome in words, and its exchange in full.

The exchange is the run's own when the goal ran in this window, or the history record an
earlier run kept (read off the GUI thread). Everything is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from flowsery_gui.i18n import N_, _
from flowsery_gui.ui.response_panel import ResponsePanel, plain_label
from flowsery_gui.ui.suite_log import SuiteRunLog
from flowsery_gui.ui.suite_table import GoalRow
from flowsery_gui.ui.suite_words import outcome_words

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange

PICK_HINT = N_("Pick a goal above to see what was sent and what came back.")
NOTHING_SENT = N_("Nothing was sent for this goal.")


def reason_words(row: GoalRow) -> str:
    """`checkout (row 2): Failed. Expected 2xx, got 500.` (an earlier run's result says so)."""
    if not row.outcome:
        return _("{label}: not run yet.", label=row.case.label)
    return outcome_words(row.case.label, row.outcome, row.reason, earlier=row.from_log)


class GoalDetail(QWidget):
    """The picked goal: what happened, and the request and response."""

    def __init__(self, log: SuiteRunLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self._wanted: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.reason = plain_label()
        self.reason.setObjectName("suite_reason")
        self.response = ResponsePanel()
        self.response.setObjectName("suite_detail")
        # Scrolls on its own in a small window, so the lists above keep their width.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(self.response)
        self.hint = plain_label(_(PICK_HINT))  # when there is no exchange to show: no scrolling
        self.hint.setObjectName("suite_detail_hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(holder)
        layout.addWidget(self.reason)
        layout.addWidget(self.pages, 1)

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.pages.setCurrentIndex(0)

    def _show(self, exchange: Exchange) -> None:
        self.response.show_exchange(exchange)
        self.pages.setCurrentIndex(1)

    def show_row(self, row: GoalRow) -> None:
        """Show a goal of the open suites."""
        if row.exchange is not None:
            self.reason.setText(reason_words(row))
            self._wanted = None
            self._show(row.exchange)
        else:
            self.show_record(row.history_id, reason_words(row), ran=bool(row.outcome))

    def show_record(self, record_id: int | None, words: str, *, ran: bool = True) -> None:
        """Show a goal by its history record (None when nothing was sent for it)."""
        self.reason.setText(words)
        self._wanted = record_id
        if record_id is None:
            self._say(_(NOTHING_SENT) if ran else _("This goal has not run yet."))
            return

        def show(exchange: Exchange | None) -> None:
            if self._wanted != record_id:
                return  # another goal was picked meanwhile
            if exchange is None:
                self._say(_("History no longer keeps this request."))
            else:
                self._show(exchange)

        self.log.exchange(record_id, show)
