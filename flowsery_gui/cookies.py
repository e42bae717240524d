"""Find the `_fs_vid` and `_fs_sid` cookies in whatever a developer copied from devtools.

Reads a `Cookie:` header (or a whole headers block), a `document.cookie` string (quoted as
the console prints it or not), a request copied with "Copy as cURL" (bash, or Windows cmd
with its `^` escapes), `Set-Cookie` lines, a JSON cookie list and "Copy as PowerShell".
Never raises: anything unreadable gives a result with no IDs and a message saying so.
Each format's reader is in `cookie_formats`; this module picks the reader for a paste and
says in plain words what was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from flowsery_gui.contract import SESSION_COOKIE, VISITOR_COOKIE
from flowsery_gui.cookie_formats import (
    ATTRIBUTES,
    COOKIE_HEADER,
    CURL,
    DOCUMENT_COOKIE,
    JSON_LIST,
    POWERSHELL,
    SET_COOKIE,
    TEXT,
    UNKNOWN,
    Pairs,
    curl_pairs,
    document_cookie_pairs,
    header_pairs,
    json_pairs,
    scan_pairs,
    unwrap_quotes,
)
from flowsery_gui.i18n import N_, _, ngettext, sentences

#: How each format is named in messages: when something was found in it, and when not.
_LABELS = {
    # Translators: the place a cookie was found in, as it reads after "in" in "Found _fs_vid
    # in a Cookie header." (translate it in the form your language needs there).
    COOKIE_HEADER: (N_("a Cookie header"), N_("this Cookie header")),
    SET_COOKIE: (N_("Set-Cookie headers"), N_("these Set-Cookie headers")),
    DOCUMENT_COOKIE: (N_("a document.cookie string"), N_("this document.cookie string")),
    CURL: (N_("a cURL command"), N_("this cURL command")),
    JSON_LIST: (N_("a JSON cookie list"), N_("this JSON cookie list")),
    POWERSHELL: (N_("a PowerShell command"), N_("this PowerShell command")),
    TEXT: (N_("the pasted text"), N_("the pasted text")),
}
_HOW = N_(
    "Paste a Cookie header, the value of document.cookie, or a request copied with "
    '"Copy as cURL" from your browser\'s devtools, on a page of your site where the '
    "Flowsery tracker runs."
)
_NAMES = {"visitor": VISITOR_COOKIE, "session": SESSION_COOKIE}
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_CURL_START = re.compile(r"^(?:\$\s*)?curl(?:\.exe)?\s", re.IGNORECASE)


@dataclass(frozen=True)
class CookiePaste:
    """What a paste held: the two IDs (None when absent), its format and a message for people."""

    visitor_uid: str | None
    session_uid: str | None
    source: str
    other_names: tuple[str, ...] = ()
    message: str = ""

    @property
    def found_any(self) -> bool:
        """True when at least one of the two IDs was found."""
        return self.visitor_uid is not None or self.session_uid is not None


def _decode_value(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return unquote(value) if _PERCENT.search(value) else value


# --- The result -------------------------------------------------------------------------------


def _has_wanted(pairs: Iterable[tuple[str, str]]) -> bool:
    return any(n in (VISITOR_COOKIE, SESSION_COOKIE) and _decode_value(v) for n, v in pairs)


def _result(pairs: Pairs, source: str) -> CookiePaste:
    values: dict[str, list[str]] = {VISITOR_COOKIE: [], SESSION_COOKIE: []}
    others: dict[str, None] = {}
    for name, raw in pairs:
        if name in values:
            value = _decode_value(raw)
            if value and value not in values[name]:
                values[name].append(value)
        elif name.lower() not in ATTRIBUTES:
            others[name] = None
    visitor = values[VISITOR_COOKIE][0] if values[VISITOR_COOKIE] else None
    session = values[SESSION_COOKIE][0] if values[SESSION_COOKIE] else None
    return CookiePaste(
        visitor, session, source, tuple(others), _message(visitor, session, source, values, others)
    )


def _message(
    visitor: str | None,
    session: str | None,
    source: str,
    values: dict[str, list[str]],
    others: dict[str, None],
) -> str:
    labels = _LABELS.get(source)
    if labels is None:
        return sentences(
            _("No {visitor} or {session} cookie found in what you pasted.", **_NAMES), _(_HOW)
        )
    place, none_place = _(labels[0]), _(labels[1])
    if visitor and session:
        message = _("Found {visitor} and {session} in {place}.", place=place, **_NAMES)
    elif visitor:
        message = _(
            "Found {visitor} in {place}, but no {session} "
            "(the session may have ended: reload the page and copy again).",
            place=place,
            **_NAMES,
        )
    elif session:
        message = _("Found {session} in {place}, but no {visitor}.", place=place, **_NAMES)
    else:
        count = len(others)
        if not count:
            none = _(
                "No {visitor} or {session} cookie found in {place}.", place=none_place, **_NAMES
            )
        else:
            none = ngettext(
                "No {visitor} or {session} cookie found in {place} (it holds {count} other "
                "cookie).",
                "No {visitor} or {session} cookie found in {place} (it holds {count} other "
                "cookies).",
                count,
                place=none_place,
                count=count,
                **_NAMES,
            )
        return sentences(none, _(_HOW))
    for name, found in values.items():
        if len(found) > 1:
            message = sentences(
                message,
                ngettext(
                    "It holds {count} different {name} value; the first one was used.",
                    "It holds {count} different {name} values; the first one was used.",
                    len(found),
                    count=len(found),
                    name=name,
                ),
            )
    return message


def parse_pasted_cookies(text: str) -> CookiePaste:
    """The visitor and session IDs in a paste from devtools, whatever its format."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        return CookiePaste(
            None, None, UNKNOWN, (), sentences(_("Nothing was pasted: the text is empty."), _(_HOW))
        )
    parsed: tuple[Pairs, str] | None = None
    if _CURL_START.match(text):
        curl = curl_pairs(text)
        parsed = (curl, CURL) if curl is not None else None
    elif text[0] in "[{":
        found = json_pairs(text)
        parsed = (found, JSON_LIST) if found else None
    if parsed is None:
        parsed = header_pairs(text)
    if parsed is None:
        found = document_cookie_pairs(unwrap_quotes(text))
        parsed = (found, DOCUMENT_COOKIE) if found else None
    if parsed is None or not _has_wanted(parsed[0]):
        scanned = scan_pairs(text)
        if _has_wanted(scanned[0]) or parsed is None:
            parsed = scanned
    return _result(*parsed)
