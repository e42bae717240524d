"""Plain words for an exchange: what happened, what the server said, and what to do next.

Shared by the window and the CLI so both explain a status the same way. Pure functions,
no I/O; reading a server's body never raises, whatever the body holds.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flowsery_gui.exchange import Exchange, FailureKind, ReceivedResponse
from flowsery_gui.jsonread import NotJSON, read_json
from flowsery_gui.sending.answers import parse_retry_after, read_website
from flowsery_gui.sending.request import Endpoint, endpoint_of

MAX_SERVER_MESSAGE = 300

SUCCESS = "success"
CLIENT_ERROR = "client_error"
AUTH = "auth"
SERVER_ERROR = "server_error"
FAILURE = "failure"
INFO = "info"
NOT_THE_API = "Not the API's answer"

_FAILURE_TITLES = {
    FailureKind.DNS: "Host not found",
    FailureKind.REFUSED: "Connection refused",
    FailureKind.TLS: "Secure connection failed",
    FailureKind.CONNECT_TIMEOUT: "Could not connect in time",
    FailureKind.READ_TIMEOUT: "No answer in time",
    FailureKind.RESET: "Connection reset",
    FailureKind.DROPPED: "Connection closed, no answer",
    FailureKind.TOO_MANY_REDIRECTS: "Too many redirects",
    FailureKind.INVALID_URL: "Invalid URL",
    FailureKind.REFUSED_BY_APP: "Not sent",
    FailureKind.CANCELLED: "Cancelled",
    FailureKind.OTHER: "Request failed",
}


@dataclass(frozen=True)
class Explanation:
    """How to show one exchange: tone (for colour), title, plain words, the server's text."""

    tone: str
    title: str
    message: str
    server_message: str | None = None


def _shorten(text: str, limit: int = MAX_SERVER_MESSAGE) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_of(value: Any) -> str | None:
    """A message field as text: a string, or a list of strings joined with '; '."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        parts = [str(item).strip() for item in value if isinstance(item, str | int | float)]
        joined = "; ".join(part for part in parts if part)
        return joined or None
    return None


def _json_message(value: Any) -> str | None:
    """The message in one of the documented JSON shapes, or None when the shape is another."""
    if not isinstance(value, dict):
        return None
    error = value.get("error")
    if isinstance(error, dict):  # envelope: {"status":"error","error":{"code":400,"message":..}}
        found = _text_of(error.get("message"))
        if found:
            return found
    if "message" in value:  # NestJS: {"statusCode":400,"message":".." or [..],"error":".."}
        found = _text_of(value.get("message"))
        if found:
            return found
    data = value.get("data")  # success: {"status":"success","data":[{"message":..}]}
    if isinstance(data, list) and data and isinstance(data[0], dict):
        found = _text_of(data[0].get("message"))
        if found:
            return found
    if isinstance(error, str) and error.strip():
        return error.strip()
    return None


@functools.cache
def _text_extractor_class() -> type:
    """The HTML text extractor, defined on first use (html.parser costs start-up time)."""
    from html.parser import HTMLParser

    class _TextExtractor(HTMLParser):
        """Collects an HTML page's title and visible text, skipping scripts and styles."""

        _SKIP = frozenset({"script", "style", "template", "noscript"})
        _BREAKS = frozenset({"br", "p", "div", "h1", "h2", "h3", "h4", "li", "tr", "hr", "center"})

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.title: list[str] = []
            self.text: list[str] = []
            self._skipping = 0
            self._in_title = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in self._SKIP:
                self._skipping += 1
            elif tag == "title":
                self._in_title = True
            elif tag in self._BREAKS:
                self.text.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in self._SKIP:
                self._skipping = max(0, self._skipping - 1)
            elif tag == "title":
                self._in_title = False
            elif tag in self._BREAKS:
                self.text.append("\n")

        def handle_data(self, data: str) -> None:
            if self._skipping:
                return
            (self.title if self._in_title else self.text).append(data)

    return _TextExtractor


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    if not head.startswith("<"):
        return False
    markers = ("<!doctype html", "<html", "<head", "<body", "<title", "<h1", "<p>", "<div")
    return any(marker in head for marker in markers)


def html_text(text: str) -> str | None:
    """The readable gist of an HTML page: its title, else its first line of text."""
    parser = _text_extractor_class()()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    title = " ".join("".join(parser.title).split())
    if title:
        return _shorten(title)
    for line in "".join(parser.text).splitlines():
        words = " ".join(line.split())
        if words:
            return _shorten(words)
    return None


def server_message(body_text: str) -> str | None:
    """The server's own words in a response body, whatever its shape; never raises."""
    text = body_text.strip() if isinstance(body_text, str) else ""
    if not text:
        return None
    try:
        value = read_json(text).value
    except NotJSON:
        pass
    else:
        found = _json_message(value)
        if found is not None:
            return _shorten(found)
        try:
            compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        except (ValueError, RecursionError):
            compact = text
        return _shorten(compact)
    if _looks_like_html(text):
        return html_text(text)
    return _shorten(text)


def retry_after_text(value: str | None, now: float | None = None) -> str | None:
    """'The server asks to wait 30 seconds…' from a Retry-After header (seconds or a date)."""
    retry = parse_retry_after(value, now)
    if retry is None:
        return None
    if not retry.is_date:
        seconds = int(retry.seconds)
        unit = "second" if seconds == 1 else "seconds"
        return f"The server asks to wait {seconds} {unit} before trying again."
    if retry.seconds <= 0:
        return f"The server asked to wait until {retry.text}; that time has passed."
    return (
        f"The server asks to wait until {retry.text} "
        f"(about {round(retry.seconds)} seconds from now)."
    )


