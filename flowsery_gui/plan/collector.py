"""What a running sandbox received, read page by page from its collector route.

`GET {url}/sandbox/requests?since=ISO&after=ID&limit=N` answers one page,
`{"requests": [...], "next": ID or null, "stored": N, "dropped": N, "busy": N}`, read by
one small adapter, `page_items()`, so a change of shape is a change of one function.
Every call has a timeout; a sandbox that is not running, an older sandbox without the
route, or a server that is not a sandbox each get their own plain-words message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from flowsery_gui.i18n import _, format_number, format_seconds
from flowsery_gui.netsafety import check_url_safety
from flowsery_gui.plan.capture import CaptureError, Received, Tally, from_collector_item

REQUESTS_PATH = "/sandbox/requests"
SINCE_PARAM = "since"
CURSOR_PARAM = "after"
LIMIT_PARAM = "limit"
PAGE_SIZE = 500
MAX_PAGES = 10_000  # a collector holds about 10,000 requests: 20 pages; this is a safeguard
MAX_PAGE_BYTES = 128 * 1024 * 1024  # a page of 500 requests of 64 KB is 32 MB
DEFAULT_TIMEOUT = 10.0


def page_items(page: Any) -> tuple[list[Received], Any, int]:
    """The adapter: one decoded page -> (requests, the next cursor or None, how many dropped).

    The page: `{"requests": [{"id", "time", "method", "path", "body", "answer", ...}],
    "next": ID or null, "stored": N, "dropped": N, "busy": N}`. Raises CaptureError when
    it is not that.
    """
    if not isinstance(page, dict) or not isinstance(page.get("requests"), list):
        raise CaptureError(
            _("The page does not look like a Flowsery sandbox's (no `requests` list).")
        )
    found: list[Received] = []
    for item in page["requests"]:
        if not isinstance(item, dict):
            continue
        ref = f"#{item['id']}" if "id" in item else f"#{len(found) + 1}"
        received = from_collector_item(item, ref)
        if received is not None:
            found.append(received)
    dropped = page.get("dropped")
    dropped = dropped if isinstance(dropped, int) and not isinstance(dropped, bool) else 0
    return found, page.get("next"), max(0, dropped)


def check_sandbox_url(url: str) -> str:
    """The base URL without a trailing slash; CaptureError when it is not an http(s) URL."""
    base = url.strip().rstrip("/")
    try:
        parts = urlsplit(base)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise CaptureError(
            _(
                "{url} is not a sandbox URL: give it as http://127.0.0.1:PORT (the address "
                "flowsery-sandbox prints when it starts).",
                url=repr(url),
            )
        )
    return base


def read_sandbox(
    url: str,
    tally: Tally,
    *,
    since: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    api_key: str | None = None,
) -> Iterator[Received]:
    """Every request the sandbox at `url` kept (since a time), oldest first, page by page."""
    import requests  # on first use: `plan check` never needs it

    base = check_sandbox_url(url)
    headers = {"Accept": "application/json"}
    if api_key and check_url_safety(base, has_key=True) is None:
        headers["Authorization"] = f"Bearer {api_key}"
    cursor: Any = None
    with requests.Session() as session:
        session.trust_env = False  # a loopback sandbox is never reached through a proxy
        for _page in range(MAX_PAGES):
            params: dict[str, Any] = {LIMIT_PARAM: PAGE_SIZE}
            if since:
                params[SINCE_PARAM] = since
            if cursor is not None:
                params[CURSOR_PARAM] = cursor
            page = _get_page(session, base, params, headers, timeout)
            try:
                items, following, dropped = page_items(page)
            except CaptureError:
                said = _(
                    "{url} did not answer like a Flowsery sandbox (no `requests` list).", url=base
                )
                raise CaptureError(said) from None
            tally.dropped = max(tally.dropped, dropped)
            busy = page.get("busy") if isinstance(page, dict) else None
            if isinstance(busy, int) and not isinstance(busy, bool):
                tally.busy = max(tally.busy, busy)
            yield from items
            if following is None or following == cursor or not items:
                return
            cursor = following
    tally.notes.append(_("Stopped after {count} pages.", count=format_number(MAX_PAGES)))


def _get_page(
    session: Any, base: str, params: dict[str, Any], headers: dict[str, str], timeout: float
) -> Any:
    import json

    import requests

    where = base + REQUESTS_PATH
    try:
        with session.get(
            where, params=params, headers=headers, timeout=(timeout, timeout), stream=True
        ) as response:
            status = response.status_code
            if status == 404:
                raise CaptureError(
                    _(
                        "{url} has no {route} route: is it a Flowsery sandbox that keeps what it "
                        "receives (a current flowsery-sandbox)?",
                        url=base,
                        route=REQUESTS_PATH,
                    )
                )
            if status in (401, 403):
                raise CaptureError(
                    _(
                        "The sandbox at {url} asks for its key: set FLOWSERY_API_KEY to the key "
                        "it printed when it started.",
                        url=base,
                    )
                )
            if status != 200:
                raise CaptureError(
                    _(
                        "The sandbox at {url} answered {status} to {route}.",
                        url=base,
                        status=status,
                        route=REQUESTS_PATH,
                    )
                )
            raw = response.raw.read(MAX_PAGE_BYTES + 1, decode_content=True)
    except requests.exceptions.Timeout:
        said = _(
            "The sandbox at {url} did not answer within {time}.",
            url=base,
            time=format_seconds(timeout),
        )
        raise CaptureError(said) from None
    except requests.exceptions.ConnectionError:
        raise CaptureError(
            _(
                "Nothing is listening at {url}: start the sandbox (flowsery-sandbox) or check the "
                "URL and port.",
                url=base,
            )
        ) from None
    except requests.exceptions.RequestException as exc:
        said = _("Could not ask the sandbox at {url}: {error}.", url=base, error=type(exc).__name__)
        raise CaptureError(said) from None
    if len(raw) > MAX_PAGE_BYTES:
        said = _(
            "The sandbox at {url} sent a page over {mb} MB; it is not read.",
            url=base,
            mb=MAX_PAGE_BYTES // (1024 * 1024),
        )
        raise CaptureError(said)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise CaptureError(
            _(
                "{url} did not answer with JSON: is it a Flowsery sandbox?",
                url=base + REQUESTS_PATH,
            )
        ) from None
