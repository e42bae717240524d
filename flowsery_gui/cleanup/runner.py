"""Running a cleanup: the planned DELETE calls sent one by one through the send pipeline.

`CleanupRun` is one operation the window (on a worker thread) and the CLI both run. Before
anything is sent it checks that the person confirmed this very profile and acknowledged
every call that can reach real visitors' goals (or has a wide window). Then, per call:
- it skips a call whose sends another run has meanwhile marked as deleted from analytics;
- it plans the DELETE with `sending.plan_delete(require_window=True)`, so a call without
  both time bounds is never sent, and sends exactly that request;
- it stores the exchange in history as its own record and, in the same transaction, marks
  the call's sends "deleted from analytics" once the server said it deleted (`200` with a
  `deleted` count); sends another run marked first come back as "already cleaned by
  another run", never as this run's success;
- a 400, 401, 404, 429, 5xx, an answer that is not the API's, no answer, a refusal or a
  history that cannot record stops the run: the rest is not sent (a 429's Retry-After is
  reported, never waited out in a loop), and the result says what was and was not deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from flowsery_gui import sending
from flowsery_gui.cleanup.model import PlannedCall
from flowsery_gui.cleanup.results import (
    CallOutcome,
    CallState,
    CleanupResult,
    deleted_count,
)
from flowsery_gui.explain import explain
from flowsery_gui.history import HistoryError
from flowsery_gui.history.cleaned import cleaned_marks, record_delete
from flowsery_gui.i18n import _, format_number, format_seconds, ngettext, sentences
from flowsery_gui.sending.answers import parse_retry_after
from flowsery_gui.sending.calls import plan_delete
from flowsery_gui.sending.keys import KeySource, ResolvedKey
from flowsery_gui.sending.plan import PlannedSend, Refusal, SendOptions, Target

__all__ = [
    "CallOutcome",
    "CallState",
    "CleanupResult",
    "CleanupRun",
    "Progress",
    "deleted_count",
    "plan_call",
]

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import History
    from flowsery_gui.sending.transport import Transport


def plan_call(
    call: PlannedCall,
    target: Target,
    key: ResolvedKey | KeySource | bool,
    options: SendOptions | None = None,
) -> PlannedSend | Refusal:
    """The exact DELETE request for a call (always with both time bounds), or the refusal:
    what the dialog shows as "the exact request" and what the run sends."""
    return plan_delete(target, call.filter, key, options, require_window=True)


Progress = Callable[[int, CallOutcome], None]


class CleanupRun:
    """One cleanup: the chosen calls, sent in order to one target, recorded in history."""

    def __init__(
        self,
        calls: Sequence[PlannedCall],
        *,
        target: Target,
        key: ResolvedKey,
        history: History | None,
        source: str,
        confirmed_profile: str,
        acknowledged: bool = False,
        fault: str = "",
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
    ) -> None:
        """`confirmed_profile`: the profile the person confirmed (it must be the target's);
        `acknowledged`: they accepted the calls that can reach real visitors' goals or have
        a wide window; `source`: "window" or "cli", for history; `fault`: a sandbox fault
        for tests (the pipeline sends one only to a local target)."""
        self.calls = tuple(calls)
        self.target = target
        self.key = key
        self.history = history
        self.source = source
        self.confirmed_profile = confirmed_profile
        self.acknowledged = acknowledged
        self.options = SendOptions(
            fault=fault, production_confirmed=confirmed_profile == target.profile
        )
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._cancelled = threading.Event()
        self._transport: Transport | None = None
        self._lock = threading.Lock()

    def refusal(self) -> str:
        """Why nothing may be sent ("" when the run may go)."""
        if self.confirmed_profile != self.target.profile:
            return _(
                "Nothing was sent: confirm the deletion for the profile {profile} by its name "
                "first.",
                profile=self.target.profile,
            )
        unacknowledged = [c for c in self.calls if c.needs_acknowledgement]
        if unacknowledged and not self.acknowledged:
            return ngettext(
                "Nothing was sent: {count} of the calls can delete goals of real visitors (or "
                "has a wide window). Acknowledge it, or leave it out.",
                "Nothing was sent: {count} of the calls can delete goals of real visitors (or "
                "have a wide window). Acknowledge them, or leave them out.",
                len(unacknowledged),
                count=format_number(len(unacknowledged)),
            )
        return ""

    def cancel(self, *, cut_off: bool = True) -> None:
        """Stop from another thread: the rest is not sent, and the call in flight is cut off
        (`cut_off=False`: it is let finish, so its answer is known and recorded)."""
        self._cancelled.set()
        if not cut_off:
            return
        with self._lock:
            transport = self._transport
        if transport is not None:
            transport.cancel()

    def run(self, on_outcome: Progress | None = None) -> CleanupResult:
        """Send the calls one by one; `on_outcome(index, outcome)` after each (from this
        thread). Never raises for network or history trouble: it is in the result."""
        refused = self.refusal()
        if refused:
            return CleanupResult(
                tuple(CallOutcome(c, CallState.NOT_SENT, refused) for c in self.calls), refused
            )
        outcomes: list[CallOutcome] = []
        with sending.open_transport(
            connect_timeout=self.connect_timeout, read_timeout=self.read_timeout
        ) as transport:
            with self._lock:
                self._transport = transport
            if self._cancelled.is_set():
                transport.cancel()
            stopped = False
            for index, call in enumerate(self.calls):
                if stopped or self._cancelled.is_set():
                    why = _("Cancelled before it was sent.") if not stopped else _("Not sent.")
                    held_by = "stopped" if stopped else "cancelled"
                    outcome = CallOutcome(call, CallState.NOT_SENT, why, held_by=held_by)
                else:
                    outcome = self._one(call, transport)
                    stopped = outcome.state.stops
                outcomes.append(outcome)
                if on_outcome is not None:
                    on_outcome(index, outcome)
            with self._lock:
                self._transport = None
        return CleanupResult(tuple(outcomes))

    # -- one call ------------------------------------------------------------------------------

    def _one(self, call: PlannedCall, transport: Transport) -> CallOutcome:
        try:
            marked = self._marked(call)
        except HistoryError as exc:
            words = _(
                "the history could not be read ({reason}); nothing was sent.", reason=exc.message
            )
            return CallOutcome(call, CallState.HISTORY_FAILED, words)
        if marked >= set(call.send_ids):
            return CallOutcome(
                call,
                CallState.ALREADY_CLEANED,
                _("Already cleaned by another run: not sent again."),
                already=tuple(sorted(marked)),
            )
        plan = plan_call(call, self.target, self.key, self.options)
        if isinstance(plan, Refusal):
            return CallOutcome(call, CallState.REFUSED, plan.message)
        exchange = sending.send(plan, self.key.key, transport=transport)
        return self._judged(call, exchange)

    def _marked(self, call: PlannedCall) -> set[int]:
        if self.history is None:
            return set()
        return set(cleaned_marks(self.history, call.send_ids))

    def _judged(self, call: PlannedCall, exchange: Exchange) -> CallOutcome:
        response = exchange.response
        if response is None:
            words = explain(exchange).message
            outcome = CallOutcome(
                call,
                CallState.NO_RESPONSE,
                _(
                    "No answer: {reason} The goals may or may not have been deleted.",
                    reason=words,
                ),
                exchange,
            )
            return self._recorded(outcome, ())
        if not exchange.ok:
            retry = parse_retry_after(response.header("Retry-After"), exchange.started_at)
            words = _(
                "The server answered {status}: {explanation}",
                status=response.status,
                explanation=explain(exchange).message,
            )
            if retry is not None:
                words = sentences(
                    words,
                    _(
                        "It asked to wait {time} (Retry-After: {header}) before trying again.",
                        time=format_seconds(max(0, round(retry.seconds))),
                        header=retry.text,
                    ),
                )
            state = CallState.FAILED
            return self._recorded(CallOutcome(call, state, words, exchange, retry_after=retry), ())
        count = deleted_count(response.json())
        if count is None:
            words = _(
                "The server answered {status} without a count of deleted goals: not the API's "
                "answer, so nothing was marked as deleted.",
                status=response.status,
            )
            return self._recorded(CallOutcome(call, CallState.UNREADABLE, words, exchange), ())
        if count == 0:
            words = ngettext(
                "The server deleted no goal events, though {count} was sent from here: it was "
                "deleted before, never stored, or the server's clock is more than the margin "
                "off this computer's. Not marked as deleted.",
                "The server deleted no goal events, though {count} were sent from here: they "
                "were deleted before, never stored, or the server's clock is more than the "
                "margin off this computer's. Not marked as deleted.",
                call.expected,
                count=format_number(call.expected),
            )
            outcome = CallOutcome(call, CallState.NONE_FOUND, words, exchange, deleted=0)
            return self._recorded(outcome, call.send_ids, mark=False)
        words = ngettext(
            "The server deleted {count} goal event ({sent} sent from here).",
            "The server deleted {count} goal events ({sent} sent from here).",
            count,
            count=format_number(count),
            sent=format_number(call.expected),
        )
        if count < call.expected:
            words = sentences(
                words, _("Fewer than sent: some were deleted before, or never stored.")
            )
        outcome = CallOutcome(call, CallState.DELETED, words, exchange, deleted=count)
        return self._recorded(outcome, call.send_ids)

    def _recorded(
        self, outcome: CallOutcome, cleans: Sequence[int], *, mark: bool = True
    ) -> CallOutcome:
        """The outcome with its history record and marks, or HISTORY_FAILED."""
        if self.history is None or outcome.exchange is None:
            return outcome
        try:
            recorded = record_delete(
                self.history,
                outcome.exchange,
                profile=self.target.profile,
                source=self.source,
                cleans=cleans,
                mark=mark,
                secrets=(self.key.key,) if self.key.key else (),
            )
        except HistoryError as exc:
            words = sentences(
                outcome.message,
                _("But the history could not record it: {reason}", reason=exc.message),
            )
            return replace(outcome, state=CallState.HISTORY_FAILED, message=words)
        message = outcome.message
        state = outcome.state
        if recorded.already:
            count = len(recorded.already)
            message = sentences(
                message,
                ngettext(
                    "{count} of its sends was already cleaned by another run.",
                    "{count} of its sends were already cleaned by another run.",
                    count,
                    count=format_number(count),
                ),
            )
            if set(recorded.already) >= set(outcome.call.send_ids):
                state = CallState.ALREADY_CLEANED if not state.stops else state
        return replace(
            outcome,
            state=state,
            message=message,
            record_id=recorded.record_id,
            marked=recorded.marked,
            already=recorded.already,
        )
