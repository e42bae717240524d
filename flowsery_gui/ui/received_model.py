"""What the built-in sandbox received, as a table: newest first, bounded, one light row each.

A row is made from a collector record off the GUI thread (`row_of_record`): the time, who
sent it, the request line, the goal's name, the answer and the verdict in words. The whole
record (headers, body, answer) stays in the sandbox and is read back by id when one is
picked, so the table costs little however big the bodies were. At most `capacity` rows
(the sandbox's own cap): the oldest go first, and are counted.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QObject, Qt

from flowsery_gui.ui.row_model import Index, RowsModel
from flowsery_gui.ui.wording import counted

HEADERS = ("Time", "Request", "Goal", "Answer", "Verdict", "From")
TIME, REQUEST, GOAL, ANSWER, VERDICT, CLIENT = range(6)
OK, ERROR, WARNING, NONE = "ok", "error", "warning", ""


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
    """An ISO time from the sandbox as this computer's local HH:MM:SS."""
    try:
        return datetime.fromisoformat(str(stamp)).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return str(stamp)


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
        parts.append(counted(errors, "✖ 1 error", "✖ {n} errors"))
    if warnings:
        parts.append(counted(warnings, "⚠ 1 warning", "⚠ {n} warnings"))
    if planned:
        parts.append(counted(planned, "⚠ 1 plan warning", "⚠ {n} plan warnings"))
    if not parts:
        plan = verdict.get("plan")
        return ("✓ OK, meets the plan" if plan else "✓ OK"), OK, 0
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


class ReceivedModel(RowsModel):
    """The received requests, newest first, at most `capacity`; counts what it dropped."""

    HEADERS = HEADERS

    def __init__(self, capacity: int = 10_000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self.rows: list[ReceivedRow] = []  # newest first
        self.dropped = 0  # rows let go to stay within `capacity` (since the last clear)
        self.refused = 0  # rows whose verdict has an error
        self.with_plan_findings = 0
        self._brushes: dict[str, Any] | None = None

    # Changes ------------------------------------------------------------------------------
    def add(self, batch: list[ReceivedRow], dropped_before: int = 0) -> None:
        """Put a batch in, newest first; drop the oldest rows over `capacity`.
        `dropped_before`: rows lost before they reached the table. Rows may come a little
        out of order (each client's thread reports on its own): each takes its place by id."""
        self.dropped += dropped_before
        batch = sorted(batch)  # by id: oldest first
        top = self.rows[0].id if self.rows else 0
        late = [r for r in batch if r.id < top]
        batch = [r for r in batch if r.id >= top]
        for straggler in late:
            self._insert_late(straggler)
        if len(batch) > self.capacity:
            self.dropped += len(batch) - self.capacity
            batch = batch[-self.capacity :]
        if not batch:
            return
        self._make_room(len(batch))
        self.beginInsertRows(QModelIndex(), 0, len(batch) - 1)
        self.rows[0:0] = batch[::-1]
        self.endInsertRows()
        self._count(batch, 1)

    def _insert_late(self, row: ReceivedRow) -> None:
        at = next((i for i, r in enumerate(self.rows) if r.id < row.id), len(self.rows))
        if at >= self.capacity:
            self.dropped += 1
            return
        self._make_room(1)
        at = min(at, len(self.rows))
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        self.endInsertRows()
        self._count([row], 1)

    def _make_room(self, count: int) -> None:
        over = len(self.rows) + count - self.capacity
        if over <= 0:
            return
        keep = len(self.rows) - over
        self.beginRemoveRows(QModelIndex(), keep, len(self.rows) - 1)
        gone, self.rows = self.rows[keep:], self.rows[:keep]
        self.endRemoveRows()
        self.dropped += over
        self._count(gone, -1)

    def _count(self, rows: list[ReceivedRow], sign: int) -> None:
        self.refused += sign * sum(1 for r in rows if r.severity == ERROR)
        self.with_plan_findings += sign * sum(1 for r in rows if r.plan_findings)

    def clear(self) -> None:
        """Forget every row and the counts (the sandbox was reset)."""
        self.beginResetModel()
        self.rows = []
        self.dropped = self.refused = self.with_plan_findings = 0
        self.endResetModel()

    def summary(self) -> str:
        """`3 requests · 1 refused · 1 with plan warnings`, and what was dropped."""
        parts = [counted(len(self.rows), "1 request", "{n} requests")]
        if self.refused:
            parts.append(counted(self.refused, "1 refused", "{n} refused"))
        if self.with_plan_findings:
            parts.append(
                counted(
                    self.with_plan_findings,
                    "1 with plan warnings",
                    "{n} with plan warnings",
                )
            )
        text = " · ".join(parts)
        if self.dropped:
            text += " · " + counted(
                self.dropped,
                "showing the newest {cap}; 1 older request was dropped",
                "showing the newest {cap}; {n} older requests were dropped",
                cap=f"{self.capacity:,}",
            )
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row[index.column() + 1]  # the fields after the id, in column order
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == VERDICT:
            return self._brush(row.severity)
        return None

    def _brush(self, severity: str) -> Any:
        if self._brushes is None:
            from PySide6.QtGui import QBrush, QColor

            self._brushes = {
                ERROR: QBrush(QColor("#dc2626")),
                WARNING: QBrush(QColor("#b45309")),
                OK: QBrush(QColor("#15803d")),
            }
        return self._brushes.get(severity)

    def row_at(self, position: int) -> ReceivedRow | None:
        """The row shown at a position, or None."""
        return self.rows[position] if 0 <= position < len(self.rows) else None
