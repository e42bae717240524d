"""The goals API as three calls on one base URL and key: a thin layer over the pipeline.

`GoalsClient` plans each call with `flowsery_gui.sending.request` (the one place that knows
a request's shape) and sends it with the cancellable `Transport`. It does not judge the body
(callers and tests use it to send bodies the server must reject); for a send with the app's
rules, refusals and production confirmation, plan with `flowsery_gui.sending` instead.

Compatibility: the window, the CLI and tests import these names from here.
"""

from __future__ import annotations

from typing import Any

from flowsery_gui.contract import GOALS_PATH, METADATA_PATH
from flowsery_gui.exchange import Exchange
from flowsery_gui.masking import mask_key
from flowsery_gui.netsafety import check_url_safety as check_url_safety  # re-exported
from flowsery_gui.netsafety import is_loopback_host as is_loopback_host  # re-exported
from flowsery_gui.sending.failures import MAX_REDIRECTS as MAX_REDIRECTS  # re-exported
from flowsery_gui.sending.failures import classify as classify  # re-exported
from flowsery_gui.sending.request import build_request, default_user_agent, serialize_body
from flowsery_gui.sending.transport import MAX_BODY_BYTES as MAX_BODY_BYTES  # re-exported
from flowsery_gui.sending.transport import Transport

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_REDIRECTS",
    "GoalsClient",
    "check_url_safety",
    "classify",
    "default_user_agent",
    "is_loopback_host",
]


class GoalsClient:
    """Talks to one goals API base URL with one key; each call returns an `Exchange`."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        user_agent: str | None = None,
    ) -> None:
        self.base_url = base_url.strip().rstrip("/")
        # Surrounding spaces and line breaks (a key pasted from a CRLF .env file) are never
        # part of a key; left in, they would make the header unsendable.
        self._key = (api_key or "").strip() or None
        self._agent = user_agent or default_user_agent()
        self._transport = Transport(connect_timeout=connect_timeout, read_timeout=read_timeout)
        self.timeouts = self._transport.timeouts

    def __repr__(self) -> str:
        key = mask_key(self._key) if self._key else None
        return f"GoalsClient({self.base_url!r}, key={key!r})"

    def _send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        planned = build_request(
            method,
            self.base_url,
            path,
            has_key=self._key is not None,
            user_agent=self._agent,
            **kwargs,
        )
        return self._transport.send(planned, self._key)

    def send_goal(
        self, body: dict[str, Any], extra_headers: dict[str, str] | None = None
    ) -> Exchange:
        """POST one goal body; the compact JSON sent is the one recorded in the exchange."""
        return self._send(
            "POST",
            GOALS_PATH,
            body_text=serialize_body(body),
            extra_headers=tuple((extra_headers or {}).items()),
        )

    def get_metadata(self) -> Exchange:
        """GET the website's metadata: proves the key works and names its website."""
        return self._send("GET", METADATA_PATH)

    def delete_goals(
        self,
        *,
        name: str | None = None,
        visitor_id: str | None = None,
        start_at: str | None = None,
        end_at: str | None = None,
    ) -> Exchange:
        """DELETE goal events matching a filter; refuses locally when no filter is given."""
        from flowsery_gui.sending.calls import DeleteFilter, plan_delete
        from flowsery_gui.sending.plan import Refusal, SendOptions, Target

        filters = DeleteFilter(name or "", visitor_id or "", start_at or "", end_at or "")
        plan = plan_delete(
            Target("custom", "custom", self.base_url),
            filters,
            self._key is not None,
            SendOptions(require_key=False, user_agent=self._agent),
        )
        if isinstance(plan, Refusal):
            import time

            return plan.to_exchange(time.time())
        return self._transport.send(plan.request, self._key)

    def cancel(self) -> None:
        """Abort the call in progress from another thread; its exchange says CANCELLED.

        A cancel that arrives before the call starts (a worker not yet running) stops that
        call before anything is sent. Each cancel is used up by the call it stops.
        """
        self._transport.cancel()

    def close(self) -> None:
        """Release the connections."""
        self._transport.close()

    def __enter__(self) -> GoalsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
