"""Filling the form from what people paste: cookies, a JSON body (or a log line), metadata rows.

Each intent asks for the text through the `Ask` seam, with a live preview of what it will
do, then writes the form's view model. No widget in here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from flowsery_gui import i18n
from flowsery_gui.contract import MAX_METADATA_KEYS
from flowsery_gui.i18n import _, ngettext, sentences
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.metadata_model import parse_rows_text


def over_limit_words(total: int) -> str:
    """What a goal with `total` metadata keys means, when that is over the API's limit."""
    if total <= MAX_METADATA_KEYS:
        return ""
    over = total - MAX_METADATA_KEYS
    return ngettext(
        "The goal would then have {total} metadata keys, {over} more than the {limit} the API "
        "takes: remove {over} before sending.",
        "The goal would then have {total} metadata keys, {over} more than the {limit} the API "
        "takes: remove {over} before sending.",
        over,
        total=i18n.format_number(total),
        over=i18n.format_number(over),
        limit=i18n.format_number(MAX_METADATA_KEYS),
    )


def rows_preview(text: str, rows_now: int = 0) -> tuple[bool, str]:
    """What pasting these lines as metadata rows will add (at the end of the table), and
    whether that goes over the API's limit of keys."""
    rows = parse_rows_text(text)
    if not rows:
        return False, _("No key=value lines found.")
    count = len(rows)
    # Keys and values are the person's own text: shown as typed, joined as a list.
    shown = ", ".join(f"{k}={v}" for k, v in rows[:5])
    if count > 5:
        # Translators: {rows} lists the first five key=value pairs pasted.
        words = ngettext(
            "{count} row, added at the end: {rows} and {more} more",
            "{count} rows, added at the end: {rows} and {more} more",
            count,
            count=i18n.format_number(count),
            rows=shown,
            more=i18n.format_number(count - 5),
        )
    else:
        words = ngettext(
            "{count} row, added at the end: {rows}",
            "{count} rows, added at the end: {rows}",
            count,
            count=i18n.format_number(count),
            rows=shown,
        )
    warning = over_limit_words(rows_now + count)
    return True, f"{words}\n⚠ {warning}" if warning else words


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
                lines.append(_("Visitor ID (_fs_vid): {id}", id=found.visitor_uid))
            if found.session_uid:
                lines.append(_("Session ID (_fs_sid): {id}", id=found.session_uid))
            if usable and not (found.visitor_uid and found.session_uid):
                if found.visitor_uid:
                    lines.append(_("Session ID: cleared (it would belong to another visit)."))
                else:
                    lines.append(_("Visitor ID: cleared (it would belong to another visit)."))
            return usable, "\n".join(lines)

        text = self.ask.paste(
            _("Paste Cookies"),
            _(
                "Paste a Cookie header, a document.cookie string, or a request copied as cURL "
                "from your browser's devtools. The _fs_vid and _fs_sid values fill the IDs."
            ),
            preview,
            _("Use these IDs"),
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
        """Fill the whole form from a JSON body copied from logs (a whole log line is fine)."""
        from flowsery_gui.sending.drafts import draft_from_text

        def preview(text: str) -> tuple[bool, str]:
            pasted = draft_from_text(text)
            return pasted.draft is not None, pasted.summary

        text = self.ask.paste(
            _("Paste JSON Body"),
            # Translators: keep the JSON example as it is (it is what the API reads).
            _(
                "Paste a goal body such as {example}. Fields the form has no place for are "
                "listed below and left out.",
                example='{"name": "signup", "metadata": {...}}',
            ),
            preview,
            _("Fill the form"),
        )
        if text is None:
            return
        pasted = draft_from_text(text)
        if pasted.draft is None:
            return
        self.form.load(pasted.draft, touched=True)
        self.status.emit(pasted.summary.splitlines()[0], 6000)

    def paste_rows(self) -> None:
        """Add several metadata rows from key=value or tab-separated lines."""
        metadata = self.form.metadata
        text = self.ask.paste(
            _("Paste Metadata Rows"),
            ngettext(
                "One row per line: key=value, key: value, or key<Tab>value (as copied from a "
                "spreadsheet). A goal takes at most {limit} key.",
                "One row per line: key=value, key: value, or key<Tab>value (as copied from a "
                "spreadsheet). A goal takes at most {limit} keys.",
                MAX_METADATA_KEYS,
                limit=i18n.format_number(MAX_METADATA_KEYS),
            ),
            lambda pasted: rows_preview(pasted, metadata.used_count()),
            _("Add rows"),
        )
        if text is not None:
            count = self._insert_rows(text)
            added = ngettext(
                "Added {count} metadata row at the end.",
                "Added {count} metadata rows at the end.",
                count,
                count=i18n.format_number(count),
            )
            warning = over_limit_words(metadata.used_count())
            self.status.emit(sentences(added, warning), 10000 if warning else 4000)

    def new_ids(self) -> None:
        """Fresh random visitor and session IDs for a test."""
        from flowsery_gui.ids import new_session_id, new_visitor_id

        self.form.set_value("visitorUid", new_visitor_id())
        self.form.set_value("sessionUid", new_session_id())
        self.status.emit(_("New test visitor and session IDs."), 4000)
