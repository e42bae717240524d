"""Reading _fs_vid / _fs_sid out of real pastes from browser devtools, and fresh test IDs."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowsery_gui.cookies import CookiePaste, parse_pasted_cookies
from flowsery_gui.ids import new_session_id, new_visitor_id
from flowsery_gui.shellwords import shell_words

VID = "5f0c6d2e-8a4b-4c1e-9f3a-2b7d9e1c4a60"
SID = "9b1e7c3a-4d2f-4e8b-a6c5-0f3d2e1b7a94"
BOTH = (VID, SID)

CHROME_BASH = f"""curl 'https://shop.example.com/pricing?plan=pro&ref=mail' \\
  -H 'accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' \\
  -H 'accept-language: en-GB,en;q=0.9' \\
  -b '_ga=GA1.1.123456789.1700000000; _fs_vid={VID}; _fs_sid={SID}; cf_clearance=a.b-1-0-1' \\
  -H 'sec-ch-ua: "Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"' \\
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0'"""

# Chrome writes $'...' for any value holding an apostrophe, `!` or a control character.
CHROME_BASH_ANSI_C = f"""curl 'https://shop.example.com/it' \\
  -H $'referer: https://shop.example.com/it\\'s-new\\u0021' \\
  -b $'_fs_vid={VID}; note=hi\\u0021; _fs_sid={SID}' \\
  --data-raw $'{{"q":"it\\'s"}}'"""

CHROME_BASH_OLD_COOKIE_HEADER = f"""curl 'https://shop.example.com/' \\
  -H 'authority: shop.example.com' \\
  -H 'cookie: _ga=GA1.1.1; _fs_vid={VID}; _fs_sid={SID}' \\
  --compressed"""

FIREFOX_BASH = (
    "curl 'https://shop.example.com/pricing' --compressed "
    "-H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0' "
    "-H 'Accept: text/html' -H 'Accept-Language: en-US,en;q=0.5' "
    f"-H 'Connection: keep-alive' -H 'Cookie: _fs_vid={VID}; _fs_sid={SID}; theme=dark' "
    "-H 'Upgrade-Insecure-Requests: 1'"
)

CHROME_CMD = f"""curl ^"https://shop.example.com/pricing?plan=pro^&ref=mail^" ^
  -H ^"accept: text/html,application/xhtml+xml^" ^
  -b ^"_ga=GA1.1.1; _fs_vid={VID}; _fs_sid=abc^%^3D^%^3D; theme=dark^" ^
  -H ^"sec-ch-ua: ^\\^"Not_A Brand^\\^";v=^\\^"8^\\^"^" ^
  -H ^"user-agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)^"
"""

FIREFOX_RAW_REQUEST = f"""GET /pricing HTTP/2
Host: shop.example.com
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0
Accept: text/html,application/xhtml+xml
Accept-Language: en-US,en;q=0.5
Cookie: _ga=GA1.1.1; _fs_vid={VID}; _fs_sid={SID}
Upgrade-Insecure-Requests: 1
"""

HTTP2_SPLIT_COOKIE_HEADERS = f""":authority: shop.example.com
:method: GET
cookie: _fs_vid={VID}
cookie: _fs_sid={SID}
accept: */*
"""

CHROME_HEADERS_PANEL = f"""accept
text/html
cookie
_ga=GA1.1.1; _fs_vid={VID}; _fs_sid={SID}
user-agent
Mozilla/5.0
"""

SET_COOKIE_PAIR = f"""set-cookie: _fs_vid={VID}; Path=/; Expires=Fri, 31 Dec 2027 23:59:59 GMT
set-cookie: _fs_sid={SID}; Path=/; Max-Age=1800; SameSite=Lax; Secure
"""

CHROME_NODE_FETCH = f"""fetch("https://shop.example.com/pricing", {{
  "headers": {{
    "accept": "text/html",
    "cookie": "_ga=GA1.1.1; _fs_vid={VID}; _fs_sid={SID}"
  }},
  "body": null,
  "method": "GET"
}});"""

