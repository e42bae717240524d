"""Reading "since when" for a cleanup: an ISO 8601 time, or a duration back from now.

`30m`, `2h`, `1d`, `1w`, `45s`, or several together (`1h30m`); at most `MAX_SINCE_DAYS`.
An ISO 8601 time without an offset is this computer's local time (a person types the
time on their own clock); a date alone is its midnight. A time in the future is refused.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from flowsery_gui.i18n import _, format_number

MAX_SINCE_DAYS = 3650
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(?:[0-9]{1,7}[smhdw])+")
_PART = re.compile(r"([0-9]{1,7})([smhdw])")
_MAX_TEXT = 64


def parse_since(text: str, now: float) -> float:
    """The moment `text` names, in epoch seconds; ValueError in plain words when it names
    none (or one in the future, or more than MAX_SINCE_DAYS ago)."""
    given = text.strip()
    shown = given if len(given) <= _MAX_TEXT else given[:_MAX_TEXT] + "…"
    if not given or len(given) > _MAX_TEXT:
        raise ValueError(_help(shown))
    lowered = given.lower()
    if _DURATION.fullmatch(lowered):
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(lowered))
        if seconds <= 0:
            said = _("{given} is no time at all: give a duration such as 30m.", given=repr(shown))
            raise ValueError(said)
        moment = now - seconds
    else:
        iso = given[:-1] + "+00:00" if given[-1:] in ("Z", "z") else given  # for Python 3.10
        try:
            parsed = datetime.fromisoformat(iso)
        except ValueError:
            raise ValueError(_help(shown)) from None
        try:  # naive: local time, as the docstring says
            moment = parsed.timestamp()
        except (ValueError, OverflowError, OSError):  # year 1 or 9999 on this clock
            moment = -math.inf if parsed.year < 2000 else math.inf
        if moment > now:
            said = _("{given} is in the future: nothing was sent since then.", given=repr(shown))
            raise ValueError(said)
    if not math.isfinite(moment) or now - moment > MAX_SINCE_DAYS * 86400:
        said = _(
            "{given} is more than {count} days ago.",
            given=repr(shown),
            count=format_number(MAX_SINCE_DAYS),
        )
        raise ValueError(said)
    return moment


def _help(shown: str) -> str:
    return _(
        "{given} is neither a duration (30m, 2h, 1d, 1w, 1h30m) nor an ISO 8601 time "
        "(2024-05-01T10:00, 2024-05-01T10:00:00Z).",
        given=repr(shown),
    )
