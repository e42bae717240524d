"""The goals of the open suites as a table: one row per goal (and per CSV row), its last result.

The model knows nothing of files or runs: the Suites tab fills it, marks the goals of a run
as waiting, and hands it each batch of results. A proxy puts failed goals first on request.
Server text reaches it only as reasons, shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from flowsery_gui.ui.row_table import RowsModel

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.suites import Case, CaseResult
    from flowsery_gui.suites.model import Expectation

_Index = QModelIndex | QPersistentModelIndex
SUITE, GOAL, EXPECT, RESULT, TIME = range(5)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
WAITING = "waiting"
RESULT_WORDS = {"passed": "Passed", "failed": "Failed", "not_run": "Not run", WAITING: "Waiting"}
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


def expect_text(expect: Expectation) -> str:
    """What a goal expects, short: `2xx`, `400 · "metadata"`, `refused`, `2xx · violations`."""
    if expect.refused:
        return "refused"
    parts = [expect.describe_status()]
    if expect.message:
        parts.append(f"“{expect.message}”")
    if expect.plan == "violations":
        parts.append("plan violations")
    return " · ".join(parts)


def _goal_cells(row: GoalRow, column: int) -> tuple[str, str | None]:
    if column == SUITE:
        return row.suite, None
    if column == GOAL:
        return row.case.label, None
    if column == EXPECT:
        return expect_text(row.case.expect), None
    if column == RESULT:
        return RESULT_WORDS.get(row.outcome, "—"), RESULT_ICONS.get(row.outcome)
    if column == TIME:
        return (f"{row.elapsed_ms:,.0f} ms" if row.elapsed_ms is not None else ""), None
    return "", None


class SuiteGoalsModel(RowsModel[GoalRow]):
    """Rows of goals with their last results, in file order."""

    HEADERS = ("Suite", "Goal", "Expects", "Result", "Time")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.HEADERS, _goal_cells, parent)

    def mark_waiting(self, indexes: Sequence[int]) -> None:
        """The goals of a run that starts: their old results go, they wait their turn."""
        for index in indexes:
            row = self.rows[index]
            row.outcome, row.reason, row.elapsed_ms = WAITING, "", None
            row.exchange, row.history_id, row.from_log = None, None, False
        self._changed(indexes)

    def apply(self, results: Sequence[tuple[int, CaseResult]]) -> None:
        """Results that arrived, each with the row it belongs to, in one repaint."""
        for index, result in results:
            self.rows[index].take(result)
        self._changed([index for index, _result in results])

    def refresh(self) -> None:
        """Rows changed in place (results from the run log, a run refused): repaint them."""
        if self.rows:
            self._changed([0, len(self.rows) - 1])

    def _changed(self, indexes: Sequence[int]) -> None:
        if indexes:
            top, bottom = min(indexes), max(indexes)
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, TIME))

    def tip(self, row: GoalRow, text: str) -> str:
        words = row.reason or text
        return f"{words}\n(from an earlier run)" if row.from_log and row.outcome else words

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SORT_ROLE and index.isValid():  # failed first, then file order
            return _RANK.get(self.rows[index.row()].outcome, 4) * 1_000_000 + index.row()
        return super().data(index, role)


class FailedFirstProxy(QSortFilterProxyModel):
    """The goals in file order, or failed first (then not run, then passed) on request."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_failed_first(self, on: bool) -> None:
        """Sort failed goals first, or go back to the file's order."""
        self.sort(GOAL if on else -1, Qt.SortOrder.AscendingOrder)