POWERSHELL = f"""$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
$session.Cookies.Add((New-Object System.Net.Cookie("_ga", "GA1.1.1", "/", ".example.com")))
$session.Cookies.Add((New-Object System.Net.Cookie("_fs_vid", "{VID}", "/", "shop.example.com")))
$session.Cookies.Add((New-Object System.Net.Cookie("_fs_sid", "{SID}", "/", "shop.example.com")))
Invoke-WebRequest -UseBasicParsing -Uri "https://shop.example.com/" -WebSession $session"""

JSON_COOKIE_LIST = f"""[
  {{"domain": "shop.example.com", "name": "_fs_vid", "value": "{VID}", "path": "/"}},
  {{"domain": "shop.example.com", "name": "_fs_sid", "value": "{SID}", "path": "/"}},
  {{"domain": ".example.com", "name": "_ga", "value": "GA1.1.1", "path": "/"}}
]"""

PLAYWRIGHT_STATE = f'{{"cookies": [{{"name": "_fs_vid", "value": "{VID}"}}], "origins": []}}'


@pytest.mark.parametrize(
    ("text", "ids", "source", "others"),
    [
        pytest.param(CHROME_BASH, BOTH, "curl", ("_ga", "cf_clearance"), id="chrome-curl-bash"),
        pytest.param(CHROME_BASH_ANSI_C, BOTH, "curl", ("note",), id="chrome-curl-ansi-c"),
        pytest.param(CHROME_BASH_OLD_COOKIE_HEADER, BOTH, "curl", ("_ga",), id="chrome-curl-old"),
        pytest.param(FIREFOX_BASH, BOTH, "curl", ("theme",), id="firefox-curl"),
        pytest.param(CHROME_CMD, (VID, "abc=="), "curl", ("_ga", "theme"), id="chrome-curl-cmd"),
        pytest.param("$ " + FIREFOX_BASH, BOTH, "curl", ("theme",), id="curl-after-a-prompt"),
        pytest.param(
            FIREFOX_RAW_REQUEST, BOTH, "cookie header", ("_ga",), id="firefox-raw-headers"
        ),
        pytest.param(HTTP2_SPLIT_COOKIE_HEADERS, BOTH, "cookie header", (), id="http2-split"),
        pytest.param(CHROME_HEADERS_PANEL, BOTH, "cookie header", ("_ga",), id="headers-panel"),
        pytest.param(f"Cookie: _fs_vid={VID}; _fs_sid={SID}", BOTH, "cookie header", ()),
        pytest.param(f"COOKIE:_fs_sid={SID};_fs_vid={VID}", BOTH, "cookie header", ()),
        pytest.param(SET_COOKIE_PAIR, BOTH, "set-cookie", (), id="set-cookie-pair"),
        pytest.param(
            f"_ga=GA1.1.1; _fs_vid={VID}; _fs_sid={SID}",
            BOTH,
            "document.cookie",
            ("_ga",),
            id="document-cookie",
        ),
        pytest.param(
            f"'_ga=GA1.1.1; _fs_vid={VID}; _fs_sid={SID}'",
            BOTH,
            "document.cookie",
            ("_ga",),
            id="document-cookie-chrome-console-quotes",
        ),
        pytest.param(
            f'  "_fs_vid={VID}; _fs_sid={SID}"\n',
            BOTH,
            "document.cookie",
            (),
            id="document-cookie-firefox-console-quotes",
        ),
        pytest.param(JSON_COOKIE_LIST, BOTH, "json", ("_ga",), id="json-cookie-list"),
        pytest.param(PLAYWRIGHT_STATE, (VID, None), "json", (), id="playwright-state"),
        pytest.param(POWERSHELL, BOTH, "powershell", (), id="powershell"),
        pytest.param(CHROME_NODE_FETCH, BOTH, "text", (), id="node-fetch-found-by-scan"),
        pytest.param(f"_fs_vid={VID}", (VID, None), "document.cookie", (), id="only-visitor"),
        pytest.param(
            f"theme=dark; _fs_sid={SID}", (None, SID), "document.cookie", ("theme",), id="only-sid"
        ),
        pytest.param("_fs_vid=abc==; _fs_sid=a=b=c", ("abc==", "a=b=c"), "document.cookie", ()),
        pytest.param(
            "_fs_vid=abc%2Fdef%3D%3D; _fs_sid=100%real",
            ("abc/def==", "100%real"),
            "document.cookie",
            (),
            id="percent-decoded-only-when-encoded",
        ),
        pytest.param("_fs_vid=a+b%20c", ("a+b c", None), "document.cookie", (), id="plus-kept"),
        pytest.param('_fs_vid="quoted-value"', ("quoted-value", None), "document.cookie", ()),
        pytest.param(
            f"_fs_vid={VID}; Path=/; Secure; HttpOnly",
            (VID, None),
            "document.cookie",
            (),
            id="set-cookie-value-without-its-header-name",
        ),
        pytest.param("_fs_vid=; _fs_sid=", (None, None), "document.cookie", (), id="empty-values"),
    ],
)
def test_pasted_cookies_give_the_ids_format_and_other_cookie_names(
    text: str, ids: tuple[str | None, str | None], source: str, others: tuple[str, ...]
) -> None:
    found = parse_pasted_cookies(text)
    assert (found.visitor_uid, found.session_uid) == ids
    assert found.source == source
    assert found.other_names == others


