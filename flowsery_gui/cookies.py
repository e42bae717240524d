"""Find the `_fs_vid` and `_fs_sid` cookies in whatever a developer copied from devtools.

Reads a `Cookie:` header (or a whole headers block), a `document.cookie` string (quoted as
the console prints it or not), a request copied with "Copy as cURL" (bash, or Windows cmd
with its `^` escapes), `Set-Cookie` lines, a JSON cookie list and "Copy as PowerShell".
Never raises: anything unreadable gives a result with no IDs and a message saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from flowsery_gui.contract import SESSION_COOKIE, VISITOR_COOKIE
from flowsery_gui.i18n import N_, _, ngettext, sentences
from flowsery_gui.jsonread import loads_or_none

COOKIE_HEADER = "cookie header"
SET_COOKIE = "set-cookie"
DOCUMENT_COOKIE = "document.cookie"
CURL = "curl"
JSON_LIST = "json"
POWERSHELL = "powershell"
TEXT = "text"
UNKNOWN = ""

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
#: Set-Cookie attributes: never reported as cookies of their own.
_ATTRIBUTES = frozenset(
    {"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "partitioned"}
)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_HEADER_LINE = re.compile(r"^\s*(set-cookie|cookie)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_BARE_HEADER_NAME = re.compile(r"^\s*cookie\s*:?\s*$", re.IGNORECASE)
_CURL_START = re.compile(r"^(?:\$\s*)?curl(?:\.exe)?\s", re.IGNORECASE)
_CMD_CARET = re.compile(r"\^(\r?\n|.)", re.DOTALL)
_WANTED = f"({re.escape(VISITOR_COOKIE)}|{re.escape(SESSION_COOKIE)})"
_SCANS = (
    (POWERSHELL, re.compile(r"System\.Net\.Cookie\(\s*\"" + _WANTED + r"\"\s*,\s*\"([^\"]*)\"")),
    (TEXT, re.compile(r"\"name\"\s*:\s*\"" + _WANTED + r"\"\s*,\s*\"value\"\s*:\s*\"([^\"]*)\"")),
    (TEXT, re.compile(r"(?<![\w%-])" + _WANTED + r"=([^;\s\"'\\,&]*)")),
)
_ANSI_C_SIMPLE = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
    "E": "\x1b",
}
_ANSI_C_NUMERIC = re.compile(r"x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}")

Pairs = list[tuple[str, str]]


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


# --- Small readers ----------------------------------------------------------------------------


def cookie_pairs(text: str) -> Pairs:
    """`name=value` pairs of a `a=1; b=2` string; parts without a proper name are skipped."""
    pairs: Pairs = []
    for part in re.split(r"[;\r\n]", text):
        name, sep, value = part.strip().partition("=")
        name = name.strip()
        if sep and _TOKEN.fullmatch(name):
            pairs.append((name, value.strip()))
    return pairs


def _decode_value(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return unquote(value) if _PERCENT.search(value) else value


def _ansi_c(text: str, start: int) -> tuple[str, int] | None:
    """Read bash `$'...'` from the quote at `start`; the text and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "'":
            return "".join(out), i + 1
        if char != "\\" or i + 1 >= len(text):
            out.append(char)
            i += 1
            continue
        nxt = text[i + 1]
        numeric = _ANSI_C_NUMERIC.match(text, i + 1)
        if nxt in _ANSI_C_SIMPLE:
            out.append(_ANSI_C_SIMPLE[nxt])
            i += 2
        elif numeric:
            digits = numeric.group()
            code = int(digits, 8) if digits[0] in "01234567" else int(digits[1:], 16)
            out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
            i = numeric.end()
        else:
            out.append(nxt)  # \\ \' \" \? and anything else: the character itself
            i += 2
    return None


def shell_words(text: str) -> list[str] | None:
    """Split a bash command line into words the way bash would (no expansion); None if unclosed.

    `shlex` is not enough here: Chrome's "Copy as cURL (bash)" writes `$'...'` strings
    whenever a value holds an apostrophe, `!` or a control character, and shlex cannot read them.
    """
    words: list[str] = []
    current: list[str] = []
    in_word = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("\n", "\r"):
            i += 3 if text[i + 1 : i + 3] == "\r\n" else 2  # a line continuation
            continue
        if char in " \t\r\n":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            i += 1
            continue
        in_word = True
        if char == "\\":
            current.append(text[i + 1 : i + 2])
            i += 2
        elif char == "'":
            end = text.find("'", i + 1)
            if end < 0:
                return None
            current.append(text[i + 1 : end])
            i = end + 1
        elif char == "$" and text[i + 1 : i + 2] == "'":
            read = _ansi_c(text, i + 1)
            if read is None:
                return None
            current.append(read[0])
            i = read[1]
        elif char == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                if text[i] == "\\" and text[i + 1 : i + 2] in ('"', "\\", "$", "`", "\n"):
                    if text[i + 1] != "\n":
                        current.append(text[i + 1])
                    i += 2
                else:
                    current.append(text[i])
                    i += 1
            if i >= len(text):
                return None
            i += 1
        else:
            current.append(char)
            i += 1
    if in_word:
        words.append("".join(current))
    return words