def _reason(response: ReceivedResponse) -> str:
    if response.reason:
        return response.reason
    try:
        return HTTPStatus(response.status).phrase
    except ValueError:
        return ""


def _endpoint(exchange: Exchange) -> Endpoint:
    """'goal', 'metadata' or 'delete': which call this was, for the wording."""
    return endpoint_of(exchange.request.method, exchange.request.url)


def _success(exchange: Exchange, response: ReceivedResponse, said: str | None) -> tuple[str, str]:
    """Title suffix and message for a 2xx."""
    endpoint = _endpoint(exchange)
    data = response.json()
    first: dict[str, Any] = {}
    if isinstance(data, dict) and isinstance(data.get("data"), list) and data["data"]:
        item = data["data"][0]
        first = item if isinstance(item, dict) else {}
    if endpoint == "metadata":
        site = read_website(data)
        if site is None:
            return "Key works", "The API key works."
        where = f" It belongs to {site.title}"
        if site.domain and site.domain != site.title:
            where += f" ({site.domain})"
        if site.timezone:
            where += f", time zone {site.timezone}"
        return "Key works", f"The API key works.{where}."
    if endpoint == "delete":
        deleted = first.get("deleted")
        count = f" {deleted}" if isinstance(deleted, int) and not isinstance(deleted, bool) else ""
        return "Goals deleted", f"The server deleted{count} matching goal events."
    tail = f' It said: "{said}".' if said else ""
    if data is None and response.body.strip():
        # Something other than the API may have answered (a proxy, a captive portal, a
        # wrong base URL): the status alone does not say the goal was recorded.
        return (
            NOT_THE_API,
            f"The status was {response.status}, but the body is not the API's answer (it is "
            "not valid JSON), so it is not known whether the goal was recorded. Check that "
            "the base URL points at the API and that no proxy or login page is in the way, "
            "then look for the goal in your analytics before sending it again.",
        )
    return "Goal created", "The server accepted the goal." + tail


def _for_status(exchange: Exchange, response: ReceivedResponse) -> Explanation:
    status = response.status
    said = server_message(response.body)
    head = f"{status} {_reason(response)}".strip()
    retry = retry_after_text(response.header("Retry-After"))
    retry_text = f" {retry}" if retry else ""
    if 200 <= status < 300:
        suffix, message = _success(exchange, response, said)
        tone = INFO if suffix == NOT_THE_API else SUCCESS  # unknown outcome: not a success
        return Explanation(tone, f"{head} · {suffix}", message, said)
    if status == 400:
        what = "payload" if _endpoint(exchange) == "goal" else "request"
        reasons = f": {said}" if said else "."
        message = f"The server rejected the {what}{reasons} Fix what it names and send again."
        return Explanation(CLIENT_ERROR, f"{head} · Rejected", message, said)
    if status == 401:
        message = (
            "The API key was rejected: it is missing, invalid, or does not start with flow_. "
            "Copy the key again from your Flowsery website settings, check that nothing was cut "
            "off, and that it belongs to the website you are testing."
        )
        return Explanation(AUTH, f"{head} · API key rejected", message, said)
    if status == 403:
        message = (
            "The API key was recognised but is not allowed to do this (forbidden). Check that "
            "the key belongs to this website and has the permissions this call needs."
        )
        return Explanation(AUTH, f"{head} · Forbidden", message, said)
    if status == 404:
        message = (
            "Nothing answers at this address: wrong URL or API version. Check the base URL: "
            "it should be just the server, such as https://analytics.flowsery.com, without a "
            "path; the app adds /api/v1/goals itself."
        )
        return Explanation(CLIENT_ERROR, f"{head} · Wrong URL", message, said)
    if status == 413:
        message = (
            "The server refused the request because the body is too large. Shorten the "
            "metadata values or send fewer metadata keys."
        )
        return Explanation(CLIENT_ERROR, f"{head} · Payload too large", message, said)
    if status == 429:
        wait = retry or "Wait a little before sending again."
        message = f"Too many requests: the server is rate limiting this key. {wait}"
        return Explanation(CLIENT_ERROR, f"{head} · Rate limited", message, said)
    if 500 <= status < 600:
        effect = {
            "goal": " The goal may or may not have been recorded: check before sending again.",
            "delete": " The goals may or may not have been deleted: check before trying again.",
        }.get(_endpoint(exchange), "")
        message = (
            f"The server had a problem ({status}).{effect} The app never retries by itself."
            + retry_text
        )
        return Explanation(SERVER_ERROR, f"{head} · Server error", message, said)
    if 300 <= status < 400:
        message = (
            "The server answered with a redirect the app did not follow. Check the base URL "
            "(for example https:// instead of http://)."
        )
        return Explanation(INFO, f"{head} · Redirect", message, said)
    if 400 <= status < 500:
        message = f"The server refused the request ({head}).{retry_text}"
        return Explanation(CLIENT_ERROR, head, message, said)
    return Explanation(INFO, head, f"The server answered with status {status}.", said)


def explain(exchange: Exchange) -> Explanation:
    """The plain-words explanation of an exchange, for the window and the CLI."""
    response = exchange.response
    if response is None:
        failure = exchange.failure
        if failure is None:
            return Explanation(INFO, "No response", "Nothing came back and no reason was given.")
        tone = INFO if failure.kind is FailureKind.CANCELLED else FAILURE
        title = f"No response · {_FAILURE_TITLES.get(failure.kind, 'Request failed')}"
        if failure.kind is FailureKind.REFUSED_BY_APP:
            title = "Not sent"
        return Explanation(tone, title, failure.message)
    result = _for_status(exchange, response)
    if response.truncated:
        result = Explanation(
            result.tone,
            result.title,
            result.message + " The body was too long: only its first part is shown.",
            result.server_message,
        )
    return result
