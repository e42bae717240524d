"""Which sends a cleanup deletes: those selected in History, or everything sent to a profile
since a time (one of a few spans, or a time the person picks), optionally one goal name."""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtCore import QDateTime, QLocale, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ui.language import apply_widget_locale

#: The spans "since…" offers (msgids: shown as `_(words)`, after "Everything sent to this
#: profile since"), in seconds back from now; None: a time the person picks.
SINCE_CHOICES: tuple[tuple[str, int | None], ...] = (
    (N_("the last 30 minutes"), 30 * 60),
    (N_("the last hour"), 3600),
    (N_("the last 2 hours"), 2 * 3600),
    (N_("the last 24 hours"), 86400),
    (N_("the last 7 days"), 7 * 86400),
    (N_("a time you pick…"), None),
)
DEFAULT_SINCE = 1  # the last hour


class Scope(NamedTuple):
    """The chosen sends: a profile, and record ids or a start time (epoch seconds)."""

    profile: str
    ids: tuple[int, ...] | None
    since: float | None
    name: str | None


class ScopeBox(QGroupBox):
    """The "which sends" choices at the top of the cleanup dialog."""

    changed = Signal()  # the person chose other sends

    def __init__(
        self,
        profiles: Sequence[str],
        profile: str,
        ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        # Translators: the title of the cleanup dialog's box choosing the sends to delete.
        super().__init__(_("Which sends"), parent)
        self.ids = tuple(ids)
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("cleanup_profile")
        self.profile_combo.setAccessibleName(_("Profile to delete from"))
        self.profile_combo.addItems(list(profiles))
        self.profile_combo.setCurrentText(profile)
        profile_label = QLabel(_("&Profile"))
        profile_label.setBuddy(self.profile_combo)
        grid.addWidget(profile_label, 0, 0)
        grid.addWidget(self.profile_combo, 0, 1)

        self.selected_radio = QRadioButton(
            ngettext(
                "The {count} send selected in History",
                "The {count} sends selected in History",
                len(self.ids),
                count=format_number(len(self.ids)),
            )
            if self.ids
            else _("Sends selected in History (none are selected)")
        )
        self.selected_radio.setEnabled(bool(self.ids))
        self.since_radio = QRadioButton(
            # Translators: followed by a drop-down: "the last hour", "a time you pick…".
            _("Everything sent to this profile &since")
        )
        group = QButtonGroup(self)
        group.addButton(self.selected_radio)
        group.addButton(self.since_radio)
        (self.selected_radio if self.ids else self.since_radio).setChecked(True)
        grid.addWidget(self.selected_radio, 1, 0, 1, 4)

        self.since_combo = QComboBox()
        self.since_combo.setObjectName("cleanup_since")
        self.since_combo.setAccessibleName(_("Since when"))
        for words, _seconds in SINCE_CHOICES:
            self.since_combo.addItem(_(words))
        self.since_combo.setCurrentIndex(DEFAULT_SINCE)
        apply_widget_locale()  # the date and time in the language's format
        self.since_edit = QDateTimeEdit(QDateTime.currentDateTime().addSecs(-3600))
        self.since_edit.setObjectName("cleanup_since_time")
        self.since_edit.setAccessibleName(_("Since this time"))
        # The language's own short date and time (QLocale's default follows the window's).
        self.since_edit.setDisplayFormat(QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setMaximumDateTime(QDateTime.currentDateTime().addDays(1))
        self.since_edit.hide()
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_radio)
        since_row.addWidget(self.since_combo)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)
        grid.addLayout(since_row, 2, 0, 1, 4)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("cleanup_name")
        self.name_edit.setAccessibleName(_("Only goals of this name"))
        # Translators: the placeholder of the goal name filter, left empty for every goal.
        self.name_edit.setPlaceholderText(_("any goal name"))
        self.name_edit.setClearButtonEnabled(True)
        name_label = QLabel(_("Only goals &named"))
        name_label.setBuddy(self.name_edit)
        grid.addWidget(name_label, 0, 2)
        grid.addWidget(self.name_edit, 0, 3)

        self.profile_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        group.buttonToggled.connect(self._mode_toggled)
        self.since_combo.currentIndexChanged.connect(lambda _i: self._since_chosen())
        self.since_edit.editingFinished.connect(self._since_edited)
        self.name_edit.editingFinished.connect(self._name_edited)
        self._name = ""
        self._since_chosen(emit=False)
        chain = (
            self.profile_combo,
            self.name_edit,
            self.selected_radio,
            self.since_radio,
            self.since_combo,
            self.since_edit,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def last_in_tab_order(self) -> QWidget:
        """The box's last Tab stop (what comes after it follows this)."""
        return self.since_edit

    def profile(self) -> str:
        """The profile the calls go to."""
        return self.profile_combo.currentText()

    def scope(self, now: float | None = None) -> Scope:
        """The sends chosen now (a span counts back from `now`, the current time)."""
        name = self.name_edit.text().strip() or None
        if self.selected_radio.isChecked():
            return Scope(self.profile(), self.ids, None, name)
        seconds = SINCE_CHOICES[self.since_combo.currentIndex()][1]
        since: float
        if seconds is None:
            since = self.since_edit.dateTime().toSecsSinceEpoch()
        else:
            since = (time.time() if now is None else now) - seconds
        return Scope(self.profile(), None, float(since), name)

    def set_locked(self, locked: bool) -> None:
        """No other choice while a cleanup is running."""
        self.setEnabled(not locked)

    def _mode_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self._since_chosen()

    def _since_chosen(self, emit: bool = True) -> None:
        since_mode = self.since_radio.isChecked()
        self.since_combo.setEnabled(since_mode)
        picking = SINCE_CHOICES[self.since_combo.currentIndex()][1] is None
        self.since_edit.setVisible(picking)
        self.since_edit.setEnabled(since_mode)
        if emit:
            self.changed.emit()

    def _since_edited(self) -> None:
        if self.since_radio.isChecked():
            self.changed.emit()

    def _name_edited(self) -> None:
        if self.name_edit.text().strip() != self._name:
            self._name = self.name_edit.text().strip()
            self.changed.emit()
