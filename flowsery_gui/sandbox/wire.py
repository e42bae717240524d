"""What the sandbox puts on the wire: its assumptions and limits, bodies, error shapes, times.

Shared by every other sandbox module; no I/O and no state here.
"""

from __future__ import annotations

import http
import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from flowsery_gui import contract

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
ERROR_SHAPES = ("envelope", "nest")
MAX_STORED_GOALS = 10_000  # oldest dropped first
MAX_STORED_REQUESTS = 10_000  # the collector's log; oldest dropped first
MAX_STORED_CHARS = 100_000_000  # per store (goals, requests): about 100 MB of stored text
DEFAULT_PAGE_SIZE = 1_000  # /sandbox/goals and /sandbox/requests without limit=
MAX_PAGE_SIZE = 10_000
DEFAULT_REQUEST_TIMEOUT = 10.0  # per read: an idle kept-alive connection is closed after it
DEFAULT_REQUEST_DEADLINE = 10.0  # a whole request (headers and body) from its first byte
DEFAULT_MAX_CONNECTIONS = 64  # concurrent handler threads; over it: 503 at once
MAX_CLOCK_SKEW_SECONDS = 366 * 24 * 3600  # the test clock may run at most a year off
DEFAULT_TIMEZONE = "Europe/Paris"
SANDBOX_DOMAIN = "sandbox.flowsery.test"
SANDBOX_KEY_PREFIX = "flow_sandbox_"
LINGER_SECONDS = 1.0  # after our answer, how long unread client bytes are discarded
MAX_NUMBER_DIGITS = 18  # any number read from a request: longer is refused before int()

GOALS_INSPECT_PATH = "/sandbox/goals"
REQUESTS_PATH = "/sandbox/requests"
RESET_PATH = "/sandbox/reset"
REDIRECT_LOOP_PATH = "/sandbox/redirect-loop"
#: The sandbox's own inspection routes: no faults, not recorded by the collector.
INSPECTION_PATHS = frozenset({GOALS_INSPECT_PATH, REQUESTS_PATH, RESET_PATH})

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
    REQUESTS_PATH: ("GET",),
    RESET_PATH: ("POST",),
    REDIRECT_LOOP_PATH: ("GET", "POST", "PUT", "PATCH", "DELETE"),
}


def reason_phrase(status: int) -> str:
    """The standard reason phrase for a status code (`Bad Request`), `Error` when unknown."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, messages: Iterable[str], shape: str) -> dict[str, Any]:
    """An error body in one of the two documented shapes (see the package docstring)."""
    texts = list(messages) or [reason_phrase(status)]
    if shape == "nest":
        message: str | list[str] = texts[0] if len(texts) == 1 else texts
        return {"statusCode": status, "message": message, "error": reason_phrase(status)}
    return {"status": "error", "error": {"code": status, "message": "; ".join(texts)}}


def deleted_body(count: int) -> dict[str, Any]:
    """The documented answer of DELETE /api/v1/goals."""
    return {
        "status": "success",
        "data": [{"deleted": count, "message": "Goal events deleted successfully"}],
    }


def finding_text(finding: contract.Finding) -> str:
    """A finding as one line for an error body: `metadata.plan: Metadata values are ...`."""
    return f"{finding.path}: {finding.message}" if finding.path else finding.message


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON; a lone surrogate (from a `\\ud800` escape) stays a JSON escape."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "backslashreplace")


def iso_time(moment: datetime) -> str:
    """A time as ISO 8601 UTC with milliseconds (`2024-05-01T12:00:00.123Z`)."""
    moment = moment.astimezone(UTC_ZONE)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def utc_now_iso() -> str:
    """The current time as ISO 8601 UTC with milliseconds (`2024-05-01T12:00:00.123Z`)."""
    return iso_time(datetime.now(UTC_ZONE))


def parse_iso_time(text: str) -> datetime:
    """An ISO 8601 time as an aware datetime; raise ValueError when it is not one."""
    text = text.strip()
    if len(text) > 64:
        raise ValueError("too long for a time")
    if text[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat does not read the Z suffix
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None and ASSUME_NAIVE_TIME_IS_UTC:
        value = value.replace(tzinfo=UTC_ZONE)
    return value


def bounded_int(text: str, high: int) -> int | None:
    """A whole number of ASCII digits from 0 to `high`, or None when it is not one.

    Leading zeros are allowed; a number too long to be at most `high` is refused by its
    length first, so no digit string (5,000 digits, say) ever reaches int().
    """
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > MAX_NUMBER_DIGITS:
        return None
    number = int(digits)
    return number if number <= high else None
