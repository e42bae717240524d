"""The contract-faithful local sandbox: a real HTTP server on loopback, standard library only.

It implements `contract.md` with the same rule set as the app (`flowsery_gui.contract`):

  POST   /api/v1/goals       create a goal (auth, JSON body, contract check, HTML stripped
                             from stored metadata values)
  GET    /api/v1/metadata    the website this key belongs to
  DELETE /api/v1/goals       ?name=&visitorId=&startAt=&endAt= (ISO 8601); 400 with no filter
  GET    /sandbox/goals      what was stored, oldest first (no auth: local inspection only)
  DELETE /sandbox/goals      forget everything stored; answers how many were removed

Errors come in the two documented shapes, chosen server-wide (`error_shape`) or per request:
  envelope  {"status":"error","error":{"code":400,"message":"..."}}
  nest      {"statusCode":400,"message":"..." or ["...", "..."],"error":"Bad Request"}

Fault injection: a request to an /api/v1 route may carry `X-Sandbox-Fault` with
comma-separated tokens (combinable; a fault answers *instead of* processing, before the key
check, and nothing is stored):
  delay=SECONDS     wait that long before answering (float, at most 60; other connections
                    are served meanwhile)
  status=CODE       answer CODE (200-599) with an error body in the current shape; a 2xx
                    code gets the route's success body (nothing is stored)
  retry-after=N     add `Retry-After: N` (whole seconds) to the answer, e.g. with status=429
  drop              close the connection without any answer
  reset             abort the connection with a TCP reset (SO_LINGER 0)
  garbage           200, Content-Type application/json, a malformed body: {"status": "succ
  html              502 with an HTML error page (text/html)
  text              500 with a plain-text body
  empty             200 with an empty body
  partial           200 whose Content-Length is larger than the body sent, then close
  redirect=URL      307 to URL (http://, https:// or /path; no commas)
  redirect-loop     307 to /sandbox/redirect-loop, which redirects to itself forever
  shape=nest|envelope   the error shape for this request
`status=` also sets the status of garbage, html, text, empty and partial, and must be a 3xx
code with redirect=; it cannot be combined with drop, reset or redirect-loop. Give at most
one of drop, reset, garbage, html, text, empty, partial, redirect, redirect-loop. An unknown
or malformed token gets a 400 that names it.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import http
import json
import math
import secrets
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flowsery_gui import contract, version

# --- Assumptions (the vendor is silent; ours, named, in one place) ---------------------------
#: POST bodies must say `Content-Type: application/json` (parameters allowed; a charset, when
#: given, must be UTF-8). Anything else gets 400 before the body is read.
ACCEPTED_CONTENT_TYPE = "application/json"
ACCEPTED_CHARSETS = frozenset({"utf-8", "utf8"})
#: Bodies larger than this get 413 without being read, and the connection is closed.
MAX_BODY_BYTES = 64 * 1024
#: DELETE filters: a time without an offset is UTC; startAt and endAt are both inclusive.
ASSUME_NAIVE_TIME_IS_UTC = True
UTC_ZONE = timezone.utc

# --- Sandbox limits and fixed answers ---------------------------------------------------------
FAULT_HEADER = "X-Sandbox-Fault"
ERROR_SHAPES = ("envelope", "nest")
MAX_STORED_GOALS = 10_000  # oldest dropped first
MAX_FAULT_DELAY_SECONDS = 60.0
DEFAULT_REQUEST_TIMEOUT = 10.0  # per-connection socket timeout (slow or silent clients)
DEFAULT_MAX_CONNECTIONS = 64  # concurrent handler threads; over it: 503 at once
DEFAULT_TIMEZONE = "Europe/Paris"
SANDBOX_DOMAIN = "sandbox.flowsery.test"
SANDBOX_KEY_PREFIX = "flow_sandbox_"
LINGER_SECONDS = 1.0  # after our answer, how long unread client bytes are discarded
GOALS_INSPECT_PATH = "/sandbox/goals"
REDIRECT_LOOP_PATH = "/sandbox/redirect-loop"
DELETE_PATH = contract.GOALS_PATH

CREATED_BODY: dict[str, Any] = {
    "status": "success",
    "data": [{"message": "Goal created successfully"}],
}
GARBAGE_BODY = b'{"status": "succ'
HTML_PAGE = (
    "<html><head><title>{code} {reason}</title></head><body>"
    "<center><h1>{code} {reason}</h1></center><hr><center>sandbox</center></body></html>\n"
)

ROUTES: dict[str, tuple[str, ...]] = {
    contract.GOALS_PATH: ("POST", "DELETE"),
    contract.METADATA_PATH: ("GET",),
    GOALS_INSPECT_PATH: ("GET", "DELETE"),
    REDIRECT_LOOP_PATH: ("GET", "POST", "PUT", "PATCH", "DELETE"),
}
_SANDBOX_ROUTES = (GOALS_INSPECT_PATH, REDIRECT_LOOP_PATH)


def reason_phrase(status: int) -> str:
    """The standard reason phrase for a status code (`Bad Request`), `Error` when unknown."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, messages: Iterable[str], shape: str) -> dict[str, Any]:
    """An error body in one of the two documented shapes (see the module docstring)."""
    texts = list(messages) or [reason_phrase(status)]
    if shape == "nest":
        message: str | list[str] = texts[0] if len(texts) == 1 else texts
        return {"statusCode": status, "message": message, "error": reason_phrase(status)}
    return {"status": "error", "error": {"code": status, "message": "; ".join(texts)}}


