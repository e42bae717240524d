"""The one JSON reader for text from outside the app: bodies, answers, pastes, files.

Whatever it is given (any size, any nesting, any numbers), it returns a value or raises its
own `NotJSON` with a message in plain words: never `ValueError` from Python's int-string
limit (an integer of more than 4,300 digits), never `RecursionError`, never a traceback.
`NaN` and `Infinity` are refused (they are not JSON), and so is a number too large for a
float. `contract.parse_body` (used by the window, the CLI and the sandbox) reads through it.
"""

from __future__ import annotations

import json
import math
from typing import Any, NamedTuple

from flowsery_gui.i18n import _

__all__ = ["MAX_INT_DIGITS", "NotJSON", "ParsedBody", "loads_or_none", "read_json"]

#: Python refuses to turn longer digit strings into an int (sys.int_info.default_max_str_digits).
MAX_INT_DIGITS = 4300
_EXAMPLE = '{"name": "signup"}'


class NotJSON(ValueError):
    """The input is not a JSON document; the message says why in plain words."""


# A NamedTuple: defined at the window's start, where a dataclass takes three times as long.
class ParsedBody(NamedTuple):
    """A raw body parsed as JSON, with the object keys that JSON would silently have merged."""

    value: Any
    duplicate_keys: tuple[str, ...] = ()


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        from flowsery_gui.i18n import format_number  # only for this rare message

        raise NotJSON(
            _(
                "A number in this JSON has {count} digits; at most {limit} can be read. "
                "Write such a value as a string.",
                count=format_number(len(digits.lstrip("-"))),
                limit=format_number(MAX_INT_DIGITS),
            )
        )
    return int(digits)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJSON(
            _(
                "The number {number} is too large to read; write such a value as a string.",
                number=text[:20] + ("…" if len(text) > 20 else ""),
            )
        )
    return value


def _no_constants(name: str) -> Any:
    raise NotJSON(
        _("{constant} is not allowed in JSON; write it as a string or a number.", constant=name)
    )


def _text_of(raw: str | bytes | bytearray) -> str:
    if isinstance(raw, (bytes, bytearray)):
        try:
            text = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            words = _("The body is not valid UTF-8 text (byte {position}).", position=exc.start)
            raise NotJSON(words) from None
    else:
        text = raw
    return text[1:] if text.startswith("\ufeff") else text


def read_json(raw: str | bytes | bytearray) -> ParsedBody:
    """Parse JSON text (or UTF-8 bytes), noting duplicated object keys; raise NotJSON."""
    text = _text_of(raw)
    if not text.strip():
        raise NotJSON(
            _("The body is empty: a JSON object such as {example} is expected.", example=_EXAMPLE)
        )
    duplicates: list[str] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, item in pairs:
            if key in obj:
                duplicates.append(key)
            obj[key] = item
        return obj

    try:
        value = json.loads(
            text,
            object_pairs_hook=pairs_hook,
            parse_constant=_no_constants,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except NotJSON:
        raise
    except json.JSONDecodeError as exc:
        # Translators: {reason} is Python's own English words, such as "Expecting value".
        words = _(
            "This is not valid JSON: {reason} at line {line}, column {column}.",
            reason=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        )
        raise NotJSON(words) from None
    except RecursionError:
        raise NotJSON(_("This JSON is nested too deeply to read.")) from None
    except (ValueError, OverflowError, MemoryError):
        # What the hooks above do not see (a limit of this Python): plain words, no trace.
        raise NotJSON(_("This JSON holds a value too large to read.")) from None
    if "\\u" in text:  # only an escape can make a lone surrogate out of valid UTF-8
        _refuse_lone_surrogates(value)
    return ParsedBody(value, tuple(dict.fromkeys(duplicates)))


def _refuse_lone_surrogates(value: Any) -> None:
    """NotJSON when a string holds half of a UTF-16 pair (`\\ud800` alone): it is no
    character, so it could be neither stored, sanitized nor sent on as UTF-8."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                words = _(
                    "This JSON holds a \\u escape for half of a character (a lone UTF-16 "
                    "surrogate such as \\ud800); write the whole character instead."
                )
                raise NotJSON(words) from None


def loads_or_none(raw: str | bytes | bytearray | None) -> Any | None:
    """The JSON value of a text, or None when it is empty or not JSON (lenient readers)."""
    if raw is None:
        return None
    try:
        return read_json(raw).value
    except NotJSON:
        return None
