"""Planning a send: (target, goal, key, options) in, a planned send or a refusal out.

Every caller (the window, the CLI, suites, cleanup) plans here, so they refuse the same
things with the same words, and the request they preview, copy as code, send and record is
one object. Pure: no network, no keyring, no Qt; cheap enough for every keystroke.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from flowsery_gui import contract
from flowsery_gui.contract import Draft, Finding, Report
from flowsery_gui.exchange import Exchange, Failure, FailureKind, SentRequest
from flowsery_gui.i18n import _, ngettext, sentences
from flowsery_gui.jsonread import NotJSON, read_json
from flowsery_gui.masking import mask_authorization
from flowsery_gui.netsafety import check_url_safety, is_loopback_host, url_problem
from flowsery_gui.sending.keys import KeySource, ResolvedKey
from flowsery_gui.sending.request import (
    AUTHORIZATION,
    PlannedRequest,
    default_user_agent,
    goal_request,
    masked_for_display,
    serialize_body,
)

#: The request header the sandbox reads faults from (`sandbox.server.FAULT_HEADER`).
FAULT_HEADER = "X-Sandbox-Fault"
#: Raw bodies longer than this are refused unread (a goal is a few hundred bytes; the
#: sandbox answers 413 over 64 KiB, so a suite can still rehearse that).
MAX_BODY_BYTES = 1024 * 1024


class RefusalCode(str, enum.Enum):
    """Why a send was not planned. Values are stable words (CLI exit codes, suite reports)."""

    INVALID_BODY = "invalid_body"  # the goal breaks the API's rules, or is not JSON
    INVALID_URL = "invalid_url"
    UNSAFE_URL = "unsafe_url"  # the key would travel unencrypted, or the URL holds a password
    MISSING_KEY = "missing_key"
    INVALID_KEY = "invalid_key"  # a key with a space or control character inside
    PRODUCTION_NOT_CONFIRMED = "production_not_confirmed"
    FAULT_NOT_ALLOWED = "fault_not_allowed"  # a sandbox fault for a target that is not one
    NO_FILTER = "no_filter"  # a delete with no filter would delete everything
    UNBOUNDED = "unbounded"  # a delete without a closed time window, when one is required


@dataclass(frozen=True)
class Target:
    """Where a send goes: the profile's name (recorded in history), its kind, the base URL."""

    profile: str
    kind: str  # "production" | "sandbox" | "custom"
    base_url: str

    @property
    def is_local(self) -> bool:
        """True for the built-in sandbox or any loopback host: a fault header may go there."""
        if self.kind == "sandbox":
            return True
        try:
            return is_loopback_host(urlsplit(self.base_url.strip()).hostname or "")
        except ValueError:
            return False


@dataclass(frozen=True)
class RawBody:
    """A body given as text (pasted JSON, `--json`, a suite's `body:`), sent as checked."""

    text: str | bytes


GoalInput = Draft | RawBody


@dataclass(frozen=True)
class SendOptions:
    """How to plan: the sandbox fault, the production confirmation, and which rules hold."""

    fault: str = ""  # X-Sandbox-Fault value; only for the sandbox or a loopback host
    production_confirmed: bool = False
    enforce_rules: bool = True  # False: a raw body goes as is, for the server to judge
    require_key: bool = True  # False: without a key, send with no Authorization at all
    user_agent: str | None = None  # None: the app's own (package metadata, read once)


@dataclass(frozen=True)
class PlannedSend:
    """A send ready to go: the exact request, the findings, and the goal for history."""

    target: Target
    request: PlannedRequest  # the key is the $FLOWSERY_API_KEY placeholder
    key_source: KeySource
    report: Report | None = None  # None for calls without a body (metadata, delete)
    goal: dict[str, Any] | None = None  # what history files the exchange under

    def preview(self, key: str | None) -> PlannedRequest:
        """The request as the preview shows it (key masked)."""
        return masked_for_display(self.request, key)

    def snippet(self, kind: str) -> str:
        """A code snippet ("curl", "node", "python") of exactly this request."""
        from flowsery_gui.codegen import SNIPPETS

        return SNIPPETS[kind][1](self.request)


