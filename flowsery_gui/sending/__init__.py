"""The one send pipeline: resolve the key, plan the request, send exactly that, record it.

    key = resolve_key(profile.name, profile.kind, session_key=..., read_keyring=store.stored)
    plan = plan_goal(Target(profile.name, profile.kind, base_url), draft, key, options)
    if isinstance(plan, Refusal): say plan.message (plan.code says which kind of "no")
    exchange = send(plan, key.key)          # or Transport(...).send(plan.request, key.key)
    history.append(exchange, profile=plan.target.profile, source=..., goal=plan.goal)

The preview is `plan.preview(key.key)`, a snippet is `plan.snippet("curl")`: every one of
them is made from `plan.request`, the object the transport sends. Importing this package is
light (no requests, no keyring, no Qt): the transport is loaded by `send` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowsery_gui.lazy import lazy_names

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.sending.calls import (
        DeleteFilter,
        iso_utc,
        plan_delete,
        plan_metadata,
        time_window,
    )
    from flowsery_gui.sending.keys import (
        KEY_ENV_VAR,
        KeySource,
        ResolvedKey,
        key_text_problem,
        resolve_key,
    )
    from flowsery_gui.sending.plan import (
        FAULT_HEADER,
        GoalInput,
        Plan,
        PlannedSend,
        RawBody,
        Refusal,
        RefusalCode,
        SendOptions,
        Target,
        plan_goal,
    )
    from flowsery_gui.sending.request import (
        KEY_PLACEHOLDER,
        PlannedRequest,
        default_user_agent,
        masked_for_display,
        serialize_body,
    )
    from flowsery_gui.sending.transport import Transport

# Names load on first use (PEP 562): the window imports `sending.keys` (the key rule and its
# variable) before its first paint and must not pay for the planner and its types then.
_HOMES = {
    "calls": ("DeleteFilter", "iso_utc", "plan_delete", "plan_metadata", "time_window"),
    "keys": ("KEY_ENV_VAR", "KeySource", "ResolvedKey", "key_text_problem", "resolve_key"),
    "plan": (
        "FAULT_HEADER",
        "GoalInput",
        "Plan",
        "PlannedSend",
        "RawBody",
        "Refusal",
        "RefusalCode",
        "SendOptions",
        "Target",
        "plan_goal",
    ),
    "request": (
        "KEY_PLACEHOLDER",
        "PlannedRequest",
        "default_user_agent",
        "masked_for_display",
        "serialize_body",
    ),
}
__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "FAULT_HEADER",
    "KEY_ENV_VAR",
    "KEY_PLACEHOLDER",
    "DeleteFilter",
    "GoalInput",
    "KeySource",
    "Plan",
    "PlannedRequest",
    "PlannedSend",
    "RawBody",
    "Refusal",
    "RefusalCode",
    "ResolvedKey",
    "SendOptions",
    "Target",
    "default_user_agent",
    "iso_utc",
    "key_text_problem",
    "masked_for_display",
    "open_transport",
    "plan_delete",
    "plan_goal",
    "plan_metadata",
    "resolve_key",
    "send",
    "serialize_body",
    "time_window",
]


def open_transport(*, connect_timeout: float = 5.0, read_timeout: float = 30.0) -> Transport:
    """A cancellable transport (imports requests: call it off the GUI thread)."""
    from flowsery_gui.sending.transport import Transport

    return Transport(connect_timeout=connect_timeout, read_timeout=read_timeout)


def send(
    planned: PlannedSend | PlannedRequest,
    key: str | None,
    *,
    transport: Transport | None = None,
    connect_timeout: float = 5.0,
    read_timeout: float = 30.0,
) -> Exchange:
    """Send exactly the planned request, the real key put in at this moment; never raises
    for network trouble. Give a `transport` to be able to cancel from another thread."""
    from flowsery_gui.sending.plan import PlannedSend

    request = planned.request if isinstance(planned, PlannedSend) else planned
    if transport is not None:
        return transport.send(request, key)
    with open_transport(connect_timeout=connect_timeout, read_timeout=read_timeout) as own:
        return own.send(request, key)