def finding_text(finding: contract.Finding) -> str:
    """A finding as one line for an error body: `metadata.plan: Metadata values are ...`."""
    return f"{finding.path}: {finding.message}" if finding.path else finding.message


def utc_now_iso() -> str:
    """The current time as ISO 8601 UTC with milliseconds (`2024-05-01T12:00:00.123Z`)."""
    now = datetime.now(UTC_ZONE)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def parse_iso_time(text: str) -> datetime:
    """An ISO 8601 time as an aware datetime; raise ValueError when it is not one."""
    text = text.strip()
    if text[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat does not read the Z suffix
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None and ASSUME_NAIVE_TIME_IS_UTC:
        value = value.replace(tzinfo=UTC_ZONE)
    return value


# --- Fault injection --------------------------------------------------------------------------

_ACTIONS = (
    "drop",
    "reset",
    "garbage",
    "html",
    "text",
    "empty",
    "partial",
    "redirect",
    "redirect-loop",
)
_DEFAULT_ACTION_STATUS = {"garbage": 200, "html": 502, "text": 500, "empty": 200, "partial": 200}
_NO_STATUS_ACTIONS = frozenset({"drop", "reset", "redirect-loop"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FaultError(ValueError):
    """The fault header holds a token the sandbox does not know or cannot honour."""


@dataclass(frozen=True)
class Faults:
    """What one request asked the sandbox to do wrong (see the module docstring)."""

    delay: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    action: str | None = None
    redirect_to: str | None = None
    shape: str | None = None

    @property
    def replaces_processing(self) -> bool:
        """True when the fault answers instead of the route."""
        return self.action is not None or self.status is not None


def parse_faults(header: str) -> Faults:
    """Parse an `X-Sandbox-Fault` value; raise FaultError naming the offending token."""
    values: dict[str, Any] = {}
    actions: list[str] = []
    for raw in header.split(","):
        token = raw.strip()
        if not token:
            continue
        name, has_value, value = token.partition("=")
        name, value = name.strip().lower(), value.strip()
        if name in _ACTIONS and name != "redirect":
            if has_value:
                raise FaultError(f"Fault token {token!r} takes no value.")
            actions.append(name)
        elif name == "redirect":
            values["redirect_to"] = _redirect_target(token, value)
            actions.append(name)
        elif name == "delay":
            values["delay"] = _delay(token, value)
        elif name == "status":
            values["status"] = _int_in(token, value, 200, 599)
        elif name == "retry-after":
            values["retry_after"] = _int_in(token, value, 0, 10**9)
        elif name == "shape":
            if value not in ERROR_SHAPES:
                raise FaultError(f"Fault token {token!r}: shape is nest or envelope.")
            values["shape"] = value
        else:
            raise FaultError(
                f"Unknown fault token {token!r}. Known: delay=, status=, retry-after=, shape=, "
                + ", ".join(a if a != "redirect" else "redirect=" for a in _ACTIONS)
                + "."
            )
    if len(set(actions)) > 1:
        raise FaultError(f"Choose one of these faults, not several: {', '.join(actions)}.")
    action = actions[0] if actions else None
    status = values.get("status")
    if status is not None and action in _NO_STATUS_ACTIONS:
        raise FaultError(f"The fault {action} sends no status; leave out status=.")
    if status is not None and action == "redirect" and status not in _REDIRECT_STATUSES:
        raise FaultError("redirect= needs a redirect status: 301, 302, 303, 307 or 308.")
    return Faults(action=action, **values)


def _delay(token: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise FaultError(f"Fault token {token!r}: delay is a number of seconds.") from None
    if math.isnan(seconds) or seconds < 0:
        raise FaultError(f"Fault token {token!r}: delay must be 0 or more seconds.")
    return min(seconds, MAX_FAULT_DELAY_SECONDS)


def _int_in(token: str, value: str, low: int, high: int) -> int:
    if not value.isascii() or not value.isdigit():
        raise FaultError(f"Fault token {token!r}: expected a whole number.")
    number = int(value)
    if not low <= number <= high:
        raise FaultError(f"Fault token {token!r}: expected a number from {low} to {high}.")
    return number


def _redirect_target(token: str, value: str) -> str:
    if not value.startswith(("http://", "https://", "/")) or any(
        ch.isspace() or not ch.isprintable() for ch in value
    ):
        raise FaultError(f"Fault token {token!r}: redirect= needs http://, https:// or /path.")
    return value


# --- The store --------------------------------------------------------------------------------


class GoalStore:
    """The goals the sandbox accepted, oldest first, capped; safe to share between threads."""

    def __init__(self, capacity: int = MAX_STORED_GOALS) -> None:
        self._goals: deque[dict[str, Any]] = deque(maxlen=capacity)
        self._lock = threading.Lock()
        self._next_id = 1

    def add(self, goal: dict[str, Any]) -> dict[str, Any]:
        """Keep a goal (with an id and receivedAt added); return what was stored."""
        with self._lock:
            stored = {"id": self._next_id, "receivedAt": utc_now_iso(), **goal}
            self._next_id += 1
            self._goals.append(stored)
            return dict(stored)

    def all(self) -> list[dict[str, Any]]:
        """Copies of every stored goal, oldest first."""
        with self._lock:
            return [dict(goal) for goal in self._goals]

    def clear(self) -> int:
        """Forget everything; return how many goals were removed."""
        with self._lock:
            count = len(self._goals)
            self._goals.clear()
            return count

    def delete(self, keep: Callable[[dict[str, Any]], bool]) -> int:
        """Remove the goals for which `keep` is False; return how many were removed."""
        with self._lock:
            kept = [goal for goal in self._goals if keep(goal)]
            removed = len(self._goals) - len(kept)
            self._goals.clear()
            self._goals.extend(kept)
            return removed


# --- The HTTP server --------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a slot limit, connection tracking and a graceful close."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # listen backlog: socketserver's 5 resets bursts of clients

    def __init__(self, sandbox: SandboxServer, address: tuple[str, int]) -> None:
        self.sandbox = sandbox
        self.stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(sandbox.max_connections)
        self._connections: set[socket.socket] = set()
        self._aborted: set[socket.socket] = set()
        self._lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

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
        """Run the handler, then free the slot whatever happened."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._forget(request)

    def _forget(self, request: socket.socket) -> None:
        with self._lock:
            self._connections.discard(request)
            self._aborted.discard(request)
        self._slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        body = _json_bytes(
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


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Abort(Exception):
    """Internal: stop handling this request; the connection is closed without more output."""


@functools.cache
def _package_version() -> str:
    return version()


class _Handler(BaseHTTPRequestHandler):
    """One connection: routes, the key check, body reading, faults, error shapes."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm holds the
    # body back for ~40 ms on every kept-alive request after the first.
    disable_nagle_algorithm = True
    server_version = "FlowserySandbox"
    server: _HTTPServer

    # Per-request state, reset by _reset_request_state().
    _shape: str
    _extra_headers: list[tuple[str, str]]
    _body_pending: bool
    _expect_continue: bool

    def setup(self) -> None:
        """Apply the per-connection socket timeout before anything is read."""
        self._reset_request_state()
        super().setup()
        self.connection.settimeout(self.server.sandbox.request_timeout)

    def parse_request(self) -> bool:
        """Forget the previous request's state (keep-alive), then parse this one."""
        self._reset_request_state()
        return super().parse_request()

    def _reset_request_state(self) -> None:
        self._shape = self.server.sandbox.error_shape
        self._extra_headers = []
        self._body_pending = False
        self._expect_continue = False

    # -- plumbing ------------------------------------------------------------------------

    def version_string(self) -> str:
        """The Server header: the sandbox and its version (read on the first request, not at
        start-up: the package metadata costs memory an idle window need not pay)."""
        return f"{self.server_version}/{_package_version()}"

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request on stderr, unless quiet; never any header value."""
        if not self.server.sandbox.quiet:
            super().log_message(format, *args)

    def handle_expect_100(self) -> bool:
        """Defer `100 Continue` until the body is really wanted (never for a 401 or 413)."""
        self._expect_continue = True
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, 501...) in our JSON shape."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # a garbled request line: still answer in HTTP/1
            self.request_version = "HTTP/1.0"
        self._send_json(code, error_body(code, [message or reason_phrase(code)], self._shape))

    def _begin(self) -> None:
        length = self.headers.get("Content-Length")
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        self._body_pending = chunked or (length is not None and length.strip() not in ("", "0"))

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "application/json; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
        length: int | None = None,
    ) -> None:
        if self._body_pending:
            self.close_connection = True  # the unread body would be read as the next request
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        no_body = self.command == "HEAD" or status in (204, 304)
        if not no_body:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Cache-Control", "no-store")
        for name, value in [*headers, *self._extra_headers]:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not no_body:
            self.wfile.write(body)

    def _send_json(self, status: int, value: Any, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._send(status, _json_bytes(value), headers=headers)

    def _error(self, status: int, *messages: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._send_json(status, error_body(status, messages, self._shape), headers)

    # -- dispatch ------------------------------------------------------------------------

    def do_GET(self) -> None:
        """Dispatch a GET."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        self._begin()
        try:
            self._route()
        except _Abort:
            self.close_connection = True
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:  # last-resort boundary: a sandbox bug answers 500, never a hang
            self.close_connection = True
            traceback.print_exc(file=sys.stderr)
            with contextlib.suppress(OSError):
                self._error(500, "The sandbox failed on this request (a bug; see its log).")

    def _route(self) -> None:
        url = urlsplit(self.path)
        path = url.path
        allowed = ROUTES.get(path)
        if path not in _SANDBOX_ROUTES:
            raw_faults = ",".join(self.headers.get_all(FAULT_HEADER) or [])
            try:
                faults = parse_faults(raw_faults)
            except FaultError as exc:
                self._error(400, str(exc))
                return
            if faults.shape:
                self._shape = faults.shape
        else:
            faults = Faults()
        if allowed is None:
            self._error(404, f"Cannot {self.command} {path}")
            return
        if self.command not in allowed:
            self._error(
                405,
                f"{self.command} is not allowed on {path}; use {', '.join(allowed)}.",
                headers=[("Allow", ", ".join(allowed))],
            )
            return
        if faults.retry_after is not None:
            self._extra_headers.append(("Retry-After", str(faults.retry_after)))
        if faults.delay and self.server.stopping.wait(faults.delay):
            raise _Abort
        if faults.replaces_processing:
            self._fault(faults, path)
            return
        handler = {
            ("POST", contract.GOALS_PATH): self._create_goal,
            ("DELETE", contract.GOALS_PATH): self._delete_goals,
            ("GET", contract.METADATA_PATH): self._metadata,
            ("GET", GOALS_INSPECT_PATH): self._inspect,
            ("DELETE", GOALS_INSPECT_PATH): self._reset,
        }.get((self.command, path), self._redirect_loop)
        handler(url.query)

    # -- faults --------------------------------------------------------------------------

    def _fault(self, faults: Faults, path: str) -> None:
        self._discard_body()
        self.close_connection = True
        action = faults.action
        status = faults.status or _DEFAULT_ACTION_STATUS.get(action or "", 200)
        if action == "drop":
            raise _Abort
        if action == "reset":
            self.server.abort(self.connection)
            raise _Abort
        if action == "garbage":
            self._send(status, GARBAGE_BODY)
        elif action == "html":
            page = HTML_PAGE.format(code=status, reason=reason_phrase(status))
            self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")
        elif action == "text":
            text = f"{status} {reason_phrase(status)}: the sandbox was asked to fail (text).\n"
            self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8")
        elif action == "empty":
            self._send(status, b"", None)
        elif action == "partial":
            body = _json_bytes(self._success_body(path))
            self._send(status, body[: len(body) // 2], length=len(body))
            self.wfile.flush()
            raise _Abort
        elif action == "redirect":
            self._send_json(
                faults.status or 307,
                {"message": "Redirected by the sandbox fault redirect="},
                headers=[("Location", faults.redirect_to or "/")],
            )
        elif action == "redirect-loop":
            self._redirect_loop("")
        elif 200 <= status < 300:
            self._send_json(status, self._success_body(path))
        else:
            self._error(
                status, f"The sandbox was asked to answer {status} (fault status={status})."
            )

    def _success_body(self, path: str) -> dict[str, Any]:
        if path == contract.METADATA_PATH:
            return self._metadata_body()
        if self.command == "DELETE":
            return _deleted_body(0)
        return CREATED_BODY

    def _redirect_loop(self, _query: str) -> None:
        self._discard_body()
        self.close_connection = True
        self._send_json(
            307,
            {"message": "Redirected by the sandbox fault redirect-loop"},
            headers=[("Location", REDIRECT_LOOP_PATH)],
        )

    # -- auth and body -------------------------------------------------------------------

    def _authorized(self) -> bool:
        """Answer 401 and return False unless the request carries this sandbox's key."""
        header = self.headers.get("Authorization")
        if header is None or not header.strip():
            message = "Missing Authorization header: send 'Authorization: Bearer <API key>'."
        else:
            scheme, _, key = header.strip().partition(" ")
            key = key.strip()
            if scheme.lower() != "bearer" or not key:
                message = "The Authorization header must be 'Bearer <API key>'."
            elif not key.startswith(contract.KEY_PREFIX):
                message = f"Invalid API key: Flowsery keys start with {contract.KEY_PREFIX}."
            elif not hmac.compare_digest(
                key.encode("utf-8", "replace"), self.server.sandbox.api_key.encode("utf-8")
            ):
                message = "Invalid API key: it is not the key this sandbox was started with."
            else:
                return True
        self._error(401, message, headers=[("WWW-Authenticate", "Bearer")])
        return False

    def _content_type_error(self) -> str | None:
        raw = self.headers.get("Content-Type")
        if raw is None:
            return f"Missing Content-Type header: send 'Content-Type: {ACCEPTED_CONTENT_TYPE}'."
        media, *params = (part.strip() for part in raw.split(";"))
        if media.lower() != ACCEPTED_CONTENT_TYPE:
            return f"Unsupported Content-Type {media[:100]!r}: send {ACCEPTED_CONTENT_TYPE}."
        for param in params:
            name, _, value = param.partition("=")
            charset = value.strip().strip('"').lower()
            if name.strip().lower() == "charset" and charset not in ACCEPTED_CHARSETS:
                return "The body must be UTF-8 JSON: use charset=utf-8 or no charset."
        return None

    def _read_body(self) -> bytes | None:
        """The body, read exactly; None after answering 400/411/413 or losing the client."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._error(411, "Send the body with a Content-Length header (chunked is not read).")
            return None
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            self._error(411, "A Content-Length header is required.")
            return None
        values = {value.strip() for value in lengths}
        if len(values) != 1 or not all(v.isascii() and v.isdigit() for v in values):
            self._error(400, "The Content-Length header is not a single whole number.")
            return None
        length = int(values.pop())
        if length > MAX_BODY_BYTES:
            self._error(
                413, f"The body is {length} bytes; the sandbox reads at most {MAX_BODY_BYTES}."
            )
            return None
        if self._expect_continue:
            self._expect_continue = False
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self._error(408, "The body did not arrive in time.")
            return None
        if len(body) < length:  # the client went away mid-body: nobody to answer
            raise _Abort
        self._body_pending = False
        return body

    def _discard_body(self) -> None:
        """Read and drop a small body so the answer is not lost to a TCP reset."""
        lengths = self.headers.get_all("Content-Length") or []
        if not self._body_pending or len(lengths) != 1 or not lengths[0].strip().isdigit():
            return
        length = int(lengths[0].strip())
        if 0 < length <= MAX_BODY_BYTES and not self._expect_continue:
            with contextlib.suppress(OSError):
                if len(self.rfile.read(length)) == length:
                    self._body_pending = False

    # -- routes --------------------------------------------------------------------------

    def _create_goal(self, _query: str) -> None:
        if not self._authorized():
            return
        problem = self._content_type_error()
        if problem:
            self._error(400, problem)
            return
        raw = self._read_body()
        if raw is None:
            return
        try:
            parsed = contract.parse_body(raw)
        except contract.NotJSON as exc:
            self._error(400, str(exc))
            return
        report = contract.check_body(parsed.value, parsed.duplicate_keys)
        if not report.ok or report.body is None:
            self._error(400, *(finding_text(f) for f in report.errors))
            return
        goal = {k: v for k, v in report.body.items() if k in contract.KNOWN_FIELDS}
        if "metadata" in goal:
            goal["metadata"] = contract.stored_metadata(goal["metadata"])
        self.server.sandbox.store.add(goal)
        self._send_json(200, CREATED_BODY)

    def _metadata(self, _query: str) -> None:
        if self._authorized():
            self._send_json(200, self._metadata_body())

    def _metadata_body(self) -> dict[str, Any]:
        site = {
            "domain": SANDBOX_DOMAIN,
            "timezone": self.server.sandbox.timezone,
            "name": "Flowsery Sandbox",
            "logo": None,
            "kpiColorScheme": "default",
            "kpi": None,
            "currency": "USD",
        }
        return {"status": "success", "data": [site]}

    def _delete_goals(self, query: str) -> None:
        if not self._authorized():
            return
        try:
            keep = _delete_filter(query)
        except ValueError as exc:
            self._error(400, str(exc))
            return
        self._send_json(200, _deleted_body(self.server.sandbox.store.delete(keep)))

    def _inspect(self, _query: str) -> None:
        self._send_json(200, self.server.sandbox.store.all())

    def _reset(self, _query: str) -> None:
        removed = self.server.sandbox.store.clear()
        self._send_json(200, {"deleted": removed, "message": "Sandbox store cleared"})


def _deleted_body(count: int) -> dict[str, Any]:
    return {
        "status": "success",
        "data": [{"deleted": count, "message": "Goal events deleted successfully"}],
    }


_DELETE_FILTERS = ("name", "visitorId", "startAt", "endAt")


def _delete_filter(query: str) -> Callable[[dict[str, Any]], bool]:
    """A `keep` predicate from DELETE query parameters; ValueError in plain words."""
    params = parse_qs(query, keep_blank_values=True)
    given: dict[str, str] = {}
    for name in _DELETE_FILTERS:
        values = [v for v in params.get(name, []) if v.strip()]
        if len(values) > 1:
            raise ValueError(f"Give {name} at most once.")
        if values:
            given[name] = values[0]
    if not given:
        raise ValueError(
            "Give at least one filter: name, visitorId, startAt or endAt "
            "(without one, every goal would be deleted)."
        )
    bounds: dict[str, datetime] = {}
    for name in ("startAt", "endAt"):
        if name in given:
            try:
                bounds[name] = parse_iso_time(given[name])
            except ValueError:
                raise ValueError(
                    f"{name} is not an ISO 8601 time (e.g. 2024-05-01T00:00:00Z)."
                ) from None
    start, end = bounds.get("startAt"), bounds.get("endAt")
    if start and end and start > end:
        raise ValueError("startAt is after endAt.")

    def matches(goal: dict[str, Any]) -> bool:
        if "name" in given and goal.get("name") != given["name"]:
            return False
        if "visitorId" in given and goal.get("visitorUid") != given["visitorId"]:
            return False
        received = parse_iso_time(goal["receivedAt"])
        return not ((start and received < start) or (end and received > end))

    return lambda goal: not matches(goal)


# --- The public object ------------------------------------------------------------------------


class SandboxServer:
    """The sandbox as an object: start it on a background thread, use `.url`, stop it."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        error_shape: str = "envelope",
        *,
        timezone: str = DEFAULT_TIMEZONE,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        quiet: bool = True,
    ) -> None:
        if error_shape not in ERROR_SHAPES:
            raise ValueError(f"error_shape must be one of {', '.join(ERROR_SHAPES)}.")
        if timezone not in contract.timezones():
            raise ValueError(f"Unknown time zone {timezone!r}: use an IANA name such as UTC.")
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1.")
        self.host = host
        self.port = port
        self.api_key = api_key or SANDBOX_KEY_PREFIX + secrets.token_urlsafe(24)
        self.error_shape = error_shape
        self.timezone = timezone
        self.request_timeout = request_timeout
        self.max_connections = max_connections
        self.quiet = quiet
        self.store = GoalStore()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def __repr__(self) -> str:
        # Never the key: a repr ends up in logs and tracebacks.
        return f"SandboxServer(host={self.host!r}, port={self.port!r}, running={self.running})"

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
        httpd = _HTTPServer(self, (self.host, self.port))  # bound and listening on return
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
