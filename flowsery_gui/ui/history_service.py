"""The window's history: opened once off the GUI thread, written and pruned off it too.

Every change (a send recorded, records deleted, history cleared or pruned, the store opened)
ends in one signal, `changed(count)`, so the views that show history (the status bar's count,
the History tab) follow it from one place. A send that could not be kept ends in
`write_failed(exchange, message)`: never only a log line. How much to keep lives in the
history file (`History.retention()`), shared with `flowsery-goal`; the window's old settings
keys are handed over once and removed. A large file, not checked at open, is checked once in
the background after start (`History.verify()`). A service: no widget in here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from flowsery_gui.i18n import N_, _
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import History

#: Said when the background check finds the history file damaged (translated where said).
DAMAGED_NOTICE = N_(
    "The history file is damaged. It is set aside and a fresh one started the next time the "
    "app opens; sending works meanwhile, but some past requests may not show."
)

log = logging.getLogger(__name__)

# The window's old retention settings, handed over to the history file once, then removed.
KEEP_LAST = "history/keep_last"
KEEP_DAYS = "history/keep_days"


class HistoryService(QObject):
    """Opens, writes, prunes and counts the history for the window, off the GUI thread."""

    changed = Signal(int)  # how many requests are stored now (0 while history is off)
    notice = Signal(str)  # something to tell the person once (the history was recovered…)
    write_failed = Signal(object, str)  # an Exchange not kept, and why, in plain words

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
        self.write_error: str | None = None  # why the last send was not kept (None: it was)
        self._retention = (0, 0)  # as last read from the history file (see `retention`)
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
        """Open and count off the GUI thread (the history prunes itself as set), hand the old
        retention settings over, tell the views; then check a large file in the background."""
        settings = self.settings
        old = [settings.value(k) if settings.contains(k) else None for k in (KEEP_LAST, KEEP_DAYS)]
        handing_over = any(value is not None for value in old)

        def open_and_count() -> tuple[int, str | None, tuple[int, int]]:
            from flowsery_gui.history import HistoryError

            self.open()
            store = self.store
            if store is None:
                return 0, None, self._retention
            try:
                if handing_over:
                    store.adopt_window_retention(*old)
                setting = store.retention()
                kept = (setting.keep_last or 0, setting.keep_days or 0)
                return int(store.count()), None, kept
            except HistoryError as exc:
                return self.count, exc.message, self._retention

        def done(outcome: tuple[int, str | None, tuple[int, int]]) -> None:
            count, trouble, self._retention = outcome
            self._set_count(count)
            if self.message:
                self.notice.emit(self.message)
            if trouble:
                self.notice.emit(trouble)
            elif handing_over and self.store is not None:
                settings.remove(KEEP_LAST)  # the history file holds the setting now
                settings.remove(KEEP_DAYS)
            self.verify_soon()

        self.tasks.run(open_and_count, done)

    def verify_soon(self) -> None:
        """Check the whole file off the GUI thread when it was too large to check at open
        (see `flowsery_gui.history`); say so when it is damaged or cannot be read."""
        store = self.store
        if store is None:
            return

        def verify() -> str | None:
            from flowsery_gui.history import HistoryError, recovery

            try:
                if store.path.stat().st_size <= recovery.CHECK_MAX_BYTES:
                    return None  # checked whole when it was opened
                return None if store.verify() else _(DAMAGED_NOTICE)
            except HistoryError as exc:
                return exc.message
            except OSError as exc:
                reason = exc.strerror or exc
                # Translators: {reason} is the system's own words (often English).
                return _("The history file could not be checked: {reason}.", reason=reason)

        def done(trouble: str | None) -> None:
            if trouble:
                self.notice.emit(trouble)

        self.tasks.run(verify, done)

    # Changes ------------------------------------------------------------------------------
    def record(
        self, exchange: Exchange, profile: str, goal: dict[str, Any] | None, key: str | None
    ) -> None:
        """Append an exchange off the GUI thread. A failure is never only logged: it ends in
        `write_failed(exchange, message)`, and the count is read again."""
        secrets = (key,) if key else ()

        def write() -> tuple[int | None, str | None]:
            from flowsery_gui.history import HistoryError

            self.open()
            store = self.store
            if store is None:
                return None, self.message or _("History is off.")
            try:
                store.append(exchange, profile=profile, source="window", goal=goal, secrets=secrets)
            except HistoryError as exc:
                return _count_or_none(store), exc.message
            return _count_or_none(store), None

        def done(outcome: tuple[int | None, str | None]) -> None:
            count, trouble = outcome
            self.write_error = trouble
            if count is not None:
                self._set_count(count)
            elif trouble:
                self.changed.emit(self.count)  # the views show the trouble with the last count
            if trouble:
                log.error("history write failed")  # the words go to the person, not the log
                self.write_failed.emit(exchange, trouble)

        def crashed(kind: str) -> None:
            # Translators: {kind} is the name of a Python exception, such as MemoryError.
            words = _(
                "Could not save this request to history: something went wrong ({kind}).",
                kind=kind,
            )
            done((None, words))

        self.tasks.run(write, done, crashed)

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
        """How much to keep, as last read from the history file (at open, and after each
        change from here): (last N requests, last N days), 0 meaning no limit. No disk read:
        `read_retention` reads the file again."""
        return self._retention

    def read_retention(self, then: Callable[[int, int], None]) -> None:
        """Read how much to keep off the GUI thread: `then(last N requests, last N days)`,
        0 meaning no limit. The setting lives in the history file, shared with the CLI."""
        store = self.store
        if store is None:
            return

        def read() -> tuple[int, int] | str:
            from flowsery_gui.history import HistoryError

            try:
                setting = store.retention()
            except HistoryError as exc:
                return exc.message
            return setting.keep_last or 0, setting.keep_days or 0

        def done(outcome: tuple[int, int] | str) -> None:
            if isinstance(outcome, str):
                self.notice.emit(outcome)
            else:
                self._retention = outcome
                then(*outcome)

        self.tasks.run(read, done)

    def set_retention(
        self, keep_last: int, keep_days: int, then: Callable[[int], None] | None = None
    ) -> None:
        """Store how much to keep (0: no limit) in the history file and prune by it now, off
        the GUI thread; `then(removed)` runs after."""
        from flowsery_gui.history import Retention

        setting = Retention(keep_last or None, keep_days or None)

        def store_and_prune(store: History) -> int:
            store.set_retention(setting)
            return int(store.apply_retention()) if not setting.unlimited else 0

        def stored(removed: int) -> None:
            self._retention = (keep_last, keep_days)
            if then is not None:
                then(removed)

        self._change(store_and_prune, stored)

    def _change(
        self, work: Callable[[History], int], then: Callable[[int], None] | None = None
    ) -> None:
        store = self.store
        if store is None:
            return

        def run() -> tuple[int, int] | str:
            from flowsery_gui.history import HistoryError

            try:
                result = work(store)
                return result, int(store.count())
            except HistoryError as exc:
                return exc.message

        def done(outcome: tuple[int, int] | str) -> None:
            if isinstance(outcome, str):
                self.notice.emit(outcome)  # the person asked for it: say why it did not happen
                return
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


def _count_or_none(store: History) -> int | None:
    """How many records there are now, or None when even that cannot be read."""
    from flowsery_gui.history import HistoryError

    try:
        return int(store.count())
    except HistoryError:
        return None
