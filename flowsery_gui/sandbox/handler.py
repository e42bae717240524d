"""One connection's plumbing: deadlines, answers, body reading, and the collector's record.

The routes themselves live in `routes.py`; this base class reads requests within their
deadline, writes answers in the current error shape, and stores the record of each request
(masked) just before its answer goes out, so whoever got an answer can already read it back.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
from collections.abc import Iterable
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from flowsery_gui import version
from flowsery_gui.sandbox.access import authorization_problem, presented_key
from flowsery_gui.sandbox.collector import Masker, Received, verdict_summary
from flowsery_gui.sandbox.httpd import DeadlineReader, SandboxHTTPServer
from flowsery_gui.sandbox.wire import (
    ACCEPTED_CHARSETS,
    ACCEPTED_CONTENT_TYPE,
    INSPECTION_PATHS,
    MAX_BODY_BYTES,
    MAX_NUMBER_DIGITS,
    error_body,
    json_bytes,
    reason_phrase,
)

#: What a Content-Length of more than MAX_NUMBER_DIGITS digits counts as (never int()-ed).
TOO_LONG = 10**MAX_NUMBER_DIGITS


class Abort(Exception):
    """Stop handling this request; the connection is closed without more output."""


@functools.cache
def _package_version() -> str:
    return version()


class BaseHandler(BaseHTTPRequestHandler):
    """One connection: deadlines, answers in the error shape, body reading, the record."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm holds the
    # body back for ~40 ms on every kept-alive request after the first.
    disable_nagle_algorithm = True
    server_version = "FlowserySandbox"
    server: SandboxHTTPServer

    # Per-request state, reset by _reset_request_state().
    _shape: str
    _extra_headers: list[tuple[str, str]]
    _body_pending: bool
    _expect_continue: bool
    _got: Received | None
    _stored: bytes | None
    _verdict: dict[str, Any] | None
    _log_code: int | None
    _chunked: bool
    _header_table: dict[str, list[str]] | None

    def setup(self) -> None:
        """Read through a DeadlineReader: no read waits past the request's deadline."""
        self._reset_request_state()
        super().setup()
        sandbox = self.server.sandbox
        self.rfile.close()  # the socket's own file: it would keep the socket open
        self._reader = DeadlineReader(
            self.connection, sandbox.request_timeout, sandbox.request_deadline
        )
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        """Serve one request; then tell listeners and log it, whatever happened."""
        self._reader.start_request()
        self._reset_request_state()
        self.command, self.path, self.requestline = "", "", ""  # none left from the last one
        try:
            super().handle_one_request()
        finally:
            self._finish_request()

    def parse_request(self) -> bool:
        """Forget the previous request's state (keep-alive), then parse this one."""
        self._reader.arm()
        self._reset_request_state()
        self._received()
        self.path = ""
        self.headers = http.client.HTTPMessage()
        return super().parse_request()

    def _reset_request_state(self) -> None:
        self._shape = self.server.sandbox.error_shape
        self._extra_headers = []
        self._body_pending = False
        self._expect_continue = False
        self._got = None
        self._stored = None
        self._verdict = None
        self._log_code = None
        self._logged = False
        self._chunked = False
        self._header_table = None

    def _received(self) -> Received:
        """The record under way for this request (started on first use)."""
        if self._got is None:
            client = self.client_address
            host = f"[{client[0]}]" if ":" in str(client[0]) else str(client[0])
            self._got = Received(time=self.server.sandbox.now(), client=f"{host}:{client[1]}")
        return self._got

    def _header_values(self, name: str) -> list[str]:
        """Every value of a request header, any case (from a table built once per request)."""
        table = self._header_table
        if table is None:
            table = {}
            for key, value in self.headers.items():
                table.setdefault(key.lower(), []).append(value)
            self._header_table = table
        return table.get(name.lower(), [])

    def _header(self, name: str) -> str | None:
        """The first value of a request header, or None."""
        values = self._header_values(name)
        return values[0] if values else None

    # -- plumbing ------------------------------------------------------------------------

    def version_string(self) -> str:
        """The Server header: the sandbox and its version (read on the first request, not at
        start-up: the package metadata costs memory an idle window need not pay)."""
        return f"{self.server_version}/{_package_version()}"

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request on stderr, unless quiet; never any header value."""
        if not self.server.sandbox.quiet:
            super().log_message(format, *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Keep the status for the line written once the request is done (with its verdict)."""
        self._log_code = int(code) if isinstance(code, int) else None

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
        declared = self._header("Content-Length")
        self._chunked = "chunked" in (self._header("Transfer-Encoding") or "").lower()
        pending = declared is not None and declared.strip() not in ("", "0")
        self._body_pending = self._chunked or pending
        got = self._received()
        got.method, got.path, _, got.query = self.command, *self.path.partition("?")
        got.headers = list(self.headers.items())
        length = self._declared_length()
        got.body_bytes = None if length is None or length >= TOO_LONG else length
        if length == 0:
            got.body = b""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "application/json; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
        length: int | None = None,
    ) -> None:
        self._discard_body()  # a small body still unread: into the record, off the socket
        self._reader.relax()
        if self._body_pending:
            self.close_connection = True  # the unread body would be read as the next request
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        no_body = self.command == "HEAD" or status in (204, 304)
        if not no_body:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self._common_headers(headers)
        self._store_record(status, body)
        # Logged before the answer leaves: a client that sends its next request as soon as it
        # has this answer finds the lines in the order it sent them.
        self._log_line()
        self.end_headers()
        if not no_body:
            self.wfile.write(body)

    def _send_stream(
        self, status: int, pieces: Iterable[bytes], headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        """An answer written piece by piece (chunked; HTTP/1.0: until the connection closes)."""
        self._reader.relax()
        chunked = self.request_version != "HTTP/1.0"
        if not chunked:
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self._common_headers(headers)
        self.end_headers()
        for piece in pieces:
            self.wfile.write(b"%X\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _common_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        self.send_header("Cache-Control", "no-store")
        for name, value in [*headers, *self._extra_headers]:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")

    def _send_json(self, status: int, value: Any, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._send(status, json_bytes(value), headers=headers)

    def _error(self, status: int, *messages: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._send_json(status, error_body(status, messages, self._shape), headers)

    # -- the record ----------------------------------------------------------------------

    def _store_record(self, status: int | None, answer: bytes, outcome: str = "") -> None:
        """Keep the record of this request once (not for the inspection routes)."""
        got = self._got
        if got is None or self._stored is not None:
            return
        if not got.method:  # http.server refused the request line before our dispatch
            got.method, got.path = self.command or "", self.path
        if got.path in INSPECTION_PATHS:
            return
        got.status, got.answer = status, answer
        if outcome:
            got.outcome = outcome
        sandbox = self.server.sandbox
        masker = Masker([sandbox.api_key, presented_key(self._header("Authorization")) or ""])
        self._stored, self._verdict = sandbox.collector.store(got, masker)

    def _finish_request(self) -> None:
        got = self._got
        if got is not None and got.method and self._stored is None and self._log_code is None:
            self._store_record(None, b"", got.outcome if got.outcome != "answered" else "no answer")
        if self._stored is not None:
            self.server.sandbox.collector.notify(self._stored)
        self._log_line()

    def _log_line(self) -> None:
        """The request's one line, with its verdict (once; not for a request never answered
        nor stored)."""
        if self._logged or (self._log_code is None and self._stored is None):
            return
        self._logged = True
        line = self.requestline.replace(self.server.sandbox.api_key, "…")
        code = "-" if self._log_code is None else str(self._log_code)
        self.log_message('"%s" %s -%s', line, code, verdict_summary(self._verdict))

    # -- auth and body -------------------------------------------------------------------

    def _authorized(self) -> bool:
        """Answer 401 and return False unless the request carries this sandbox's key."""
        problem = authorization_problem(self._header("Authorization"), self.server.sandbox.api_key)
        if problem:
            self._error(401, problem, headers=[("WWW-Authenticate", "Bearer")])
        return problem is None

    def _content_type_error(self) -> str | None:
        raw = self._header("Content-Type")
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

    def _declared_length(self) -> int | None:
        """The one Content-Length, or None when absent, repeated differently or not a number.

        A number too long to read (5,000 digits, say) is TOO_LONG, larger than any body.
        """
        values = {value.strip() for value in self._header_values("Content-Length")}
        if len(values) != 1:
            return None
        text = values.pop()
        if not text or not text.isascii() or not text.isdigit():
            return None
        digits = text.lstrip("0") or "0"
        return TOO_LONG if len(digits) > MAX_NUMBER_DIGITS else int(digits)

    def _read_body(self) -> bytes | None:
        """The body, read exactly; None after answering 400/411/413 or losing the client."""
        if self._chunked:
            self._error(411, "Send the body with a Content-Length header (chunked is not read).")
            return None
        if not self._header_values("Content-Length"):
            self._error(411, "A Content-Length header is required.")
            return None
        length = self._declared_length()
        if length is None:
            self._error(400, "The Content-Length header is not a single whole number.")
            return None
        if length > MAX_BODY_BYTES:
            size = "too large to count" if length >= TOO_LONG else f"{length} bytes"
            self._error(413, f"The body is {size}; the sandbox reads at most {MAX_BODY_BYTES}.")
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
            raise Abort
        self._body_pending = False
        self._received().body = body
        return body

    def _discard_body(self) -> None:
        """Read a small body still unread (for the record, and so the answer is not lost to
        a TCP reset); never one the client holds back for `100 Continue`."""
        length = self._declared_length() if self._body_pending else None
        if length is None or not 0 < length <= MAX_BODY_BYTES or self._expect_continue:
            return
        if self._chunked:
            return
        with contextlib.suppress(OSError):
            body = self.rfile.read(length)
            if len(body) == length:
                self._body_pending = False
                self._received().body = body

    def _now(self) -> datetime:
        return self.server.sandbox.now()
