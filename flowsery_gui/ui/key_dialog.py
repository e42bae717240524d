"""The API key dialog: paste, reveal, verify, store in the keyring, use for this session, forget.

The key goes to the OS keyring or stays in memory; nothing here writes it anywhere else.
Keyring calls run off the GUI thread (a Secret Service call can wait on an unlock prompt).
What the dialog says about the key's state and the answers it gets is `key_words`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import contract
from flowsery_gui.i18n import _, pgettext
from flowsery_gui.ui import icons
from flowsery_gui.ui.flow_layout import FlowLayout
from flowsery_gui.ui.key_words import (
    NO_KEYRING_TIP,
    keyring_error_text,
    state_text,
    task_failed_text,
    verified,
)

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.ui.context import AppContext


def _plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class KeyDialog(QDialog):
    """Manage the active profile's key; asked by a send, it closes once there is a key."""

    timezone_chosen = Signal(str)  # use the key's website's zone in the form

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, for_send: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.target = ctx.target
        self.keystore = ctx.keystore  # made here, on the GUI thread, before any task uses it
        self.profile = self.target.profile
        self.offered_timezone: str | None = None
        # Raised by a send that had no key: a key saved or kept for the session closes the
        # dialog, and the send goes on with it.
        self.for_send = for_send
        self.keyring_available: bool | None = None  # not known until the keyring answers
        # Translators: the key dialog's title; {profile} is the profile's name.
        self.setWindowTitle(_("API Key — {profile}", profile=self.profile.name))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        if for_send:
            self.send_label = _plain_label(
                _(
                    "Sending needs an API key for profile {profile}. Save it in the keyring or "
                    "use it for this session only, and the goal is sent.",
                    profile=self.profile.name,
                ),
                name="key_dialog_for_send",
            )
            layout.addWidget(self.send_label)

        self.state_label = _plain_label(name="key_dialog_state")
        layout.addWidget(self.state_label)

        form = QFormLayout()
        row = QHBoxLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("key_edit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # Translators: the key field's placeholder; flow_sk_live_… is how a key starts.
        self.key_edit.setPlaceholderText(_("flow_sk_live_…  (paste your key)"))
        self.key_edit.setAccessibleName(_("API key"))
        self.key_edit.textChanged.connect(self._key_typed)
        # Translators: a button that shows the key typed (masked until then).
        self.reveal_button = QPushButton(pgettext("key", "Show"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName(_("Show the key"))
        self.reveal_button.toggled.connect(self._reveal)
        # Translators: a button that copies the sandbox's key to the clipboard.
        self.copy_button = QPushButton(pgettext("key", "Copy"))
        icons.set_icon(self.copy_button, "copy")
        self.copy_button.setAccessibleName(_("Copy the sandbox key"))
        self.copy_button.setToolTip(_("Copy the sandbox key, e.g. for export FLOWSERY_API_KEY=…"))
        self.copy_button.clicked.connect(self._copy_sandbox_key)
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.reveal_button)
        row.addWidget(self.copy_button)
        # Translators: the label of the API key field.
        key_label = QLabel(pgettext("API key", "&Key"))
        key_label.setBuddy(self.key_edit)
        form.addRow(key_label, row)
        layout.addLayout(form)
        self.hint_label = _plain_label(name="key_dialog_hint")
        layout.addWidget(self.hint_label)

        buttons = FlowLayout()  # wraps when a translation makes them wider than the dialog
        # Translators: a button: ask the API whether the key works.
        self.verify_button = QPushButton(_("&Verify"))
        icons.set_icon(self.verify_button, "refresh")
        self.verify_button.setToolTip(_("Ask the API which website this key belongs to"))
        self.save_button = QPushButton(_("&Save in keyring"))
        icons.set_icon(self.save_button, "key")
        self.session_button = QPushButton(_("Use for this session &only"))
        self.session_button.setToolTip(_("Kept in memory until you quit; never written anywhere"))
        # Translators: a button: remove the key from the keyring and from memory.
        self.forget_button = QPushButton(_("&Forget"))
        icons.set_icon(self.forget_button, "delete")
        self.forget_button.setToolTip(_("Remove this profile's key from the keyring and memory"))
        for button in (
            self.verify_button,
            self.save_button,
            self.session_button,
            self.forget_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.verify_button.clicked.connect(self.verify)
        self.save_button.clicked.connect(self.save)
        self.session_button.clicked.connect(self.use_for_session)
        self.forget_button.clicked.connect(self.forget)

        self.result_label = _plain_label(name="key_dialog_result")
        layout.addWidget(self.result_label)
        self.timezone_button = QPushButton()
        self.timezone_button.setObjectName("use_site_timezone")
        self.timezone_button.hide()
        self.timezone_button.clicked.connect(self._use_timezone)
        layout.addWidget(self.timezone_button)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._busy = False
        if self.profile.kind == "sandbox":
            sandbox = self.target.ensure_sandbox()
            self.key_edit.setText(sandbox.api_key)
        self._render_state()
        if self.profile.kind != "sandbox":
            keystore = self.keystore
            self.ctx.tasks.run(keystore.available, self._keyring_known, lambda _t: None)

    def _keyring_known(self, available: bool) -> None:
        self.keyring_available = available
        self._key_typed(self.key_edit.text())

    # Rendering ----------------------------------------------------------------------------
    def _render_state(self) -> None:
        info = self.target.key_info()
        self.state_label.setText(state_text(self.profile, info))
        sandbox = self.profile.kind == "sandbox"
        idle = not self._busy
        # The sandbox's key is a throwaway made for this run: shown (masked) so that a copied
        # cURL snippet can be run with it, never stored.
        self.key_edit.setReadOnly(sandbox)
        self.key_edit.setEnabled(idle)
        self.reveal_button.setEnabled(idle)
        self.copy_button.setVisible(sandbox)
        has_key = info.source in ("session", "error") or self.target.has_stored_key()
        self.forget_button.setEnabled(not sandbox and idle and has_key)
        self.verify_button.setEnabled(idle)
        self._key_typed(self.key_edit.text())
        self.adjustSize()

    def _key_typed(self, text: str) -> None:
        findings = contract.check_api_key(text) if text else ()
        can_act = bool(text.strip()) and self.profile.kind != "sandbox" and not self._busy
        no_keyring = self.keyring_available is False
        self.save_button.setEnabled(can_act and not no_keyring)
        self.save_button.setToolTip(_(NO_KEYRING_TIP) if no_keyring else "")
        self.session_button.setEnabled(can_act)
        # Enter does what can be done: store the key when a keyring is known to be there,
        # else keep it for the session.
        self.save_button.setDefault(self.keyring_available is True)
        self.session_button.setDefault(self.keyring_available is not True)
        hint = findings[0].message if findings else ""
        if no_keyring and self.profile.kind != "sandbox":
            no_keyring_tip = _(NO_KEYRING_TIP)
            hint = f"{hint}\n{no_keyring_tip}".strip()
        self.hint_label.setText(hint)

    def _copy_sandbox_key(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.key_edit.text())
        self.result_label.setText(
            _("Copied. In a shell: export FLOWSERY_API_KEY=<paste>, then run a copied cURL.")
        )

    def _reveal(self, shown: bool) -> None:
        self.key_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.reveal_button.setText(pgettext("key", "Hide") if shown else pgettext("key", "Show"))
        self.reveal_button.setAccessibleName(_("Hide the key") if shown else _("Show the key"))

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        if message:
            self.result_label.setText(message)
        self._render_state()
        self._key_typed(self.key_edit.text())

    def _set_result(self, text: str) -> None:
        self.result_label.setText(text)
        self.adjustSize()  # long advice must not be cut off

    def _show_error(self, error: Any) -> None:
        self._set_result(keyring_error_text(error))

    # Actions ------------------------------------------------------------------------------
    def _typed_key(self) -> str:
        return self.key_edit.text().strip()

    def save(self) -> None:
        """Store (or replace) the typed key in the OS keyring."""
        key = self._typed_key()
        if not key:
            return
        name = self.profile.name
        self._set_busy(True, _("Saving in the keyring…"))

        def work() -> Any:
            from flowsery_gui.keystore import KeyStoreError

            try:
                self.keystore.set(name, key)
            except KeyStoreError as exc:
                return exc
            return None

        def done(error: Any) -> None:
            self._set_busy(False)
            if error is not None:
                self._show_error(error)
                return
            self.target.remember_key(name, key)
            self.key_edit.clear()
            # Translators: {keyring} names the keyring ("Secret Service", "Windows Credential
            # Manager"); {profile} is the profile's name.
            self.result_label.setText(
                _(
                    "Saved in {keyring} for profile {profile}.",
                    keyring=self.keystore.backend_name(),
                    profile=name,
                )
            )
            self._render_state()
            if self.for_send:
                self.accept()  # the send that asked goes on with this key

        self.ctx.tasks.run(work, done, self._task_failed)

    def use_for_session(self) -> None:
        """Keep the typed key in memory only, until the app quits."""
        key = self._typed_key()
        if not key:
            return
        self.target.use_for_this_run(self.profile.name, key)
        self.key_edit.clear()
        self.result_label.setText(_("This key will be used until you quit. It is not stored."))
        self._render_state()
        if self.for_send:
            self.accept()  # the send that asked goes on with this key

    def forget(self) -> None:
        """Remove the key from the keyring and from memory."""
        name = self.profile.name
        self._set_busy(True, _("Removing from the keyring…"))

        def work() -> Any:
            from flowsery_gui.keystore import KeyStoreError

            self.keystore.clear_session(name)
            try:
                self.keystore.delete(name)
            except KeyStoreError as exc:
                return exc
            return None

        def done(error: Any) -> None:
            self._set_busy(False)
            self.target.remember_key(name, None)
            if error is not None:
                self._show_error(error)
            else:
                self.result_label.setText(_("The key for {profile} was forgotten.", profile=name))
            self._render_state()

        self.ctx.tasks.run(work, done, self._task_failed)

    def verify(self) -> None:
        """GET /api/v1/metadata with the typed key (or the current one): which website is it?"""
        key = self._typed_key() or self.target.key()
        if self.profile.kind == "sandbox":
            self.target.ensure_sandbox()
        base = self.target.base_url()
        if not key:
            self.result_label.setText(_("Paste a key first."))
            return
        from flowsery_gui.netsafety import check_url_safety

        refusal = check_url_safety(base + contract.METADATA_PATH, has_key=True)
        if refusal:
            self.result_label.setText(refusal)
            return
        self._set_busy(True, _("Asking the API which website this key belongs to…"))

        def work() -> Exchange:
            from flowsery_gui.client import GoalsClient  # imports requests: off the GUI thread

            with GoalsClient(base, key, read_timeout=15.0) as client:
                return client.get_metadata()

        self.ctx.tasks.run(work, self._verified, self._task_failed)

    def _task_failed(self, kind: str) -> None:
        self._set_busy(False)
        self.result_label.setText(task_failed_text(kind))

    def _verified(self, exchange: Exchange) -> None:
        self._set_busy(False)
        answer = verified(exchange)
        self.result_label.setText(answer.text)
        if not answer.works:
            self.timezone_button.hide()
            return
        if answer.timezone:
            self.offered_timezone = answer.timezone
            self.timezone_button.setText(
                _("Use {timezone} as the form's timezone", timezone=answer.timezone)
            )
            self.timezone_button.show()

    def _use_timezone(self) -> None:
        if self.offered_timezone:
            self.timezone_chosen.emit(self.offered_timezone)
            self.timezone_button.hide()
            self.result_label.setText(
                _("Timezone set to {timezone}.", timezone=self.offered_timezone)
            )
