"""Runs one send at a time off the GUI thread, with cancel, and hands back the Exchange.

Never retries: one click is one POST. A cancelled request may still have reached the
server; the exchange says so.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.client import GoalsClient
    from flowsery_gui.exchange import Exchange


class SendController(QObject):
    """Owns the in-flight request: start it, cancel it, report its exchange."""

    busy_changed = Signal(bool)
    finished = Signal(object)  # Exchange

    def __init__(
        self,
        tasks: TaskRunner,
        parent: QObject | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._client: GoalsClient | None = None
        self._busy = False
        self._lock = threading.Lock()
        self.cancel_requested = False
        self._undelivered: Exchange | None = None  # finished, its signal not yet handled
        # Extra request headers (the sandbox's X-Sandbox-Fault in tests and demos).
        self.extra_headers: dict[str, str] = {}

    @property
    def busy(self) -> bool:
        """True while a request is in flight."""
        return self._busy

    def send(
        self,
        base_url: str,
        key: str | None,
        body: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
    ) -> bool:
        """Start sending one goal; False when one is already in flight."""
        if self._busy:
            return False
        self._busy = True
        self.cancel_requested = False
        self.busy_changed.emit(True)
        headers = {**self.extra_headers, **(extra_headers or {})}
        connect_timeout, read_timeout = self.connect_timeout, self.read_timeout

        def work() -> Exchange:
            # Built here, not on the GUI thread: the first use imports requests.
            from flowsery_gui.client import GoalsClient

            client = GoalsClient(
                base_url, key, connect_timeout=connect_timeout, read_timeout=read_timeout
            )
            with self._lock:
                self._client = client
                if self.cancel_requested:
                    client.cancel()
            try:
                exchange = client.send_goal(body, extra_headers=headers)
            finally:
                client.close()
            with self._lock:
                self._undelivered = exchange
            return exchange

        self.tasks.run(work, self._done, self._crashed)
        return True

    def cancel(self) -> None:
        """Stop waiting: the socket is closed; the exchange comes back marked cancelled."""
        if not self._busy:
            return
        with self._lock:
            self.cancel_requested = True
            if self._client is not None:
                self._client.cancel()

    def finish_now(self, timeout_ms: int = 3000) -> Exchange | None:
        """For closing the window: cancel, wait (bounded) for the worker, return its exchange.

        The event loop will not run again to deliver it, so whoever closes records it. None
        when nothing was in flight, or the worker did not finish in time.
        """
        if not self._busy:
            return None
        self.cancel()
        self.tasks.drain(timeout_ms)
        with self._lock:
            exchange, self._undelivered = self._undelivered, None
        if exchange is not None:
            self._client = None
            self._busy = False
        return exchange

    def _done(self, exchange: Exchange) -> None:
        with self._lock:
            if self._undelivered is not exchange:
                return  # already handed over by finish_now()
            self._undelivered = None
        self._client = None
        self._busy = False
        self.busy_changed.emit(False)
        self.finished.emit(exchange)

    def _crashed(self, text: str) -> None:
        # A bug, not a network problem (those come back as data): surface it, stay usable.
        from flowsery_gui.exchange import Exchange as _Exchange
        from flowsery_gui.exchange import Failure, FailureKind, SentRequest

        self._client = None
        self._busy = False
        self.busy_changed.emit(False)
        self.finished.emit(
            _Exchange(
                request=SentRequest("POST", "", ()),
                started_at=0.0,
                elapsed_ms=0.0,
                failure=Failure(
                    FailureKind.OTHER,
                    "Something went wrong inside the app while sending. Please report it.",
                    text,  # the exception's type only: its message could quote a key
                ),
            )
        )
