"""Past suite runs for the window: the run log read off the GUI thread, answers by callback.

The run log (`suites.runlog.RunLog`) lives in the history's database file. Listing the runs
first forgets those the history's retention no longer keeps (runs older than its days, and
runs none of whose goals history still holds), so past runs go when their requests go.
One connection, opened on first use on a worker, used by one task at a time. A service.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject

from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.suites.runlog import RunGoal, RunLog, RunSummary

T = TypeVar("T")
RUNS_SHOWN = 200


class SuiteRunLog(QObject):
    """Reads past runs, their goals, and which run sent a history record."""

    def __init__(self, tasks: TaskRunner, history: HistoryService, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.history = history
        self._lock = threading.Lock()
        self._log: RunLog | None = None

    def _ask(self, work: Callable[[RunLog], T], then: Callable[[T | None], None]) -> None:
        """Run `work(log)` on a worker; `then(result)` on the GUI thread (None when the run
        log cannot be read: past runs are a convenience, never an error dialog)."""

        def task() -> T | None:
            from flowsery_gui.suites.runlog import RunLogError

            with self._lock:
                try:
                    log = self._open()
                    return work(log) if log is not None else None
                except RunLogError:
                    return None

        self.tasks.run(task, then, lambda _text: then(None))

    def _open(self) -> RunLog | None:
        if self._log is None:
            from flowsery_gui.suites.runlog import RunLog

            self.history.open()
            store = self.history.store
            if store is None:
                return None
            self._log = RunLog(store.path)
        return self._log

    def runs(self, then: Callable[[list[RunSummary] | None], None]) -> None:
        """The newest runs first, after forgetting those the history's retention dropped."""
        keep_days = self.history.retention()[1] or None

        def work(log: RunLog) -> list[RunSummary]:
            log.apply_retention(keep_days)
            return log.runs(RUNS_SHOWN)

        self._ask(work, then)

    def goals(self, run_id: str, then: Callable[[list[RunGoal] | None], None]) -> None:
        """The goals of one past run, in run order."""
        self._ask(lambda log: log.goals(run_id), then)

    def run_of(self, record_id: int, then: Callable[[tuple[str, str] | None], None]) -> None:
        """(run id, suite name) of the run that sent this history record, or None."""
        self._ask(lambda log: log.run_of(record_id), then)

    def last_results(
        self, suite_name: str, then: Callable[[dict[str, RunGoal] | None], None]
    ) -> None:
        """The newest outcome of each goal of a suite (by its label) in past runs."""

        def work(log: RunLog) -> dict[str, RunGoal]:
            found: dict[str, RunGoal] = {}
            for run in log.runs(RUNS_SHOWN):
                if suite_name not in run.suites:
                    continue
                for goal in log.goals(run.run_id):
                    if goal.suite == suite_name and goal.outcome.value != "not_run":
                        found.setdefault(goal.label, goal)
            return found

        self._ask(work, then)

    def exchange(self, record_id: int, then: Callable[[Exchange | None], None]) -> None:
        """The exchange a history record holds (None when history no longer keeps it)."""

        def work() -> Exchange | None:
            from flowsery_gui.history import HistoryError

            self.history.open()
            store = self.history.store
            try:
                record = store.get(record_id) if store is not None else None
            except HistoryError:
                return None
            return record.exchange if record is not None else None

        self.tasks.run(work, then, lambda _text: then(None))

    def close(self) -> None:
        """Close the connection (the window is closing; tasks were drained first)."""
        with self._lock:
            log, self._log = self._log, None
        if log is not None:
            log.close()
