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
from flowsery_gui.i18n import (
    N_,
    _,
    format_date,
    format_datetime,
    format_number,
    format_seconds,
    format_time,
    ngettext,
    sentences,
)

#: How each reason for leaving a record out reads, for a list of such records (msgids:
#: shown as `_(LEFT_WORDS[reason])`).
LEFT_WORDS = {
    Reason.NOT_A_GOAL: N_(
        "not a goal sent (a deletion, a metadata read, or a body without a name)"
    ),
    Reason.OTHER_PROFILE: N_("sent to another profile: clean it up from that profile"),
    Reason.ALREADY_CLEANED: N_("already deleted from analytics"),
    Reason.NOT_SENT: N_("never reached the server: there is nothing to delete"),
    Reason.NOT_STORED: N_("refused by the server: there is nothing to delete"),
    Reason.UNANSWERED: N_(
        "got no answer (or a 5xx): it may or may not have been stored. Include the sends "
        "that got no answer to delete it too"
    ),
    Reason.INEXACT: N_(
        "cannot be deleted exactly: its send time is not known precisely. The wide-window "
        "option deletes it in a window of an hour on each side"
    ),
    Reason.NO_TIME: N_("cannot be deleted: its send time is unknown, so no window can be bounded"),
}


def counted(count: int, word: str) -> str:
    """ "1 send", "3 sends": a count and an English noun. Kept for callers not translated
    yet (the window); translated text counts with `ngettext` instead."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def moment(seconds: float, zone: tzinfo | None = None) -> datetime:
    """Epoch seconds in `zone` (the computer's own when None)."""
    return utc(seconds).astimezone(zone)


def window_words(call: PlannedCall, zone: tzinfo | None = None) -> str:
    """ "between 10:01:58 and 10:02:08 on 2024-05-01 (CEST)", the date on both ends when
    the window spans midnight; times and dates as the reader's language writes them."""
    start, end = moment(call.start, zone), moment(call.end, zone)
    name = start.strftime("%Z") or start.strftime("UTC%z")
    # naive: the formatters show the wall-clock time of `zone`, not this computer's
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    if start.date() == end.date():
        return _(
            "between {start} and {end} on {date} ({zone})",
            start=format_time(start),
            end=format_time(end),
            date=format_date(start),
            zone=name,
        )
    return _(
        "between {start} and {end} ({zone})",
        start=format_datetime(start),
        end=format_datetime(end),
        zone=name,
    )


def _sent_count(call: PlannedCall) -> str:
    sends = len(call.send_ids)
    if call.unanswered_ids:
        return ngettext(
            "{count} send, {unanswered} of them unanswered (maybe never stored)",
            "{count} sends, {unanswered} of them unanswered (maybe never stored)",
            sends,
            count=format_number(sends),
            unanswered=format_number(len(call.unanswered_ids)),
        )
    return ngettext("{count} send", "{count} sends", sends, count=format_number(sends))


def describe(call: PlannedCall, zone: tzinfo | None = None) -> str:
    """What the call deletes, in one sentence."""
    fields = {
        "name": call.name,
        "visitor": call.visitor_id,
        "when": window_words(call, zone),
        "covers": _sent_count(call),
    }
    if call.risk is Risk.TEST_ONLY:
        return _(
            "Delete your test goals named {name} (test visitor ID {visitor}) received {when}: "
            "covers {covers} from here.",
            **fields,
        )
    if call.risk is Risk.ONE_VISITOR:
        return _(
            "Delete goals named {name} from visitor {visitor} received {when}: covers {covers} "
            "from here.",
            **fields,
        )
    return _(
        "Delete goals named {name} from any visitor received {when}: covers {covers} from here.",
        **fields,
    )


def risk_words(call: PlannedCall, zone: tzinfo | None = None) -> str:
    """The call's risk: "only your test goals", or the warning to acknowledge."""
    when = window_words(call, zone)
    if call.risk is Risk.TEST_ONLY:
        said = _("Only your test goals.")
    elif call.risk is Risk.ONE_VISITOR:
        said = _(
            "Any goal named {name} from visitor {visitor} {when} is deleted. That visitor ID is "
            "not this profile's test visitor ID: if it is a real person, their goals go too.",
            name=call.name,
            visitor=call.visitor_id,
            when=when,
        )
    else:
        said = _(
            "Any goal named {name} from anyone {when} is deleted, real visitors' goals included.",
            name=call.name,
            when=when,
        )
    if call.wide:
        said = sentences(
            said,
            _(
                "The window is wide: some of these sends have no precise send time, so goals of "
                "that name sent around them go too."
            ),
        )
    return said


def margin_words(plan: CleanupPlan) -> str:
    """How wide the windows are, and why (the dialog and the CLI state it)."""
    options = plan.options
    fields = {
        "margin": format_seconds(options.margin_s),
        "usual": format_seconds(CLOCK_SKEW_MARGIN_S),
        "wide": format_number(options.wide_margin_s / 3600, 2),
    }
    usual = options.margin_s == CLOCK_SKEW_MARGIN_S
    if usual and not options.wide_window:
        return _(
            "Each window runs from {margin} before a send to {margin} after its answer, for a "
            "difference between this computer's clock and the server's.",
            **fields,
        )
    if usual:
        return _(
            "Each window runs from {margin} before a send to {margin} after its answer, for a "
            "difference between this computer's clock and the server's; wide windows add "
            "{wide} h on each side.",
            **fields,
        )
    if not options.wide_window:
        return _(
            "Each window runs from {margin} before a send to {margin} after its answer, for a "
            "difference between this computer's clock and the server's (the usual margin is "
            "{usual}).",
            **fields,
        )
    return _(
        "Each window runs from {margin} before a send to {margin} after its answer, for a "
        "difference between this computer's clock and the server's (the usual margin is "
        "{usual}); wide windows add {wide} h on each side.",
        **fields,
    )


def left_summary(plan: CleanupPlan) -> list[str]:
    """One line per reason records were left out: "3 records: already deleted…"."""
    lines = []
    for reason, words in LEFT_WORDS.items():
        count = len(plan.left_for(reason))
        if count:
            lines.append(
                ngettext(
                    "{count} record: {why}.",
                    "{count} records: {why}.",
                    count,
                    count=format_number(count),
                    why=_(words),
                )
            )
    return lines