@dataclass(frozen=True)
class Refusal:
    """Why nothing will be sent, in plain words, with a stable code and any findings."""

    code: RefusalCode
    message: str
    target: Target
    findings: tuple[Finding, ...] = ()
    report: Report | None = None
    request: PlannedRequest | None = None  # what would have gone, when it could be built

    def to_exchange(self, started_at: float) -> Exchange:
        """An exchange saying "not sent", for callers that record refusals (suites, CLI)."""
        request = self.request
        headers = () if request is None else request.headers
        return Exchange(
            request=SentRequest(
                method=request.method if request else "POST",
                url=request.url if request else self.target.base_url,
                headers=tuple(
                    (k, mask_authorization(v) if k.lower() == AUTHORIZATION.lower() else v)
                    for k, v in headers
                ),
                body=request.body_text if request else None,
            ),
            started_at=started_at,
            elapsed_ms=0.0,
            failure=Failure(FailureKind.REFUSED_BY_APP, self.message),
            notes=(_("Nothing was sent."),),
        )


Plan = PlannedSend | Refusal


class _Body(NamedTuple):  # a NamedTuple: internal, and a tenth of a dataclass's import cost
    text: str | None = None
    report: Report | None = None
    goal: dict[str, Any] | None = None
    problem: str | None = None
    findings: tuple[Finding, ...] = ()


