"""The cancellable transport: sends one `PlannedRequest` exactly, returns one `Exchange`.

A `requests.Session` with no retries (a retried POST is a double-counted goal), connect and
read timeouts, a deadline for the whole call, at most 5 redirects that never carry the key
to another origin, a capped body read, and no proxy for a loopback target. `cancel()` from
another thread unblocks a read at once, and a cancel that comes before the call stops it
before anything is sent.

Cancellation uses public urllib3 surface only: the pools' `ConnectionCls` and the pool
manager's `pool_classes_by_scheme` select a connection class whose `connect()` registers
each socket with this transport, so `cancel()` can shut it down. (The old version patched
the private `_new_conn` and `_new_pool`.) `tests/test_transport.py` fails loudly when the
sockets stop reaching the registry.
"""

from __future__ import annotations

import codecs
import contextlib
import socket
import threading
import time
import weakref
from email.message import Message
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from flowsery_gui.exchange import Exchange, Failure, FailureKind, ReceivedResponse, SentRequest
from flowsery_gui.i18n import N_, _
from flowsery_gui.masking import mask_authorization, scrub
from flowsery_gui.netsafety import check_url_safety, proxy_for
from flowsery_gui.sending.failures import (
    MAX_REDIRECTS,
    classify,
    deadline_message,
    failure_message,
    origin,
    redirect_notes,
)
from flowsery_gui.sending.keys import key_text_problem
from flowsery_gui.sending.request import (
    KEY_PLACEHOLDER,
    PlannedRequest,
    masked_for_display,
    with_real_key,
)

MAX_BODY_BYTES = 1024 * 1024
#: Longer timeouts are cut to this: a socket or timer cannot wait for ever (1e300 s).
MAX_TIMEOUT_SECONDS = 24 * 3600.0
_CHUNK = 64 * 1024
_SCHEMES = ("http", "https")
# Messages (msgids: shown through `_()`, which is also how they appear in an exchange).
CANCELLED_POST = N_("Cancelled. The server may still have recorded the goal.")
CANCELLED_WHILE_WAITING = N_("Stopped by Cancel while waiting for the answer.")
CANCELLED_BEFORE = N_("Cancelled before anything was sent.")


class _Registry:
    """The connections this transport opened, so `cancel()` can unblock a blocked read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: weakref.WeakSet[Any] = weakref.WeakSet()
        self.cancelled = threading.Event()
        self.connections_seen = 0  # for the test that guards this mechanism

    def add(self, connection: Any) -> None:
        with self._lock:
            self._connections.add(connection)
            self.connections_seen += 1

    def shutdown_sockets(self) -> None:
        """Shut every open socket down: a blocked recv() then returns at once."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shutdown(connection)

    def cancel(self) -> None:
        self.cancelled.set()
        self.shutdown_sockets()


