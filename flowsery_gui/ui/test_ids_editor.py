"""A profile's test visitor and session IDs in Profile > Profiles…: typed, made new, cleared,
saved. Goals sent with empty IDs get them, so a cleanup can later delete exactly those."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _, pgettext, sentences
from flowsery_gui.profiles import ProfileStoreError
from flowsery_gui.ui import icons
from flowsery_gui.ui.test_identity import TestIdentityService

EXPLAINS = N_(
    "Goals sent to this profile with an empty visitor or session ID get these instead. A "
    "cleanup (History > Delete from analytics…) can then delete them by this visitor ID "
    "alone, touching no real visitor's goals."
)


class TestIdsEditor(QGroupBox):
    """Edit, make new, clear and save the test IDs of one profile."""

    __test__ = False  # a widget, not a pytest test class (its name starts with "Test")

    saved = Signal(str)  # the profile whose test IDs were saved

    def __init__(self, service: TestIdentityService, parent: QWidget | None = None) -> None:
        super().__init__(_("Test IDs"), parent)
        self.service = service
        self.profile_name = ""
        layout = QVBoxLayout(self)
        explains = QLabel(_(EXPLAINS))
        explains.setTextFormat(Qt.TextFormat.PlainText)
        explains.setWordWrap(True)
        layout.addWidget(explains)
        form = QFormLayout()
        # Translators: the placeholders of the empty test ID fields.
        none_visitor, none_session = _("none: IDs stay empty"), pgettext("test session ID", "none")
        self.visitor_edit = self._edit("test_visitor_id", _("Test visitor ID"), none_visitor)
        self.session_edit = self._edit("test_session_id", _("Test session ID"), none_session)
        form.addRow(_("Test &visitor ID"), self.visitor_edit)
        form.addRow(_("Test s&ession ID"), self.session_edit)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("test_ids_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        self.new_button = self._button(_("New test &IDs"), "new-ids", self.new_ids)
        # Translators: a button: empty both test ID fields.
        self.clear_button = self._button(_("C&lear"), "remove-row", self.clear)
        self.save_button = self._button(_("&Save test IDs"), "success", self.save)
        for button in (self.new_button, self.clear_button, self.save_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.show_profile("")

    def _edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.textEdited.connect(lambda _text: self._edited())
        return edit

    def _button(self, text: str, icon: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        icons.set_icon(button, icon)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def show_profile(self, name: str) -> None:
        """Show (and edit) this profile's test IDs; "" for none chosen."""
        self.profile_name = name
        profile = self.service.profiles.get(name) if name else None
        self.setTitle(
            _("Test IDs of {profile}", profile=profile.name) if profile else _("Test IDs")
        )
        self.visitor_edit.setText(profile.test_visitor_id if profile else "")
        self.session_edit.setText(profile.test_session_id if profile else "")
        self.setEnabled(profile is not None)
        self.message.setText("" if profile else _("Pick a profile above to give it test IDs."))
        self._edited(message=False)

    def _stored(self) -> tuple[str, str]:
        profile = self.service.profiles.get(self.profile_name) if self.profile_name else None
        return (profile.test_visitor_id, profile.test_session_id) if profile else ("", "")

    def _typed(self) -> tuple[str, str]:
        return self.visitor_edit.text().strip(), self.session_edit.text().strip()

    def _edited(self, message: bool = True) -> None:
        changed = self._typed() != self._stored()
        self.save_button.setEnabled(changed)
        self.clear_button.setEnabled(any(self._typed()))
        if message and changed:
            self.message.setText(_("Changed: Save test IDs to keep them."))

    def new_ids(self) -> None:
        """Fill both fields with fresh random IDs (saved with Save test IDs)."""
        from flowsery_gui.cleanup.identity import new_identity

        identity = new_identity()
        self.visitor_edit.setText(identity.visitor_id)
        self.session_edit.setText(identity.session_id)
        self._edited()

    def clear(self) -> None:
        """Empty both fields (saved with Save test IDs: goals then keep empty IDs)."""
        self.visitor_edit.clear()
        self.session_edit.clear()
        self._edited()

    def save(self) -> None:
        """Store the typed test IDs on the profile; the store says what is wrong in words."""
        previous = self._stored()[0]
        visitor, session = self._typed()
        try:
            self.service.save(self.profile_name, visitor, session)
        except (ValueError, ProfileStoreError) as exc:
            self.message.setText(str(exc))
            return
        if not visitor:
            words = _("Test IDs cleared: goals keep empty IDs.")
        else:
            words = _("Saved: goals sent with empty IDs get these.")
        if previous and previous != visitor:
            earlier = _(
                "Goals sent earlier with {id} no longer count as test goals: deleting them needs "
                "a ticked warning.",
                id=previous,
            )
            words = sentences(words, earlier)
        self.message.setText(words)
        self._edited(message=False)
        self.saved.emit(self.profile_name)
