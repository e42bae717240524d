"""Background work for the window: run a callable on a thread pool, deliver its result by signal.

The GUI thread never waits on the network or on a slow disk. A task reports back through a
QObject living on the GUI thread, so the slot runs there (queued connection).
"""

from __future__ import annotations

import linecache
import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from shiboken6 import isValid

log = logging.getLogger(__name__)


def forget_module_sources() -> None:
    """Drop the source text PySide6 reads for every module imported after it.

    PySide6's import hook reads each newly imported module's source (looking for "PySide6")
    and the lines stay in `linecache`: about 3 MB for this app's imports. Dropped soon after
    each wave of imports, the memory is reused by what comes next instead of piling up.
    Tracebacks read the lines again when they need them. Call it only while no other
    thread may be importing (`TaskRunner.forget_module_sources` checks that for its tasks):
    `linecache` is not safe against a clear in the middle of a read.
    """
    linecache.clearcache()


class _Channel(QObject):
    """Carries one task's outcome back to the GUI thread (it lives there; queued delivery)."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[str], None] | None,
        forget: Callable[[_Channel], None],
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._forget = forget
        # The widget or service the outcome is for, when a callback is one of its methods: a
        # task that ends after it was deleted (the window closing) has no one to tell.
        owners = (getattr(on_done, "__self__", None), getattr(on_error, "__self__", None))
        self._owner = next((o for o in owners if isinstance(o, QObject)), None)
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not isValid(self._owner)

    @Slot(object)
    def _deliver(self, result: Any) -> None:
        self._forget(self)
        if self._on_done is not None and not self._owner_gone():
            self._on_done(result)

    @Slot(str)
    def _deliver_error(self, text: str) -> None:
        self._forget(self)
        if self._on_error is not None and not self._owner_gone():
            self._on_error(text)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], channel: _Channel) -> None:
        super().__init__()
        self._fn = fn
        self._channel = channel
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # last-resort boundary: a bug in a task must not kill the app
            # Where it failed and of what type, never the message: it could quote a key.
            where = "".join(traceback.format_tb(exc.__traceback__, limit=-3))
            log.error("background task failed: %s\n%s", type(exc).__name__, where)
            self._channel.failed.emit(type(exc).__name__)
            return
        self._channel.finished.emit(result)


class TaskRunner(QObject):
    """Runs callables off the GUI thread; `run(fn, on_done)` calls `on_done(result)` on the GUI."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._channels: set[_Channel] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Start `fn` on the pool; its result (or a failure text) comes back on the GUI thread."""
        channel = _Channel(on_done, on_error, self._finished)
        self._channels.add(channel)
        self._pool.start(_Task(fn, channel))

    def pending(self) -> int:
        """How many tasks were started and have not yet been delivered back."""
        return len(self._channels)

    def _finished(self, channel: _Channel) -> None:
        self._channels.discard(channel)
        self.forget_module_sources()  # tasks are where the lazy imports happen

    def forget_module_sources(self) -> None:
        """`forget_module_sources()`, when none of this runner's tasks is running."""
        if not self._channels:
            forget_module_sources()

    def drain(self, timeout_ms: int = 3000) -> bool:
        """Wait for running tasks on shutdown (bounded); True when all finished."""
        return self._pool.waitForDone(timeout_ms)