def _shutdown(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing to unblock
            sock.shutdown(socket.SHUT_RDWR)


def _tracked_classes(registry: _Registry) -> dict[str, type[HTTPConnectionPool]]:
    """Pool classes whose connections register with `registry` when they connect."""

    def connect(base: type[HTTPConnection]) -> Any:
        def method(self: HTTPConnection) -> None:
            if registry.cancelled.is_set():
                raise ConnectionAbortedError("cancelled before connecting")
            registry.add(self)
            base.connect(self)
            if registry.cancelled.is_set():  # cancel() ran while we were connecting
                _shutdown(self)

        return method

    http_conn = type(
        "TrackedHTTPConnection", (HTTPConnection,), {"connect": connect(HTTPConnection)}
    )
    https_conn = type(
        "TrackedHTTPSConnection", (HTTPSConnection,), {"connect": connect(HTTPSConnection)}
    )
    http_pool = type("TrackedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn})
    https_pool = type("TrackedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn})
    return {"http": http_pool, "https": https_pool}


class _Adapter(HTTPAdapter):
    """No retries; every pool (direct or through a proxy) uses the tracked connections."""

    def __init__(self, registry: _Registry) -> None:
        self._pools = _tracked_classes(registry)  # before super().__init__ builds the manager
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = self._pools
        return manager


class _Session(requests.Session):
    """A Session that drops Authorization on any change of scheme, host or port."""

    def should_strip_auth(self, old_url: str, new_url: str) -> bool:
        return origin(old_url) != origin(new_url)


class _NoNetrc(requests.auth.AuthBase):
    """Given as `auth` so requests never adds credentials from ~/.netrc: the plan is all."""

    def __call__(self, request: Any) -> Any:
        return request


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


def _bounded(seconds: float) -> float:
    return min(max(float(seconds), 0.001), MAX_TIMEOUT_SECONDS)


class Transport:
    """One connection pool that sends planned requests one at a time; cancellable."""

    def __init__(self, *, connect_timeout: float = 5.0, read_timeout: float = 30.0) -> None:
        self.timeouts = (_bounded(connect_timeout), _bounded(read_timeout))
        self._registry = _Registry()
        self._session = _Session()
        adapter = _Adapter(self._registry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.max_redirects = MAX_REDIRECTS
        # Every send stands alone: a cookie set by one response must not ride on the next.
        self._session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self._session.headers.clear()  # the planned headers, and only those, go out

    @property
    def connections_seen(self) -> int:
        """How many connections registered for cancel (a guard that the hook still works)."""
        return self._registry.connections_seen

    def cancel(self) -> None:
        """Abort the call in progress from another thread; its exchange says CANCELLED.

        A cancel that arrives before the call starts stops that call before anything is
        sent. Each cancel is used up by the call it stops."""
        self._registry.cancel()
        for adapter in self._session.adapters.values():
            adapter.close()

    def close(self) -> None:
        """Release the connections."""
        self._session.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- one call -------------------------------------------------------------------------

    def send(self, planned: PlannedRequest, key: str | None) -> Exchange:
        """Send `planned` with `key` in place of its placeholder; network trouble is data."""
        key = (key or "").strip() or None
        secrets = (key,)
        needs_key = any(KEY_PLACEHOLDER in value for _name, value in planned.headers)
        refusal = self._refusal(planned, key, needs_key)
        if refusal is not None:
            return _not_sent(planned, key, refusal, FailureKind.REFUSED_BY_APP)
        if self._registry.cancelled.is_set():
            self._registry.cancelled.clear()
            return _not_sent(planned, key, _(CANCELLED_BEFORE), FailureKind.CANCELLED)
        real = with_real_key(planned, key) if key and needs_key else planned
        started_at, start = time.time(), time.perf_counter()
        deadline_hit = threading.Event()

        def deadline() -> None:
            deadline_hit.set()
            self._registry.shutdown_sockets()

        # The read timeout is per socket read; this bounds the whole call, so a server that
        # trickles bytes cannot hold it for ever.
        timer = threading.Timer(sum(self.timeouts), deadline)
        timer.daemon = True
        timer.start()
        response: requests.Response | None = None
        received: ReceivedResponse | None = None
        failure: Failure | None = None
        final_url = planned.url
        final_headers: Any = None
        notes: list[str] = []
        try:
            prepared = self._session.prepare_request(
                requests.Request(
                    real.method,
                    real.url,
                    headers=dict(real.headers),
                    data=real.body_bytes(),
                    auth=_NoNetrc(),
                )
            )
            final_headers = prepared.headers
            # The environment still names a CA bundle (REQUESTS_CA_BUNDLE); never the proxy:
            # requests would drop a "no proxy" (None) entry and fall back to ALL_PROXY.
            settings = self._session.merge_environment_settings(prepared.url, {}, True, None, None)
            settings["proxies"] = self._proxies(planned.url)  # type: ignore[typeddict-item]
            response = self._session.send(
                prepared, timeout=self.timeouts, allow_redirects=True, **settings
            )
            final_url, final_headers = response.url or final_url, response.request.headers
            notes.extend(redirect_notes(response))
            received, read_notes = self._read(response, secrets)
            notes.extend(read_notes)
        except requests.RequestException as exc:
            failed = getattr(exc, "response", None)
            if isinstance(failed, requests.Response) and failed.request is not None:
                final_url, final_headers = failed.request.url or final_url, failed.request.headers
                notes.extend(redirect_notes(failed))
            kind = classify(exc)
            failure = Failure(
                kind,
                failure_message(kind, final_url, planned.method, self.timeouts, exc),
                scrub(f"{type(exc).__name__}: {exc}", secrets),
            )
        except (UnicodeError, ValueError) as exc:  # http.client refuses a header it cannot send
            failure = Failure(
                FailureKind.OTHER,
                _(
                    "A header value could not be sent (it holds a character HTTP does not "
                    "allow). Nothing usable was sent."
                ),
                type(exc).__name__,  # its text would quote the header, key included
            )
        finally:
            timer.cancel()
            if response is not None:
                response.close()
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        if self._registry.cancelled.is_set():
            self._registry.cancelled.clear()
            message = _(CANCELLED_POST) if planned.method == "POST" else _("Cancelled.")
            detail = _(CANCELLED_WHILE_WAITING) if failure is not None else ""
            failure, received = Failure(FailureKind.CANCELLED, message, detail), None
        elif deadline_hit.is_set():
            received = None
            failure = Failure(
                FailureKind.READ_TIMEOUT,
                deadline_message(planned.method, self.timeouts),
                failure.detail if failure else "",
            )
        return Exchange(
            request=_sent(planned, final_url, final_headers, secrets),
            started_at=started_at,
            elapsed_ms=elapsed_ms,
            response=received,
            failure=failure,
            notes=tuple(scrub(note, secrets) for note in notes),
        )

    def _refusal(self, planned: PlannedRequest, key: str | None, needs_key: bool) -> str | None:
        """Why this request must not leave (checked again here, whoever planned it)."""
        if needs_key and key is None:
            return _("Not sent: no API key was given for a request that needs one.")
        if key is not None and needs_key:
            problem = key_text_problem(key)
            if problem is not None:
                return problem
        return check_url_safety(planned.url, key is not None and needs_key)

    @staticmethod
    def _proxies(url: str) -> dict[str, str | None]:
        """Exactly the route `netsafety.proxy_for` decided: a loopback target goes direct."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return {"http": None, "https": None}
        return {scheme: proxy_for(parts._replace(scheme=scheme).geturl()) for scheme in _SCHEMES}

    def _read(
        self, response: requests.Response, secrets: tuple[str | None, ...]
    ) -> tuple[ReceivedResponse, list[str]]:
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
                _(
                    "The response body was cut at {limit} KiB: the server sent more.",
                    limit=MAX_BODY_BYTES // 1024,
                )
            )
        text = data.decode(_charset(response.headers.get("Content-Type")), errors="replace")
        scrubbed = scrub(text, secrets)
        if scrubbed != text:
            notes.append(_("The response contained the API key; it is masked here."))
        received = ReceivedResponse(
            status=response.status_code,
            reason=scrub(response.reason or "", secrets),
            headers=tuple((k, scrub(v, secrets)) for k, v in response.headers.items()),
            body=scrubbed,
            body_bytes=total,
            truncated=truncated,
            url=scrub(response.url or "", secrets),
        )
        return received, notes


def _sent(
    planned: PlannedRequest, url: str, headers: Any, secrets: tuple[str | None, ...]
) -> SentRequest:
    """The request as it went (the last hop's URL and headers), Authorization masked; the
    body is the planned text, exactly."""
    pairs = list(headers.items()) if headers is not None else list(planned.headers)
    shown = tuple(
        (k, mask_authorization(v) if k.lower() == "authorization" else scrub(str(v), secrets))
        for k, v in pairs
    )
    return SentRequest(planned.method, scrub(url, secrets), shown, planned.body_text)


def _not_sent(
    planned: PlannedRequest, key: str | None, message: str, kind: FailureKind
) -> Exchange:
    """An exchange for a request that did not leave (refused, or cancelled first)."""
    shown = masked_for_display(planned, key)
    return Exchange(
        request=SentRequest(shown.method, shown.url, shown.headers, shown.body_text),
        started_at=time.time(),
        elapsed_ms=0.0,
        failure=Failure(kind, message),
        notes=(_("Nothing was sent."),),
    )