def test_both_found_message_names_both_cookies_and_the_format() -> None:
    assert parse_pasted_cookies(CHROME_BASH).message == (
        "Found _fs_vid and _fs_sid in a cURL command."
    )


def test_only_visitor_message_says_the_session_cookie_is_missing_and_what_to_do() -> None:
    message = parse_pasted_cookies(f"Cookie: _fs_vid={VID}").message
    assert message.startswith("Found _fs_vid in a Cookie header, but no _fs_sid")
    assert "reload the page" in message


def test_only_session_message_says_the_visitor_cookie_is_missing() -> None:
    message = parse_pasted_cookies(f"_fs_sid={SID}").message
    assert message == "Found _fs_sid in a document.cookie string, but no _fs_vid."


def test_cookies_without_ours_say_how_many_others_were_there_and_where_to_copy_from() -> None:
    found = parse_pasted_cookies("curl 'https://x.example/' -b '_ga=1; theme=dark'")
    assert found == CookiePaste(None, None, "curl", ("_ga", "theme"), found.message)
    assert found.message.startswith(
        "No _fs_vid or _fs_sid cookie found in this cURL command (it holds 2 other cookies)."
    )
    assert "Copy as cURL" in found.message


def test_two_different_visitor_values_use_the_first_and_say_so() -> None:
    found = parse_pasted_cookies("_fs_vid=first; _fs_vid=second; _fs_sid=s")
    assert found.visitor_uid == "first"
    assert "2 different _fs_vid values; the first one was used" in found.message


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_paste_gives_no_ids_and_says_it_was_empty(text: str) -> None:
    found = parse_pasted_cookies(text)
    assert (found.visitor_uid, found.session_uid, found.source) == (None, None, "")
    assert found.message.startswith("Nothing was pasted")


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "{not json",
        "curl 'https://x.example/' -H 'cookie: a=1",
        "\x00\x01\x02",
        '{"name": "signup", "visitorUid": "v1"}',
        "5f0c6d2e-8a4b-4c1e-9f3a-2b7d9e1c4a60",
    ],
)
def test_garbage_gives_no_ids_and_a_plain_message_instead_of_an_error(text: str) -> None:
    found = parse_pasted_cookies(text)
    assert (found.visitor_uid, found.session_uid) == (None, None)
    assert found.message.startswith("No _fs_vid or _fs_sid cookie found in what you pasted.")


def test_a_cookie_whose_name_only_ends_in_fs_vid_is_not_ours() -> None:
    found = parse_pasted_cookies("my_fs_vid=not-ours; x_fs_sid=no")
    assert (found.visitor_uid, found.session_uid) == (None, None)
    assert found.other_names == ("my_fs_vid", "x_fs_sid")


def test_a_cut_off_curl_command_still_gives_up_the_cookies_it_shows() -> None:
    found = parse_pasted_cookies(f"curl 'https://x.example/' -b '_fs_vid={VID}; _fs_sid={SID}")
    assert (found.visitor_uid, found.session_uid, found.source) == (VID, SID, "text")


