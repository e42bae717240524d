"""The line over a History record's detail that names the suite run that sent it.

"suite: NAME (run ID)", looked up in the run log off the GUI thread; hidden for a record
no suite run sent. Plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from flowsery_gui.i18n import _
from flowsery_gui.ui.context import AppContext


class SuiteTag(QLabel):
    """Says which suite run sent the record on show, when the run log knows."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("history_suite")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()
        self._wanted: int | None = None

    def show_for(self, record_id: int | None) -> None:
        """Look up the record's suite run (None: nothing on show)."""
        self.hide()
        self._wanted = record_id
        if record_id is None:
            return

        def show(found: tuple[str, str] | None) -> None:
            if found is not None and self._wanted == record_id:
                run_id, suite = found
                # Translators: over a history record a suite run sent: {suite} is the suite's
                # name, {run} the run's ID.
                self.setText(_("suite: {suite} (run {run})", suite=suite, run=run_id))
                self.show()

        self.ctx.suites.log.run_of(record_id, show)


def tag_over(detail: QWidget, ctx: AppContext) -> SuiteTag:
    """A SuiteTag put first in the detail's own (box) layout, over what it shows."""
    tag = SuiteTag(ctx)
    layout = detail.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, tag)
    return tag
