"""The goals of the open suites as a table: one row per goal (and per CSV row), its last result.

The model knows nothing of files or runs: the Suites tab fills it, marks the goals of a run
as waiting, and hands it each batch of results. A proxy puts failed goals first on request.
Server text reaches it only as reasons, shown as plain text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel

from flowsery_gui.i18n import N_, _, format_duration, pgettext
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.row_table import IconCache
from flowsery_gui.ui.suite_words import RESULT_WORDS, WAITING, result_words

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.suites import Case, CaseResult
    from flowsery_gui.suites.model import Expectation

SUITE, GOAL, EXPECT, RESULT, TIME = range(5)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RESULT_ICONS = {"passed": "success", "failed": "error", "not_run": "info"}
_RANK = {"failed": 0, "not_run": 1, WAITING: 2, "passed": 3, "": 4}  # failed first


@dataclass(eq=False)  # rows are told apart by identity: two goals may read the same
class GoalRow:
    """One goal of an open suite and its last result ("" for none yet)."""

    suite: str
    case: Case
    outcome: str = ""  # passed | failed | not_run | waiting | ""
    reason: str = ""
    elapsed_ms: float | None = None
    exchange: Exchange | None = None
    history_id: int | None = None  # the history record of its last send, when known
    from_log: bool = False  # the result is an earlier run's, from the run log

    def take(self, result: CaseResult) -> None:
        """Hold this run's result for the goal."""
        self.outcome = result.outcome.value
        self.reason = result.reason
        self.exchange = result.exchange
        self.elapsed_ms = result.elapsed_ms if result.exchange is not None else None
        self.history_id = result.history_id
        self.from_log = False


@functools.lru_cache(maxsize=256)  # asked at every repaint; a suite has few distinct ones
def expect_text(expect: Expectation) -> str:
    """What a goal expects, short: `2xx`, `400 · "metadata"`, `refused`, `2xx · violations`."""
    if expect.refused:
        # Translators: what a goal of a suite expects: to be refused by the app's checks.
        return pgettext("expected outcome", "refused")
    parts = [expect.describe_status()]
    if expect.message:
        # Translators: words the answer must contain, quoted as the language quotes.
        parts.append(_("“{message}”", message=expect.message))
    if expect.plan == "violations":
        # Translators: what a goal of a suite expects: the tracking plan's violations.
        parts.append(_("plan violations"))
    return " · ".join(parts)


def _goal_cells(row: GoalRow, column: int) -> tuple[str, str | None]:
    if column == SUITE:
        return row.suite, None
    if column == GOAL:
        return row.case.label, None
    if column == EXPECT:
        return expect_text(row.case.expect), None
    if column == RESULT:
        words = result_words(row.outcome) if row.outcome in RESULT_WORDS else "—"
        return words, RESULT_ICONS.get(row.outcome)
    if column == TIME:
        return (format_duration(row.elapsed_ms) if row.elapsed_ms is not None else ""), None
    return "", None


class SuiteGoalsModel(QStandardItemModel):
    """Rows of goals with their last results, in file order.

    The cells are kept in Qt's own items, so painting the list runs no Python: during a run
    the worker and the sandbox keep Python busy, and a repaint that had to win the
    interpreter lock for every cell stalled the window."""

    HEADERS = (  # translated where shown
        # Translators: a column header of the Suites tab's list: the suite's name.
        N_("Suite"),
        # Translators: a column header of the Suites tab's list: the goal's title.
        N_("Goal"),
        # Translators: a column header of the Suites tab's list: what the goal expects.
        N_("Expects"),
        # Translators: a column header of the Suites tab's list: passed, failed…
        N_("Result"),
        # Translators: a column header of the Suites tab's list: how long the send took.
        N_("Time"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels([_(header) for header in self.HEADERS])
        self.rows: list[GoalRow] = []
        self._icons = IconCache()

    def set_rows(self, rows: Iterable[GoalRow]) -> None:
        """Show these goals (a suite was opened, read again or chosen)."""
        self.rows = list(rows)
        self.setRowCount(0)
        for index, row in enumerate(self.rows):
            items = [QStandardItem() for _column in self.HEADERS]
            for column in (SUITE, GOAL, EXPECT):
                text = _goal_cells(row, column)[0]
                items[column].setText(text)
                items[column].setToolTip(tooltip(text))
            for item in items:
                item.setEditable(False)
            self._fill(items, index, row)
            self.appendRow(items)

    def _fill(self, items: Sequence[QStandardItem | None], index: int, row: GoalRow) -> None:
        """The cells that change with a result: the result, its time, the sort rank."""
        result, time_cell, goal = items[RESULT], items[TIME], items[GOAL]
        if result is None or time_cell is None or goal is None:
            return
        text, icon = _goal_cells(row, RESULT)
        tip = row.reason or text
        if row.from_log and row.outcome:
            tip = "\n".join((tip, _("(from an earlier run)")))
        result.setText(text)
        result.setToolTip(tooltip(tip))
        result.setIcon(self._icons.get(icon) if icon else QIcon())
        time_cell.setText(_goal_cells(row, TIME)[0])
        goal.setData(_RANK.get(row.outcome, 4) * 1_000_000 + index, SORT_ROLE)

    def _render(self, indexes: Iterable[int]) -> None:
        """Show new results of these rows, with one change signal for all of them (a signal
        per cell made the list re-sort and repaint thousands of times)."""
        changed = list(indexes)
        if not changed:
            return
        self.blockSignals(True)
        try:
            for index in changed:
                items = [self.item(index, column) for column in range(len(self.HEADERS))]
                self._fill(items, index, self.rows[index])
        finally:
            self.blockSignals(False)
        top, bottom = self.index(min(changed), 0), self.index(max(changed), TIME)
        self.dataChanged.emit(top, bottom)

    def mark_waiting(self, indexes: Sequence[int]) -> None:
        """The goals of a run that starts: their old results go, they wait their turn."""
        for index in indexes:
            row = self.rows[index]
            row.outcome, row.reason, row.elapsed_ms = WAITING, "", None
            row.exchange, row.history_id, row.from_log = None, None, False
        self._render(indexes)

    def apply(self, results: Sequence[tuple[int, CaseResult]]) -> None:
        """Results that arrived, each with the row it belongs to."""
        for index, result in results:
            self.rows[index].take(result)
        self._render(index for index, _result in results)

    def refresh(self) -> None:
        """Rows changed in place (results from the run log, a run refused): show them."""
        self._render(range(len(self.rows)))


class FailedFirstProxy(QSortFilterProxyModel):
    """The goals in file order, or failed first (then not run, then passed) on request."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_failed_first(self, on: bool) -> None:
        """Sort failed goals first, or go back to the file's order."""
        self.sort(GOAL if on else -1, Qt.SortOrder.AscendingOrder)
