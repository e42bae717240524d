"""What the built-in sandbox received, as a table: newest first, bounded, one light row each.

A row is made from a collector record off the GUI thread (`row_of_record`): the time, who
sent it, the request line, the goal's name, the answer and the verdict in words. The whole
record (headers, body, answer) stays in the sandbox and is read back by id when one is
picked, so the table costs little however big the bodies were. At most `capacity` rows
(the sandbox's own cap): the oldest go first, and are counted.
"""

from __future__ import annotations

import json
from array import array
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from flowsery_gui.i18n import N_, _, format_number, format_time, ngettext

# Translators: the columns of the sandbox's received requests; "From" is the sending client.
HEADERS = (N_("Time"), N_("Goal"), N_("Verdict"), N_("Answer"), N_("Request"), N_("From"))
TIME, GOAL, VERDICT, ANSWER, REQUEST, CLIENT = range(6)
OK, ERROR, WARNING, NONE = "ok", "error", "warning", ""
ID_ROLE = Qt.ItemDataRole.UserRole  # the sandbox's id of a row, on its first cell


class ReceivedRow(NamedTuple):
    """One received request as the table shows it."""

    id: int
    time: str
    request: str
    goal: str
    answer: str
    verdict: str
    client: str
    severity: str  # OK | ERROR | WARNING | NONE (no verdict: not a goal)
    plan_findings: int


def local_time(stamp: object) -> str:
    """An ISO time from the sandbox as this computer's local time of day, as the language
    writes it (`2:05:09 PM`, `14:05:09`)."""
    from datetime import datetime  # (imported once, on a sandbox thread: not at start-up)

    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    return format_time(moment.astimezone().replace(tzinfo=None))


def _goal_name(record: dict[str, Any]) -> str:
    body = record.get("body")
    if not isinstance(body, str) or not body.lstrip().startswith("{"):
        return ""
    try:
        value = json.loads(body)
    except ValueError:
        return ""
    name = value.get("name") if isinstance(value, dict) else None
    return name if isinstance(name, str) else ""


def cells(row: ReceivedRow) -> tuple[str, ...]:
    """A row's texts in column order."""
    return (row.time, row.goal, row.verdict, row.answer, row.request, row.client)


def verdict_words(verdict: dict[str, Any] | None) -> tuple[str, str, int]:
    """(words, severity, how many of the findings are the plan's) for a record's verdict."""
    if not verdict:
        return "", NONE, 0
    findings = verdict.get("findings") or []
    errors = sum(1 for f in findings if f.get("severity") == "error")
    planned = sum(1 for f in findings if f.get("source") == "plan")
    warnings = len(findings) - errors - planned
    parts = []
    if errors:
        parts.append(
            ngettext("✖ {count} error", "✖ {count} errors", errors, count=format_number(errors))
        )
    if warnings:
        parts.append(
            ngettext(
                "⚠ {count} warning", "⚠ {count} warnings", warnings, count=format_number(warnings)
            )
        )
    if planned:
        parts.append(
            ngettext(
                "⚠ {count} plan warning",
                "⚠ {count} plan warnings",
                planned,
                count=format_number(planned),
            )
        )
    if not parts:
        plan = verdict.get("plan")
        return (_("✓ OK, meets the plan") if plan else _("✓ OK")), OK, 0
    return " · ".join(parts), ERROR if errors else WARNING, planned


def row_of_record(record: dict[str, Any]) -> ReceivedRow:
    """The table's row for a collector record (runs on a sandbox thread)."""
    answer = record.get("answer") or {}
    status, outcome = answer.get("status"), answer.get("outcome", "answered")
    answer_text = str(status) if status is not None else ""
    if outcome != "answered":
        answer_text = f"{answer_text} {outcome}".strip()
    path = str(record.get("path", ""))
    query = record.get("query")
    words, severity, planned = verdict_words(record.get("verdict"))
    return ReceivedRow(
        id=int(record.get("id", 0)),
        time=local_time(record.get("time")),
        request=f"{record.get('method', '')} {path}{'?' + query if query else ''}",
        goal=_goal_name(record),
        answer=answer_text,
        verdict=words,
        client=str(record.get("client", "")),
        severity=severity,
        plan_findings=planned,
    )


class Shown(NamedTuple):
    """What the view shows of one row: the sandbox's id, the goal, the verdict in words."""

    id: int
    goal: str
    verdict: str


ERROR_FLAG, PLAN_FLAG = 1, 2


