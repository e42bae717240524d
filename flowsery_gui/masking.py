"""How a key is hidden wherever it could surface: masked form, Authorization, any text.

A server may echo the key back in any spelling: as typed, with JSON `\\uXXXX` escapes for
some or all of its characters (`flow\\u005flive\\u005f…`), or percent-encoded (`%5F`, `%5f`),
even escaped twice over. `scrub` finds every such spelling and puts the masked form
(`…abcd`) in its place, so a history record, an export or a terminal never holds a
trivially reversible copy. The client, the history and the exports all use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["MIN_SECRET_LENGTH", "mask_authorization", "mask_key", "scrub", "scrub_value"]

#: Shorter "secrets" are left alone: masking them would mangle ordinary words, and a real
#: key is far longer.
MIN_SECRET_LENGTH = 6


def mask_key(key: str) -> str:
    """How a key is shown anywhere outside the keyring: an ellipsis and its last 4 characters."""
    if len(key) <= 8:
        return "…"
    return "…" + key[-4:]


def mask_authorization(value: str) -> str:
    """An Authorization header value with the key masked (`Bearer …abcd`)."""
    scheme, _, secret = value.partition(" ")
    if not secret:
        return mask_key(value)
    return f"{scheme} {mask_key(secret.strip())}"


def _hex(number: int, width: int) -> str:
    """A case-insensitive pattern for `number` as `width` hex digits."""
    return "".join(
        f"[{digit}{digit.upper()}]" if digit.isalpha() else digit for digit in f"{number:0{width}x}"
    )


def _json_escape(char: str) -> str:
    r"""`\uXXXX` (a surrogate pair beyond U+FFFF), with one or more backslashes."""
    code = ord(char)
    units: tuple[int, ...] = (code,)
    if code > 0xFFFF:
        code -= 0x10000
        units = (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
    return "".join(r"(?:\\)+u" + _hex(unit, 4) for unit in units)


def _percent(char: str) -> str:
    """`%XX` per UTF-8 byte, also encoded twice (`%255F`)."""
    return "".join("%(?:25)*" + _hex(byte, 2) for byte in char.encode("utf-8", "surrogatepass"))


def _spellings(secret: str) -> re.Pattern[str]:
    """A pattern matching the secret with each character as typed, JSON-escaped or %-encoded."""
    parts = []
    for char in secret:
        options = [re.escape(char), _json_escape(char), _percent(char)]
        if char == "/":
            options.append(r"(?:\\)+/")  # JSON may write / as \/
        parts.append("(?:" + "|".join(options) + ")")
    return re.compile("".join(parts))


def _usable(secrets: Iterable[str | None]) -> list[str]:
    found = {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}
    return sorted(found, key=len, reverse=True)  # longest first: no partial masking


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every spelling of each secret replaced by its masked form."""
    for secret in _usable(secrets):
        masked = mask_key(secret)
        if secret in text:
            text = text.replace(secret, masked)
        if "\\" in text or "%" in text:
            text = _spellings(secret).sub(masked, text)
    return text


def scrub_value(value: Any, secrets: Iterable[str | None]) -> Any:
    """A JSON-like value (str, dict, list, tuple) with every secret scrubbed from its text."""
    found = _usable(secrets)
    if not found:
        return value
    if isinstance(value, str):
        return scrub(value, found)
    if isinstance(value, dict):
        return {scrub_value(k, found): scrub_value(v, found) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_value(v, found) for v in value]
    return value
