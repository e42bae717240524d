"""The live request preview: the exact request Send will make, and "Copy as…" code snippets.

The preview shows a display copy of the request (key masked); the snippets are generated
from a separate copy that carries the `$FLOWSERY_API_KEY` placeholder, never a real key.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.codegen import SNIPPETS
from flowsery_gui.exchange import mask_authorization
from flowsery_gui.i18n import N_, _
from flowsery_gui.request_model import (
    AUTHORIZATION,
    KEY_PLACEHOLDER,
    NO_KEY_SHOWN,
    PlannedRequest,
)
from flowsery_gui.ui import theme
from flowsery_gui.ui.flow_layout import FlowLayout
from flowsery_gui.ui.json_view import JsonView

# Msgids (`_()` where shown).
CAPTION = N_("The exact request Send will make (the key is masked):")
NOTHING_YET = N_("The request appears here as you fill in the form.")
# Translators: stands in the preview where the request's body will be.
NO_BODY_YET = N_("(The body appears here once the form has no errors.)")
_SNIPPET_PROPERTY = "snippet_id"
_SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def _masked_auth(value: str) -> str:
    """An Authorization value safe to show: masked unless it already is (or is a placeholder)."""
    secret = value.partition(" ")[2].strip() or value.strip()
    if secret == NO_KEY_SHOWN:
        # The core's placeholder is English (it is recorded with the request); people read
        # it in their language. The comparison above is on the untranslated value.
        # Translators: stands for the API key in the preview's Authorization header line
        # ("Authorization: Bearer (no key set)") when no key is saved.
        return value.replace(NO_KEY_SHOWN, _("(no key set)"))
    if secret.startswith("…") or secret == KEY_PLACEHOLDER:
        return value
    return mask_authorization(value)


def preview_head_lines(planned: PlannedRequest) -> list[str]:
    """Method and URL, then one `Name: value` line per header, with any key masked."""
    lines = [f"{planned.method} {planned.url}"]
    for name, value in planned.headers:
        shown = _masked_auth(value) if name.lower() == AUTHORIZATION.lower() else value
        lines.append(" ".join(f"{name}: {shown}".splitlines()))
    return lines


class RequestPanel(QWidget):
    """Shows the planned request live and copies it as cURL, Node fetch or Python requests."""

    copied = Signal(str)  # a short message for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Request preview"))
        self._state: tuple[object, ...] | None = None
        self._snippet_source: PlannedRequest | None = None

        self.blocked_label = QLabel()
        self.blocked_label.setTextFormat(Qt.TextFormat.PlainText)
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setTextInteractionFlags(_SELECTABLE)
        self.blocked_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.blocked_label.setMinimumWidth(50)
        self.blocked_label.setAccessibleName(_("Why this request cannot be sent yet"))
        self.blocked_label.hide()

        caption = QLabel(_(CAPTION))
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setWordWrap(True)
        caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview = JsonView(accessible_name=_("Request preview"))
        self.preview.setPlaceholderText(_(NOTHING_YET))
        caption.setBuddy(self.preview)

        # Translators: before the buttons cURL, Node fetch, Python requests (names, untranslated).
        copy_label = QLabel(_("Copy as:"))
        copy_label.setTextFormat(Qt.TextFormat.PlainText)
        self.copy_buttons: dict[str, QPushButton] = {}
        # A row that wraps: a longer "Copy as:" in another language must not widen the pane.
        buttons = FlowLayout()
        buttons.addWidget(copy_label)
        for snippet_id, (label, _generate) in SNIPPETS.items():
            button = QPushButton(label)  # text only: three of them must fit a narrow pane
            # Translators: {snippet} is a tool's name: cURL, Node fetch, Python requests.
            button.setAccessibleName(_("Copy as {snippet}", snippet=label))
            button.setToolTip(
                # Translators: {variable} is an environment variable's name ($FLOWSERY_API_KEY).
                _(
                    "Copy this request as {snippet}, with {variable} for the key",
                    snippet=label,
                    variable=KEY_PLACEHOLDER,
                )
            )
            button.setProperty(_SNIPPET_PROPERTY, snippet_id)
            # A bound method, not a lambda: with PySide6 6.12 lambdas capturing self here
            # crashed the interpreter at exit ("shared QObject was deleted directly").
            button.clicked.connect(self._copy_clicked)
            buttons.addWidget(button)
            self.copy_buttons[snippet_id] = button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.blocked_label)
        layout.addWidget(caption)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self._apply_tone()
        self.set_planned(None)

    # --- public API --------------------------------------------------------------------------

    def set_planned(
        self,
        display: PlannedRequest | None,
        snippet_source: PlannedRequest | None = None,
        *,
        blocked_reason: str | None = None,
    ) -> None:
        """Show the request as planned; cheap to call on every edit (no work when unchanged).

        `display` has the key masked (`masked_for_display`); `snippet_source` carries the
        `$FLOWSERY_API_KEY` placeholder and feeds the "Copy as…" buttons (None disables them).
        `blocked_reason` says why Send cannot go yet; what is known is still shown.
        """
        state = (display, snippet_source, blocked_reason)
        if state == self._state:
            return
        self._state = state
        self._snippet_source = snippet_source
        for button in self.copy_buttons.values():
            button.setEnabled(snippet_source is not None)

        self.blocked_label.setText(blocked_reason or "")
        self.blocked_label.setVisible(bool(blocked_reason))
        if display is None:
            self.preview.show_plain("")
            return
        body = display.body_text
        if body is None and blocked_reason:
            body = _(NO_BODY_YET)
        self.preview.show_http(preview_head_lines(display), body)

    def copy_snippet(self, snippet_id: str) -> bool:
        """Put the snippet on the clipboard and announce it; False when there is nothing to copy."""
        source = self._snippet_source
        if source is None or snippet_id not in SNIPPETS:
            return False
        label, generate = SNIPPETS[snippet_id]
        auth = source.header(AUTHORIZATION)
        if auth is not None and KEY_PLACEHOLDER not in auth:
            # Snippets are shared and pasted into tickets: they must never carry a real key.
            self.copied.emit(
                _(
                    "Not copied: snippets use {variable}, never a real key.",
                    variable=KEY_PLACEHOLDER,
                )
            )
            return False
        QGuiApplication.clipboard().setText(generate(source))
        if auth is not None:
            message = _(
                "Copied as {snippet}. The key is {variable}: set it in your shell.",
                snippet=label,
                variable=KEY_PLACEHOLDER,
            )
        else:
            message = _(
                "Copied as {snippet}. It has no key: set one before running it.", snippet=label
            )
        self.copied.emit(message)
        return True

    def _copy_clicked(self) -> None:
        button = self.sender()
        if button is not None:
            self.copy_snippet(str(button.property(_SNIPPET_PROPERTY)))

    # --- palette -----------------------------------------------------------------------------

    def _apply_tone(self) -> None:
        self.blocked_label.setStyleSheet(theme.banner_style_sheet("client_error", self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour the blocked banner when the light/dark palette changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_tone()
