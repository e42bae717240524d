"""Why no answer came, in plain words: classifying a requests exception, and redirect notes.

Split from the transport so the words can be read (and tested) apart from the sockets.
Imports requests: only the transport and the tests load it.
"""

from __future__ import annotations

import errno
import http.client
import itertools
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from flowsery_gui.exchange import FailureKind
from flowsery_gui.i18n import _, format_seconds, ngettext, sentences

MAX_REDIRECTS = 5
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what 'same origin' compares."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def origin_text(url: str) -> str:
    """An origin as people read it, e.g. http://localhost:8080."""
    scheme, host, port = origin(url)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}" if port else f"{scheme}://{shown}"


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


_DIRECT = (
    (requests.exceptions.ConnectTimeout, FailureKind.CONNECT_TIMEOUT),
    (requests.exceptions.ReadTimeout, FailureKind.READ_TIMEOUT),
    (requests.exceptions.SSLError, FailureKind.TLS),
    (requests.exceptions.TooManyRedirects, FailureKind.TOO_MANY_REDIRECTS),
    (requests.exceptions.InvalidURL, FailureKind.INVALID_URL),
    (requests.exceptions.MissingSchema, FailureKind.INVALID_URL),
    (requests.exceptions.InvalidSchema, FailureKind.INVALID_URL),
    (requests.exceptions.URLRequired, FailureKind.INVALID_URL),
)
# Closed by the other side before a complete answer, without a reset: nothing, or a cut body.
_DROPPED = (
    http.client.RemoteDisconnected,
    http.client.IncompleteRead,
    urllib3.exceptions.IncompleteRead,
    requests.exceptions.ChunkedEncodingError,
)
_RESET = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


def _refused(e: BaseException) -> bool:
    return isinstance(e, ConnectionRefusedError) or (
        isinstance(e, OSError) and e.errno == errno.ECONNREFUSED
    )


def _connect_timeout(e: BaseException) -> bool:
    # urllib3's NewConnectionError subclasses ConnectTimeoutError without being a timeout.
    return isinstance(e, urllib3.exceptions.ConnectTimeoutError) and not isinstance(
        e, urllib3.exceptions.NewConnectionError
    )


def classify(exc: BaseException) -> FailureKind:
    """Which kind of failure a requests exception is, looking through its cause chain."""
    for kind_type, kind in _DIRECT:
        if isinstance(exc, kind_type):
            return kind
    chain = list(_exception_chain(exc))
    checks = (
        (lambda e: isinstance(e, urllib3.exceptions.ReadTimeoutError), FailureKind.READ_TIMEOUT),
        (lambda e: isinstance(e, urllib3.exceptions.SSLError), FailureKind.TLS),
        (
            lambda e: isinstance(e, socket.gaierror | urllib3.exceptions.NameResolutionError),
            FailureKind.DNS,
        ),
        (_refused, FailureKind.REFUSED),
        (_connect_timeout, FailureKind.CONNECT_TIMEOUT),
        # RemoteDisconnected is a ConnectionResetError too: a clean close is asked first.
        (lambda e: isinstance(e, _DROPPED), FailureKind.DROPPED),
        (lambda e: isinstance(e, _RESET), FailureKind.RESET),
        (lambda e: isinstance(e, urllib3.exceptions.ProtocolError), FailureKind.DROPPED),
    )
    for test, kind in checks:
        if any(test(e) for e in chain):
            return kind
    return FailureKind.OTHER


def _cut_short(exc: BaseException) -> bool:
    """True when an answer had begun (its body was cut), not when nothing came at all."""
    partial = (
        http.client.IncompleteRead,
        urllib3.exceptions.IncompleteRead,
        requests.exceptions.ChunkedEncodingError,
    )
    return any(isinstance(e, partial) for e in _exception_chain(exc))


def _effect(method: str) -> str | None:
    """What a failed call may still have done on the server, by method."""
    if method == "POST":
        return _("The goal may or may not have been recorded: check before sending again.")
    if method == "DELETE":
        return _("The goals may or may not have been deleted: check before trying again.")
    return None


