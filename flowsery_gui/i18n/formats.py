"""Numbers, durations, dates and times as people of the active language write them.

For what people read (the history list, status lines, the human parts of reports). Files
for machines (JSON Lines, HAR, JUnit, `--json`) keep ISO 8601 and plain numbers and never
come here. The patterns are the Unicode CLDR's, copied into `cldr.py` by
`tools/i18n.py cldr` (the tests check them against Babel): formatting loads nothing more.
Pseudo-languages format as English.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from flowsery_gui.i18n.languages import SOURCE_LANGUAGE
from flowsery_gui.i18n.translate import current_language

Length = Literal["short", "medium"]
_PATTERN_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")


def _data(language: str | None) -> dict[str, Any]:
    from flowsery_gui.i18n.cldr import CLDR  # on first use: most runs format nothing

    code = language or current_language()
    return CLDR.get(code) or CLDR[SOURCE_LANGUAGE]


def _grouped(digits: str, group: str) -> str:
    """`1234567` as `1,234,567` (groups of three, as in every shipped language)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return group.join(parts)


def format_number(value: float, max_decimals: int = 3, language: str | None = None) -> str:
    """A number with the language's grouping and decimal sign: 1,204.5 / 1.204,5 / 1 204,5.

    At most `max_decimals` digits after the sign, rounded half to even, trailing zeros
    dropped (`2.50` reads `2.5`)."""
    data = _data(language)
    if isinstance(value, int) and not isinstance(value, bool):
        whole, fraction, negative = str(abs(value)), "", value < 0
    else:
        from decimal import ROUND_HALF_EVEN, Decimal  # only for fractions

        exact = Decimal(repr(float(value))).quantize(
            Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_EVEN
        )
        negative = exact < 0
        text = f"{abs(exact):f}"
        whole, _dot, fraction = text.partition(".")
        fraction = fraction.rstrip("0")
        negative = negative and (whole.strip("0") != "" or fraction != "")
    shown = _grouped(whole, data["group"])
    if fraction:
        shown += data["decimal"] + fraction
    return data["minus"] + shown if negative else shown


def format_duration(milliseconds: float, language: str | None = None) -> str:
    """How long something took: `143 ms` under a second, else seconds: `2.5 s`, `2,5 Sek.`."""
    data = _data(language)
    whole_ms = round(milliseconds)
    if abs(whole_ms) < 1000:
        return str(data["millisecond"]).replace("{0}", format_number(whole_ms, 0, language))
    seconds = format_number(milliseconds / 1000, 2, language)
    return str(data["second"]).replace("{0}", seconds)


def format_seconds(seconds: float, language: str | None = None) -> str:
    """A setting given in seconds, said in seconds whatever its size: `0.3 s`, `40 s`."""
    data = _data(language)
    return str(data["second"]).replace("{0}", format_number(seconds, 2, language))


def _local(moment: datetime | float) -> datetime:
    """A time as this computer's local time: an epoch number, an aware or a naive time."""
    if isinstance(moment, datetime):
        return moment.astimezone() if moment.tzinfo is not None else moment
    return datetime.fromtimestamp(moment)


def _field(letter: str, width: int, moment: datetime, data: dict[str, Any]) -> str:
    if letter == "y":
        return f"{moment.year % 100:02d}" if width == 2 else f"{moment.year:0{width}d}"
    if letter == "M" or letter == "L":
        return data["months"][moment.month - 1] if width >= 3 else f"{moment.month:0{width}d}"
    if letter == "d":
        return f"{moment.day:0{width}d}"
    if letter == "H":
        return f"{moment.hour:0{width}d}"
    if letter == "h":
        return f"{(moment.hour % 12) or 12:0{width}d}"
    if letter == "m":
        return f"{moment.minute:0{width}d}"
    if letter == "s":
        return f"{moment.second:0{width}d}"
    if letter == "a":
        return data["periods"][moment.hour >= 12]
    raise ValueError(f"unsupported date pattern letter {letter!r}")


def _apply(pattern: str, moment: datetime, data: dict[str, Any]) -> str:
    """A CLDR date/time pattern (`dd.MM.y`, `h:mm a`, `d 'de' MMM`) filled in."""
    out: list[str] = []
    for match in _PATTERN_TOKEN.finditer(pattern):
        token = match.group(0)
        if token.startswith("'"):
            out.append(token[1:-1].replace("''", "'") if token != "''" else "'")
        elif match.group(1):
            out.append(_field(token[0], len(token), moment, data))
        else:
            out.append(token)
    return "".join(out)


def format_date(
    moment: datetime | float, length: Length = "medium", language: str | None = None
) -> str:
    """A calendar date in local time: `Mar 7, 2025`, `07.03.2025`, `2025/03/07`."""
    data = _data(language)
    return _apply(data["date"][length], _local(moment), data)


def format_time(
    moment: datetime | float, length: Length = "medium", language: str | None = None
) -> str:
    """A time of day in local time: `2:05:09 PM`, `14:05:09`."""
    data = _data(language)
    return _apply(data["time"][length], _local(moment), data)


def format_datetime(
    moment: datetime | float, length: Length = "medium", language: str | None = None
) -> str:
    """A date and time in local time (an epoch number, or a datetime), as the history list
    and reports show it: `Mar 7, 2025, 2:05:09 PM`, `07.03.2025, 14:05:09`."""
    data = _data(language)
    local = _local(moment)
    date = _apply(data["date"][length], local, data)
    time = _apply(data["time"][length], local, data)
    return str(data["datetime"][length]).replace("{1}", date).replace("{0}", time)
