"""The one owner of the send in flight: what was sent, where, with which key, and what came back.

Sends one planned request at a time (`sending.PlannedSend`) off the GUI thread, exactly as
planned, with cancel; hands its exchange to history with the profile, goal and key it was
sent with (the active profile may have changed meanwhile); counts down a server's
Retry-After; and keeps the sandbox-fault choice, which only ever goes to the built-in
sandbox. Never retries: one click is one POST. A cancelled request may still have reached
the server; the exchange says so.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from flowsery_gui.i18n import _
from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.target import TargetService
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.sending import PlannedSend
    from flowsery_gui.sending.transport import Transport


# A NamedTuple: defined at start-up, where a dataclass takes three times as long.
class Outgoing(NamedTuple):
    """One send as it was started, kept until its exchange is recorded."""

    plan: PlannedSend
    key: str | None

    @property
    def profile(self) -> str:
        """The profile it went to (what history files it under)."""
        return self.plan.target.profile

    @property
    def goal(self) -> dict[str, Any] | None:
        """The goal it carried, for history."""
        return self.plan.goal


class SendOwner(QObject):
    """Starts, cancels and records the send in flight; keeps Retry-After and the fault choice."""

    busy_changed = Signal(bool)
    finished = Signal(object)  # Exchange, already handed to history
    retry_changed = Signal()  # the Retry-After countdown ticked, started or ended
    fault_changed = Signal(str)  # the sandbox fault now chosen ("" for normal answers)

    def __init__(
        self,
        target: TargetService,
        history: HistoryService,
        tasks: TaskRunner,
        parent: QObject | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.history = history
        self.tasks = tasks
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._outgoing: Outgoing | None = None
        self._transport: Transport | None = None
        self._lock = threading.Lock()
        self._cancel_requested = False
        self._undelivered: Exchange | None = None  # finished, its signal not yet handled
        self._fault = ""
        self._retry_until = 0.0
        self._retry_timer: QTimer | None = None  # made when a server first asks to wait

    # State --------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a request is in flight."""
        return self._outgoing is not None

    @property
    def outgoing(self) -> Outgoing | None:
        """The send in flight, if any."""
        return self._outgoing

    # Sandbox fault ------------------------------------------------------------------------
    @property
    def fault(self) -> str:
        """The fault header value the built-in sandbox is asked for ("" for a normal answer)."""
        return self._fault

    def set_fault(self, header: str) -> bool:
        """Have the built-in sandbox answer every send with this fault; False (and no change)
        when the active profile is not the built-in sandbox."""
        if self.target.profile.kind != "sandbox":
            return False
        self._fault = header.strip()
        self.fault_changed.emit(self._fault)
        return True

    def fault_for_target(self) -> str:
        """The fault for the next send's plan: only ever for the built-in sandbox ("" else)."""
        return self._fault if self.target.profile.kind == "sandbox" else ""

    # Retry-After --------------------------------------------------------------------------
    @property
    def retry_until(self) -> float:
        """When the last answer's Retry-After ends (epoch seconds; 0 when it asked nothing)."""
        return self._retry_until

    def retry_wait(self) -> float:
        """Seconds left of the last answer's Retry-After (0 or less when none)."""
        return self._retry_until - time.time()

    def _note_retry_after(self, exchange: Exchange) -> None:
        from flowsery_gui.sending.answers import parse_retry_after

        value = exchange.response.header("Retry-After") if exchange.response else None
        asked = parse_retry_after(value)
        self._retry_until = asked.at if asked is not None else 0.0
        if self._retry_until > time.time():
            if self._retry_timer is None:
                self._retry_timer = QTimer(self)
                self._retry_timer.setInterval(1000)
                self._retry_timer.timeout.connect(self._retry_tick)
            self._retry_timer.start()  # the note counts down, then goes
        self.retry_changed.emit()

    def _retry_tick(self) -> None:
        if self._retry_timer is not None and self.retry_wait() <= 0:
            self._retry_timer.stop()
        self.retry_changed.emit()

    # Sending ------------------------------------------------------------------------------
    def start(self, plan: PlannedSend, key: str | None) -> bool:
        """Send a planned goal exactly as planned; False when one is already in flight."""
        if self._outgoing is not None:
            return False
        self._outgoing = Outgoing(plan, key)
        self._cancel_requested = False
        self.busy_changed.emit(True)
        connect_timeout, read_timeout = self.connect_timeout, self.read_timeout

        def work() -> Exchange:
            # Made here, not on the GUI thread: the first use imports requests.
            from flowsery_gui.sending import open_transport

            transport = open_transport(connect_timeout=connect_timeout, read_timeout=read_timeout)
            with self._lock:
                self._transport = transport
                if self._cancel_requested:
                    transport.cancel()
            try:
                exchange = transport.send(plan.request, key)
            finally:
                transport.close()
            with self._lock:
                self._undelivered = exchange
            return exchange

        self.tasks.run(work, self._done, self._crashed)
        return True

    def cancel(self) -> bool:
        """Stop waiting: the socket is closed; the exchange comes back marked cancelled.

        False when nothing was in flight."""
        if self._outgoing is None:
            return False
        with self._lock:
            self._cancel_requested = True
            if self._transport is not None:
                self._transport.cancel()
        return True

    def finish_now(self, timeout_ms: int = 3000) -> Exchange | None:
        """For closing the window: cancel, wait (bounded) for the worker, record its exchange.

        The event loop will not run again to deliver it, so it is recorded here, on this
        thread. None when nothing was in flight, or the worker did not finish in time.
        """
        outgoing = self._outgoing
        if outgoing is None:
            return None
        self.cancel()
        self.tasks.drain(timeout_ms)
        with self._lock:
            exchange, self._undelivered = self._undelivered, None
        if exchange is not None:
            self._transport = None
            self._outgoing = None
            self.history.record_now(exchange, outgoing.profile, outgoing.goal, outgoing.key)
        return exchange

    def _done(self, exchange: Exchange) -> None:
        with self._lock:
            if self._undelivered is not exchange:
                return  # already handed over by finish_now()
            self._undelivered = None
        self._deliver(exchange)

    def _crashed(self, text: str) -> None:
        # A bug, not a network problem (those come back as data): surface it, stay usable.
        from flowsery_gui.exchange import Exchange as _Exchange
        from flowsery_gui.exchange import Failure, FailureKind, SentRequest

        self._deliver(
            _Exchange(
                request=SentRequest("POST", "", ()),
                started_at=0.0,
                elapsed_ms=0.0,
                failure=Failure(
                    FailureKind.OTHER,
                    _("Something went wrong inside the app while sending. Please report it."),
                    text,  # the exception's type only: its message could quote a key
                ),
            )
        )

    def _deliver(self, exchange: Exchange) -> None:
        outgoing = self._outgoing
        self._transport = None
        self._outgoing = None
        if outgoing is not None:
            self.history.record(exchange, outgoing.profile, outgoing.goal, outgoing.key)
        self._note_retry_after(exchange)
        self.busy_changed.emit(False)
        self.finished.emit(exchange)
