"""The Suites tab's run controls: Run all, Run selected, Cancel; the progress and the count.

Buttons only say what the person asked for (signals); the tab decides. The count is written
here, and only here: while a run goes on, after it, or why it could not start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _, pgettext, sentences
from flowsery_gui.ui.flow_layout import FlowLayout
from flowsery_gui.ui.response_panel import plain_label
from flowsery_gui.ui.suite_words import count_text, finished_text

if TYPE_CHECKING:
    from flowsery_gui.suites import Progress, RunResult

CANCEL_TIP = N_("Stop after the goal in flight; the goals after it are not run")
STOP_NOW_TIP = N_("Abort the goal in flight too (the server may still record it)")
#: Added to the count once Cancel was pressed (translated where shown).
STOPPING_NOTE = N_("Stopping after the goal in flight…")


def action_button(text: str, tip: str) -> QPushButton:
    """A text button (no icon: the tab may be narrow) with a tooltip and an accessible name,
    never a default button."""
    button = QPushButton(text)
    # No wider than its text needs (styles ask 80 px of every button; the tab may be narrow).
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + 20)
    button.setToolTip(tip)
    button.setAccessibleName(text.rstrip("….").rstrip())
    button.setAutoDefault(False)
    return button


class RunBar(QWidget):
    """Run buttons, the progress bar and the running count."""

    run_all = Signal()
    run_selected = Signal()
    cancel = Signal(bool)  # True: abort the goal in flight too (the second press)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cancels = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = FlowLayout()  # wraps in a narrow pane rather than widen the window
        # Translators: a button that runs every goal of the suites in the list.
        self.run_all_button = action_button(_("Run all"), _("Run every goal in the list"))
        self.run_selected_button = action_button(
            _("Run selected"), _("Run the goals selected in the list")
        )
        # Translators: a button that stops a suite run (pressed again: "Stop now").
        self.cancel_button = action_button(pgettext("suite run", "Cancel"), _(CANCEL_TIP))
        for widget in (self.run_all_button, self.run_selected_button, self.cancel_button):
            buttons.addWidget(widget)
        layout.addLayout(buttons)
        # Bar and count one above the other: the tab may be narrow (a 800 px wide window).
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Run progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress.hide()
        self.count = plain_label()
        self.count.setObjectName("suite_count")
        self.count.hide()
        layout.addWidget(self.progress)
        layout.addWidget(self.count)
        self.run_all_button.clicked.connect(self.run_all)
        self.run_selected_button.clicked.connect(self.run_selected)
        self.cancel_button.clicked.connect(self._cancel_pressed)
        self.cancel_button.setEnabled(False)

    def enable(self, *, can_run: bool, has_selection: bool, running: bool) -> None:
        """Which buttons work now."""
        self.run_all_button.setEnabled(can_run and not running)
        self.run_selected_button.setEnabled(can_run and has_selection and not running)
        self.cancel_button.setEnabled(running)

    def _cancel_pressed(self) -> None:
        self._cancels += 1
        self.cancel.emit(self._cancels > 1)
        self.cancel_button.setText(_("Stop now"))
        self.cancel_button.setToolTip(_(STOP_NOW_TIP))
        self.count.setText(sentences(self.count.text(), _(STOPPING_NOTE)))

    def started(self, total: int) -> None:
        """A run of `total` goals started."""
        self._cancels = 0
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(0)
        self.progress.show()
        self.count.setText(count_text(0, total, 0, 0, 0))
        self.count.show()

    def progressed(self, last: Progress) -> None:
        """The newest progress of the run."""
        self.progress.setValue(last.done)
        text = count_text(last.done, last.total, last.passed, last.failed, last.not_run)
        if self._cancels:
            text = sentences(text, _(STOPPING_NOTE))
        self.count.setText(text)

    def ended(self, run: RunResult | None, words: str = "") -> None:
        """The run ended (`run`), or could not start or broke (`words` say why)."""
        self.count.setText(finished_text(run) if run is not None else words)
        self.count.show()
        self.cancel_button.setText(pgettext("suite run", "Cancel"))
        self.cancel_button.setToolTip(_(CANCEL_TIP))
        if run is None:
            self.progress.hide()
