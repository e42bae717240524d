"""Add and remove custom profiles (staging, self-hosted base URLs); the built-ins stay.
Every profile's test IDs are edited here too (`test_ids_editor`)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import _, pgettext
from flowsery_gui.profiles import Profile, ProfileStoreError
from flowsery_gui.ui import icons
from flowsery_gui.ui.test_ids_editor import TestIdsEditor

if TYPE_CHECKING:
    from flowsery_gui.ui.context import AppContext


def _profile_line(profile: Profile) -> str:
    """A profile in the list: its name, where it sends, its test visitor ID when it has one."""
    name, url, vid = profile.name, profile.base_url, profile.test_visitor_id
    if url and vid:
        # Translators: a profile in the Profiles list: its name, its base URL, its test ID.
        return _("{profile} — {url} · test visitor ID {id}", profile=name, url=url, id=vid)
    if url:
        return _("{profile} — {url}", profile=name, url=url)
    if vid:
        return _(
            "{profile} — built into this app, on this computer · test visitor ID {id}",
            profile=name,
            id=vid,
        )
    return _("{profile} — built into this app, on this computer", profile=name)


class ProfilesDialog(QDialog):
    """The list of profiles, with a small form to add a custom base URL."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Profiles"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("profiles_list")
        self.list.setAccessibleName(_("Profiles"))
        layout.addWidget(self.list)
        self.remove_button = QPushButton(_("&Remove selected"))
        icons.set_icon(self.remove_button, "delete")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        self.test_ids = TestIdsEditor(ctx.test_ids)
        self.test_ids.saved.connect(lambda _name: self.refresh())
        layout.addWidget(self.test_ids)

        form = QFormLayout()
        self.name_edit = QLineEdit()
        # Translators: an example of a new profile's name (the name people give it is kept).
        self.name_edit.setPlaceholderText(_("Staging"))
        self.name_edit.setAccessibleName(_("New profile name"))
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://staging.example.com")
        self.url_edit.setAccessibleName(_("New profile base URL"))
        # Translators: the new profile's name.
        form.addRow(pgettext("profile", "&Name"), self.name_edit)
        form.addRow(_("&Base URL"), self.url_edit)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("profiles_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.add_button = QPushButton(_("&Add profile"))
        icons.set_icon(self.add_button, "add-row")
        self.add_button.clicked.connect(self.add)
        row.addWidget(self.message, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.currentRowChanged.connect(lambda _row: self._show_test_ids())
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the profile store."""
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else self.ctx.target.profile.name
        self.list.blockSignals(True)  # one selection change at the end, not one per row
        self.list.clear()
        for profile in self.ctx.profiles.list():
            item = QListWidgetItem(_profile_line(profile))
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            item.setData(Qt.ItemDataRole.UserRole + 1, profile.kind)
            self.list.addItem(item)
            if profile.name == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_test_ids()
        self._update_buttons()

    def _show_test_ids(self) -> None:
        item = self.list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
        if name != self.test_ids.profile_name:
            self.test_ids.show_profile(name)

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        custom = item is not None and item.data(Qt.ItemDataRole.UserRole + 1) == "custom"
        self.remove_button.setEnabled(custom)

    def add(self) -> None:
        """Add the typed profile; the store explains what is wrong in plain words."""
        try:
            self.ctx.profiles.add(self.name_edit.text().strip(), self.url_edit.text().strip())
        except (ValueError, OSError, ProfileStoreError) as exc:
            self.message.setText(str(exc))
            return
        self.ctx.target.profiles_edited()
        self.message.setText(_("Added {profile}.", profile=self.name_edit.text().strip()))
        self.name_edit.clear()
        self.url_edit.clear()
        self.refresh()

    def remove_selected(self) -> None:
        """Remove the selected custom profile (its stored key is left for the key dialog)."""
        item = self.list.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        try:
            self.ctx.profiles.remove(name)
        except (ValueError, OSError, ProfileStoreError) as exc:
            self.message.setText(str(exc))
            return
        self._forget_key(name)
        self.ctx.target.profiles_edited()  # a removed active profile leaves for the sandbox
        self.message.setText(_("Removed {profile}.", profile=name))
        self.refresh()

    def _forget_key(self, name: str) -> None:
        """A removed profile leaves no key behind in the keyring."""

        keystore = self.ctx.keystore  # made here, on the GUI thread

        def work() -> None:
            from flowsery_gui.keystore import KeyStoreError

            # No keyring, or locked: nothing we can reach was stored for it.
            with contextlib.suppress(KeyStoreError):
                keystore.delete(name)

        self.ctx.tasks.run(work)
