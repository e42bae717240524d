"""What a cleanup run did: each call's outcome and the whole result in plain words.

Plain values: `CleanupRun` (runner.py) makes them, the window's dialog and the CLI show them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowsery_gui.cleanup.model import PlannedCall
from flowsery_gui.i18n import _, format_number, ngettext
from flowsery_gui.sending.answers import RetryAfter

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange


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
    #: Why a NOT_SENT call was not sent by the run: "cancelled" (the person stopped the
    #: run before it) or "stopped" (an earlier call's answer stopped the run); "" otherwise.
    held_by: str = ""


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
        n = format_number
        done = [o for o in self.outcomes if o.state is CallState.DELETED]
        marked = sum(len(o.marked) for o in self.outcomes)
        calls = len(self.outcomes)
        deleted = ngettext(
            "Deleted {count} goal event", "Deleted {count} goal events",
            self.deleted_total,
            count=n(self.deleted_total),
        )  # fmt: skip
        lines = [
            ngettext(
                "{deleted} in {done} of {count} call; {marked} marked as deleted from analytics.",
                "{deleted} in {done} of {count} calls; {marked} marked as deleted from analytics.",
                calls,
                deleted=deleted,
                done=n(len(done)),
                count=n(calls),
                marked=ngettext("{count} send", "{count} sends", marked, count=n(marked)),
            )
        ]
        already = sum(len(o.already) for o in self.outcomes)
        if already:
            lines.append(
                ngettext(
                    "{count} send was already cleaned by another run.",
                    "{count} sends were already cleaned by another run.",
                    already,
                    count=n(already),
                )
            )
        found_none = [o for o in self.outcomes if o.state is CallState.NONE_FOUND]
        if found_none:
            sends = sum(len(o.call.send_ids) - len(o.already) for o in found_none)
            lines.append(
                ngettext(
                    "{count} call found nothing to delete; {sends} not marked as deleted from "
                    "analytics.",
                    "{count} calls found nothing to delete; {sends} not marked as deleted from "
                    "analytics.",
                    len(found_none),
                    count=n(len(found_none)),
                    sends=ngettext("{count} send", "{count} sends", sends, count=n(sends)),
                )
            )
        stopped = self.stopped_by
        if stopped is not None:
            lines.append(_("Stopped: {reason}", reason=stopped.message))
        waiting = [o for o in self.outcomes if o.state is CallState.NOT_SENT]
        if waiting:
            sends = sum(len(o.call.send_ids) for o in waiting)
            lines.append(
                ngettext(
                    "Not sent: {count} call covering {sends}; nothing of theirs was deleted. Run "
                    "the cleanup again to send them: sends already cleaned are skipped.",
                    "Not sent: {count} calls covering {sends}; nothing of theirs was deleted. Run "
                    "the cleanup again to send them: sends already cleaned are skipped.",
                    len(waiting),
                    count=n(len(waiting)),
                    sends=ngettext("{count} send", "{count} sends", sends, count=n(sends)),
                )
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
