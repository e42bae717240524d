"""Reading what the API answered, once for every caller: Retry-After and the /metadata site.

Pure functions over text and parsed JSON; they never raise, whatever a server sent.
"""

from __future__ import annotations

import re
import time
from typing import Any, NamedTuple

#: Longer waits are not believed (a hostile or broken header): about 115 days.
MAX_RETRY_AFTER_SECONDS = 10**7
_SECONDS = re.compile(r"[0-9]{1,15}")


class RetryAfter(NamedTuple):
    """When a server asked to be tried again: `at` (epoch seconds) and as it was written."""

    at: float
    seconds: float  # from `now` when it was read; <= 0 for a date already past
    is_date: bool
    text: str


def parse_retry_after(value: str | None, now: float | None = None) -> RetryAfter | None:
    """A Retry-After header (whole seconds, or an HTTP date) read, or None when absent or
    unreadable (a negative, fractional, absurdly long or garbled value)."""
    if not value:
        return None
    text = value.strip()
    now = time.time() if now is None else now
    if _SECONDS.fullmatch(text):
        seconds = int(text)
        if seconds > MAX_RETRY_AFTER_SECONDS:
            return None
        return RetryAfter(now + seconds, float(seconds), False, text)
    if len(text) > 64:
        return None
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None
    return RetryAfter(when, when - now, True, text)


class Website(NamedTuple):
    """What `GET /api/v1/metadata` says a key belongs to."""

    domain: str
    name: str
    timezone: str
    currency: str = ""

    @property
    def title(self) -> str:
        """The website as people name it: its name, else its domain."""
        return self.name or self.domain


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value.strip() if isinstance(value, str) else ""


def read_website(answer: Any) -> Website | None:
    """The website in a parsed `/metadata` answer (`{"data": [{...}]}`), or None when the
    answer has another shape or names neither a domain nor a name."""
    if not isinstance(answer, dict):
        return None
    data = answer.get("data")
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        return None
    item = data[0]
    site = Website(_text(item, "domain"), _text(item, "name"), _text(item, "timezone"))
    if not (site.domain or site.name):
        return None
    return Website(site.domain, site.name, site.timezone, _text(item, "currency"))