def failure_message(
    kind: FailureKind,
    url: str,
    method: str,
    timeouts: tuple[float, float],
    exc: BaseException | None = None,
) -> str:
    """What happened and what to check, in plain words, for a failure kind."""
    effect = _effect(method)
    _scheme, host, port = origin(url)
    where = f"{host}:{port}" if port else host or url
    if kind is FailureKind.DROPPED:
        if exc is not None and _cut_short(exc):
            words = _("The answer was cut short: the server closed the connection mid-way.")
        else:
            words = _("The server closed the connection without sending any answer.")
        return sentences(words, effect)
    if kind is FailureKind.READ_TIMEOUT:
        return sentences(
            _(
                "The server at {address} did not answer within {duration}.",
                address=where,
                duration=format_seconds(timeouts[1]),
            ),
            effect,
            _("A longer timeout may help if the server is slow."),
        )
    if kind is FailureKind.DNS:
        return _(
            "The host name could not be found. Check the base URL for typos and that you are "
            "online."
        )
    if kind is FailureKind.REFUSED:
        return _(
            "The connection was refused: nothing is listening at {address}. Check the base URL "
            "and port, and that the server (or the sandbox) is running.",
            address=where,
        )
    if kind is FailureKind.TLS:
        return _(
            "The secure (TLS) connection could not be set up: the certificate was not trusted "
            "or the handshake failed. Check the host name in the base URL; a proxy or "
            "antivirus that inspects HTTPS traffic can also cause this."
        )
    if kind is FailureKind.CONNECT_TIMEOUT:
        return _(
            "No connection to {address} could be made within {duration}. Check the base URL, "
            "that you are online, and any firewall or proxy.",
            address=where,
            duration=format_seconds(timeouts[0]),
        )
    if kind is FailureKind.RESET:
        words = _("The connection was reset (the other side aborted it) before an answer arrived.")
        return sentences(words, effect)
    if kind is FailureKind.TOO_MANY_REDIRECTS:
        return ngettext(
            "The server redirected more than {count} time, probably in a loop. Check the base "
            "URL (scheme, host and path).",
            "The server redirected more than {count} times, probably in a loop. Check the base "
            "URL (scheme, host and path).",
            MAX_REDIRECTS,
            count=MAX_REDIRECTS,
        )
    if kind is FailureKind.INVALID_URL:
        return _(
            "The base URL is not a valid http:// or https:// address. It should look like "
            "https://analytics.flowsery.com."
        )
    return sentences(_("The request failed for a reason the app does not recognise."), effect)


def deadline_message(method: str, timeouts: tuple[float, float]) -> str:
    """Why no answer came before the whole-request deadline (connect + read timeouts)."""
    words = _(
        "No complete answer within {duration} (the connect and read timeouts together).",
        duration=format_seconds(sum(timeouts)),
    )
    if method == "POST":
        return sentences(
            words,
            _("The server may still have recorded the goal: check before sending again."),
        )
    return words


def redirect_notes(last: requests.Response) -> list[str]:
    """What the redirects did, naming each address once (a loop reads as one line), and
    where the key stopped being sent."""
    chain = [*last.history, last]
    hops: list[tuple[int, str, str]] = []
    notes: list[str] = []
    for before, after in itertools.pairwise(chain):
        old, new = before.request, after.request
        if old is None or new is None:
            continue
        hops.append((before.status_code, old.url or "", new.url or ""))
        if "Authorization" in old.headers and "Authorization" not in new.headers:
            notes.append(
                _(
                    "The API key was not forwarded to {origin} (a different scheme, host or port).",
                    origin=origin_text(new.url or ""),
                )
            )
    if not hops:
        return notes
    targets = [to for _status, _frm, to in hops]
    if len(set(targets)) < len(targets):  # a loop: name each address once
        statuses = "/".join(sorted({str(status) for status, _frm, _to in hops}))
        looped = ", ".join(dict.fromkeys(targets))
        lines = [
            ngettext(
                "Redirected {count} time ({statuses}) from {start}, round a loop through "
                "{addresses}.",
                "Redirected {count} times ({statuses}) from {start}, round a loop through "
                "{addresses}.",
                len(hops),
                count=len(hops),
                statuses=statuses,
                start=hops[0][1],
                addresses=looped,
            )
        ]
    else:
        lines = [
            _("Redirected ({status}) from {start} to {end}.", status=status, start=frm, end=to)
            for status, frm, to in hops
        ]
    return lines + notes
