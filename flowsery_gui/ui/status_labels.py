"""The status bar's two lasting labels: where goals go now, and how many requests history holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from flowsery_gui import i18n
from flowsery_gui.i18n import _, ngettext
from flowsery_gui.profiles import Profile
from flowsery_gui.ui.plain import ElidingLabel, tooltip


class TargetLabel(ElidingLabel):
    """`Sends to the sandbox at 127.0.0.1:53211 · fault: 503 Unavailable`, or a profile's URL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Sandbox: not started"), parent)
        self.setObjectName("sandbox_status")
        self.setTextFormat(Qt.TextFormat.PlainText)

    def show_target(self, profile: Profile, sandbox_url: str | None, fault: str = "") -> None:
        """Where the active profile sends; the sandbox's fault (its name, translated) when
        one is chosen."""
        if profile.kind != "sandbox":
            self.setText(_("Sends to {url}", url=profile.base_url))
            return
        if sandbox_url is None:
            # Translators: the status bar; {fault} is a Sandbox Fault menu entry's short name.
            text = _("Sandbox: starting… · fault: {fault}", fault=fault) if fault else ""
            self.setText(text or _("Sandbox: starting…"))
            return
        where = sandbox_url.removeprefix("http://")
        if fault:
            # Translators: the status bar; {fault} is a Sandbox Fault menu entry's short name.
            self.setText(
                _("Sends to the sandbox at {where} · fault: {fault}", where=where, fault=fault)
            )
        else:
            self.setText(_("Sends to the sandbox at {where}", where=where))

    def sandbox_failed(self) -> None:
        """The built-in sandbox could not start."""
        self.setText(_("Sandbox: could not start"))


class HistoryCountLabel(ElidingLabel):
    """`History: 1,204 requests`, or `History: off` with the reason as its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("history_status")

    def show_count(
        self, count: int, available: bool, reason: str | None, failed: str | None = None
    ) -> None:
        """Show the count of stored requests (or that history is off, and why); `failed`
        says the last send could not be kept, until the next one is."""
        if available:
            shown = i18n.format_number(count)
            if failed:
                text = ngettext(
                    "History: {count} request · last one not saved ⚠",
                    "History: {count} requests · last one not saved ⚠",
                    count,
                    count=shown,
                )
            else:
                text = ngettext(
                    "History: {count} request", "History: {count} requests", count, count=shown
                )
            self.setText(text)
            self.setToolTip(tooltip(failed or ""))
        else:
            self.setText(_("History: off"))
            self.setToolTip(tooltip(reason or ""))
