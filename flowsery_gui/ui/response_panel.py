"""The response panel: what came back (or why nothing did), in plain words and in full.

Every string that came from a server is shown as plain text: labels are forced to
`Qt.TextFormat.PlainText` and bodies go into plain-text editors, so markup in an answer
is displayed literally, never interpreted. The tabs under the words (body, headers, raw,
request) are `response_details`'s.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.exchange import Exchange
from flowsery_gui.explain import Explanation, explain
from flowsery_gui.i18n import N_, _, sentences
from flowsery_gui.ui import icons, theme
from flowsery_gui.ui.plain import plain_label
from flowsery_gui.ui.response_details import ResponseDetails
from flowsery_gui.ui.response_text import (
    EMPTY_HINT,
    ICON_NAMES,
    elapsed_text,
    label_text,
    sent_at_text,
    status_text,
)

# Msgids (`_()` where shown; code compares states, never these words).
# Translators: the status chip after the person cancelled a send (where "200 OK" stands).
CANCELLED = N_("Cancelled")
CANCELLED_MESSAGE = N_(
    "You cancelled before an answer came. The server may still have recorded the goal: "
    "check before sending it again, or it may count twice."
)
_PAGE_EMPTY, _PAGE_PENDING, _PAGE_RESULT = 0, 1, 2
_TAB_BODY, _TAB_HEADERS, _TAB_RAW, _TAB_REQUEST = 0, 1, 2, 3


class ResponsePanel(QWidget):
    """Shows the state of the last send: empty, pending, an answer, a failure, or cancelled."""

    copied = Signal(str)  # a short message for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Response"))
        self._tone = "info"
        self._exchange: Exchange | None = None
        self._unkept: tuple[Exchange | None, str] = (None, "")  # a send history did not keep

        self._stack = QStackedWidget()
        self._stack.addWidget(self._build_empty_page())
        self._stack.addWidget(self._build_pending_page())
        self._stack.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self.clear()

    # --- building ----------------------------------------------------------------------------

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        self.empty_label = plain_label(_(EMPTY_HINT))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName(_("No response yet"))
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty_label)
        layout.addStretch(2)
        return page

    def _build_pending_page(self) -> QWidget:
        page = QWidget()
        self.pending_label = plain_label()
        self.pending_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(260)
        self.busy.setAccessibleName(_("Waiting for the server"))
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.tone_icon = plain_label(wrap=False, selectable=False)
        self.tone_icon.setFixedSize(20, 20)
        self.chip = plain_label(wrap=False)
        self.chip.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.elapsed_label = plain_label()  # wraps in a narrow pane rather than widen the window
        self.elapsed_label.setObjectName("response_timing")
        self.title_label = plain_label()
        title_font = QFont(self.title_label.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.title_label.setFont(title_font)

        top = QHBoxLayout()
        top.addWidget(self.tone_icon)
        top.addWidget(self.chip)
        top.addWidget(self.elapsed_label, 1)

        self.message_label = plain_label()
        self.message_label.setAccessibleName(_("Explanation"))
        self.server_label = plain_label()
        self.server_label.setAccessibleName(_("The server's message"))
        self.notes_label = plain_label()
        self.notes_label.setAccessibleName(_("Notes"))
        small = QFont(self.notes_label.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        small.setItalic(True)
        self.notes_label.setFont(small)
        # A send whose history write failed says so here, under its answer (and not only in
        # the status bar, which the next message replaces).
        self.history_note = plain_label()
        self.history_note.setObjectName("history_note")
        self.history_note.setAccessibleName(_("Not kept in history"))
        self.history_note.hide()
        words = (self.title_label, self.message_label, self.server_label, self.notes_label)
        for label in (*words, self.history_note):
            # Long words in a server's text must wrap, not widen the whole window.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(50)

        self.tabs = ResponseDetails()
        # The tabs' parts, by the names the panel has always given them.
        details = self.tabs
        self.body_info, self.copy_body_button = details.body_info, details.copy_body_button
        self.body_view, self.headers_table = details.body_view, details.headers_table
        self.raw_view, self.request_view = details.raw_view, details.request_view
        self.copy_body_button.clicked.connect(self.copy_body)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.server_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.history_note)
        layout.addSpacing(4)
        layout.addWidget(self.tabs, 1)
        self._filler = QWidget()  # takes the space of the tabs when they are hidden
        self._filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._filler.hide()
        layout.addWidget(self._filler, 1)
        return page

    # --- public API --------------------------------------------------------------------------

    @property
    def tone(self) -> str:
        """The tone of what is shown ("success", "client_error", "auth", ...), for colour."""
        return self._tone

    def tab_chain(self) -> list[QWidget]:
        """Its controls in visual order: the detail tabs, then each tab's contents."""
        return self.tabs.tab_chain()

    def show_history_failure(self, exchange: Exchange, message: str) -> bool:
        """Say under this exchange's answer that it is not in the history, and why: now when
        it is on show, else when it is shown (the word can come before the answer)."""
        self._unkept = (exchange, message)
        return self._note_unkept()

    def _note_unkept(self) -> bool:
        exchange, message = self._unkept
        shown = exchange is not None and exchange is self._exchange
        self.history_note.setText(label_text("⚠ " + sentences(_("Not kept in history."), message)))
        self.history_note.setVisible(shown)
        return shown

    def clear(self, hint: str | None = None) -> None:
        """Back to the empty state with its hint (the history's detail pane has its own)."""
        self.empty_label.setText(_(EMPTY_HINT) if hint is None else hint)
        self._exchange = None
        self.copy_body_button.setEnabled(False)
        self._stack.setCurrentIndex(_PAGE_EMPTY)

    def show_pending(self, text: str) -> None:
        """A request is in flight: say where it is going, with a busy indicator."""
        self.pending_label.setText(text)
        self.busy.setAccessibleDescription(text)
        self._stack.setCurrentIndex(_PAGE_PENDING)

    def show_exchange(self, exchange: Exchange) -> None:
        """Show one finished exchange: status, timing, plain words, then body, headers, raw."""
        self._render(exchange, explain(exchange), status_text(exchange.response))

    def show_cancelled(self, exchange: Exchange | None = None) -> None:
        """The person cancelled; the goal may still have reached the server."""
        if exchange is not None:
            explanation = explain(exchange)
            message = exchange.failure.message if exchange.failure else ""
            explanation = Explanation(explanation.tone, "", message or _(CANCELLED_MESSAGE))
            self._render(exchange, explanation, _(CANCELLED))
            return
        self._exchange = None
        self.history_note.hide()
        self._set_header("info", _(CANCELLED), None, "", _(CANCELLED_MESSAGE), None, ())
        self.copy_body_button.setEnabled(False)
        self.tabs.hide()  # nothing to show: no record of the exchange was given
        self._filler.show()
        self._stack.setCurrentIndex(_PAGE_RESULT)

    def copy_body(self) -> None:
        """Put the response body, exactly as received, on the clipboard."""
        response = self._exchange.response if self._exchange else None
        if response is None or not response.body:
            return
        QGuiApplication.clipboard().setText(response.body)
        self.copied.emit(_("Copied the response body."))

    # --- rendering ---------------------------------------------------------------------------

    def _render(self, exchange: Exchange, explanation: Explanation, chip: str) -> None:
        self._exchange = exchange
        title = explanation.title
        # The chip and the title's head are made the same way at the same moment (the status
        # line, or the same msgid "No response" in the same language): no English is compared.
        if title.startswith(chip + " · "):  # the chip already says it
            title = title[len(chip) + 3 :]
        elif title == chip:
            title = ""
        self._note_unkept()
        self._set_header(
            explanation.tone,
            chip,
            (exchange.started_at, exchange.elapsed_ms),
            title,
            explanation.message,
            explanation.server_message,
            exchange.notes,
        )
        self.tabs.show_exchange(exchange)
        self.tabs.show()
        self._filler.hide()
        self._stack.setCurrentIndex(_PAGE_RESULT)

    def _set_header(
        self,
        tone: str,
        chip: str,
        timing: tuple[float, float] | None,
        title: str,
        message: str,
        server_message: str | None,
        notes: tuple[str, ...],
    ) -> None:
        self._tone = tone
        self._apply_tone()
        self.chip.setText(chip)
        self.chip.setAccessibleName(_("Status: {status}", status=chip))
        # When it was sent and how long it took: two identical sends must not look the same.
        elapsed = ""
        if timing is not None:
            started_at, elapsed_ms = timing
            took = elapsed_text(elapsed_ms)
            elapsed = f"{sent_at_text(started_at)} · {took}" if started_at > 0 else took
        self.elapsed_label.setText(elapsed)
        self.elapsed_label.setAccessibleName(
            _("Sent and elapsed time: {timing}", timing=elapsed) if elapsed else ""
        )
        self.elapsed_label.setVisible(bool(elapsed))
        self.title_label.setText(label_text(title))
        self.title_label.setVisible(bool(title))
        self.message_label.setText(label_text(message))
        said = ""
        if server_message and server_message not in message:  # not when already quoted
            # Translators: {message} is the server's own words, untranslated.
            said = _("The server said: {message}", message=server_message)
        self.server_label.setText(label_text(said))
        self.server_label.setVisible(bool(said))
        note_text = sentences(*(n.strip() for n in notes))
        self.notes_label.setText(label_text(_("Note: {note}", note=note_text)) if note_text else "")
        self.notes_label.setVisible(bool(note_text))

    def _apply_tone(self) -> None:
        palette = self.palette()
        self.chip.setStyleSheet(theme.chip_style_sheet(self._tone, palette))
        name = theme.TONE_ICONS.get(self._tone, "info")
        self.tone_icon.setPixmap(icons.icon(name).pixmap(QSize(20, 20), self.devicePixelRatioF()))
        self.tone_icon.setAccessibleName(_(ICON_NAMES.get(name, ICON_NAMES["info"])))

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour the chip when the light/dark palette changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_tone()
