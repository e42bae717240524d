"""The history's search and filters: words, profile, status class, and a time window or dates.

Typing and date edits settle for a moment before `changed` fires; a pick in a list fires it
at once. `filters()` turns what is set into the store's `Filters`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.profiles import Profile

if TYPE_CHECKING:
    from flowsery_gui.history import Filters

STATUS_CHOICES = (
    ("Any status", None),
    ("2xx success", "2xx"),
    ("4xx rejected", "4xx"),
    ("5xx server error", "5xx"),
    ("No response", "failure"),
)
WHEN_CHOICES = (
    ("Any time", None),
    ("Last hour", 3600),
    ("Last 24 hours", 86400),
    ("Last 7 days", 7 * 86400),
    ("Last 30 days", 30 * 86400),
    ("Between dates…", "range"),
)
SETTLE_MS = 200  # typing settles this long before the list is queried again


class HistoryFilters(QWidget):
    """Search box, profile/status/time filters, and the two dates of "Between dates…"."""

    changed = Signal()  # the filters changed (typing: once it settles)

    def __init__(self, profiles: Sequence[Profile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("history_search")
        self.search_edit.setPlaceholderText("Search goal names, IDs, metadata, status…")
        self.search_edit.setAccessibleName("Search history")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._settle.start())
        self.profile_filter = QComboBox()
        self.profile_filter.setAccessibleName("Filter by profile")
        self.set_profiles(profiles)
        self.status_filter = _combo("Filter by status", STATUS_CHOICES)
        self.when_filter = _combo("Filter by date", WHEN_CHOICES)
        for combo in (self.profile_filter, self.status_filter, self.when_filter):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            # Narrow panes shorten the three filters rather than scroll the whole panel.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(5)
        layout.addWidget(self.search_edit)
        row = QHBoxLayout()
        row.addWidget(self.profile_filter, 1)
        row.addWidget(self.status_filter, 1)
        row.addWidget(self.when_filter, 1)
        layout.addLayout(row)
        layout.addWidget(self._build_range_row())
        self.when_filter.currentIndexChanged.connect(
            lambda _i: self.range_row.setVisible(self.when_filter.currentData() == "range")
        )

    def _build_range_row(self) -> QWidget:
        # "Between dates…": two date fields, both days included, shown only for that choice.
        self.range_row = QWidget()
        range_layout = QHBoxLayout(self.range_row)
        range_layout.setContentsMargins(0, 0, 0, 0)
        today = QDate.currentDate()
        self.from_date = QDateEdit(today.addDays(-7))
        self.to_date = QDateEdit(today)
        for label_text, edit in (("From", self.from_date), ("to", self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(f"{label_text.capitalize()} date")
            edit.dateChanged.connect(lambda _d: self._settle.start())
            label = QLabel(label_text)
            label.setBuddy(edit)
            range_layout.addWidget(label)
            range_layout.addWidget(edit)
        range_layout.addStretch(1)
        self.range_row.hide()
        return self.range_row

    def tab_chain(self) -> list[QWidget]:
        """Its controls in visual order: search, the three filters, the two dates."""
        return [
            self.search_edit,
            self.profile_filter,
            self.status_filter,
            self.when_filter,
            self.from_date,
            self.to_date,
        ]

    def set_profiles(self, profiles: Sequence[Profile]) -> None:
        """List the profiles as they are now (one may have been added since); keep the choice."""
        chosen = self.profile_filter.currentData()
        self.profile_filter.blockSignals(True)
        self.profile_filter.clear()
        self.profile_filter.addItem("All profiles", None)
        for profile in profiles:
            self.profile_filter.addItem(profile.name, profile.name)
        self.profile_filter.setCurrentIndex(max(0, self.profile_filter.findData(chosen)))
        self.profile_filter.blockSignals(False)

    def filters(self) -> Filters:
        """The filters as set."""
        from flowsery_gui.history import Filters

        window = self.when_filter.currentData()
        since: float | None = None
        until: float | None = None
        if window == "range":
            start, end = sorted((self.from_date.date(), self.to_date.date()))
            since = QDateTime(start, QTime(0, 0)).toSecsSinceEpoch()
            until = QDateTime(end.addDays(1), QTime(0, 0)).toSecsSinceEpoch() - 0.000001
        elif window:
            since = time.time() - window
        return Filters(
            text=self.search_edit.text().strip(),
            profile=self.profile_filter.currentData(),
            status_class=self.status_filter.currentData(),
            since=since,
            until=until,
        )


def is_filtered(filters: Filters) -> bool:
    """True when the filters narrow the list at all."""
    return bool(
        filters.text or filters.profile or filters.status_class or filters.since or filters.until
    )


def _combo(name: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, value in choices:
        combo.addItem(text, value)
    return combo
