"""The plan's coverage: for each planned goal, when it was last sent and with what result.

`last_sends` asks the history (on a worker: it reads the SQLite file); `CoverageModel` shows
the plan's goals with what was found, so "never sent", "last sent OK" and "last sent failed"
are visible at a glance.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject

from flowsery_gui.i18n import N_, _, format_datetime, format_number, format_time, ngettext
from flowsery_gui.ui.row_table import RowsModel

if TYPE_CHECKING:
    from flowsery_gui.history import History, HistoryRow

#: The columns' headers (msgids: shown as `_(header)`).
HEADERS = (N_("Goal"), N_("Last sent"), N_("Description"))
NAME, LAST_SENT, DESCRIPTION = range(3)
NEVER, OK, FAILED = "never", "ok", "failed"
LOOK_BACK = 20  # newest records of a name looked through for a goal POST (not a DELETE)


def last_sends(store: History, names: Sequence[str]) -> dict[str, HistoryRow]:
    """The newest goal POST recorded for each name (any profile); names never sent are left
    out. Reads the history file: call it off the GUI thread."""
    from flowsery_gui.history import Filters

    found: dict[str, HistoryRow] = {}
    for name in names:
        for row in store.page(Filters(goal_name=name), limit=LOOK_BACK):
            if row.method == "POST":
                found[name] = row
                break
    return found


class Coverage(NamedTuple):
    """One planned goal and its last send (None: never sent)."""

    name: str
    description: str
    last: HistoryRow | None

    @property
    def state(self) -> str:
        """NEVER, OK (a 2xx answer) or FAILED (any other answer, or none)."""
        if self.last is None:
            return NEVER
        return OK if self.last.status_class == "2xx" else FAILED


def when_text(started_at: float, now: float | None = None) -> str:
    """`2:03:12 PM` today, `5/1/24, 2:03 PM` before: local time, as the language writes it."""
    moment = time.localtime(started_at)
    today = time.localtime(now if now is not None else time.time())
    if moment[:3] == today[:3]:
        return format_time(started_at)
    return format_datetime(started_at, "short")


def result_text(row: Coverage, now: float | None = None) -> str:
    """`Never sent`, `OK · 200 · 2:03:12 PM on Sandbox`, `Failed · timeout · …`."""
    last = row.last
    if last is None:
        return _("Never sent")
    what = str(last.status) if last.status is not None else (last.failure_kind or _("no answer"))
    fields = {"what": what, "when": when_text(last.started_at, now), "profile": last.profile}
    if row.state == OK:
        # Translators: a goal's last send: its answer (200), its time and the profile's name.
        return _("OK · {what} · {when} on {profile}", **fields)
    # Translators: a goal's last send: its answer (500, timeout), time and the profile's name.
    return _("Failed · {what} · {when} on {profile}", **fields)


ICONS = {OK: "success", FAILED: "error", NEVER: "info"}


def coverage_cells(row: Coverage, column: int) -> tuple[str, str | None]:
    """A cell's words and icon: the name; the last send (with its state's icon); the
    description on one line."""
    if column == NAME:
        return row.name, None
    if column == LAST_SENT:
        return result_text(row), ICONS[row.state]
    return " ".join(row.description.split()), None


class CoverageModel(RowsModel[Coverage]):
    """The plan's goals in plan order, each with its last send from history."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([_(header) for header in HEADERS], coverage_cells, parent)

    def set_goals(self, goals: list[tuple[str, str]], sends: dict[str, HistoryRow]) -> None:
        """The plan's (name, description) pairs and the last send of each that was sent."""
        self.set_rows(Coverage(name, text, sends.get(name)) for name, text in goals)

    def tip(self, row: Coverage, text: str) -> str:
        """The whole description (the cell shows it on one line), else the cell's words."""
        return row.description if text and text == " ".join(row.description.split()) else text

    def counts(self) -> dict[str, int]:
        """How many goals are never sent, last sent OK, last sent failed."""
        found = dict.fromkeys((NEVER, OK, FAILED), 0)
        for row in self.rows:
            found[row.state] += 1
        return found

    def summary(self, plan_name: str) -> str:
        """`acme-website: 3 goals · 1 last sent OK · 1 failed · 1 never sent`."""
        c = self.counts()
        goals = len(self.rows)
        parts = (
            ngettext(
                "{plan}: {count} goal",
                "{plan}: {count} goals",
                goals,
                plan=plan_name,
                count=format_number(goals),
            ),
            ngettext(
                "{count} last sent OK", "{count} last sent OK", c[OK], count=format_number(c[OK])
            ),
            ngettext(
                "{count} last sent failed",
                "{count} last sent failed",
                c[FAILED],
                count=format_number(c[FAILED]),
            ),
            ngettext(
                "{count} never sent",
                "{count} never sent",
                c[NEVER],
                count=format_number(c[NEVER]),
            ),
        )
        return " · ".join(parts)

    def name_at(self, position: int) -> str | None:
        """The goal name shown at a row, or None."""
        return self.rows[position].name if 0 <= position < len(self.rows) else None
