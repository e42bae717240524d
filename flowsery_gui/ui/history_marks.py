"""What History says about cleanups: a send deleted from analytics, a cleanup's own DELETE."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from flowsery_gui.i18n import N_, _, format_datetime

if TYPE_CHECKING:
    from flowsery_gui.history import History, HistoryRow

#: Beside a send's goal name in the list once a cleanup deleted it (translated where shown).
CLEANED_MARK = N_("deleted from analytics")


def goal_words(row: HistoryRow, cleaned: bool) -> str:
    """The list's Goal column: the goal's name, marked once deleted from analytics; for a
    cleanup's DELETE, what it deleted."""
    if row.method.upper() == "DELETE":
        try:
            name = parse_qs(urlsplit(row.url).query).get("name", [""])[0]
        except ValueError:
            name = ""
        if not name:
            # Translators: the Goal column of a cleanup's DELETE that named no goal.
            return _("Delete from analytics: goals")
        # Translators: the Goal column of a cleanup's DELETE; {name} is a goal name.
        return _("Delete from analytics: {name}", name=name)
    name = row.goal_name or "—"
    if not cleaned:
        return name
    # Translators: the Goal column: a goal name, then a mark; {mark} is "deleted from
    # analytics" (translated apart).
    return _("{name} · {mark}", name=name, mark=_(CLEANED_MARK))


def cleaned_words(store: History, record_id: int) -> str:
    """The line over a cleaned send's detail: when a cleanup deleted it ("" when none did)."""
    from flowsery_gui.history.cleaned import sent_records

    found = sent_records(store, [record_id])  # one indexed read, like the record's own
    when = found[0].cleaned_at if found else None
    if when is None:
        return ""
    return _(
        "Deleted from analytics on {when} by a cleanup (its DELETE is in this list too): the "
        "server said it deleted this goal.",
        when=format_datetime(when),
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
