"""Under the form: why Send can or cannot go right now, and the Send button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from flowsery_gui.i18n import _, pgettext
from flowsery_gui.ui import icons
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.send_flow import SendState


class SendBar(QWidget):
    """The reason line and the Send button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 8)
        self.reason = QLabel()
        self.reason.setObjectName("send_reason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Translators: the button that sends the goal to the API.
        self.button = QPushButton(pgettext("button", "Send"))
        icons.set_icon(self.button, "send")
        self.button.setObjectName("send_button")
        self.button.setAccessibleName(_("Send goal"))
        self.button.setDefault(False)
        self.button.setMinimumWidth(110)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.button)

    def show_state(self, state: SendState) -> None:
        """Enable Send when it can go; say why (not)."""
        self.button.setEnabled(state.can_send)
        self.reason.setText(state.reason)
        if state.can_send:
            # Translators: the Send button's tooltip; {shortcut} is its keyboard shortcut.
            self.button.setToolTip(_("Send ({shortcut})", shortcut="Ctrl+Enter"))
        else:
            self.button.setToolTip(tooltip(state.reason))
