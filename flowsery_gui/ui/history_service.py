"""The window's history: opened once off the GUI thread, written and pruned off it too.

Every change (a send recorded, records deleted, history cleared or pruned, the store opened)
ends in one signal, `changed(count)`, so the views that show history (the status bar's count,
the History tab) follow it from one place. A service: no widget in here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import History

log = logging.getLogger(__name__)

KEEP_LAST = "history/keep_last"
KEEP_DAYS = "history/keep_days"


class HistoryService(QObject):
    """Opens, writes, prunes and counts the history for the window, off the GUI thread."""

    changed = Signal(int)  # how many requests are stored now (0 while history is off)
    notice = Signal(str)  # something to tell the person once (the history was recovered…)

    def __init__(
        self,
        settings: QSettings,
        tasks: TaskRunner,
        secrets: Callable[[], Iterable[str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.tasks = tasks
        self._secrets = secrets  # keys known this run: never written, even by accident
        self.store: History | None = None
        self.message: str | None = None  # why history is off, or what happened on opening
        self.count = 0
        self._opened = False
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """True once the store is open and usable; False before that, or when it is off."""
        return self.store is not None

    # Opening ------------------------------------------------------------------------------
    def open(self) -> None:
        """Open (or create) the history database once; any thread, any number of times."""
        with self._lock:
            if self._opened:
                return
            from flowsery_gui import paths
            from flowsery_gui.history import History

            self.store, self.message = History.open(paths.history_path(), secrets=self._secrets)
            self._opened = True

    def open_soon(self) -> None:
        """Open and count off the GUI thread; then prune as set, and tell the views."""

        def open_and_count() -> int:
            self.open()
            return self.store.count() if self.store is not None else 0

        def done(count: int) -> None:
            self._set_count(count)
            if self.message:
                self.notice.emit(self.message)
            self.apply_retention()

        self.tasks.run(open_and_count, done)

    # Changes ------------------------------------------------------------------------------
    def record(
        self, exchange: Exchange, profile: str, goal: dict[str, Any] | None, key: str | None
    ) -> None:
        """Append an exchange off the GUI thread; failures are logged, never raised."""
        secrets = (key,) if key else ()

        def write() -> int | None:
            self.open()
            store = self.store
            if store is None:
                return None
            store.append(exchange, profile=profile, source="window", goal=goal, secrets=secrets)
            return int(store.count())

        def done(count: int | None) -> None:
            if count is not None:
                self._set_count(count)

        self.tasks.run(write, done, lambda text: log.error("history write failed: %s", text))

    def record_now(
        self, exchange: Exchange, profile: str, goal: dict[str, Any] | None, key: str | None
    ) -> None:
        """Append an exchange on this thread (the window is closing: no event loop to come)."""
        try:
            self.open()
            if self.store is not None:
                self.store.append(
                    exchange,
                    profile=profile,
                    source="window",
                    goal=goal,
                    secrets=(key,) if key else (),
                )
        except Exception as exc:  # closing must not fail over history; never log the text
            log.error("history write at close failed: %s", type(exc).__name__)

    def recount(self) -> None:
        """Count again off the GUI thread and tell the views: something else wrote (a
        cleanup's DELETE records and its "deleted from analytics" marks, a suite run)."""
        store = self.store
        if store is not None:
            self.tasks.run(lambda: int(store.count()), self._set_count)

    def delete(self, ids: Iterable[int]) -> None:
        """Delete these records, off the GUI thread."""
        chosen = list(ids)
        self._change(lambda store: store.delete(chosen))

    def clear(self) -> None:
        """Delete every record, off the GUI thread."""
        self._change(lambda store: store.clear())

    def retention(self) -> tuple[int, int]:
        """How much to keep: (last N requests, last N days); 0 means no limit."""
        return _whole(self.settings.value(KEEP_LAST, 0)), _whole(self.settings.value(KEEP_DAYS, 0))

    def set_retention(self, keep_last: int, keep_days: int) -> None:
        """Remember how much to keep (applied by `apply_retention`)."""
        self.settings.setValue(KEEP_LAST, keep_last)
        self.settings.setValue(KEEP_DAYS, keep_days)

    def apply_retention(self, then: Callable[[int], None] | None = None) -> None:
        """Prune as the retention setting says; `then(removed)` runs after (not when unset)."""
        keep_last, keep_days = self.retention()
        if self.store is None or not (keep_last or keep_days):
            return

        def prune(store: History) -> int:
            removed = store.apply_retention(
                keep_last=keep_last or None, keep_days=keep_days or None
            )
            return int(removed)

        self._change(prune, then)

    def _change(
        self, work: Callable[[History], int], then: Callable[[int], None] | None = None
    ) -> None:
        store = self.store
        if store is None:
            return

        def run() -> tuple[int, int]:
            result = work(store)
            return result, int(store.count())

        def done(outcome: tuple[int, int]) -> None:
            result, count = outcome
            self._set_count(count)
            if then is not None:
                then(result)

        self.tasks.run(run, done, lambda text: log.error("history change failed: %s", text))

    def _set_count(self, count: int) -> None:
        self.count = count
        self.changed.emit(count)

    def close(self) -> None:
        """Close the store (the window is closing; tasks were drained first)."""
        store, self.store = self.store, None
        if store is not None:
            store.close()


def _whole(value: object) -> int:
    """A setting as a whole number of at least 0 (0 for anything unreadable)."""
    try:
        return max(0, int(str(value or 0)))
    except ValueError:
        return 0
