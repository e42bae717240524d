"""The history's search and filters: words, profile, status class, and a time window or dates.

Typing and date edits settle for a moment before `changed` fires; a pick in a list fires it
at once. `filters()` turns what is set into the store's `Filters`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _, format_number, ngettext, pgettext
from flowsery_gui.profiles import Profile
from flowsery_gui.ui.language import apply_widget_locale

if TYPE_CHECKING:
    from flowsery_gui.history import Filters

#: The status filter's choices (translated where shown) and what each keeps.
STATUS_CHOICES = (
    (N_("Any status"), None),
    (N_("2xx success"), "2xx"),
    (N_("4xx rejected"), "4xx"),
    (N_("5xx server error"), "5xx"),
    (N_("No response"), "failure"),
)
#: The time filter's choices (translated where shown) and how far back each reaches.
WHEN_CHOICES = (
    (N_("Any time"), None),
    (N_("Last hour"), 3600),
    (N_("Last 24 hours"), 86400),
    (N_("Last 7 days"), 7 * 86400),
    (N_("Last 30 days"), 30 * 86400),
    (N_("Between dates…"), "range"),
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
        self.search_edit.setPlaceholderText(_("Search goal names, IDs, metadata, status…"))
        self.search_edit.setAccessibleName(_("Search history"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._settle.start())
        self.profile_filter = QComboBox()
        self.profile_filter.setAccessibleName(_("Filter by profile"))
        self.set_profiles(profiles)
        self.status_filter = _combo(_("Filter by status"), STATUS_CHOICES)
        self.when_filter = _combo(_("Filter by date"), WHEN_CHOICES)
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
        apply_widget_locale()  # the dates in the language's format
        self.from_date = QDateEdit(today.addDays(-7))
        self.to_date = QDateEdit(today)
        # Translators: "From [date] to [date]", the two ends of the history's time filter.
        from_words = (pgettext("date range", "From"), _("From date"))
        # Translators: "From [date] to [date]": the word before the second date.
        to_words = (_("to"), _("To date"))
        # The language's short date with a four-digit year (a typed `26` in a `yy` field
        # would mean 1926).
        short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
        date_format = short if "yyyy" in short else short.replace("yy", "yyyy")
        for (label_text, name), edit in ((from_words, self.from_date), (to_words, self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format)
            edit.setAccessibleName(name)
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
        self.profile_filter.addItem(_("All profiles"), None)
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


def count_words(total: int, capped: bool, filtered: bool, windowed: bool) -> str:
    """The line over the history list: how many requests (or matches) it holds (`capped`:
    counting stopped there); a search of fewer than 3 characters says it looked only among
    the newest."""
    from flowsery_gui.history import SHORT_SEARCH_WINDOW

    count = format_number(total)
    if capped:
        # Translators: a count that stopped at its cap: "100,000+" (more than that).
        count = _("{count}+", count=count)
    if windowed:
        return ngettext(
            "{count} match among the newest {window} (type 3 or more characters to search "
            "everything)",
            "{count} matches among the newest {window} (type 3 or more characters to search "
            "everything)",
            total,
            count=count,
            window=format_number(SHORT_SEARCH_WINDOW),
        )
    if filtered:
        return ngettext("{count} match", "{count} matches", total, count=count)
    return ngettext("{count} request", "{count} requests", total, count=count)


def _combo(name: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, value in choices:
        combo.addItem(_(text), value)
    return combo
