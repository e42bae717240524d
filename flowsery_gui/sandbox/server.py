"""The contract-faithful local sandbox and collector: a real HTTP server, standard library only.

It implements `contract.md` with the same rule set as the app (`flowsery_gui.contract`):

  POST   /api/v1/goals       create a goal (auth, JSON body, contract check, HTML stripped
                             from stored metadata values)
  GET    /api/v1/metadata    the website this key belongs to
  DELETE /api/v1/goals       ?name=&visitorId=&startAt=&endAt= (ISO 8601); 400 with no filter
  GET    /sandbox/goals      what was stored, oldest first, paged (`inspection.py`)
  DELETE /sandbox/goals      forget every stored goal; answers how many were removed
  GET    /sandbox/requests   every request received, with its answer and verdict, paged
  POST   /sandbox/reset      forget the stored goals and the received requests

On loopback (the default) the inspection routes need no key, and the Host header must name
this computer; listening beyond loopback (`host=` another address) needs the key on every
route. Errors come in the two documented shapes, chosen server-wide or per request:
  envelope  {"status":"error","error":{"code":400,"message":"..."}}
  nest      {"statusCode":400,"message":"..." or ["...", "..."],"error":"Bad Request"}
Fault injection: see `faults.py`.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from flowsery_gui import contract
from flowsery_gui.sandbox.access import api_key_problem, is_loopback
from flowsery_gui.sandbox.collector import Checker, Collector, Listener
from flowsery_gui.sandbox.faults import (
    FAULT_HEADER,
    MAX_FAULT_DELAY_SECONDS,
    FaultError,
    Faults,
    parse_faults,
)
from flowsery_gui.sandbox.httpd import SandboxHTTPServer
from flowsery_gui.sandbox.routes import Handler
from flowsery_gui.sandbox.store import GoalStore
from flowsery_gui.sandbox.wire import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_REQUEST_DEADLINE,
    DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TIMEZONE,
    ERROR_SHAPES,
    MAX_BODY_BYTES,
    MAX_CLOCK_SKEW_SECONDS,
    MAX_STORED_CHARS,
    MAX_STORED_GOALS,
    MAX_STORED_REQUESTS,
    SANDBOX_KEY_PREFIX,
    UTC_ZONE,
    error_body,
    reason_phrase,
)

__all__ = [  # names imported from this module before it was split
    "DEFAULT_TIMEZONE",
    "ERROR_SHAPES",
    "FAULT_HEADER",
    "MAX_BODY_BYTES",
    "MAX_FAULT_DELAY_SECONDS",
    "FaultError",
    "Faults",
    "GoalStore",
    "SandboxServer",
    "error_body",
    "parse_faults",
    "reason_phrase",
]


class SandboxServer:
    """The sandbox as an object: start it on a background thread, use `.url`, stop it.

    Also the collector's Python side for in-process viewers: `received()`, `on_received()`,
    `on_reset()`, `reset()`, and a `checker` whose findings join each goal's verdict.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        error_shape: str = "envelope",
        *,
        timezone: str = DEFAULT_TIMEZONE,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        request_deadline: float = DEFAULT_REQUEST_DEADLINE,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        quiet: bool = True,
        checker: Checker | None = None,
        clock_skew: float = 0.0,
        max_goals: int = MAX_STORED_GOALS,
        max_requests: int = MAX_STORED_REQUESTS,
        max_stored_chars: int = MAX_STORED_CHARS,
    ) -> None:
        if error_shape not in ERROR_SHAPES:
            raise ValueError(f"error_shape must be one of {', '.join(ERROR_SHAPES)}.")
        if timezone not in contract.timezones():
            raise ValueError(f"Unknown time zone {timezone!r}: use an IANA name such as UTC.")
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1.")
        for name, seconds in (
            ("request_timeout", request_timeout),
            ("request_deadline", request_deadline),
        ):
            if not (math.isfinite(seconds) and 0 < seconds <= 3600):
                raise ValueError(f"{name} must be more than 0 and at most 3600 seconds.")
        if api_key is not None and (problem := api_key_problem(api_key)):
            raise ValueError(problem)
        self.host = host
        self.port = port
        #: True when listening beyond loopback: then every route needs the key.
        self.network = not is_loopback(host)
        self.api_key = api_key or SANDBOX_KEY_PREFIX + secrets.token_urlsafe(24)
        self.error_shape = error_shape
        self.timezone = timezone
        self.request_timeout = request_timeout
        self.request_deadline = request_deadline
        self.max_connections = max_connections
        self.quiet = quiet
        self.clock_skew = clock_skew
        self.store = GoalStore(max_goals, max_stored_chars)
        self.collector = Collector(max_requests, max_stored_chars, checker)
        self._httpd: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def __repr__(self) -> str:
        # Never the key: a repr ends up in logs and tracebacks.
        return f"SandboxServer(host={self.host!r}, port={self.port!r}, running={self.running})"

    # -- the clock and the checks ----------------------------------------------------------

    @property
    def clock_skew(self) -> float:
        """Seconds the sandbox clock runs off the real one (for tests of clock skew)."""
        return self._clock_skew

    @clock_skew.setter
    def clock_skew(self, seconds: float) -> None:
        if not (math.isfinite(seconds) and abs(seconds) <= MAX_CLOCK_SKEW_SECONDS):
            raise ValueError(
                f"clock_skew must be a number of seconds within ±{MAX_CLOCK_SKEW_SECONDS}."
            )
        self._clock_skew = float(seconds)
        self._skew = timedelta(seconds=seconds)

    def now(self) -> datetime:
        """The sandbox clock: the real UTC time plus `clock_skew` (stored times, DELETE windows)."""
        return datetime.now(UTC_ZONE) + self._skew

    @property
    def checker(self) -> Checker | None:
        """Extra checks of each received goal body (a tracking plan); settable while running."""
        return self.collector.checker

    @checker.setter
    def checker(self, checker: Checker | None) -> None:
        self.collector.checker = checker

    # -- the collector, for in-process viewers ---------------------------------------------

    def received(
        self, since_id: int = 0, limit: int = 1000, since: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Received requests with an id above `since_id` (and at or after `since`), oldest
        first, at most `limit`, as new dicts shaped like `/sandbox/requests` records."""
        return self.collector.received(since_id, limit, since)

    def received_counts(self) -> dict[str, int]:
        """{"stored": N, "dropped": N, "busy": N}: what the collector holds and has lost."""
        return self.collector.counts()

    def on_received(self, callback: Listener) -> Callable[[], None]:
        """Call `callback(record)` on a sandbox thread after each stored request (after its
        answer went out); thread-safe; returns a function that unregisters it."""
        return self.collector.on_received(callback)

    def on_reset(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback()` after the received requests were cleared; returns an unregister."""
        return self.collector.on_reset(callback)

    def reset(self) -> dict[str, int]:
        """Forget stored goals and received requests (as POST /sandbox/reset); the counts."""
        return {"goals": self.store.clear(), "requests": self.collector.clear()}

    # -- running -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._httpd is not None

    @property
    def active_connections(self) -> int:
        """How many client connections are being handled now (0 when stopped)."""
        httpd = self._httpd
        return httpd.active_connections() if httpd is not None else 0

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) it listens on; the real port once started with port 0."""
        if self._httpd is None:
            raise RuntimeError("The sandbox is not running.")
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The base URL to use as a profile's base (`http://127.0.0.1:PORT`)."""
        host, port = self.address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start(self) -> SandboxServer:
        """Listen and serve on a daemon thread; return once the socket is listening."""
        if self._httpd is not None:
            raise RuntimeError("The sandbox is already running.")
        httpd = SandboxHTTPServer(self, (self.host, self.port), Handler)  # listening on return
        self._stopped.clear()
        thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long stop() waits for the loop
            name=f"flowsery-sandbox-{httpd.server_address[1]}",
            daemon=True,
        )
        self._httpd, self._thread = httpd, thread
        thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening, close the socket, end open connections; safe to call twice."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.abort_connections()
        if thread is not None:
            thread.join(timeout)
        deadline = time.monotonic() + timeout
        while httpd.active_connections() and time.monotonic() < deadline:
            time.sleep(0.02)
        self._stopped.set()

    def serve_forever(self) -> None:
        """Start if needed and block until stop() is called from another thread."""
        if self._httpd is None:
            self.start()
        self._stopped.wait()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
