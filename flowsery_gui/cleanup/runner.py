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

import enum
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from flowsery_gui import sending
from flowsery_gui.cleanup.model import PlannedCall
from flowsery_gui.cleanup.words import counted
from flowsery_gui.explain import explain
from flowsery_gui.history import HistoryError
from flowsery_gui.history.cleaned import cleaned_marks, record_delete
from flowsery_gui.sending.answers import RetryAfter, parse_retry_after
from flowsery_gui.sending.calls import plan_delete
from flowsery_gui.sending.keys import KeySource, ResolvedKey
from flowsery_gui.sending.plan import PlannedSend, Refusal, SendOptions, Target

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import History
    from flowsery_gui.sending.transport import Transport


class CallState(str, enum.Enum):
    """How one planned call ended. Stable words (CLI JSON, tests)."""

    DELETED = "deleted"  # the server said it deleted; the sends are marked
    NONE_FOUND = "none_found"  # the server deleted none: the sends are not marked
    ALREADY_CLEANED = "already_cleaned"  # another run marked every send first
    FAILED = "failed"  # an HTTP error status (400, 401, 404, 429, 5xx, ...)
    UNREADABLE = "unreadable"  # a 2xx that is not the API's answer (no deleted count)
    NO_RESPONSE = "no_response"  # no answer: it may or may not have deleted
    REFUSED = "refused"  # the send pipeline would not send it
    HISTORY_FAILED = "history_failed"  # the history could not be read or written
    NOT_SENT = "not_sent"  # an earlier call stopped the run, or it was cancelled

    @property
    def stops(self) -> bool:
        """True when this outcome stops the rest of the run."""
        return self not in _GOES_ON


_GOES_ON = frozenset(
    {CallState.DELETED, CallState.NONE_FOUND, CallState.ALREADY_CLEANED, CallState.NOT_SENT}
)


@dataclass(frozen=True)
class CallOutcome:
    """What one call did: its state, the server's count, the sends marked, in plain words."""

    call: PlannedCall
    state: CallState
    message: str
    exchange: Exchange | None = None
    deleted: int | None = None  # the server's `deleted` count
    record_id: int | None = None  # the history record of the DELETE exchange
    marked: tuple[int, ...] = ()  # sends this run marked as deleted from analytics
    already: tuple[int, ...] = ()  # sends another run had marked first
    retry_after: RetryAfter | None = None


@dataclass(frozen=True)
class CleanupResult:
    """Every call's outcome, in order, and why nothing was sent when the run was refused."""

    outcomes: tuple[CallOutcome, ...]
    refused: str = ""  # non-empty: nothing was sent, and this says why

    @property
    def stopped_by(self) -> CallOutcome | None:
        """The outcome that stopped the run, if one did."""
        return next((o for o in self.outcomes if o.state.stops), None)

    @property
    def deleted_total(self) -> int:
        """Goal events the server said it deleted, over all calls."""
        return sum(o.deleted or 0 for o in self.outcomes)

    def summary(self) -> list[str]:
        """What was and was not deleted, in plain words."""
        if self.refused:
            return [self.refused]
        done = [o for o in self.outcomes if o.state is CallState.DELETED]
        marked = sum(len(o.marked) for o in self.outcomes)
        lines = [
            f"Deleted {counted(self.deleted_total, 'goal event')} in {len(done)} of "
            f"{counted(len(self.outcomes), 'call')}; {counted(marked, 'send')} marked as "
            "deleted from analytics."
        ]
        already = sum(len(o.already) for o in self.outcomes)
        if already:
            were = "was" if already == 1 else "were"
            lines.append(f"{counted(already, 'send')} {were} already cleaned by another run.")
        found_none = [o for o in self.outcomes if o.state is CallState.NONE_FOUND]
        if found_none:
            sends = sum(len(o.call.send_ids) - len(o.already) for o in found_none)
            lines.append(
                f"{counted(len(found_none), 'call')} found nothing to delete; "
                f"{counted(sends, 'send')} not marked as deleted from analytics."
            )
        stopped = self.stopped_by
        if stopped is not None:
            lines.append(f"Stopped: {stopped.message}")
        waiting = [o for o in self.outcomes if o.state is CallState.NOT_SENT]
        if waiting:
            sends = sum(len(o.call.send_ids) for o in waiting)
            lines.append(
                f"Not sent: {counted(len(waiting), 'call')} covering {counted(sends, 'send')}; "
                "nothing of theirs was "
                "deleted. Run the cleanup again to send them: sends already cleaned are skipped."
            )
        return lines


def deleted_count(answer: Any) -> int | None:
    """The `deleted` count in a parsed DELETE answer (`{"data": [{"deleted": 14}]}`), or None
    when the answer is not shaped so."""
    data = answer.get("data") if isinstance(answer, dict) else None
    first = data[0] if isinstance(data, list) and data else None
    count = first.get("deleted") if isinstance(first, dict) else None
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return None
    return count


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
            return (
                f"Nothing was sent: confirm the deletion for the profile {self.target.profile} "
                "by its name first."
            )
        unacknowledged = [c for c in self.calls if c.needs_acknowledgement]
        if unacknowledged and not self.acknowledged:
            return (
                f"Nothing was sent: {len(unacknowledged)} of the calls can delete goals of "
                "real visitors (or have a wide window). Acknowledge them, or leave them out."
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
                    why = "Cancelled before it was sent." if not stopped else "Not sent."
                    outcome = CallOutcome(call, CallState.NOT_SENT, why)
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
            words = f"the history could not be read ({exc.message}); nothing was sent."
            return CallOutcome(call, CallState.HISTORY_FAILED, words)
        if marked >= set(call.send_ids):
            return CallOutcome(
                call,
                CallState.ALREADY_CLEANED,
                "Already cleaned by another run: not sent again.",
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
                f"No answer: {words} The goals may or may not have been deleted.",
                exchange,
            )
            return self._recorded(outcome, ())
        if not exchange.ok:
            retry = parse_retry_after(response.header("Retry-After"), exchange.started_at)
            words = f"The server answered {response.status}: {explain(exchange).message}"
            if retry is not None:
                words += (
                    f" It asked to wait {max(0, round(retry.seconds))} s (Retry-After: "
                    f"{retry.text}) before trying again."
                )
            state = CallState.FAILED
            return self._recorded(CallOutcome(call, state, words, exchange, retry_after=retry), ())
        count = deleted_count(response.json())
        if count is None:
            words = (
                f"The server answered {response.status} without a count of deleted goals: not "
                "the API's answer, so nothing was marked as deleted."
            )
            return self._recorded(CallOutcome(call, CallState.UNREADABLE, words, exchange), ())
        if count == 0:
            words = (
                f"The server deleted no goal events, though {call.expected} were sent from "
                "here: they were deleted before, never stored, or the server's clock is more "
                "than the margin off this computer's. Not marked as deleted."
            )
            outcome = CallOutcome(call, CallState.NONE_FOUND, words, exchange, deleted=0)
            return self._recorded(outcome, call.send_ids, mark=False)
        words = (
            f"The server deleted {counted(count, 'goal event')} ({call.expected} sent from here)."
        )
        if count < call.expected:
            words += " Fewer than sent: some were deleted before, or never stored."
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
            words = f"{outcome.message} But the history could not record it: {exc.message}"
            return replace(outcome, state=CallState.HISTORY_FAILED, message=words)
        message = outcome.message
        state = outcome.state
        if recorded.already:
            count = len(recorded.already)
            message += f" {count} of its sends were already cleaned by another run."
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
