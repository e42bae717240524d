"""Goal > Sandbox Fault: the answers the built-in sandbox can give instead of storing a goal.

Filled after the first paint (12 actions nobody can reach before it); a pick is an intent,
`chosen(header)`, that the send owner decides on.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from flowsery_gui.i18n import _


class FaultMenu(QMenu):
    """One checkable entry per fault the window offers, "None" first."""

    chosen = Signal(str)  # the fault header value picked ("" for a normal answer)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Sandbox &Fault"), parent)
        self.setStatusTip(
            _("Rehearse the API's errors: the built-in sandbox answers with the fault you choose")
        )
        self.choices: dict[str, QAction] = {}

    def fill(self, current: str) -> None:
        """Add the entries (once), with the current choice checked."""
        if self.choices:
            return
        # Deferred: filled after the first paint; the group class and the list cost start-up.
        from PySide6.QtGui import QActionGroup

        from flowsery_gui.ui.sandbox_faults import FAULTS

        group = QActionGroup(self)
        group.setExclusive(True)
        for choice in FAULTS:
            action = QAction(_(choice.label), group)
            action.setCheckable(True)
            action.setChecked(choice.header == current)
            action.setStatusTip(_(choice.explains))
            action.triggered.connect(lambda _=False, h=choice.header: self.chosen.emit(h))
            self.addAction(action)
            self.choices[choice.header] = action
            if not choice.header:
                self.addSeparator()

    def check(self, header: str) -> None:
        """Show this choice as the current one; none checked for a fault the menu does not
        offer (set by its header value), rather than "None" while that fault is in force."""
        if header in self.choices:
            self.choices[header].setChecked(True)
            return
        for action in self.choices.values():
            group = action.actionGroup()
            if action.isChecked() and group is not None:
                group.setExclusive(False)  # an exclusive group keeps one checked
                action.setChecked(False)
                group.setExclusive(True)