def _from_windows_cmd(text: str) -> str:
    """Undo cmd.exe caret escapes (`^"`, `^%`, `^` line ends) so the bash reader can follow."""
    return _CMD_CARET.sub(lambda m: "" if m.group(1) in ("\n", "\r\n") else m.group(1), text)


# --- Formats -------------------------------------------------------------------------------------


def _curl_pairs(text: str) -> Pairs | None:
    if '^"' in text or re.search(r"\s\^\r?$", text, re.MULTILINE):
        text = _from_windows_cmd(text)
    words = shell_words(text)
    if words is None:
        return None
    pairs: Pairs = []
    i = 1
    while i < len(words):
        word = words[i]
        value: str | None = None
        if word in ("-H", "--header", "-b", "--cookie") and i + 1 < len(words):
            value, i = words[i + 1], i + 2
            option = "-b" if word in ("-b", "--cookie") else "-H"
        elif word.startswith(("-H", "-b")) and len(word) > 2:
            value, option, i = word[2:], word[:2], i + 1
        else:
            i += 1
            continue
        if option == "-b":
            if "=" in value:  # otherwise it names a cookie file
                pairs += cookie_pairs(value)
            continue
        name, sep, header_value = value.partition(":")
        if sep and name.strip().lower() == "cookie":
            pairs += cookie_pairs(header_value)
    return pairs


def _json_pairs(text: str) -> Pairs | None:
    """A list of `{"name", "value"}` objects (browser extensions, Puppeteer, Playwright)."""
    data = loads_or_none(text)
    if isinstance(data, dict) and isinstance(data.get("cookies"), list):
        data = data["cookies"]  # Playwright's storage state
    if isinstance(data, list):
        return [
            (item["name"], item["value"])
            for item in data
            if isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("value"), str)
        ]
    return None


def _header_pairs(text: str) -> tuple[Pairs, str] | None:
    lines = text.splitlines()
    pairs: Pairs = []
    saw_cookie = saw_set_cookie = False
    for index, line in enumerate(lines):
        match = _HEADER_LINE.match(line)
        value: str | None = None
        if match and match.group(2):
            if match.group(1).lower() == "cookie":
                saw_cookie, value = True, match.group(2)
            else:
                saw_set_cookie = True
                pairs += cookie_pairs(match.group(2).split(";", 1)[0])
        elif _BARE_HEADER_NAME.match(line) and index + 1 < len(lines) and "=" in lines[index + 1]:
            saw_cookie, value = True, lines[index + 1]  # devtools: name and value on two lines
        if value is not None:
            pairs += cookie_pairs(value)
    if not (saw_cookie or saw_set_cookie):
        return None
    return pairs, COOKIE_HEADER if saw_cookie else SET_COOKIE


def _document_cookie_pairs(text: str) -> Pairs | None:
    """Pairs of a text that is nothing but a cookie string; None when anything else is in it."""
    parts = [part.strip() for part in re.split(r"[;\r\n]", text)]
    for part in parts:
        name, sep, _value = part.partition("=")
        if (
            part
            and part.lower() not in _ATTRIBUTES
            and not (sep and _TOKEN.fullmatch(name.strip()))
        ):
            return None
    return cookie_pairs(text) or None


def _unwrap_quotes(text: str) -> str:
    """`'a=1; b=2'` or `"a=1; b=2"` as the devtools console prints a string, without quotes."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"`":
        if text[0] == '"':
            decoded = loads_or_none(text)
            if isinstance(decoded, str):
                return decoded
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    return text


def _scan_pairs(text: str) -> tuple[Pairs, str]:
    for source, pattern in _SCANS:
        pairs = [(m.group(1), m.group(2)) for m in pattern.finditer(text)]
        if pairs:
            return pairs, source
    return [], UNKNOWN


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
        elif name.lower() not in _ATTRIBUTES:
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
        curl = _curl_pairs(text)
        parsed = (curl, CURL) if curl is not None else None
    elif text[0] in "[{":
        found = _json_pairs(text)
        parsed = (found, JSON_LIST) if found else None
    if parsed is None:
        parsed = _header_pairs(text)
    if parsed is None:
        found = _document_cookie_pairs(_unwrap_quotes(text))
        parsed = (found, DOCUMENT_COOKIE) if found else None
    if parsed is None or not _has_wanted(parsed[0]):
        scanned = _scan_pairs(text)
        if _has_wanted(scanned[0]) or parsed is None:
            parsed = scanned
    return _result(*parsed)
