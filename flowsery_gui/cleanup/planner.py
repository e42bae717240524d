"""Planning a cleanup: the fewest DELETE calls that cover exactly the selected sends.

A pure function of the history records (`history.cleaned.SentRecord`) and the profile; the
window's dialog and `flowsery-goal cleanup` both call it, so they plan the same calls.

How:
- Only goals the server accepted (2xx) need deleting. A send that never left this computer
  (refused by the app, DNS, connection refused or timed out, TLS) or that the server refused
  (3xx, 4xx) stored nothing and is left out. A send with no answer (read timeout, dropped,
  cancelled after it went) or a 5xx may or may not have been stored: it is left out and
  listed as unanswered, unless `include_unanswered` plans it like the others (its call then
  counts it as "maybe").
- Sends are grouped by goal name and visitor ID. Each send gets a window from its start
  minus `margin_s` to its answer plus `margin_s` (the clock skew between this computer and
  the server), widened outwards to whole seconds. Within a group, windows that overlap
  become one call; windows that do not stay apart, so no call's window holds a second that
  no selected send's window holds.
- A send with no usable send time (an exchange longer than `MAX_EXACT_SPAN_S`, or a record
  from another source than this app's window or CLI) cannot be deleted exactly: it is left
  out as inexact, unless `wide_window` plans it with `wide_margin_s` on each side (its call
  is marked wide and needs acknowledging). A record with no send time at all is left out.
- The risk of each call comes from its visitor ID: the profile's test visitor ID reaches
  only test goals; any other visitor ID, or none, may reach real visitors' goals.
- Calls come test-only first, then by risk, then by time: the safe ones run first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from urllib.parse import urlsplit

from flowsery_gui.cleanup.model import (
    EARLIEST_SEND_TIME,
    EXACT_SOURCES,
    MAX_EXACT_SPAN_S,
    CleanupPlan,
    Left,
    PlannedCall,
    PlanOptions,
    Reason,
    Risk,
)
from flowsery_gui.contract import GOALS_PATH
from flowsery_gui.history.cleaned import SentRecord

#: Failures before anything reached a server: the goal cannot exist.
NOT_SENT_FAILURES = frozenset(
    {"refused_by_app", "invalid_url", "dns", "refused", "tls", "connect_timeout"}
)
_RISK_ORDER = {Risk.TEST_ONLY: 0, Risk.ONE_VISITOR: 1, Risk.ANYONE: 2}


def is_goal_send(record: SentRecord) -> bool:
    """True for a POST of a named goal to the goals path."""
    if record.method.upper() != "POST" or not record.goal_name:
        return False
    try:
        path = urlsplit(record.url).path
    except ValueError:
        return False
    return path.rstrip("/").endswith(GOALS_PATH)


def answer_reason(record: SentRecord) -> Reason | None:
    """None for a send the server accepted (2xx), else why it needs no exact call."""
    status = record.status
    if status is None:
        kind = record.failure_kind or ""
        return Reason.NOT_SENT if kind in NOT_SENT_FAILURES else Reason.UNANSWERED
    if 200 <= status < 300:
        return None
    return Reason.UNANSWERED if status >= 500 else Reason.NOT_STORED


def send_span(record: SentRecord) -> tuple[float, float, bool] | None:
    """(first, last, exact): when the server may have received the send, on this computer's
    clock, and whether that is precise; None when the record has no usable time at all."""
    start = record.started_at
    if not math.isfinite(start) or start < EARLIEST_SEND_TIME:
        return None
    elapsed = record.elapsed_ms / 1000.0 if math.isfinite(record.elapsed_ms) else math.inf
    exact = record.source in EXACT_SOURCES and 0.0 <= elapsed <= MAX_EXACT_SPAN_S
    return start, start + min(max(elapsed, 0.0), MAX_EXACT_SPAN_S), exact


def _window(first: float, last: float, margin: float) -> tuple[float, float]:
    return float(math.floor(first - margin)), float(math.ceil(last + margin))


def risk_of(visitor_id: str, test_visitor_id: str) -> Risk:
    """Whose goals a call with this visitor ID can reach."""
    if not visitor_id:
        return Risk.ANYONE
    return Risk.TEST_ONLY if visitor_id == test_visitor_id else Risk.ONE_VISITOR


class _Span:
    __slots__ = ("end", "ids", "start", "unanswered", "wide")

    def __init__(self, start: float, end: float, send_id: int, unanswered: bool, wide: bool):
        self.start, self.end = start, end
        self.ids = [send_id]
        self.unanswered = [send_id] if unanswered else []
        self.wide = wide

    def absorb(self, other: _Span) -> None:
        self.end = max(self.end, other.end)
        self.ids += other.ids
        self.unanswered += other.unanswered
        self.wide = self.wide or other.wide


def _left_reason(record: SentRecord, profile: str, options: PlanOptions) -> Reason | None:
    """Why the record gets no call (None: it gets one)."""
    if not is_goal_send(record):
        return Reason.NOT_A_GOAL
    if record.profile != profile:
        return Reason.OTHER_PROFILE
    if record.cleaned:
        return Reason.ALREADY_CLEANED
    reason = answer_reason(record)
    if reason is Reason.UNANSWERED and options.include_unanswered:
        reason = None
    if reason is not None:
        return reason
    span = send_span(record)
    if span is None:
        return Reason.NO_TIME
    if not span[2] and not options.wide_window:
        return Reason.INEXACT
    return None


def plan_cleanup(
    records: Iterable[SentRecord],
    *,
    profile: str,
    test_visitor_id: str = "",
    options: PlanOptions | None = None,
) -> CleanupPlan:
    """The DELETE calls covering exactly the selected sends to `profile`, and the records
    left out with their reasons (see the module docstring)."""
    options = options or PlanOptions()
    groups: dict[tuple[str, str], list[_Span]] = {}
    left: list[Left] = []
    seen: set[int] = set()
    for record in sorted(records, key=lambda r: r.id):
        if record.id in seen:
            continue
        seen.add(record.id)
        reason = _left_reason(record, profile, options)
        if reason is not None:
            left.append(Left(record, reason))
            continue
        span = send_span(record)
        assert span is not None and record.goal_name
        first, last, exact = span
        start, end = _window(first, last, options.margin_s if exact else options.wide_margin_s)
        unanswered = answer_reason(record) is Reason.UNANSWERED
        key = (record.goal_name, record.visitor_uid or "")
        groups.setdefault(key, []).append(_Span(start, end, record.id, unanswered, not exact))
    calls = [
        PlannedCall(
            name=name,
            visitor_id=visitor,
            start=span.start,
            end=span.end,
            risk=risk_of(visitor, test_visitor_id),
            send_ids=tuple(span.ids),
            unanswered_ids=tuple(span.unanswered),
            wide=span.wide,
        )
        for (name, visitor), spans in groups.items()
        for span in _merged(spans)
    ]
    calls.sort(key=lambda c: (_RISK_ORDER[c.risk], c.wide, c.start, c.name, c.visitor_id))
    return CleanupPlan(profile, test_visitor_id, options, tuple(calls), tuple(left))


def _merged(spans: list[_Span]) -> list[_Span]:
    """Overlapping windows (inclusive ends) joined; apart ones kept apart."""
    spans.sort(key=lambda s: (s.start, s.end))
    merged: list[_Span] = []
    for span in spans:
        if merged and span.start <= merged[-1].end:
            merged[-1].absorb(span)
        else:
            merged.append(span)
    for span in merged:
        span.ids.sort()
        span.unanswered.sort()
    return merged
