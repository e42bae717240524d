"""A cleanup in plain words: each call, its risk, and the records left out.

The window's dialog and the CLI show the same sentences. Times are shown in the zone given
(the computer's own by default); the exact request shows them in UTC, as sent.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from flowsery_gui.cleanup.model import (
    CLOCK_SKEW_MARGIN_S,
    CleanupPlan,
    PlannedCall,
    Reason,
    Risk,
    utc,
)

#: How each reason for leaving a record out reads, for a list of such records.
LEFT_WORDS = {
    Reason.NOT_A_GOAL: "not a goal sent (a deletion, a metadata read, or a body without a name)",
    Reason.OTHER_PROFILE: "sent to another profile: clean it up from that profile",
    Reason.ALREADY_CLEANED: "already deleted from analytics",
    Reason.NOT_SENT: "never reached the server: there is nothing to delete",
    Reason.NOT_STORED: "refused by the server: there is nothing to delete",
    Reason.UNANSWERED: (
        "got no answer (or a 5xx): it may or may not have been stored. Include the sends "
        "that got no answer to delete it too"
    ),
    Reason.INEXACT: (
        "cannot be deleted exactly: its send time is not known precisely. The wide-window "
        "option deletes it in a window of an hour on each side"
    ),
    Reason.NO_TIME: "cannot be deleted: its send time is unknown, so no window can be bounded",
}


def counted(count: int, word: str) -> str:
    """ "1 send", "3 sends": a count and its noun."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def moment(seconds: float, zone: tzinfo | None = None) -> datetime:
    """Epoch seconds in `zone` (the computer's own when None)."""
    return utc(seconds).astimezone(zone)


def window_words(call: PlannedCall, zone: tzinfo | None = None) -> str:
    """ "between 10:01:58 and 10:02:08 on 2024-05-01 (CEST)", the date on both ends when
    the window spans midnight."""
    start, end = moment(call.start, zone), moment(call.end, zone)
    name = start.strftime("%Z") or start.strftime("UTC%z")
    if start.date() == end.date():
        return f"between {start:%H:%M:%S} and {end:%H:%M:%S} on {start:%Y-%m-%d} ({name})"
    return f"between {start:%Y-%m-%d %H:%M:%S} and {end:%Y-%m-%d %H:%M:%S} ({name})"


def _sent_count(call: PlannedCall) -> str:
    said = counted(len(call.send_ids), "send")
    if call.unanswered_ids:
        said += f", {len(call.unanswered_ids)} of them unanswered (maybe never stored)"
    return said


def describe(call: PlannedCall, zone: tzinfo | None = None) -> str:
    """What the call deletes, in one sentence."""
    when = window_words(call, zone)
    if call.risk is Risk.TEST_ONLY:
        who = f"your test goals named {call.name} (test visitor ID {call.visitor_id})"
    elif call.risk is Risk.ONE_VISITOR:
        who = f"goals named {call.name} from visitor {call.visitor_id}"
    else:
        who = f"goals named {call.name} from any visitor"
    return f"Delete {who} received {when}: covers {_sent_count(call)} from here."


def risk_words(call: PlannedCall, zone: tzinfo | None = None) -> str:
    """The call's risk: "only your test goals", or the warning to acknowledge."""
    when = window_words(call, zone)
    if call.risk is Risk.TEST_ONLY:
        said = "Only your test goals."
    elif call.risk is Risk.ONE_VISITOR:
        said = (
            f"Any goal named {call.name} from visitor {call.visitor_id} {when} is deleted. "
            "That visitor ID is not this profile's test visitor ID: if it is a real person, "
            "their goals go too."
        )
    else:
        said = (
            f"Any goal named {call.name} from anyone {when} is deleted, real visitors' goals "
            "included."
        )
    if call.wide:
        said += (
            " The window is wide: some of these sends have no precise send time, so goals of "
            "that name sent around them go too."
        )
    return said


def margin_words(plan: CleanupPlan) -> str:
    """How wide the windows are, and why (the dialog and the CLI state it)."""
    margin = plan.options.margin_s
    words = (
        f"Each window runs from {margin:g} s before a send to {margin:g} s after its answer, "
        "for a difference between this computer's clock and the server's"
    )
    if margin != CLOCK_SKEW_MARGIN_S:
        words += f" (the usual margin is {CLOCK_SKEW_MARGIN_S:g} s)"
    if plan.options.wide_window:
        words += f"; wide windows add {plan.options.wide_margin_s / 3600:g} h on each side"
    return words + "."


def left_summary(plan: CleanupPlan) -> list[str]:
    """One line per reason records were left out: "3 sends: already deleted…"."""
    lines = []
    for reason, words in LEFT_WORDS.items():
        count = len(plan.left_for(reason))
        if count:
            lines.append(f"{counted(count, 'record')}: {words}.")
    return lines
