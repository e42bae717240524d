"""The built-in sandbox's collector, followed live for the Received view, without stalls.

The collector calls back on a sandbox thread for every request it stored; the callback only
makes the light row and queues it (bounded: the sandbox's own cap). The first row of a burst
wakes a single-shot timer on the GUI thread, which moves the queue into the model in slices
of a few milliseconds each, so a thousand goals a second cost the GUI thread a few short
updates a second. A reset of the sandbox travels through the same queue, so nothing reaches
the table out of order. A service: no widget in here.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from flowsery_gui.i18n import current_language, language_override

if TYPE_CHECKING:
    from flowsery_gui.sandbox.server import SandboxServer
    from flowsery_gui.ui.received_model import ReceivedModel, ReceivedRow

DRAIN_MS = 80
SLICE = 64  # rows moved into the model per turn of the event loop
NEXT_SLICE_MS = 10  # the next slice of a burst, after the event loop had a turn


class ReceivedFeed(QObject):
    """Follows one sandbox's received requests into `model`, in batches on the GUI thread."""

    updated = Signal(int)  # how many rows a batch added (0: the table was cleared, or less)
    _wake = Signal()  # from a sandbox thread: the queue has something

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model: ReceivedModel | None = None  # made on first use (after the first paint)
        self._row_of: Callable[[dict[str, Any]], ReceivedRow] | None = None
        self.server: SandboxServer | None = None
        self._queue: deque[ReceivedRow | None] = deque()  # None: the sandbox was reset
        self._lost = 0  # rows let go from the queue before the table could take them
        # The window's language: rows are made on the sandbox's threads, which look text up
        # in English (their answers are wire text), yet the table is in the window's language.
        self._language = current_language()
        self._lock = threading.Lock()
        self._stop: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAIN_MS)
        self._timer.timeout.connect(self.drain)
        self._wake.connect(self._woken, Qt.ConnectionType.QueuedConnection)

    @property
    def model(self) -> ReceivedModel:
        """The received requests as the Received view shows them."""
        if self._model is None:
            # Deferred: the model's module and its proxy cost start-up time (~9 ms), and
            # nothing is received before the sandbox starts, after the first paint.
            from flowsery_gui.ui.received_model import ReceivedModel

            self._model = ReceivedModel(parent=self)
        return self._model

    # Following a sandbox ------------------------------------------------------------------
    def attach(self, server: SandboxServer) -> None:
        """Follow this sandbox (the window's built-in one), from the requests it gets now."""
        if server is self.server:
            return
        self.detach()
        from flowsery_gui.ui.received_model import row_of_record  # (see `model`)

        self._row_of = row_of_record
        self._language = current_language()  # (the window's language is set by now)
        self.server = server
        self.model.capacity = server.collector.log.max_items
        self._stop = [server.on_received(self._received), server.on_reset(self._reset)]

    def detach(self) -> None:
        """Stop following (the sandbox stopped, or the window closes)."""
        for stop in self._stop:
            stop()
        self._stop = []
        self.server = None

    def _received(self, record: dict[str, Any]) -> None:
        # On a sandbox thread: make the row and queue it, nothing else. (The sandbox keeps no
        # record of its own inspection routes, so a reader of them is not listed.)
        row_of = self._row_of
        if row_of is None:
            return
        with language_override(self._language):
            row = row_of(record)
        with self._lock:
            first = not self._queue
            self._queue.append(row)
            if len(self._queue) > self.model.capacity:
                del self._queue[1 if self._queue[0] is None else 0]
                self._lost += 1
        if first:
            self._wake.emit()

    def _reset(self) -> None:
        with self._lock:
            first = not self._queue
            self._queue.clear()
            self._queue.append(None)
            self._lost = 0
        if first:
            self._wake.emit()

    def _woken(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def drain(self) -> None:
        """Move what is queued into the model, at most `SLICE` rows a turn (the timer calls
        it): a burst goes in over several short turns of the event loop, not one long one."""
        with self._lock:
            take = min(len(self._queue), SLICE)
            items = [self._queue.popleft() for _ in range(take)]
            lost, self._lost = self._lost, 0
            more = bool(self._queue)
        if more:
            self._timer.start(NEXT_SLICE_MS)
        if not items and not lost:
            return
        batch: list[ReceivedRow] = []
        for item in items:
            if item is None:  # the sandbox was reset: what was queued before it is gone
                batch.clear()
                self.model.clear()
            else:
                batch.append(item)
        self.model.add(batch, lost)
        self.updated.emit(len(batch))

    # Reading and clearing -----------------------------------------------------------------
    def record(self, record_id: int) -> dict[str, Any] | None:
        """The whole stored record (headers, body, answer, verdict), or None when the sandbox
        no longer keeps it."""
        server = self.server
        if server is None:
            return None
        found = server.received(since_id=record_id - 1, limit=1)
        return found[0] if found and found[0].get("id") == record_id else None

    def clear(self) -> dict[str, int]:
        """Reset the sandbox: it forgets what it received and stored (the table follows)."""
        server = self.server
        if server is None:
            return {"goals": 0, "requests": 0}
        return server.reset()