class ReceivedModel(QStandardItemModel):
    """The received requests, at most `capacity`; `newest_first` shows them by id, newest
    first. Once full, each new row takes the place of the oldest (counted as dropped).

    Why a standard item model (and not a Python `data()`): the view reads these cells in
    C++. The sandbox's threads share this process's interpreter lock, and while they are
    busy every call from Qt into Python waits for it: a repaint asking a Python model for
    each cell and role took 150-400 ms under a burst of goals. Rows are added with one
    `appendRow` each and, once the table is full, rewritten in place: those calls keep the
    lock, while `insertRows`, `setData` and `removeRows` let go of it (removing a thousand
    old rows took 50-300 ms under a burst). Items are cloned in C++ and what the model keeps
    beside them is two flat arrays: no Python object per row or cell lives on, for the
    garbage collector to walk (60,000 of them made its full passes take ~50 ms). The items
    are left editable: the view is not (no edit triggers)."""

    def __init__(self, capacity: int = 10_000, parent: QObject | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels([_(header) for header in HEADERS])
        self.capacity = capacity
        self._ids = array("q")  # the sandbox's id of each table row
        self._flags = bytearray()  # ERROR_FLAG | PLAN_FLAG of each table row
        self._prototype = QStandardItem()
        self._oldest = 0  # the row the next one replaces once the table is full
        self.dropped = 0  # rows let go to stay within `capacity` (since the last clear)
        self.refused = 0  # rows whose verdict has an error
        self.with_plan_findings = 0
        self._brushes: dict[str, Any] | None = None
        #: The rows newest first (by the sandbox's id), as the Received view shows them.
        self.newest_first = QSortFilterProxyModel()  # not a child: no cycle to collect
        self.newest_first.setSourceModel(self)
        self.newest_first.setSortRole(ID_ROLE)
        self.newest_first.setDynamicSortFilter(True)
        self.newest_first.sort(TIME, Qt.SortOrder.DescendingOrder)

    def __len__(self) -> int:
        return len(self._ids)

    # Changes ------------------------------------------------------------------------------
    def add(self, batch: list[ReceivedRow], dropped_before: int = 0) -> None:
        """Put a batch in; past `capacity` the oldest rows give way. `dropped_before`: rows
        lost before they reached the table."""
        self.dropped += dropped_before
        batch = sorted(batch)  # by id: oldest first
        if len(self._ids) + len(batch) > self.capacity and self._ids:
            # A full table: a late row older than all it shows would be the first to go.
            oldest = self._ids[self._oldest]
            late = sum(1 for row in batch if row.id < oldest)
            self.dropped += late
            batch = batch[late:]
        if len(batch) > self.capacity:
            self.dropped += len(batch) - self.capacity
            batch = batch[-self.capacity :]
        room = self.capacity - len(self._ids)
        for row in batch[:room]:
            items = [self._prototype.clone() for _column in HEADERS]
            self._fill(items, row)
            self.appendRow(items)
            self._ids.append(row.id)
            self._flags.append(_flags(row))
        for row in batch[room:]:
            at = self._oldest
            self._count(self._flags[at], -1)
            self._fill([self._cell(at, column) for column in range(len(HEADERS))], row)
            self._ids[at], self._flags[at] = row.id, _flags(row)
            self._oldest = (at + 1) % len(self._ids)
            self.dropped += 1
        for row in batch:
            self._count(_flags(row), 1)

    def _cell(self, row: int, column: int) -> QStandardItem:
        item = self.item(row, column)
        assert item is not None  # every cell of every row was filled when it was added
        return item

    def _fill(self, items: list[QStandardItem], row: ReceivedRow) -> None:
        for item, text in zip(items, cells(row), strict=True):
            item.setText(text)
        verdict = items[VERDICT]
        if row.severity:
            verdict.setForeground(self._brush(row.severity))
        else:
            verdict.setData(None, Qt.ItemDataRole.ForegroundRole)
        items[TIME].setData(row.id, ID_ROLE)  # last: the view's order follows it

    def _count(self, flags: int, sign: int) -> None:
        self.refused += sign * bool(flags & ERROR_FLAG)
        self.with_plan_findings += sign * bool(flags & PLAN_FLAG)

    def clear(self) -> None:
        """Forget every row and the counts (the sandbox was reset)."""
        self.removeRows(0, self.rowCount())
        self._ids, self._flags, self._oldest = array("q"), bytearray(), 0
        self.dropped = self.refused = self.with_plan_findings = 0

    # Reading ------------------------------------------------------------------------------
    def summary(self) -> str:
        """`3 requests · 1 refused · 1 with plan warnings`, and what was dropped."""
        rows = len(self._ids)
        parts = [ngettext("{count} request", "{count} requests", rows, count=format_number(rows))]
        if self.refused:
            parts.append(
                # Translators: requests the sandbox refused (a count of requests).
                ngettext(
                    "{count} refused",
                    "{count} refused",
                    self.refused,
                    count=format_number(self.refused),
                )
            )
        if self.with_plan_findings:
            parts.append(
                ngettext(
                    "{count} with plan warnings",
                    "{count} with plan warnings",
                    self.with_plan_findings,
                    count=format_number(self.with_plan_findings),
                )
            )
        if self.dropped:
            parts.append(
                ngettext(
                    "showing the newest {cap}; {count} older request was dropped",
                    "showing the newest {cap}; {count} older requests were dropped",
                    self.dropped,
                    count=format_number(self.dropped),
                    cap=format_number(self.capacity),
                )
            )
        return " · ".join(parts)

    def shown_at(self, position: int) -> Shown | None:
        """What the view shows at a position (newest first), or None."""
        view = self.newest_first
        first = view.index(position, TIME)
        if not first.isValid():
            return None
        goal = view.index(position, GOAL).data() or ""
        verdict = view.index(position, VERDICT).data() or ""
        return Shown(int(first.data(ID_ROLE)), str(goal), str(verdict))

    def shown(self) -> list[Shown]:
        """Every row as the view shows it, newest first (reads every cell: not for a hot path)."""
        found = (self.shown_at(position) for position in range(self.newest_first.rowCount()))
        return [row for row in found if row is not None]

    def _brush(self, severity: str) -> Any:
        if self._brushes is None:
            self._brushes = {
                ERROR: QBrush(QColor("#dc2626")),
                WARNING: QBrush(QColor("#b45309")),
                OK: QBrush(QColor("#15803d")),
            }
        return self._brushes.get(severity)


def _flags(row: ReceivedRow) -> int:
    return (ERROR_FLAG if row.severity == ERROR else 0) | (PLAN_FLAG if row.plan_findings else 0)
