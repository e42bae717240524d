"""The one model of the request the app will send: preview, snippets and client all read it.

A `PlannedRequest` never holds a real API key: its Authorization header carries the
`$FLOWSERY_API_KEY` placeholder. The preview swaps in the masked key, the code snippets
turn it into an environment-variable lookup, and only the client, at the moment of
sending, swaps in the real key (`with_real_key`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from flowsery_gui.contract import GOALS_PATH
from flowsery_gui.exchange import mask_key

KEY_ENV_VAR = "FLOWSERY_API_KEY"
KEY_PLACEHOLDER = "$" + KEY_ENV_VAR
AUTHORIZATION = "Authorization"
NO_KEY_SHOWN = "(no key set)"


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
        """The body parsed back from its exact text (None when there is no body)."""
        return None if self.body_text is None else json.loads(self.body_text)


def serialize_body(body: Any) -> str:
    """The one place that decides how a JSON body is written: compact, UTF-8 text kept as is."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def join_url(base_url: str, path: str) -> str:
    """`base` + `path` with exactly one slash between them, whatever slashes the base ends with."""
    return base_url.strip().rstrip("/") + "/" + path.lstrip("/")


def plan_goal_request(
    base_url: str,
    body: dict[str, Any],
    *,
    has_key: bool,
    user_agent: str,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> PlannedRequest:
    """The POST that creates a goal; without a key it carries no Authorization header at all.

    `extra_headers` go last (the sandbox's fault header, when one is being rehearsed)."""
    headers: list[tuple[str, str]] = []
    if has_key:
        headers.append((AUTHORIZATION, f"Bearer {KEY_PLACEHOLDER}"))
    headers += [
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("User-Agent", user_agent),
        *extra_headers,
    ]
    return PlannedRequest(
        "POST", join_url(base_url, GOALS_PATH), tuple(headers), serialize_body(body)
    )


def _substitute(planned: PlannedRequest, replacement: str) -> PlannedRequest:
    headers = tuple((k, v.replace(KEY_PLACEHOLDER, replacement)) for k, v in planned.headers)
    return replace(planned, headers=headers)


def masked_for_display(planned: PlannedRequest, key: str | None) -> PlannedRequest:
    """The request as the live preview shows it: `Bearer …abcd`, or `Bearer (no key set)`."""
    return _substitute(planned, mask_key(key) if key else NO_KEY_SHOWN)


def with_real_key(planned: PlannedRequest, key: str) -> PlannedRequest:
    """The request with the real key, for the client to send: never show, log or store it."""
    return _substitute(planned, key)
