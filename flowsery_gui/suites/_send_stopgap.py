"""STOPGAP until `flowsery_gui.sending` lands: plan a goal request, or refuse it; send it.

Shaped like the one send pipeline the architecture issue asks for, so that the runner
changes one import when it arrives: a target, a key rule, a planning function from a draft
or a raw body to a `PlannedRequest` or a `Refusal`, and a transport that sends exactly the
planned request on one kept-alive connection, never retrying, cancellable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from flowsery_gui.client import GoalsClient, default_user_agent
from flowsery_gui.contract import (
    DEFAULT_BASE_URL,
    GOALS_PATH,
    Draft,
    Finding,
    NotJSON,
    check_body_text,
)
from flowsery_gui.contract import check_draft as check_draft
from flowsery_gui.exchange import Exchange
from flowsery_gui.netsafety import check_url_safety, is_loopback_host
from flowsery_gui.request_model import AUTHORIZATION, PlannedRequest, join_url, plan_goal_request

KEY_ENV = "FLOWSERY_API_KEY"
FAULT_HEADER = "X-Sandbox-Fault"


@dataclass(frozen=True)
class Target:
    """Where goals go: the profile name (recorded in history), its kind and base URL."""

    profile: str
    base_url: str
    kind: str = "custom"  # production | sandbox | custom

    @property
    def is_production(self) -> bool:
        """True for the vendor's real API, where every goal counts in real analytics."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return self.kind == "production" or host == urlsplit(DEFAULT_BASE_URL).hostname

    @property
    def is_loopback(self) -> bool:
        """True for a target on this computer (a sandbox)."""
        try:
            return is_loopback_host(urlsplit(self.base_url).hostname or "")
        except ValueError:
            return False


@dataclass(frozen=True)
class Refusal:
    """Why a request is not sent: the goal breaks the rules (`findings`), or the target."""

    reason: str
    findings: tuple[Finding, ...] = ()
    about_target: bool = False


def resolve_key(keyring_profile: str | None) -> str | None:
    """$FLOWSERY_API_KEY when set, else the profile's keyring key (KeyStoreError may rise)."""
    key = os.environ.get(KEY_ENV, "").strip()
    if key or keyring_profile is None:
        return key or None
    from flowsery_gui.keystore import KeyStore

    return (KeyStore().get(keyring_profile) or "").strip() or None


def plan_send(
    target: Target,
    *,
    draft: Draft | None = None,
    raw_body: str | None = None,
    has_key: bool,
    sandbox_fault: str = "",
    production_confirmed: bool = False,
    enforce_rules: bool = True,
) -> PlannedRequest | Refusal:
    """The request to send for a draft (rules enforced) or a raw body (sent as is)."""
    if not has_key:
        return Refusal(f"No API key: set {KEY_ENV} or store a key for {target.profile}.", (), True)
    url = join_url(target.base_url, GOALS_PATH)
    unsafe = check_url_safety(url, has_key)
    if unsafe:
        return Refusal(unsafe, (), True)
    if target.is_production and not production_confirmed:
        return Refusal("Production needs an explicit confirmation.", (), True)
    if sandbox_fault and not target.is_loopback:
        return Refusal("A sandbox fault can only be sent to a sandbox on this computer.", (), True)
    extra = ((FAULT_HEADER, sandbox_fault),) if sandbox_fault else ()
    agent = default_user_agent()
    if draft is not None:
        report = check_draft(draft)
        if not report.ok or report.body is None:
            return Refusal("the goal breaks the API's rules.", report.findings)
        return plan_goal_request(
            target.base_url, report.body, has_key=True, user_agent=agent, extra_headers=extra
        )
    text = raw_body or ""
    if enforce_rules:
        try:
            report = check_body_text(text)
        except NotJSON as exc:
            return Refusal(str(exc), (Finding("", "body.not_json", str(exc)),))
        if not report.ok:
            return Refusal("the body breaks the API's rules.", report.findings)
    headers = [(AUTHORIZATION, "Bearer $FLOWSERY_API_KEY"), ("Content-Type", "application/json")]
    headers += [("Accept", "application/json"), ("User-Agent", agent), *extra]
    return PlannedRequest("POST", url, tuple(headers), text)


class Transport:
    """Sends planned requests on one kept-alive connection; never retries; cancellable."""

    def __init__(self, target: Target, key: str | None) -> None:
        self._client = GoalsClient(target.base_url, key)

    def send(self, planned: PlannedRequest) -> Exchange:
        """Send exactly this request (the key swapped in by the client)."""
        headers = {k: v for k, v in planned.headers if k.lower() != AUTHORIZATION.lower()}
        return self._client._call(
            planned.method, planned.url, headers=headers, body=planned.body_text
        )

    def cancel(self) -> None:
        """Abort the request in flight from another thread."""
        self._client.cancel()

    def close(self) -> None:
        """Release the connection."""
        self._client.close()