def _says_what_was_found(found: CookiePaste) -> None:
    """The message names exactly what was found (and nothing when nothing was)."""
    for name, value in (("_fs_vid", found.visitor_uid), ("_fs_sid", found.session_uid)):
        assert value is None or value.strip(), found  # never an empty or blank ID
        if value is not None:
            assert f"Found {name}" in found.message or f"and {name} in" in found.message
    if not found.found_any:
        assert found.message.startswith(("No _fs_vid or _fs_sid cookie", "Nothing was pasted"))


@given(st.text())
def test_any_text_gives_only_the_ids_it_holds_and_says_what_it_found(text: str) -> None:
    found = parse_pasted_cookies(text)
    _says_what_was_found(found)
    if not any(escape in text for escape in "\\^%"):  # no quoting that could spell a name
        assert found.visitor_uid is None or "_fs_vid" in text
        assert found.session_uid is None or "_fs_sid" in text
        for value in (found.visitor_uid, found.session_uid):
            assert value is None or value.strip('"') in text


NOISE = st.text(alphabet=st.sampled_from(list("abc -H:=;_fsvid%3D")), max_size=12)
IDS_DRAWN = st.uuids().map(str) | st.text("abcdef0123456789-", min_size=1, max_size=40)


@given(
    visitor=IDS_DRAWN,
    session=IDS_DRAWN | st.none(),
    before=NOISE,
    after=NOISE,
    how=st.sampled_from(["-b '{}'", "--cookie '{}'", "-H 'cookie: {}'", "-H 'Cookie: {}'"]),
)
def test_a_curl_command_gives_back_exactly_the_ids_it_carries(
    visitor: str, session: str | None, before: str, after: str, how: str
) -> None:
    cookies = f"_ga=GA1.1.{len(before)}; _fs_vid={visitor}"
    if session is not None:
        cookies += f"; _fs_sid={session}"
    header = f"-H 'x-noise: {before.replace(chr(39), '')}'"
    text = f"curl 'https://shop.example.com/p?q={after.replace(chr(39), '')}' {header} "
    text += how.format(cookies) + " --compressed"
    found = parse_pasted_cookies(text)
    assert (found.visitor_uid, found.session_uid, found.source) == (visitor, session, "curl")
    assert "_ga" in found.other_names
    _says_what_was_found(found)
    if session is None:
        assert "no _fs_sid" in found.message
    else:
        assert found.message.startswith("Found _fs_vid and _fs_sid in a cURL command.")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("curl 'a b' \"c d\" e\\ f", ["curl", "a b", "c d", "e f"]),
        ("curl \\\n  -H 'x: 1' \\\r\n  -b 'y=2'", ["curl", "-H", "x: 1", "-b", "y=2"]),
        ("curl $'it\\'s\\n\\x41\\u00e9\\101'", ["curl", "it's\nAéA"]),
        ('curl "a \\"b\\" \\\\ \\$c"', ["curl", 'a "b" \\ $c']),
        ("curl 'a'\"b\"c", ["curl", "abc"]),
        ("curl 'open", None),
    ],
)
def test_shell_words_reads_bash_quoting_the_way_bash_does(
    line: str, words: list[str] | None
) -> None:
    assert shell_words(line) == words


@pytest.mark.parametrize(
    "args",
    [
        "'a b' \"c d\" e\\ f",
        "\\\n  -H 'x: 1' \\\n  -b 'y=2'",
        "$'it\\'s\\n\\x41\\u00e9\\101\\u0021'",
        '"a \\"b\\" \\\\ \\$c \\x"',
        "'a'\"b\"c $'\\t'",
        CHROME_BASH.removeprefix("curl "),
    ],
)
def test_shell_words_agrees_with_real_bash(args: str) -> None:
    result = subprocess.run(
        ["bash", "-c", f"printf '%s\\0' {args}"],
        capture_output=True,
        timeout=10,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},  # $'\u00e9' needs a UTF-8 locale
    )
    assert shell_words("curl " + args) == ["curl", *result.stdout.decode().split("\0")[:-1]]


def test_new_test_ids_are_distinct_lowercase_uuid4_strings() -> None:
    ids = [new_visitor_id(), new_visitor_id(), new_session_id(), new_session_id()]
    assert len(set(ids)) == 4
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.version == 4
        assert str(parsed) == value
