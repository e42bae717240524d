"""Rehearse the API's failures on the built-in sandbox: the faults the window offers.

Each choice is a value of the sandbox's fault header (see `flowsery_gui/sandbox/server.py`);
the sandbox answers with that fault instead of storing the goal. The header is only ever
sent to the built-in sandbox, never to another profile.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The request header the sandbox reads faults from (`sandbox.server.FAULT_HEADER`; a test
#: keeps them equal without importing the server into the window at start-up).
FAULT_HEADER = "X-Sandbox-Fault"


@dataclass(frozen=True)
class FaultChoice:
    """One entry of the Sandbox Fault menu."""

    label: str  # as the menu shows it, with its mnemonic
    header: str  # the fault header's value; empty for a normal answer
    explains: str  # what the person will see, for the status bar

    @property
    def short(self) -> str:
        """The label without its mnemonic marker and details, for the status bar."""
        return self.label.replace("&", "").split(" (", 1)[0]


FAULTS: tuple[FaultChoice, ...] = (
    FaultChoice("&None: a normal answer", "", "The sandbox answers normally again."),
    FaultChoice("&Slow answer (5 s)", "delay=5", "Each send waits 5 s: try Cancel."),
    FaultChoice("401 &Key rejected", "status=401", "Each send gets 401, as for a wrong key."),
    FaultChoice(
        "404 &Wrong URL or API version", "status=404", "Each send gets 404, as for a wrong URL."
    ),
    FaultChoice(
        "429 &Too many requests (Retry-After 30 s)",
        "status=429,retry-after=30",
        "Each send gets 429 with Retry-After: 30.",
    ),
    FaultChoice("500 Server &error", "status=500", "Each send gets 500."),
    FaultChoice(
        "503 &Unavailable (Retry-After 7 s)",
        "status=503,retry-after=7",
        "Each send gets 503 with Retry-After: 7.",
    ),
    FaultChoice("&HTML error page (502)", "html", "Each send gets a proxy's HTML page (502)."),
    FaultChoice(
        "200 with a body that is not &JSON", "garbage", "Each send gets 200 with a broken body."
    ),
    FaultChoice(
        "&Connection dropped, no answer", "drop", "Each send's connection closes unanswered."
    ),
    FaultChoice("Connection &reset", "reset", "Each send's connection is reset."),
    FaultChoice("Redirect &loop", "redirect-loop", "Each send is redirected round in circles."),
)


def choice_for(header: str) -> FaultChoice:
    """The menu entry of a header value (the normal answer for an unknown one)."""
    return next((f for f in FAULTS if f.header == header), FAULTS[0])
