"""The HTTP client for the goals API: one call in, one `Exchange` record out, never a raise.

Network trouble is data here: every call returns an `Exchange` holding the request as sent
(key masked), then a response or a classified `Failure` in plain words. It never retries
(a retried POST is a double-counted goal), always has timeouts, never forwards the key
to another origin on a redirect and never sends it unencrypted to a remote host.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import http.client
import itertools
import socket
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from email.message import Message
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager

from flowsery_gui import version
from flowsery_gui.contract import GOALS_PATH, METADATA_PATH
from flowsery_gui.exchange import (
    Exchange,
    Failure,
    FailureKind,
    ReceivedResponse,
    SentRequest,
    mask_authorization,
    mask_key,
)
from flowsery_gui.netsafety import check_url_safety as check_url_safety
from flowsery_gui.netsafety import is_loopback_host as is_loopback_host
from flowsery_gui.request_model import serialize_body

MAX_BODY_BYTES = 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CANCELLED_POST = "Cancelled. The server may still have recorded the goal."


def default_user_agent() -> str:
    """The User-Agent naming this app and its version, as the contract asks."""
    return f"FlowseryGoalTester/{version()} (+python-requests)"


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what 'same origin' compares."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def _origin_text(url: str) -> str:
    """An origin as people read it, e.g. http://localhost:8080."""
    scheme, host, port = _origin(url)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}" if port else f"{scheme}://{shown}"


