"""What History says about cleanups: a send deleted from analytics, a cleanup's own DELETE."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from flowsery_gui.history import History, HistoryRow

#: Beside a send's goal name in the list once a cleanup deleted it.
CLEANED_MARK = "deleted from analytics"


def goal_words(row: HistoryRow, cleaned: bool) -> str:
    """The list's Goal column: the goal's name, marked once deleted from analytics; for a
    cleanup's DELETE, what it deleted."""
    if row.method.upper() == "DELETE":
        try:
            name = parse_qs(urlsplit(row.url).query).get("name", [""])[0]
        except ValueError:
            name = ""
        return f"Delete from analytics: {name or 'goals'}"
    name = row.goal_name or "—"
    return f"{name} · {CLEANED_MARK}" if cleaned else name


def cleaned_words(store: History, record_id: int) -> str:
    """The line over a cleaned send's detail: when a cleanup deleted it ("" when none did)."""
    from flowsery_gui.history.cleaned import sent_records

    found = sent_records(store, [record_id])  # one indexed read, like the record's own
    when = found[0].cleaned_at if found else None
    if when is None:
        return ""
    at = datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"Deleted from analytics on {at} by a cleanup (its DELETE is in this list too): the "
        "server said it deleted this goal."
    )


def with_cleaned_line(detail: QWidget) -> tuple[QWidget, QLabel]:
    """The detail view with a line over it for "Deleted from analytics…" (hidden until a
    cleaned send is shown): the widget to lay out, and the line."""
    line = QLabel()
    line.setObjectName("history_cleaned")
    line.setTextFormat(Qt.TextFormat.PlainText)
    line.setWordWrap(True)
    line.hide()
    both = QWidget()
    layout = QVBoxLayout(both)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(line)
    layout.addWidget(detail, 1)
    return both, line
