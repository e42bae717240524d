"""The request as it will go on the wire: the one place that knows a call's shape.

A `PlannedRequest` never holds a real API key: its Authorization header carries the
`$FLOWSERY_API_KEY` placeholder. The preview swaps in the masked key, the code snippets
turn it into an environment-variable lookup, the history records it masked, and only the
transport, at the moment of sending, swaps in the real key (`with_real_key`). The body is
exact text: the bytes on the wire are `body_text` encoded as UTF-8, byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from flowsery_gui.contract import GOALS_PATH, METADATA_PATH
from flowsery_gui.jsonread import loads_or_none
from flowsery_gui.masking import mask_key
from flowsery_gui.sending.keys import KEY_ENV_VAR

KEY_PLACEHOLDER = "$" + KEY_ENV_VAR
AUTHORIZATION = "Authorization"
USER_AGENT = "User-Agent"
NO_KEY_SHOWN = "(no key set)"

Endpoint = Literal["goal", "metadata", "delete"]


@dataclass(frozen=True)
class PlannedRequest:
    """A request as it will go on the wire, with the key as a placeholder."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body_text: str | None = None

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def body(self) -> Any:
        """The body parsed back from its exact text (None without a body or when not JSON)."""
        return loads_or_none(self.body_text)

    def body_bytes(self) -> bytes | None:
        """The exact bytes the transport puts on the wire for the body."""
        return None if self.body_text is None else self.body_text.encode("utf-8")

    @property
    def endpoint(self) -> Endpoint:
        """Which call this is: 'goal', 'metadata' or 'delete'."""
        return endpoint_of(self.method, self.url)


def escape_invisible(json_text: str) -> str:
    """JSON text with every invisible or format character (bidi marks, U+2028...) as `\\uXXXX`.

    Such characters can only sit inside JSON strings, where the escape means the same text;
    escaped, they can neither hide nor reorder what a terminal or an editor shows, and a lone
    surrogate can still be encoded as UTF-8.
    """
    if json_text.isprintable():
        return json_text
    out: list[str] = []
    for char in json_text:
        if char.isprintable():
            out.append(char)
            continue
        code = ord(char)
        if code > 0xFFFF:  # a surrogate pair, as JSON and JavaScript spell astral characters
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def serialize_body(body: Any) -> str:
    """The one place that decides how a JSON body is written: compact, UTF-8 text kept as
    typed, invisible characters escaped (so preview, snippets and wire are the same bytes)."""
    return escape_invisible(json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def join_url(base_url: str, path: str) -> str:
    """`base` + `path` with exactly one slash between them, whatever slashes the base ends with."""
    return base_url.strip().rstrip("/") + "/" + path.lstrip("/")


def endpoint_of(method: str, url: str) -> Endpoint:
    """'goal', 'metadata' or 'delete': which call a method and URL make, for the wording."""
    method = method.upper()
    try:
        path = urlsplit(url).path
    except ValueError:
        path = ""
    if method == "DELETE":
        return "delete"
    if method == "GET" and path.rstrip("/").endswith("/" + METADATA_PATH.rsplit("/", 1)[-1]):
        return "metadata"
    return "goal"


def default_user_agent() -> str:
    """The User-Agent naming this app and its version, as the contract asks."""
    from flowsery_gui import version  # package metadata: read on first use

    return f"FlowseryGoalTester/{version()} (+python-requests)"


def build_request(
    method: str,
    base_url: str,
    path: str,
    *,
    has_key: bool,
    user_agent: str,
    body_text: str | None = None,
    query: dict[str, str] | None = None,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> PlannedRequest:
    """A call to the API: Authorization (placeholder) when there is a key, then the content
    type for a body, Accept, User-Agent, and `extra_headers` last (the sandbox's fault)."""
    headers: list[tuple[str, str]] = []
    if has_key:
        headers.append((AUTHORIZATION, f"Bearer {KEY_PLACEHOLDER}"))
    if body_text is not None:
        headers.append(("Content-Type", "application/json"))
    headers += [("Accept", "application/json"), (USER_AGENT, user_agent), *extra_headers]
    url = join_url(base_url, path)
    if query:
        url += "?" + urlencode(query)
    return PlannedRequest(method, url, tuple(headers), body_text)


def goal_request(
    base_url: str,
    body_text: str,
    *,
    has_key: bool,
    user_agent: str,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> PlannedRequest:
    """The POST that creates a goal, with this exact body text."""
    return build_request(
        "POST",
        base_url,
        GOALS_PATH,
        has_key=has_key,
        user_agent=user_agent,
        body_text=body_text,
        extra_headers=extra_headers,
    )


def _substitute(planned: PlannedRequest, replacement: str) -> PlannedRequest:
    headers = tuple((k, v.replace(KEY_PLACEHOLDER, replacement)) for k, v in planned.headers)
    return replace(planned, headers=headers)


def masked_for_display(planned: PlannedRequest, key: str | None) -> PlannedRequest:
    """The request as the live preview shows it: `Bearer …abcd`, or `Bearer (no key set)`."""
    return _substitute(planned, mask_key(key) if key else NO_KEY_SHOWN)


def with_real_key(planned: PlannedRequest, key: str) -> PlannedRequest:
    """The request with the real key, for the transport to send: never show, log or store it."""
    return _substitute(planned, key)
