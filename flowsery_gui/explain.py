"""Plain words for an exchange: what happened, what the server said, and what to do next.

Shared by the window and the CLI so both explain a status the same way. Pure functions,
no I/O; reading a server's body never raises, whatever the body holds.
An HTML page's gist is read in `html_gist`, imported only when a page came back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flowsery_gui.exchange import Exchange, FailureKind, ReceivedResponse
from flowsery_gui.i18n import N_, _, ngettext, sentences
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

_FAILURE_TITLES = {
    FailureKind.DNS: N_("Host not found"),
    FailureKind.REFUSED: N_("Connection refused"),
    FailureKind.TLS: N_("Secure connection failed"),
    FailureKind.CONNECT_TIMEOUT: N_("Could not connect in time"),
    FailureKind.READ_TIMEOUT: N_("No answer in time"),
    FailureKind.RESET: N_("Connection reset"),
    FailureKind.DROPPED: N_("Connection closed, no answer"),
    FailureKind.TOO_MANY_REDIRECTS: N_("Too many redirects"),
    FailureKind.INVALID_URL: N_("Invalid URL"),
    FailureKind.REFUSED_BY_APP: N_("Not sent"),
    FailureKind.CANCELLED: N_("Cancelled"),
    FailureKind.OTHER: N_("Request failed"),
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


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    if not head.startswith("<"):
        return False
    markers = ("<!doctype html", "<html", "<head", "<body", "<title", "<h1", "<p>", "<div")
    return any(marker in head for marker in markers)


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
        from flowsery_gui.html_gist import html_text  # html.parser: only when a page came back

        gist = html_text(text)
        return _shorten(gist) if gist is not None else None
    return _shorten(text)


def retry_after_text(value: str | None, now: float | None = None) -> str | None:
    """'The server asks to wait 30 seconds…' from a Retry-After header (seconds or a date)."""
    retry = parse_retry_after(value, now)
    if retry is None:
        return None
    if not retry.is_date:
        seconds = int(retry.seconds)
        return ngettext(
            "The server asks to wait {count} second before trying again.",
            "The server asks to wait {count} seconds before trying again.",
            seconds,
            count=seconds,
        )
    if retry.seconds <= 0:
        return _("The server asked to wait until {time}; that time has passed.", time=retry.text)
    seconds = round(retry.seconds)
    return ngettext(
        "The server asks to wait until {time} (about {count} second from now).",
        "The server asks to wait until {time} (about {count} seconds from now).",
        seconds,
        time=retry.text,
        count=seconds,
    )


def _titled(head: str, words: str) -> str:
    """A title in two parts: `400 Bad Request · Rejected`."""
    return f"{head} · {words}"


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


def _website_words(data: Any) -> str:
    """What a 2xx of GET /metadata says: the key works, and for which website."""
    site = read_website(data)
    if site is None:
        return _("The API key works.")
    fields = {"site": site.title, "domain": site.domain, "timezone": site.timezone}
    named = bool(site.domain and site.domain != site.title)
    if named and site.timezone:
        return _(
            "The API key works. It belongs to {site} ({domain}), time zone {timezone}.", **fields
        )
    if named:
        return _("The API key works. It belongs to {site} ({domain}).", **fields)
    if site.timezone:
        return _("The API key works. It belongs to {site}, time zone {timezone}.", **fields)
    return _("The API key works. It belongs to {site}.", **fields)


def _success(
    exchange: Exchange, response: ReceivedResponse, said: str | None
) -> tuple[str, str, str]:
    """Tone, title suffix and message for a 2xx."""
    endpoint = _endpoint(exchange)
    data = response.json()
    first: dict[str, Any] = {}
    if isinstance(data, dict) and isinstance(data.get("data"), list) and data["data"]:
        item = data["data"][0]
        first = item if isinstance(item, dict) else {}
    if endpoint == "metadata":
        return SUCCESS, _("Key works"), _website_words(data)
    if endpoint == "delete":
        deleted = first.get("deleted")
        if isinstance(deleted, int) and not isinstance(deleted, bool):
            words = ngettext(
                "The server deleted {count} matching goal event.",
                "The server deleted {count} matching goal events.",
                deleted,
                count=deleted,
            )
        else:
            words = _("The server deleted matching goal events.")
        return SUCCESS, _("Goals deleted"), words
    if data is None and response.body.strip():
        # Something other than the API may have answered (a proxy, a captive portal, a
        # wrong base URL): the status alone does not say the goal was recorded. Not a success.
        return (
            INFO,
            _("Not the API's answer"),
            _(
                "The status was {status}, but the body is not the API's answer (it is not "
                "valid JSON), so it is not known whether the goal was recorded. Check that "
                "the base URL points at the API and that no proxy or login page is in the way, "
                "then look for the goal in your analytics before sending it again.",
                status=response.status,
            ),
        )
    if said:
        return (
            SUCCESS,
            _("Goal created"),
            _('The server accepted the goal. It said: "{said}".', said=said),
        )
    return SUCCESS, _("Goal created"), _("The server accepted the goal.")


def _rejected(exchange: Exchange, said: str | None) -> str:
    """What a 400 means, for a goal (the payload) or another call (the request)."""
    if _endpoint(exchange) == "goal":
        if said:
            return _(
                "The server rejected the payload: {reason} Fix what it names and send again.",
                reason=said,
            )
        return _("The server rejected the payload. Fix what it names and send again.")
    if said:
        return _(
            "The server rejected the request: {reason} Fix what it names and send again.",
            reason=said,
        )
    return _("The server rejected the request. Fix what it names and send again.")


def _server_error(exchange: Exchange, status: int) -> str:
    """What a 5xx means, and what it may have done, by call."""
    endpoint = _endpoint(exchange)
    if endpoint == "goal":
        return _(
            "The server had a problem ({status}). The goal may or may not have been recorded: "
            "check before sending again. The app never retries by itself.",
            status=status,
        )
    if endpoint == "delete":
        return _(
            "The server had a problem ({status}). The goals may or may not have been deleted: "
            "check before trying again. The app never retries by itself.",
            status=status,
        )
    return _("The server had a problem ({status}). The app never retries by itself.", status=status)


def _for_status(exchange: Exchange, response: ReceivedResponse) -> Explanation:
    status = response.status
    said = server_message(response.body)
    head = f"{status} {_reason(response)}".strip()
    retry = retry_after_text(response.header("Retry-After"))
    if 200 <= status < 300:
        tone, suffix, message = _success(exchange, response, said)
        return Explanation(tone, _titled(head, suffix), message, said)
    if status == 400:
        message = _rejected(exchange, said)
        return Explanation(CLIENT_ERROR, _titled(head, _("Rejected")), message, said)
    if status == 401:
        message = _(
            "The API key was rejected: it is missing, invalid, or does not start with flow_. "
            "Copy the key again from your Flowsery website settings, check that nothing was cut "
            "off, and that it belongs to the website you are testing."
        )
        return Explanation(AUTH, _titled(head, _("API key rejected")), message, said)
    if status == 403:
        message = _(
            "The API key was recognised but is not allowed to do this (forbidden). Check that "
            "the key belongs to this website and has the permissions this call needs."
        )
        return Explanation(AUTH, _titled(head, _("Forbidden")), message, said)
    if status == 404:
        message = _(
            "Nothing answers at this address: wrong URL or API version. Check the base URL: "
            "it should be just the server, such as https://analytics.flowsery.com, without a "
            "path; the app adds /api/v1/goals itself."
        )
        return Explanation(CLIENT_ERROR, _titled(head, _("Wrong URL")), message, said)
    if status == 413:
        message = _(
            "The server refused the request because the body is too large. Shorten the "
            "metadata values or send fewer metadata keys."
        )
        return Explanation(CLIENT_ERROR, _titled(head, _("Payload too large")), message, said)
    if status == 429:
        wait = retry or _("Wait a little before sending again.")
        message = sentences(_("Too many requests: the server is rate limiting this key."), wait)
        return Explanation(CLIENT_ERROR, _titled(head, _("Rate limited")), message, said)
    if 500 <= status < 600:
        message = sentences(_server_error(exchange, status), retry)
        return Explanation(SERVER_ERROR, _titled(head, _("Server error")), message, said)
    if 300 <= status < 400:
        message = _(
            "The server answered with a redirect the app did not follow. Check the base URL "
            "(for example https:// instead of http://)."
        )
        return Explanation(INFO, _titled(head, _("Redirect")), message, said)
    if 400 <= status < 500:
        message = sentences(_("The server refused the request ({status}).", status=head), retry)
        return Explanation(CLIENT_ERROR, head, message, said)
    message = _("The server answered with status {status}.", status=status)
    return Explanation(INFO, head, message, said)


def explain(exchange: Exchange) -> Explanation:
    """The plain-words explanation of an exchange, for the window and the CLI."""
    response = exchange.response
    if response is None:
        failure = exchange.failure
        if failure is None:
            words = _("Nothing came back and no reason was given.")
            return Explanation(INFO, _("No response"), words)
        tone = INFO if failure.kind is FailureKind.CANCELLED else FAILURE
        kind_title = _(_FAILURE_TITLES.get(failure.kind, _FAILURE_TITLES[FailureKind.OTHER]))
        title = _titled(_("No response"), kind_title)
        if failure.kind is FailureKind.REFUSED_BY_APP:
            title = _("Not sent")
        return Explanation(tone, title, failure.message)
    result = _for_status(exchange, response)
    if response.truncated:
        result = Explanation(
            result.tone,
            result.title,
            sentences(result.message, _("The body was too long: only its first part is shown.")),
            result.server_message,
        )
    return result