def _body_of(goal: GoalInput, enforce_rules: bool) -> _Body:
    """The exact body text, its report and the goal for history, or why there is none."""
    if isinstance(goal, Draft):
        report = contract.check_draft(goal)
        if not report.ok or report.body is None:
            return _body_problem(report)
        return _Body(serialize_body(report.body), report, report.body)
    size = (
        len(goal.text)
        if isinstance(goal.text, bytes)
        else len(goal.text.encode("utf-8", "replace"))
    )
    if size > MAX_BODY_BYTES:
        from flowsery_gui.i18n import format_number

        return _Body(
            problem=ngettext(
                "Not sent: the body is {size} byte; the app sends at most {limit} KiB.",
                "Not sent: the body is {size} bytes; the app sends at most {limit} KiB.",
                size,
                size=format_number(size),
                limit=format_number(MAX_BODY_BYTES // 1024),
            )
        )
    try:
        parsed = read_json(goal.text)
    except NotJSON as exc:
        if enforce_rules:
            return _Body(problem=_("Not sent: the body is not JSON. {reason}", reason=str(exc)))
        parsed = None
    checked = None if parsed is None else contract.check_body(parsed.value, parsed.duplicate_keys)
    if not enforce_rules:
        text = goal.text if isinstance(goal.text, str) else _as_text(goal.text)
        if text is None:
            return _Body(problem=_("Not sent: the body is not UTF-8 text."))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no bytes can carry it
            return _Body(problem=_("Not sent: the body holds a character UTF-8 cannot carry."))
        value = parsed.value if parsed is not None else None
        return _Body(text, checked, value if isinstance(value, dict) else None)
    if checked is None or not checked.ok or checked.body is None:
        return _body_problem(checked or Report())
    return _Body(serialize_body(checked.body), checked, checked.body)


def _as_text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _body_problem(report: Report) -> _Body:
    count = len(report.errors)
    first = report.errors[0] if report.errors else None
    said = None
    if first is not None:
        said = f"{first.path}: {first.message}" if first.path else first.message
    more = None
    if count > 1:
        more = ngettext("(and {count} more)", "(and {count} more)", count - 1, count=count - 1)
    head = ngettext(
        "Not sent: the goal has {count} problem.",
        "Not sent: the goal has {count} problems.",
        count,
        count=count,
    )
    return _Body(
        problem=sentences(head, said, more),
        report=report,
        findings=report.findings,
    )


def key_presence(key: ResolvedKey | KeySource | bool) -> tuple[bool, KeySource, str | None]:
    """(has a key, its source, why it cannot go in a header) from what the caller knows."""
    if isinstance(key, ResolvedKey):
        from flowsery_gui.sending.keys import key_text_problem

        problem = key_text_problem(key.key) if key.key else None
        return key.present, key.source, problem
    if isinstance(key, KeySource):
        return key is not KeySource.NONE, key, None
    return bool(key), KeySource.SESSION if key else KeySource.NONE, None


def target_refusal(target: Target, will_have_key: bool) -> Refusal | None:
    problem = url_problem(target.base_url)
    if problem is not None:
        return Refusal(RefusalCode.INVALID_URL, _("Not sent: {reason}", reason=problem), target)
    unsafe = check_url_safety(target.base_url, will_have_key)
    if unsafe is not None:
        return Refusal(RefusalCode.UNSAFE_URL, unsafe, target)
    return None


def fault_headers(target: Target, fault: str) -> tuple[tuple[str, str], ...] | Refusal:
    fault = fault.strip()
    if not fault:
        return ()
    if not target.is_local:
        return Refusal(
            RefusalCode.FAULT_NOT_ALLOWED,
            _(
                "Not sent: a sandbox fault ({fault}) only goes to the built-in sandbox or a "
                "server on this computer, not to {profile}. Choose no fault, or the Sandbox "
                "profile.",
                fault=fault[:60],
                profile=target.profile,
            ),
            target,
        )
    if any(ord(ch) < 32 or ord(ch) > 126 for ch in fault):
        return Refusal(
            RefusalCode.FAULT_NOT_ALLOWED,
            _("Not sent: the sandbox fault holds a character a header cannot carry."),
            target,
        )
    return ((FAULT_HEADER, fault),)


def key_refusal(
    target: Target,
    has_key: bool,
    key_problem: str | None,
    options: SendOptions,
    request: PlannedRequest,
) -> Refusal | None:
    if key_problem is not None:
        return Refusal(RefusalCode.INVALID_KEY, key_problem, target, request=request)
    if options.require_key and not has_key:
        return Refusal(
            RefusalCode.MISSING_KEY,
            _(
                "Not sent: no API key for {profile}. Set one for this profile (or for this "
                "session only), or set the {variable} environment variable.",
                profile=target.profile,
                variable="FLOWSERY_API_KEY",
            ),
            target,
            request=request,
        )
    if target.kind == "production" and not options.production_confirmed:
        return Refusal(
            RefusalCode.PRODUCTION_NOT_CONFIRMED,
            _(
                "Not sent: {profile} is the real API; goals sent there count in your real "
                "analytics. Confirm sending to production first.",
                profile=target.profile,
            ),
            target,
            request=request,
        )
    return None


class Checked(NamedTuple):
    """What every call's plan knows once the target passed: the key and the extra headers."""

    target: Target
    has_key: bool
    source: KeySource
    key_problem: str | None
    extra_headers: tuple[tuple[str, str], ...]
    options: SendOptions

    @property
    def with_authorization(self) -> bool:
        """True when the request carries the key placeholder."""
        return self.has_key or self.options.require_key

    @property
    def user_agent(self) -> str:
        """The User-Agent to send."""
        return self.options.user_agent or default_user_agent()

    def finish(
        self,
        request: PlannedRequest,
        report: Report | None = None,
        goal: dict[str, Any] | None = None,
    ) -> Plan:
        """The planned send, or the refusal a person can answer (key, production)."""
        refused = key_refusal(self.target, self.has_key, self.key_problem, self.options, request)
        if refused is not None:
            return refused
        return PlannedSend(self.target, request, self.source, report, goal)


def check_target(
    target: Target, key: ResolvedKey | KeySource | bool, options: SendOptions
) -> Checked | Refusal:
    """The checks every call makes first: the URL, its safety, and the fault header."""
    has_key, source, key_problem = key_presence(key)
    refused = target_refusal(target, has_key or options.require_key)
    if refused is not None:
        return refused
    extra = fault_headers(target, options.fault)
    if isinstance(extra, Refusal):
        return extra
    return Checked(target, has_key, source, key_problem, extra, options)


def plan_goal(
    target: Target,
    goal: GoalInput,
    key: ResolvedKey | KeySource | bool,
    options: SendOptions | None = None,
) -> Plan:
    """Plan `POST /api/v1/goals`: the exact request, or the first reason not to send it.

    Refusals come in this order: invalid URL, unsafe URL, fault not allowed, invalid body,
    then the ones a person can answer (invalid or missing key, production not confirmed),
    so that answering them and planning again is all a caller has to do.
    """
    checked = check_target(target, key, options or SendOptions())
    if isinstance(checked, Refusal):
        return checked
    body = _body_of(goal, checked.options.enforce_rules)
    if body.problem is not None or body.text is None:
        return Refusal(
            RefusalCode.INVALID_BODY,
            body.problem or _("Not sent: there is no body."),
            target,
            body.findings,
            body.report,
        )
    request = goal_request(
        target.base_url,
        body.text,
        has_key=checked.with_authorization,
        user_agent=checked.user_agent,
        extra_headers=checked.extra_headers,
    )
    return checked.finish(request, body.report, body.goal)