class _LiveConnections:
    """The sockets this client opened, so `cancel()` can unblock a read in another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: weakref.WeakSet[Any] = weakref.WeakSet()
        self.cancelled = threading.Event()

    def add(self, connection: Any) -> None:
        """Remember a connection (weakly: the pool owns it); a cancel beats a late connect."""
        original_connect = connection.connect

        def connect() -> None:
            if self.cancelled.is_set():
                raise ConnectionAbortedError("cancelled before connecting")
            original_connect()
            if self.cancelled.is_set():  # cancel() ran while we were connecting
                _shutdown(connection)

        connection.connect = connect
        with self._lock:
            self._connections.add(connection)

    def shutdown_all(self) -> None:
        """Shut every open socket down: a blocked recv() then returns at once."""
        with self._lock:
            self.cancelled.set()
        self.shutdown_sockets()

    def shutdown_sockets(self) -> None:
        """Shut the open sockets down without marking a cancel (the call's deadline passed)."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shutdown(connection)


def _shutdown(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing to unblock
            sock.shutdown(socket.SHUT_RDWR)


class _Tracked:
    """Mixed into a urllib3 pool: registers each new connection with its client's live set."""

    live: _LiveConnections | None = None

    def _new_conn(self) -> Any:
        connection = super()._new_conn()  # type: ignore[misc]
        if self.live is not None:
            self.live.add(connection)
        return connection


class _TrackedHTTPPool(_Tracked, HTTPConnectionPool):
    """An http pool whose sockets `cancel()` can reach."""


class _TrackedHTTPSPool(_Tracked, HTTPSConnectionPool):
    """An https pool whose sockets `cancel()` can reach."""


class _TrackingPoolManager(PoolManager):
    """A PoolManager whose pools report their connections to one `_LiveConnections`."""

    def __init__(self, live: _LiveConnections, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}

    def _new_pool(
        self,
        scheme: str,
        host: str,
        port: int,
        request_context: dict[str, Any] | None = None,
    ) -> HTTPConnectionPool:
        pool = super()._new_pool(scheme, host, port, request_context)
        if isinstance(pool, _TrackedHTTPPool | _TrackedHTTPSPool):
            pool.live = self.live
        return pool


class _NoRetryAdapter(HTTPAdapter):
    """An HTTPAdapter that never retries and whose sockets `cancel()` can reach."""

    def __init__(self, live: _LiveConnections) -> None:
        self._live = live  # before super().__init__, which builds the pool manager
        super().__init__(max_retries=0)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self.poolmanager = _TrackingPoolManager(
            self._live, num_pools=connections, maxsize=maxsize, block=block, **pool_kwargs
        )


class _StrictSession(requests.Session):
    """A Session that drops Authorization on any change of scheme, host or port."""

    def should_strip_auth(self, old_url: str, new_url: str) -> bool:
        return _origin(old_url) != _origin(new_url)


def _redirect_notes(last: requests.Response) -> list[str]:
    """One note per redirect followed, and one where the key stopped being sent."""
    chain = [*last.history, last]
    notes: list[str] = []
    for before, after in itertools.pairwise(chain):
        old, new = before.request, after.request
        if old is None or new is None:
            continue
        notes.append(f"Redirected ({before.status_code}) from {old.url} to {new.url}.")
        if "Authorization" in old.headers and "Authorization" not in new.headers:
            notes.append(
                f"The API key was not forwarded to {_origin_text(new.url or '')} "
                "(a different scheme, host or port)."
            )
    return notes


def _build_session(live: _LiveConnections, agent: str) -> _StrictSession:
    """A session with no retries, at most 5 redirects, no cookie memory and our headers."""
    session = _StrictSession()
    adapter = _NoRetryAdapter(live)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = MAX_REDIRECTS
    # Every send stands alone: a cookie set by one response must not ride on the next goal.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.headers.update({"User-Agent": agent, "Accept": "application/json"})
    return session


class _BearerAuth(requests.auth.AuthBase):
    """Adds the Bearer header; being an `auth`, it also stops requests reading ~/.netrc."""

    def __init__(self, key: str) -> None:
        self._key = key

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self._key}"
        return request

    def __repr__(self) -> str:
        return f"_BearerAuth({mask_key(self._key)})"


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes, contexts, args and urllib3 `.reason`s, each once."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack and len(seen) < 50:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(arg for arg in current.args if isinstance(arg, BaseException))
        stack.extend(item for item in linked if isinstance(item, BaseException))


def classify(exc: BaseException) -> FailureKind:
    """Which kind of failure a requests exception is, looking through its cause chain."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FailureKind.CONNECT_TIMEOUT
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return FailureKind.READ_TIMEOUT
    if isinstance(exc, requests.exceptions.SSLError):
        return FailureKind.TLS
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FailureKind.TOO_MANY_REDIRECTS
    if isinstance(
        exc,
        requests.exceptions.InvalidURL
        | requests.exceptions.MissingSchema
        | requests.exceptions.InvalidSchema
        | requests.exceptions.URLRequired,
    ):
        return FailureKind.INVALID_URL
    chain = list(_exception_chain(exc))
    if any(isinstance(e, urllib3.exceptions.ReadTimeoutError) for e in chain):
        return FailureKind.READ_TIMEOUT  # a timeout while reading the body stream
    if any(isinstance(e, urllib3.exceptions.SSLError) for e in chain):
        return FailureKind.TLS
    if any(isinstance(e, socket.gaierror | urllib3.exceptions.NameResolutionError) for e in chain):
        return FailureKind.DNS
    if any(
        isinstance(e, ConnectionRefusedError)
        or (isinstance(e, OSError) and e.errno == errno.ECONNREFUSED)
        for e in chain
    ):
        return FailureKind.REFUSED
    # urllib3's NewConnectionError subclasses ConnectTimeoutError without being a timeout.
    if any(
        isinstance(e, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(e, urllib3.exceptions.NewConnectionError)
        for e in chain
    ):
        return FailureKind.CONNECT_TIMEOUT
    reset_types = (
        http.client.RemoteDisconnected,
        http.client.IncompleteRead,
        ConnectionResetError,
        BrokenPipeError,
        ConnectionAbortedError,
        urllib3.exceptions.ProtocolError,
        urllib3.exceptions.IncompleteRead,
        requests.exceptions.ChunkedEncodingError,
    )
    if any(isinstance(e, reset_types) for e in chain):
        return FailureKind.RESET
    return FailureKind.OTHER


def _failure_message(
    kind: FailureKind, url: str, method: str, timeouts: tuple[float, float], detail: str
) -> str:
    """What happened and what to check, in plain words, for a failure kind."""
    effect = {
        "POST": " The goal may or may not have been recorded: check before sending again.",
        "DELETE": " The goals may or may not have been deleted: check before trying again.",
    }.get(method, "")
    _scheme, host, port = _origin(url)
    where = f"{host}:{port}" if port else host or url
    if kind is FailureKind.DNS:
        return (
            "The host name could not be found. "
            "Check the base URL for typos and that you are online."
        )
    if kind is FailureKind.REFUSED:
        return (
            f"The connection was refused: nothing is listening at {where}. "
            "Check the base URL and port, and that the server (or the sandbox) is running."
        )
    if kind is FailureKind.TLS:
        return (
            "The secure (TLS) connection could not be set up: the certificate was not trusted "
            "or the handshake failed. Check the host name in the base URL; a proxy or antivirus "
            "that inspects HTTPS traffic can also cause this."
        )
    if kind is FailureKind.CONNECT_TIMEOUT:
        return (
            f"No connection to {where} could be made within {timeouts[0]:g} s. "
            "Check the base URL, that you are online, and any firewall or proxy."
        )
    if kind is FailureKind.READ_TIMEOUT:
        return (
            f"The server at {where} did not answer within {timeouts[1]:g} s."
            + effect
            + " A longer timeout may help if the server is slow."
        )
    if kind is FailureKind.RESET:
        return "The connection was closed before a complete answer arrived." + effect
    if kind is FailureKind.TOO_MANY_REDIRECTS:
        return (
            f"The server redirected more than {MAX_REDIRECTS} times, probably in a loop. "
            "Check the base URL (scheme, host and path)."
        )
    if kind is FailureKind.INVALID_URL:
        return (
            "The base URL is not a valid http:// or https:// address. "
            "It should look like https://analytics.flowsery.com."
        )
    first_line = detail.splitlines()[0] if detail else "unknown error"
    return f"The request failed: {first_line[:200]}." + effect


def _charset(content_type: str | None) -> str:
    """The charset named by a Content-Type header when Python knows it, else utf-8."""
    if not content_type:
        return "utf-8"
    message = Message()
    message["content-type"] = content_type
    charset = message.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        return "utf-8"
    return charset


class GoalsClient:
    """Talks to one goals API base URL with one key; each call returns an `Exchange`."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        user_agent: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.strip().rstrip("/")
        # Surrounding spaces and line breaks (a key pasted from a CRLF .env file) are never
        # part of a key; left in, they would make the header unsendable.
        self._key = (api_key or "").strip() or None
        self.timeouts = (connect_timeout, read_timeout)
        self._live = _LiveConnections()
        self._agent = user_agent or default_user_agent()
        self._session = session or _build_session(self._live, self._agent)
        if session is not None:
            session.headers.setdefault("User-Agent", self._agent)

    def __repr__(self) -> str:
        key = mask_key(self._key) if self._key else None
        return f"GoalsClient({self.base_url!r}, key={key!r})"

    def send_goal(
        self, body: dict[str, Any], extra_headers: dict[str, str] | None = None
    ) -> Exchange:
        """POST one goal body; the compact JSON sent is the one recorded in the exchange."""
        text = serialize_body(body)  # the same text the preview and the snippets show
        headers = {"Content-Type": "application/json", **(extra_headers or {})}
        return self._call("POST", self.base_url + GOALS_PATH, headers=headers, body=text)

    def get_metadata(self) -> Exchange:
        """GET the website's metadata: proves the key works and names its website."""
        return self._call("GET", self.base_url + METADATA_PATH)

    def delete_goals(
        self,
        *,
        name: str | None = None,
        visitor_id: str | None = None,
        start_at: str | None = None,
        end_at: str | None = None,
    ) -> Exchange:
        """DELETE goal events matching a filter; refuses locally when no filter is given."""
        params = {
            key: value
            for key, value in (
                ("name", name),
                ("visitorId", visitor_id),
                ("startAt", start_at),
                ("endAt", end_at),
            )
            if value
        }
        url = self.base_url + GOALS_PATH
        if not params:
            return self._refused(
                "DELETE",
                url,
                {},
                None,
                "Not sent: deleting needs at least one filter (a goal name, a visitor ID or a "
                "time range). Without one the server would be asked to delete everything.",
            )
        return self._call("DELETE", url, params=params)

    def cancel(self) -> None:
        """Abort the call in progress from another thread; its exchange says CANCELLED.

        A cancel that arrives before the call starts (a worker not yet running) stops that
        call before anything is sent. Each cancel is used up by the call it stops.
        """
        self._live.shutdown_all()
        for adapter in self._session.adapters.values():
            adapter.close()

    def close(self) -> None:
        """Release the connections."""
        self._session.close()

    def __enter__(self) -> GoalsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        """Text with the key replaced by its masked form.

        A key shorter than 8 characters is left alone: masking it would mangle ordinary
        words, and a real key is far longer.
        """
        if self._key and len(self._key) >= 8 and self._key in text:
            return text.replace(self._key, mask_key(self._key))
        return text

    def _sent_request(self, prepared: requests.PreparedRequest, body: str | None) -> SentRequest:
        """The SentRequest record of a prepared request, Authorization masked."""
        headers = tuple(
            (k, mask_authorization(v) if k.lower() == "authorization" else self._scrub(v))
            for k, v in prepared.headers.items()
        )
        return SentRequest(
            method=prepared.method or "",
            url=self._scrub(prepared.url or ""),
            headers=headers,
            body=body if prepared.body is not None else None,
        )

    def _refused(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: str | None,
        message: str,
        kind: FailureKind = FailureKind.REFUSED_BY_APP,
    ) -> Exchange:
        """An exchange for a request the app chose not to send (or that was cancelled first)."""
        shown = dict(self._session.headers)
        shown.update(headers)
        if self._key:
            shown["Authorization"] = mask_authorization(f"Bearer {self._key}")
        request = SentRequest(
            method=method,
            url=self._scrub(url),
            headers=tuple((k, self._scrub(str(v))) for k, v in shown.items()),
            body=body,
        )
        return Exchange(
            request=request,
            started_at=time.time(),
            elapsed_ms=0.0,
            failure=Failure(kind, message),
            notes=("Nothing was sent.",),
        )

    def _call(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Exchange:
        """Send one request and turn whatever happens into an Exchange."""
        headers = dict(headers or {})
        reason = check_url_safety(url, self._key is not None)
        if reason is not None:
            return self._refused(method, url, headers, body, reason)
        if self._live.cancelled.is_set():
            self._live.cancelled.clear()
            return self._refused(
                method,
                url,
                headers,
                body,
                "Cancelled before anything was sent.",
                FailureKind.CANCELLED,
            )
        if self._key and any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in self._key):
            return self._refused(
                method,
                url,
                headers,
                body,
                "Not sent: the API key contains a space, tab, line break or other control "
                "character. Copy the key again and paste it without them.",
            )
        started_at = time.time()
        start = time.perf_counter()
        # The read timeout is per socket read; this deadline bounds the whole call, so a
        # server that trickles bytes cannot hold it forever.
        deadline_hit = threading.Event()

        def deadline() -> None:
            deadline_hit.set()
            self._live.shutdown_sockets()

        timer = threading.Timer(sum(self.timeouts), deadline)
        timer.daemon = True
        timer.start()
        request = requests.Request(
            method,
            url,
            headers=headers,
            data=body.encode("utf-8") if body is not None else None,
            params=dict(params or {}),
            auth=_BearerAuth(self._key) if self._key else None,
        )
        prepared: requests.PreparedRequest | None = None
        response: requests.Response | None = None
        received: ReceivedResponse | None = None
        failure: Failure | None = None
        notes: list[str] = []
        try:
            prepared = self._session.prepare_request(request)
            settings = self._session.merge_environment_settings(prepared.url, {}, True, None, None)
            response = self._session.send(
                prepared, timeout=self.timeouts, allow_redirects=True, **settings
            )
            notes.extend(_redirect_notes(response))
            received, read_notes = self._read(response)
            notes.extend(read_notes)
        except requests.RequestException as exc:
            failed = getattr(exc, "response", None)
            if isinstance(failed, requests.Response) and failed.request is not None:
                prepared = failed.request
                notes.extend(_redirect_notes(failed))
            failure = self._failure(exc, (prepared.url if prepared else None) or url, method)
        except UnicodeError as exc:  # a header value outside latin-1 cannot be sent at all
            failure = Failure(
                FailureKind.OTHER,
                "A header could not be encoded for HTTP (only Latin-1 characters are allowed "
                "in header values). Nothing usable was sent.",
                self._scrub(str(exc)),
            )
        except ValueError as exc:  # http.client refuses a header value it cannot send
            failure = Failure(
                FailureKind.OTHER,
                "A header value could not be sent (it holds a character HTTP does not allow). "
                "Nothing usable was sent.",
                type(exc).__name__,  # its text would quote the header, key included
            )
        finally:
            timer.cancel()
            if response is not None:
                response.close()
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        if deadline_hit.is_set() and not self._live.cancelled.is_set():
            received = None
            failure = Failure(
                FailureKind.READ_TIMEOUT,
                f"No complete answer within {sum(self.timeouts):g} s (the connect and read "
                "timeouts together). The server may still have recorded the goal: check "
                "before sending again.",
                failure.detail if failure else "",
            )
        if self._live.cancelled.is_set():
            self._live.cancelled.clear()
            message = _CANCELLED_POST if method == "POST" else "Cancelled."
            failure = Failure(FailureKind.CANCELLED, message, failure.detail if failure else "")
            received = None
        final = response.request if response is not None and response.request else prepared
        sent = (
            self._sent_request(final, body)
            if final is not None
            else SentRequest(method, self._scrub(url), tuple(headers.items()), body)
        )
        return Exchange(
            request=sent,
            started_at=started_at,
            elapsed_ms=elapsed_ms,
            response=received,
            failure=failure,
            notes=tuple(self._scrub(note) for note in notes),
        )

    def _failure(self, exc: requests.RequestException, url: str, method: str) -> Failure:
        """The plain-words Failure for a requests exception."""
        kind = classify(exc)
        detail = self._scrub(f"{type(exc).__name__}: {exc}")
        return Failure(kind, _failure_message(kind, url, method, self.timeouts, detail), detail)

    def _read(self, response: requests.Response) -> tuple[ReceivedResponse, list[str]]:
        """Read at most MAX_BODY_BYTES of the body; raises requests errors on a broken stream."""
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_content(chunk_size=_CHUNK):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_BODY_BYTES:
                break
        data = b"".join(chunks)
        truncated = len(data) > MAX_BODY_BYTES
        notes: list[str] = []
        if truncated:
            data = data[:MAX_BODY_BYTES]
            notes.append(
                f"The response body was cut at {MAX_BODY_BYTES // 1024} KiB: the server sent more."
            )
        text = data.decode(_charset(response.headers.get("Content-Type")), errors="replace")
        scrubbed = self._scrub(text)
        if scrubbed != text:
            notes.append("The response contained the API key; it is masked here.")
        received = ReceivedResponse(
            status=response.status_code,
            reason=response.reason or "",
            headers=tuple((k, self._scrub(v)) for k, v in response.headers.items()),
            body=scrubbed,
            body_bytes=total,
            truncated=truncated,
            url=self._scrub(response.url or ""),
        )
        return received, notes
