"""Rehearse the API's failures on the built-in sandbox: the faults the window offers.

Each choice is a value of the sandbox's fault header (see `flowsery_gui/sandbox/server.py`);
the sandbox answers with that fault instead of storing the goal. The header is only ever
sent to the built-in sandbox, never to another profile.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowsery_gui.i18n import N_, _

#: The request header the sandbox reads faults from (`sandbox.server.FAULT_HEADER`; a test
#: keeps them equal without importing the server into the window at start-up).
FAULT_HEADER = "X-Sandbox-Fault"


@dataclass(frozen=True)
class FaultChoice:
    """One entry of the Sandbox Fault menu. Its words are msgids, translated where shown
    (`_(choice.label)`); `header` is wire text and never translated."""

    label: str  # as the menu shows it, with its mnemonic
    header: str  # the fault header's value; empty for a normal answer
    explains: str  # what the person will see, for the status bar
    short: str  # the label without its mnemonic and details, for the status bar ("": none)


# Translators: the Sandbox Fault menu. Each entry's label has a mnemonic (the letter after &,
# unique in this menu); its short name is shown in the status bar ("fault: Slow answer"); its
# explanation in the status bar when chosen. Status codes and Retry-After are HTTP terms.
FAULTS: tuple[FaultChoice, ...] = (
    # (No short name: the status bar names no fault for a normal answer.)
    FaultChoice(N_("&None: a normal answer"), "", N_("The sandbox answers normally again."), ""),
    FaultChoice(
        N_("&Slow answer (5 s)"),
        "delay=5",
        N_("Each send waits 5 s: try Cancel."),
        N_("Slow answer"),
    ),
    FaultChoice(
        N_("401 &Key rejected"),
        "status=401",
        N_("Each send gets 401, as for a wrong key."),
        N_("401 Key rejected"),
    ),
    FaultChoice(
        N_("404 &Wrong URL or API version"),
        "status=404",
        N_("Each send gets 404, as for a wrong URL."),
        N_("404 Wrong URL or API version"),
    ),
    FaultChoice(
        N_("429 &Too many requests (Retry-After 30 s)"),
        "status=429,retry-after=30",
        N_("Each send gets 429 with Retry-After: 30."),
        N_("429 Too many requests"),
    ),
    FaultChoice(
        N_("500 Server &error"), "status=500", N_("Each send gets 500."), N_("500 Server error")
    ),
    FaultChoice(
        N_("503 &Unavailable (Retry-After 7 s)"),
        "status=503,retry-after=7",
        N_("Each send gets 503 with Retry-After: 7."),
        N_("503 Unavailable"),
    ),
    FaultChoice(
        N_("&HTML error page (502)"),
        "html",
        N_("Each send gets a proxy's HTML page (502)."),
        N_("HTML error page"),
    ),
    FaultChoice(
        N_("200 with a body that is not &JSON"),
        "garbage",
        N_("Each send gets 200 with a broken body."),
        N_("200 with a body that is not JSON"),
    ),
    FaultChoice(
        N_("&Connection dropped, no answer"),
        "drop",
        N_("Each send's connection closes unanswered."),
        N_("Connection dropped, no answer"),
    ),
    FaultChoice(
        N_("Connection &reset"),
        "reset",
        N_("Each send's connection is reset."),
        N_("Connection reset"),
    ),
    FaultChoice(
        N_("Redirect &loop"),
        "redirect-loop",
        N_("Each send is redirected round in circles."),
        N_("Redirect loop"),
    ),
)


def choice_for(header: str) -> FaultChoice:
    """The menu entry of a header value (the normal answer for an unknown one)."""
    return next((f for f in FAULTS if f.header == header), FAULTS[0])


def short_words(header: str) -> str:
    """The status bar's name for the fault in force: its short words, or the header itself
    for one the menu does not offer; "" for a normal answer."""
    choice = choice_for(header)
    return _(choice.short) if choice.short and choice.header == header else header


def explanation(header: str) -> str:
    """What choosing this fault means, for the status bar."""
    choice = choice_for(header)
    if choice.header == header:
        return _(choice.explains)
    return _("Sandbox fault: {header}.", header=header)
