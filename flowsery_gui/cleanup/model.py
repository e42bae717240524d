"""The values of a cleanup: the margins, the risks, the planned DELETE calls and the plan.

Pure data, no I/O. Times are epoch seconds (UTC) on whole seconds: the API's `startAt` and
`endAt` are ISO 8601 to the second, and both ends are inclusive.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timezone

from flowsery_gui.history.cleaned import SentRecord
from flowsery_gui.sending.calls import DeleteFilter, time_window

#: Seconds added before and after each send's own span (from the moment the request left
#: to the moment its answer came back): the clocks of this computer and of the server may
#: disagree by this much. A send at 10:02:03 answered in 0.2 s gets 10:01:58 – 10:02:09.
CLOCK_SKEW_MARGIN_S = 5.0
#: Seconds before and after a send whose time is not known precisely (see `EXACT_SOURCES`
#: and `MAX_EXACT_SPAN_S`): the wide-window option, behind its own warning. Still bounded.
WIDE_MARGIN_S = 3600.0
#: An exchange that took longer than this has no usable send time (the CLI's longest
#: connect and read timeouts together).
MAX_EXACT_SPAN_S = 1200.0
#: Records written by these sources carry this computer's own send time. Anything else
#: (an import from elsewhere) has a time from another clock: not usable for an exact window.
EXACT_SOURCES = frozenset({"window", "cli"})
#: A send time before this (2000-01-01) is no time at all: not even a wide window is bounded.
EARLIEST_SEND_TIME = 946_684_800.0


class Risk(str, enum.Enum):
    """Whose goals a DELETE call can reach. Values are stable words (CLI JSON, tests)."""

    TEST_ONLY = "test_only"  # visitorId is this profile's test visitor ID
    ONE_VISITOR = "one_visitor"  # a visitor ID that is not the test ID: maybe a real person
    ANYONE = "anyone"  # no visitor ID: every visitor's goals of that name in the window

    @property
    def reaches_real_visitors(self) -> bool:
        """True when the call may delete goals a real visitor sent (must be acknowledged)."""
        return self is not Risk.TEST_ONLY


class Reason(str, enum.Enum):
    """Why a selected record is not covered by a planned call. Stable words."""

    NOT_A_GOAL = "not_a_goal"  # not a goal POST (a DELETE, a metadata read) or no name
    OTHER_PROFILE = "other_profile"  # sent to another profile: clean it up from that one
    ALREADY_CLEANED = "already_cleaned"  # deleted from analytics before
    NOT_SENT = "not_sent"  # never reached a server (refused by the app, DNS, no connection)
    NOT_STORED = "not_stored"  # the server refused it (3xx, 4xx): there is nothing to delete
    UNANSWERED = "unanswered"  # no answer, or 5xx: it may or may not exist
    INEXACT = "inexact"  # no usable send time: cannot be deleted exactly
    NO_TIME = "no_time"  # no send time at all: cannot be deleted, not even in a wide window


@dataclass(frozen=True)
class PlanOptions:
    """What to include beyond the exact calls for sends answered 2xx."""

    include_unanswered: bool = False  # plan the sends that got no answer (or 5xx) too
    wide_window: bool = False  # plan the sends with no usable time, in wide windows
    margin_s: float = CLOCK_SKEW_MARGIN_S
    wide_margin_s: float = WIDE_MARGIN_S

    def __post_init__(self) -> None:
        for name in ("margin_s", "wide_margin_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 <= value <= 7 * 86400):
                raise ValueError(f"{name} must be from 0 to 7 days in seconds.")


def utc(seconds: float) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, timezone.utc)


@dataclass(frozen=True)
class PlannedCall:
    """One DELETE call: a goal name, a visitor ID or none, a closed time window, its risk,
    and the history records (sends) it covers."""

    name: str
    visitor_id: str  # "" for none: every visitor's goals of that name
    start: float  # epoch seconds, a whole second, inclusive
    end: float  # epoch seconds, a whole second, inclusive
    risk: Risk
    send_ids: tuple[int, ...]  # the sends it deletes, oldest first
    unanswered_ids: tuple[int, ...] = ()  # of those, the ones that got no answer
    wide: bool = False  # the window was widened for sends with no usable time

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("A DELETE call of a cleanup needs a goal name.")
        if not (math.isfinite(self.start) and math.isfinite(self.end)):
            raise ValueError("A DELETE call of a cleanup needs both ends of its time window.")
        if self.end < self.start:
            raise ValueError("The end of the time window is before its start.")
        if not self.send_ids:
            raise ValueError("A DELETE call of a cleanup covers at least one send.")

    @property
    def filter(self) -> DeleteFilter:
        """The query, closed at both ends (as the pipeline's `plan_delete` takes it)."""
        return time_window(
            utc(self.start), utc(self.end), name=self.name, visitor_id=self.visitor_id
        )

    @property
    def needs_acknowledgement(self) -> bool:
        """True when a person must tick (or pass a flag) before it is sent."""
        return self.risk.reaches_real_visitors or self.wide

    @property
    def expected(self) -> int:
        """How many goals of those sent from here the server should say it deleted, at least
        (the unanswered ones may never have been stored)."""
        return len(self.send_ids) - len(self.unanswered_ids)


@dataclass(frozen=True)
class Left:
    """A selected record that no call covers, and why."""

    record: SentRecord
    reason: Reason


@dataclass(frozen=True)
class CleanupPlan:
    """The DELETE calls that cover exactly the selected sends, and the records left out."""

    profile: str
    test_visitor_id: str
    options: PlanOptions
    calls: tuple[PlannedCall, ...]
    left: tuple[Left, ...] = ()

    def left_for(self, *reasons: Reason) -> tuple[SentRecord, ...]:
        """The records left out for these reasons."""
        return tuple(item.record for item in self.left if item.reason in reasons)

    @property
    def needs_acknowledgement(self) -> tuple[PlannedCall, ...]:
        """The calls a person must acknowledge before they are sent."""
        return tuple(call for call in self.calls if call.needs_acknowledgement)

    @property
    def covered_ids(self) -> frozenset[int]:
        """Every send some call covers."""
        return frozenset(i for call in self.calls for i in call.send_ids)
