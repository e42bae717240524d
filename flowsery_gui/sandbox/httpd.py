"""The sandbox's threading HTTP server: connection slots, whole-request deadlines, closing.

A slot per connection (over the limit: 503 at once), reads bounded by a per-read timeout and a
deadline for the whole request from its first byte (so clients that trickle a header line
now and then cannot hold every slot), and a graceful close that does not reset an answer.
"""

from __future__ import annotations

import contextlib
import io
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from flowsery_gui.i18n import source_language
from flowsery_gui.sandbox.collector import Collector
from flowsery_gui.sandbox.store import GoalStore
from flowsery_gui.sandbox.wire import LINGER_SECONDS, error_body, json_bytes


class Sandbox(Protocol):
    """What the server and its handlers read from the sandbox object (SandboxServer)."""

    api_key: str
    error_shape: str
    timezone: str
    request_timeout: float
    request_deadline: float
    max_connections: int
    quiet: bool
    network: bool
    store: GoalStore
    collector: Collector

    def now(self) -> datetime:
        """The sandbox clock (the real time plus any test skew)."""
        ...


class DeadlineReader(io.RawIOBase):
    """A socket's reading side where each read waits at most the per-read timeout and never
    past the current request's deadline (TimeoutError then).

    The socket's timeout is only changed when the deadline is nearer than the per-read
    timeout by more than SLACK seconds (a read may so end up to SLACK after the deadline):
    a quick request costs no extra system call.
    """

    SLACK = 0.25

    def __init__(self, sock: socket.socket, timeout: float, deadline_seconds: float) -> None:
        super().__init__()
        self._sock = sock
        self.timeout = timeout
        self.deadline_seconds = deadline_seconds
        self.deadline: float | None = None  # None: waiting for a request's first byte
        self._current = timeout  # what the socket's timeout is now
        sock.settimeout(timeout)

    def readable(self) -> bool:
        """Always: this is the reading side."""
        return True

    def start_request(self) -> None:
        """Between requests: the next deadline starts with the next request's first byte."""
        self.deadline = None
        self.relax()

    def arm(self) -> None:
        """Start the deadline now unless a first byte already started it."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.deadline_seconds

    def relax(self) -> None:
        """Give the socket back its plain per-call timeout (before writing an answer)."""
        if self._current != self.timeout:
            self._sock.settimeout(self.timeout)
            self._current = self.timeout

    def readinto(self, buffer: Any) -> int:
        """Read what arrives, waiting no longer than allowed."""
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("The request took longer than its deadline.")
            if left < self._current - self.SLACK:
                self._sock.settimeout(left)
                self._current = left
        count = self._sock.recv_into(buffer)
        if count:
            self.arm()
        return count


class SandboxHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a slot limit, connection tracking and a graceful close."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # listen backlog: socketserver's 5 resets bursts of clients

    def __init__(
        self,
        sandbox: Sandbox,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
    ) -> None:
        self.sandbox = sandbox
        self.stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(sandbox.max_connections)
        self._connections: set[socket.socket] = set()
        self._aborted: set[socket.socket] = set()
        self._lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def server_bind(self) -> None:
        """Bind without the reverse DNS lookup HTTPServer does (slow on some networks)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to a thread if a slot is free, else answer 503 at once."""
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        with self._lock:
            self._connections.add(request)
        try:
            super().process_request(request, client_address)
        except RuntimeError:  # could not start a thread
            self._forget(request)
            self._refuse_busy(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Run the handler in English (answers are wire text, whoever runs the sandbox), then
        free the slot whatever happened."""
        try:
            with source_language():
                super().process_request_thread(request, client_address)
        finally:
            self._forget(request)

    def _forget(self, request: socket.socket) -> None:
        with self._lock:
            self._connections.discard(request)
            self._aborted.discard(request)
        self._slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        self.sandbox.collector.count_busy()
        body = json_bytes(
            error_body(503, ["The sandbox is busy; try again."], self.sandbox.error_shape)
        )
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            request.settimeout(0.5)
            request.sendall(head.encode("ascii") + body)
            request.shutdown(socket.SHUT_WR)
            request.setblocking(False)
            with contextlib.suppress(OSError):
                while request.recv(65536):  # discard what already arrived, never wait
                    pass
        request.close()

    def abort(self, request: socket.socket) -> None:
        """Mark a connection to be closed with a TCP reset instead of a graceful close."""
        request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with self._lock:
            self._aborted.add(request)

    def shutdown_request(self, request: Any) -> None:
        """Close gracefully: send FIN, discard late client bytes briefly, then close.

        Closing a socket with unread bytes in it sends a TCP reset, which can destroy the
        answer before the client reads it (a 413 sent without reading the body, say).
        """
        with self._lock:
            aborted = request in self._aborted
        if not aborted:
            try:
                request.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            else:
                self._linger(request)
        self.close_request(request)

    def _linger(self, request: socket.socket) -> None:
        deadline = time.monotonic() + LINGER_SECONDS
        with contextlib.suppress(OSError):
            while not self.stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                request.settimeout(min(left, 0.2))
                try:
                    if not request.recv(65536):
                        break
                except TimeoutError:
                    continue

    def abort_connections(self) -> None:
        """Wake every handler thread by shutting its socket down (used by stop)."""
        with self._lock:
            connections = list(self._connections)
        for request in connections:
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)

    def active_connections(self) -> int:
        """How many connections are being handled right now."""
        with self._lock:
            return len(self._connections)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Last-resort report: clients that vanish are normal; anything else is a bug."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"flowsery sandbox: error while handling {client_address}:", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
