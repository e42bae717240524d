"""Readers of the formats a developer copies cookies in: a `Cookie:` header (or a whole
headers block), `Set-Cookie` lines, a `document.cookie` string, "Copy as cURL", a JSON cookie
list and "Copy as PowerShell".

Each reader gives the `name=value` pairs it found (or None when the text is not its format);
`cookies.parse_pasted_cookies` picks the reader and says in plain words what was found.
"""

from __future__ import annotations

import re

from flowsery_gui.contract import SESSION_COOKIE, VISITOR_COOKIE
from flowsery_gui.jsonread import loads_or_none
from flowsery_gui.shellwords import from_windows_cmd, shell_words

#: The formats a paste can be read as (`CookiePaste.source`); UNKNOWN when none fits.
COOKIE_HEADER = "cookie header"
SET_COOKIE = "set-cookie"
DOCUMENT_COOKIE = "document.cookie"
CURL = "curl"
JSON_LIST = "json"
POWERSHELL = "powershell"
TEXT = "text"
UNKNOWN = ""

#: Set-Cookie attributes: never reported as cookies of their own.
ATTRIBUTES = frozenset(
    {"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "partitioned"}
)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_LINE = re.compile(r"^\s*(set-cookie|cookie)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_BARE_HEADER_NAME = re.compile(r"^\s*cookie\s*:?\s*$", re.IGNORECASE)
_WANTED = f"({re.escape(VISITOR_COOKIE)}|{re.escape(SESSION_COOKIE)})"
_SCANS = (
    (POWERSHELL, re.compile(r"System\.Net\.Cookie\(\s*\"" + _WANTED + r"\"\s*,\s*\"([^\"]*)\"")),
    (TEXT, re.compile(r"\"name\"\s*:\s*\"" + _WANTED + r"\"\s*,\s*\"value\"\s*:\s*\"([^\"]*)\"")),
    (TEXT, re.compile(r"(?<![\w%-])" + _WANTED + r"=([^;\s\"'\\,&]*)")),
)

Pairs = list[tuple[str, str]]


def cookie_pairs(text: str) -> Pairs:
    """`name=value` pairs of a `a=1; b=2` string; parts without a proper name are skipped."""
    pairs: Pairs = []
    for part in re.split(r"[;\r\n]", text):
        name, sep, value = part.strip().partition("=")
        name = name.strip()
        if sep and _TOKEN.fullmatch(name):
            pairs.append((name, value.strip()))
    return pairs


def curl_pairs(text: str) -> Pairs | None:
    """The cookies of a "Copy as cURL" command (its `-H 'Cookie: …'` and `-b` options),
    bash or Windows cmd; None when the command line is not closed."""
    if '^"' in text or re.search(r"\s\^\r?$", text, re.MULTILINE):
        text = from_windows_cmd(text)
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


def json_pairs(text: str) -> Pairs | None:
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


def header_pairs(text: str) -> tuple[Pairs, str] | None:
    """The cookies of `Cookie:` or `Set-Cookie:` lines, and which of the two it was; None
    when the text holds neither."""
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


def document_cookie_pairs(text: str) -> Pairs | None:
    """Pairs of a text that is nothing but a cookie string; None when anything else is in it."""
    parts = [part.strip() for part in re.split(r"[;\r\n]", text)]
    for part in parts:
        name, sep, _value = part.partition("=")
        if part and part.lower() not in ATTRIBUTES and not (sep and _TOKEN.fullmatch(name.strip())):
            return None
    return cookie_pairs(text) or None


def unwrap_quotes(text: str) -> str:
    """`'a=1; b=2'` or `"a=1; b=2"` as the devtools console prints a string, without quotes."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"`":
        if text[0] == '"':
            decoded = loads_or_none(text)
            if isinstance(decoded, str):
                return decoded
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    return text


def scan_pairs(text: str) -> tuple[Pairs, str]:
    """The two wanted cookies wherever they appear in any other text (PowerShell, JSON,
    `name=value` in prose), and the format they were found as."""
    for source, pattern in _SCANS:
        pairs = [(m.group(1), m.group(2)) for m in pattern.finditer(text)]
        if pairs:
            return pairs, source
    return [], UNKNOWN
