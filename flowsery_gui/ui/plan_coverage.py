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

from flowsery_gui.ui.row_table import RowsModel
from flowsery_gui.ui.wording import counted

if TYPE_CHECKING:
    from flowsery_gui.history import History, HistoryRow

HEADERS = ("Goal", "Last sent", "Description")
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
    """`14:03:12` today, `2024-05-01 14:03` before."""
    moment = time.localtime(started_at)
    today = time.localtime(now if now is not None else time.time())
    if moment[:3] == today[:3]:
        return time.strftime("%H:%M:%S", moment)
    return time.strftime("%Y-%m-%d %H:%M", moment)


def result_text(row: Coverage, now: float | None = None) -> str:
    """`Never sent`, `OK · 200 · 14:03:12 on Sandbox`, `Failed · timeout · …`."""
    last = row.last
    if last is None:
        return "Never sent"
    what = str(last.status) if last.status is not None else (last.failure_kind or "no answer")
    when = f"{when_text(last.started_at, now)} on {last.profile}"
    return f"OK · {what} · {when}" if row.state == OK else f"Failed · {what} · {when}"


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
        super().__init__(HEADERS, coverage_cells, parent)

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
        goals = counted(len(self.rows), "{plan}: 1 goal", "{plan}: {n} goals", plan=plan_name)
        return (
            f"{goals} · {c[OK]:,} last sent OK · {c[FAILED]:,} last sent failed · "
            f"{c[NEVER]:,} never sent"
        )

    def name_at(self, position: int) -> str | None:
        """The goal name shown at a row, or None."""
        return self.rows[position].name if 0 <= position < len(self.rows) else None
