"""Compatibility shim: the request model now lives in `flowsery_gui.sending.request`.

The window, the history panel and tests import these names from here; new code imports
from `flowsery_gui.sending`. `plan_goal_request` builds a goal POST without judging the body
(the preview of a form with errors uses it); a real send is planned by `sending.plan_goal`.
"""

from __future__ import annotations

from typing import Any

from flowsery_gui.sending.keys import KEY_ENV_VAR
from flowsery_gui.sending.request import (
    AUTHORIZATION,
    KEY_PLACEHOLDER,
    NO_KEY_SHOWN,
    PlannedRequest,
    goal_request,
    join_url,
    masked_for_display,
    serialize_body,
    with_real_key,
)

__all__ = [
    "AUTHORIZATION",
    "KEY_ENV_VAR",
    "KEY_PLACEHOLDER",
    "NO_KEY_SHOWN",
    "PlannedRequest",
    "join_url",
    "masked_for_display",
    "plan_goal_request",
    "serialize_body",
    "with_real_key",
]


def plan_goal_request(
    base_url: str,
    body: dict[str, Any],
    *,
    has_key: bool,
    user_agent: str,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> PlannedRequest:
    """The POST that creates a goal (compatibility: `sending.request.goal_request`)."""
    return goal_request(
        base_url,
        serialize_body(body),
        has_key=has_key,
        user_agent=user_agent,
        extra_headers=extra_headers,
    )
