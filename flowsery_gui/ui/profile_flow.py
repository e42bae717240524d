"""Choosing where goals go: the active profile, its key (the key dialog), the profile list.

The dialogs are built here, parented to the widget given; what they change reaches the
views through the target service's signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from flowsery_gui.i18n import _
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.interaction import Ask

if TYPE_CHECKING:
    from flowsery_gui.ui.key_dialog import KeyDialog


class ProfileFlow(QObject):
    """Switch profile, manage the active profile's key, add or remove profiles."""

    def __init__(self, ctx: AppContext, dialog_parent: QWidget, ask: Ask) -> None:
        super().__init__(dialog_parent)
        self.ctx = ctx
        self._dialog_parent = dialog_parent
        self.ask = ask

    def choose(self, name: str) -> None:
        """Make a profile active and start with it next time."""
        self.ctx.target.set_profile(name)
        self.ctx.settings.setValue("profile", name)

    def key_dialog(self, *, for_send: bool = False) -> KeyDialog:
        """The key dialog for the active profile, its offered timezone wired to the form."""
        # Deferred: the dialog module is needed when the person first opens it, not to start.
        from flowsery_gui.ui.key_dialog import KeyDialog

        dialog = KeyDialog(self.ctx, self._dialog_parent, for_send=for_send)
        dialog.timezone_chosen.connect(lambda zone: self.ctx.form.set_value("timezone", zone))
        return dialog

    def manage_key(self) -> None:
        """Open the key dialog for the active profile (modal)."""
        self.key_dialog().exec()

    def ask_key_for_send(self) -> None:
        """A send found no key: ask for one; a key saved or kept for the session closes the
        dialog and the send goes on (see `SendFlow.send`)."""
        self.key_dialog(for_send=True).exec()

    def manage_profiles(self) -> None:
        """Open the profiles dialog (modal)."""
        # Deferred: the dialog module is needed when the person first opens it, not to start.
        from flowsery_gui.ui.profiles_dialog import ProfilesDialog

        ProfilesDialog(self.ctx, self._dialog_parent).exec()

    def sandbox_failed(self, reason: str) -> None:
        """The built-in sandbox did not start: say why, and what to do instead."""
        self.ask.warn(
            _("The sandbox could not start"),
            _(
                "The built-in sandbox did not start: {reason}\n\nPick another profile, or run "
                "flowsery-sandbox in a terminal and add its URL as a custom profile.",
                reason=reason,
            ),
        )
