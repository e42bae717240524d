"""The planned DELETE calls of a cleanup, one card each: what it deletes in plain words, its
risk, the exact request, the box a risky call needs ticked, and later the server's answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QFrame, QVBoxLayout, QWidget

from flowsery_gui.cleanup.model import PlannedCall
from flowsery_gui.cleanup.runner import CallOutcome, CallState
from flowsery_gui.cleanup.words import describe, risk_words
from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ui import theme
from flowsery_gui.ui.cleanup_work import Planned
from flowsery_gui.ui.plain import plain_label

_BY_KEYBOARD = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)

#: How each outcome reads (msgids: shown as `_(words)`).
OUTCOME_WORDS: dict[CallState, str] = {
    CallState.DELETED: N_("Deleted"),
    CallState.NONE_FOUND: N_("Nothing deleted"),
    CallState.ALREADY_CLEANED: N_("Already cleaned"),
    CallState.FAILED: N_("Call failed"),  # not a suite's "Failed": a DELETE call
    CallState.UNREADABLE: N_("Not the API's answer"),
    CallState.NO_RESPONSE: N_("No answer"),
    CallState.REFUSED: N_("Not sent"),
    CallState.HISTORY_FAILED: N_("Not recorded"),
    CallState.NOT_SENT: N_("Not sent"),
}
#: Each outcome's tone (`theme.TONES`).
OUTCOME_TONES: dict[CallState, str] = {
    CallState.DELETED: "success",
    CallState.NONE_FOUND: "info",
    CallState.ALREADY_CLEANED: "info",
    CallState.NOT_SENT: "failure",
}
# Translators: the box a risky DELETE call needs ticked before it is sent.
ACK_TEXT = N_("Delete these too: I understand goals of real visitors can go")
NOT_TICKED = N_("Not sent: its warning was not ticked, so nothing of its goals was deleted.")
#: How a card says why the run did not send a call (`CallOutcome.held_by`; msgids).
HELD_WORDS = {
    "stopped": N_("Not sent: an earlier call stopped the run; nothing of its goals was deleted."),
    "cancelled": N_(
        "Not sent: you stopped the run before this call; nothing of its goals was deleted."
    ),
}


class CallCard(QFrame):
    """One planned call; `included` once it may be sent (a risky one: its box ticked)."""

    ticked = Signal()  # the risky call's box was ticked or unticked

    def __init__(
        self,
        number: int,
        call: PlannedCall,
        request: str,
        zone: tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.call = call
        self.setObjectName("cleanup_call")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        # Translators: a numbered DELETE call of a cleanup: "1. Delete your test goals…".
        numbered = _("{number}. {what}", number=format_number(number), what=describe(call, zone))
        self.words = plain_label(numbered, name="call_words")
        layout.addWidget(self.words)
        risky = call.needs_acknowledgement
        mark = "⚠ " if risky else "✓ "
        self.risk = plain_label(mark + risk_words(call, zone), name="call_risk")
        tone = "client_error" if risky else "success"
        self.risk.setStyleSheet(theme.banner_style_sheet(tone, self.palette()))
        layout.addWidget(self.risk)
        self.ack: QCheckBox | None = None
        if risky:
            self.ack = QCheckBox(_(ACK_TEXT))
            self.ack.setObjectName("call_ack")
            self.ack.setAccessibleName(
                _(
                    "Acknowledge call {number}: {text}",
                    number=format_number(number),
                    text=_(ACK_TEXT),
                )
            )
            self.ack.toggled.connect(lambda _on: self.ticked.emit())
            layout.addWidget(self.ack)
        self.request = plain_label(request, name="call_request")
        self.request.setTextInteractionFlags(_BY_KEYBOARD)  # a Tab stop: copy it by keyboard
        self.request.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.request.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.request.setAccessibleName(
            _("Call {number}: the exact request", number=format_number(number))
        )
        layout.addWidget(self.request)
        self.answer = plain_label("", name="call_answer")
        self.answer.hide()
        layout.addWidget(self.answer)

    @property
    def included(self) -> bool:
        """True when the call may be sent: it is safe, or its warning is ticked."""
        return self.ack is None or self.ack.isChecked()

    def set_locked(self, locked: bool) -> None:
        """No ticking while the cleanup runs (or after it ran)."""
        if self.ack is not None:
            self.ack.setEnabled(not locked)

    def show_outcome(self, outcome: CallOutcome) -> None:
        """The server's answer to this call (or why it was not sent), in its tone."""
        words, tone = OUTCOME_WORDS[outcome.state], OUTCOME_TONES.get(outcome.state, "auth")
        if outcome.state is CallState.NOT_SENT:
            held = HELD_WORDS.get(outcome.held_by)
            self._show(_(held) if held else outcome.message, tone)
            return
        # Translators: a DELETE call's outcome ("Deleted", "Call failed"…) and the words about it.
        self._show(_("{outcome}: {message}", outcome=_(words), message=outcome.message), tone)

    def show_left_out(self) -> None:
        """The call was not sent because its warning was not ticked."""
        self._show(_(NOT_TICKED), "failure")

    def _show(self, text: str, tone: str) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(theme.banner_style_sheet(tone, self.palette()))
        self.answer.show()


class CallsList(QWidget):
    """The cards of a plan, in the order they are sent."""

    ticked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.cards: list[CallCard] = []

    def show_calls(
        self, calls: Sequence[PlannedCall], requests: Sequence[str], zone: tzinfo | None = None
    ) -> None:
        """Replace the cards with one per call."""
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for number, (call, request) in enumerate(zip(calls, requests, strict=True), 1):
            card = CallCard(number, call, request, zone)
            card.ticked.connect(self.ticked)
            self._layout.addWidget(card)
            self.cards.append(card)

    def focus_chain(self) -> list[QWidget]:
        """The cards' Tab stops, in visual order: each risky call's box, each request."""
        chain: list[QWidget] = []
        for card in self.cards:
            if card.ack is not None:
                chain.append(card.ack)
            chain.append(card.request)
        return chain

    def included(self) -> list[CallCard]:
        """The cards whose calls may be sent, in order."""
        return [card for card in self.cards if card.included]

    def set_locked(self, locked: bool) -> None:
        """Lock or unlock every card's box."""
        for card in self.cards:
            card.set_locked(locked)


def query_on_lines(url: str) -> str:
    """The URL with each query parameter on a line of its own (a label cannot wrap a URL)."""
    base, _sep, query = url.partition("?")
    if not query:
        return base
    return base + "".join(
        f"\n  {'?' if i == 0 else '&'}{p}" for i, p in enumerate(query.split("&"))
    )


def selection_notes(planned: Planned) -> list[str]:
    """What the dialog notes about the chosen records: gone from history, another name."""
    selection = planned.selection
    notes: list[str] = []
    if selection is None:
        return notes
    if selection.missing_ids:
        missing = len(selection.missing_ids)
        notes.append(
            ngettext(
                "{count} chosen record no longer in history: left out.",
                "{count} chosen records no longer in history: left out.",
                missing,
                count=format_number(missing),
            )
        )
    if selection.other_names:
        name = planned.request.name
        notes.append(
            ngettext(
                "{count} chosen record not named {name}.",
                "{count} chosen records not named {name}.",
                selection.other_names,
                count=format_number(selection.other_names),
                name=name,
            )
        )
    return notes
