"""Filling the form from what people paste: cookies, a JSON body (or a log line), metadata rows.

Each intent asks for the text through the `Ask` seam, with a live preview of what it will
do, then writes the form's view model. No widget in here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from flowsery_gui import contract
from flowsery_gui.contract import Draft
from flowsery_gui.ui.form_model import GoalFormModel, parse_rows_text
from flowsery_gui.ui.interaction import Ask


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def draft_from_pasted_json(text: str) -> tuple[Draft | None, str]:
    """A draft from a pasted body (or the outermost {...} of a log line), and what it holds.

    None, with the reason, when there is nothing the form could take: text that is not
    JSON, JSON that is not an object, or an empty object (it would wipe the form)."""
    note = ""
    try:
        parsed = contract.parse_body(text)
    except contract.NotJSON as exc:
        # A log line or a request dump: try the outermost {...} in it.
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            return None, str(exc)
        try:
            parsed = contract.parse_body(text[start : end + 1])
        except contract.NotJSON:
            return None, str(exc)
        note = "Took the JSON object out of the surrounding text."
    if not isinstance(parsed.value, dict):
        _draft, findings = contract.draft_from_body(parsed.value)
        return None, findings[0].message if findings else "Expected a JSON object."
    if not parsed.value:
        return None, "This JSON object is empty: there is nothing to put in the form."
    draft, findings = contract.draft_from_body(parsed.value)
    rows = len(draft.metadata)
    lines = [
        f"Goal {draft.name or '(no name)'} with {rows} metadata row{_s(rows)}.",
        *([note] if note else []),
    ]
    lines += [f"• {f.path}: {f.message}" if f.path else f"• {f.message}" for f in findings]
    return draft, "\n".join(lines)


def rows_preview(text: str) -> tuple[bool, str]:
    """What pasting these lines as metadata rows will add."""
    rows = parse_rows_text(text)
    if not rows:
        return False, "No key=value lines found."
    shown = ", ".join(f"{k}={v}" for k, v in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return True, f"{len(rows)} row{_s(len(rows))}: {shown}{more}"


class PasteFlow(QObject):
    """Paste cookies, a JSON body or metadata rows into the form; make fresh test IDs."""

    status = Signal(str, int)  # words for the status bar, and for how many ms

    def __init__(
        self,
        form: GoalFormModel,
        ask: Ask,
        insert_rows: Callable[[str], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.ask = ask
        self._insert_rows = insert_rows  # where rows go depends on the table's current row

    def paste_cookies(self) -> None:
        """Fill both IDs from cookies copied out of the browser's devtools."""
        from flowsery_gui.cookies import parse_pasted_cookies

        def preview(text: str) -> tuple[bool, str]:
            found = parse_pasted_cookies(text)
            usable = bool(found.visitor_uid or found.session_uid)
            lines = [found.message]
            if found.visitor_uid:
                lines.append(f"Visitor ID (_fs_vid): {found.visitor_uid}")
            if found.session_uid:
                lines.append(f"Session ID (_fs_sid): {found.session_uid}")
            if usable and not (found.visitor_uid and found.session_uid):
                missing = "Session ID" if found.visitor_uid else "Visitor ID"
                lines.append(f"{missing}: cleared (it would belong to another visit).")
            return usable, "\n".join(lines)

        text = self.ask.paste(
            "Paste Cookies",
            "Paste a Cookie header, a document.cookie string, or a request copied as cURL "
            "from your browser's devtools. The _fs_vid and _fs_sid values fill the IDs.",
            preview,
            "Use these IDs",
        )
        if text is None:
            return
        found = parse_pasted_cookies(text)
        if not (found.visitor_uid or found.session_uid):
            return
        # Both IDs come from the same paste: an old partner would pair two different visits.
        self.form.set_value("visitorUid", found.visitor_uid or "")
        self.form.set_value("sessionUid", found.session_uid or "")
        self.form.touch("visitorUid")
        self.form.touch("sessionUid")
        self.status.emit(found.message, 6000)

    def paste_json(self) -> None:
        """Fill the whole form from a JSON body copied from logs."""

        def preview(text: str) -> tuple[bool, str]:
            draft, message = draft_from_pasted_json(text)
            return draft is not None, message

        text = self.ask.paste(
            "Paste JSON Body",
            'Paste a goal body such as {"name": "signup", "metadata": {...}}. '
            "Fields the form has no place for are listed below and left out.",
            preview,
            "Fill the form",
        )
        if text is None:
            return
        draft, message = draft_from_pasted_json(text)
        if draft is None:
            return
        self.form.load(draft, touched=True)
        self.status.emit(message.splitlines()[0], 6000)

    def paste_rows(self) -> None:
        """Add several metadata rows from key=value or tab-separated lines."""
        text = self.ask.paste(
            "Paste Metadata Rows",
            "One row per line: key=value, key: value, or key<Tab>value (as copied from a "
            "spreadsheet).",
            rows_preview,
            "Add rows",
        )
        if text is not None:
            count = self._insert_rows(text)
            self.status.emit(f"Added {count} metadata row{_s(count)}.", 4000)

    def new_ids(self) -> None:
        """Fresh random visitor and session IDs for a test."""
        from flowsery_gui.ids import new_session_id, new_visitor_id

        self.form.set_value("visitorUid", new_visitor_id())
        self.form.set_value("sessionUid", new_session_id())
        self.status.emit("New test visitor and session IDs.", 4000)
