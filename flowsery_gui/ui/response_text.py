"""The response panel's words: status line, timing, sizes, and head lines as sent and received.

Plain functions of the exchange, so the panel only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowsery_gui.i18n import (
    N_,
    _,
    format_datetime,
    format_duration,
    format_number,
    format_time,
    ngettext,
)

if TYPE_CHECKING:
    from flowsery_gui.exchange import Failure, ReceivedResponse, SentRequest

# Msgids (`_()` where shown).
# Translators: the response pane before anything was sent; "Send" is the button's name.
EMPTY_HINT = N_("Fire a goal with Send (Ctrl+Enter). The answer appears here.")
# Translators: the status chip when no HTTP answer came back (where "200 OK" stands).
NO_RESPONSE = N_("No response")
#: What the tone's icon is called for screen readers, by icon name.
ICON_NAMES = {
    "success": N_("Success"),
    "warning": N_("Warning"),
    "error": N_("Error"),
    "info": N_("Information"),
}
# A label holding a huge server string would be slow to lay out; the tabs show it in full.
MAX_LABEL_CHARS = 1000
MAX_LABEL_WORD = 60


def clip(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Text cut to `limit` characters, ending with … when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_text(text: str) -> str:
    """Text for a summary label: capped, and words too long to wrap shortened with "…".

    A label cannot break inside a word, so a 600-character token would be clipped at the
    edge; the Body and Raw tabs always hold the full text.
    """
    words = clip(text).split(" ")
    return " ".join(w if len(w) <= MAX_LABEL_WORD else w[: MAX_LABEL_WORD - 1] + "…" for w in words)


def status_text(response: ReceivedResponse | None) -> str:
    """The chip's words: `200 OK`, `400 Bad Request`, or `No response`."""
    if response is None:
        return _(NO_RESPONSE)
    reason = response.reason.strip()
    if not reason:
        # Deferred: this module is read at start-up (the empty hint), the enum only on answers.
        from http import HTTPStatus

        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
    return clip(f"{response.status} {reason}".strip(), 60)


def elapsed_text(ms: float) -> str:
    """`143 ms` under a second, `2.35 s` above (in the window's language)."""
    return format_duration(ms)


def sent_at_text(started_at: float, now: float | None = None) -> str:
    """`Sent 2:03:27 PM` today, `Sent May 2, 2026, 2:03:27 PM` another day (local time, in
    the window's language)."""
    import time  # (cheap, and only needed once an answer is shown)

    when = time.localtime(started_at)
    today = time.localtime(time.time() if now is None else now)
    if when[:3] == today[:3]:
        # Translators: when the goal was sent today; {time} is a time of day (14:03:27).
        return _("Sent {time}", time=format_time(started_at))
    # Translators: when the goal was sent another day; {date_time} is a date and a time.
    return _("Sent {date_time}", date_time=format_datetime(started_at))


def size_text(count: int) -> str:
    """A byte count in words: `12 bytes`, `3.4 KiB`, `1.2 MiB`."""
    if count < 1024:
        return ngettext("{count} byte", "{count} bytes", count, count=format_number(count))
    if count < 1024 * 1024:
        # Translators: a size in kibibytes (1,024 bytes).
        return _("{size} KiB", size=format_number(count / 1024, 1))
    # Translators: a size in mebibytes (1,048,576 bytes).
    return _("{size} MiB", size=format_number(count / (1024 * 1024), 1))


def no_response_text(failure: Failure | None) -> str:
    """What the Body and Raw tabs hold when no answer came: the failure, then its detail."""
    parts = [_("No response.")]
    if failure is not None:
        parts.append(failure.message)
        if failure.detail:
            # Translators: {kind} is a failure's code (dns, read_timeout), untranslated;
            # {detail} the technical words of the library that failed.
            detail = _("Detail ({kind}): {detail}", kind=failure.kind.value, detail=failure.detail)
            parts.append(detail)
    return "\n\n".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def raw_head_lines(response: ReceivedResponse) -> list[str]:
    """Status line and headers as received, one line each."""
    lines = [_one_line(f"HTTP {response.status} {response.reason}".rstrip())]
    return lines + [_one_line(f"{name}: {value}") for name, value in response.headers]


def request_head_lines(request: SentRequest) -> list[str]:
    """Method, URL and headers as sent (the key was masked when the record was made)."""
    lines = [_one_line(f"{request.method} {request.url}")]
    return lines + [_one_line(f"{name}: {value}") for name, value in request.headers]
