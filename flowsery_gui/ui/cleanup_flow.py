"""Opening "Delete from analytics…": for the sends selected in History, or for everything
sent to the active profile since a time (Goal > Delete from Analytics…).

The dialog sends through the same pipeline as Send; the built-in sandbox's fault choice
(Goal > Sandbox Fault) reaches its DELETE calls too, and only the built-in sandbox's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.send_owner import SendOwner

if TYPE_CHECKING:
    from flowsery_gui.profiles import Profile
    from flowsery_gui.ui.cleanup_dialog import CleanupDialog


class CleanupFlow(QObject):
    """Builds and opens the cleanup dialog for a choice of sends."""

    def __init__(self, ctx: AppContext, owner: SendOwner, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self.ctx = ctx
        self.owner = owner
        self._dialog_parent = dialog_parent

    def dialog(self, ids: Sequence[int] = (), profile: str = "") -> CleanupDialog:
        """The dialog for these history records (none: "since", on the active profile),
        planned for `profile` (default: the active one)."""
        # Deferred: the dialog, the planner and the runner load when first asked for.
        from flowsery_gui.ui.cleanup_dialog import CleanupDialog
        from flowsery_gui.ui.cleanup_scope import Scope

        self.ctx.history.open()  # a cleanup plans from history (opened once; cheap after)
        name = profile or self.ctx.target.profile.name
        scope = Scope(name, tuple(ids) or None, None, None)
        return CleanupDialog(self.ctx, scope, self.fault_for, self._dialog_parent)

    def open(self, ids: Sequence[int] = (), profile: str = "") -> None:
        """Open the dialog (modal) until the person closes it."""
        self.dialog(ids, profile).exec()

    def fault_for(self, profile: Profile) -> str:
        """The fault the built-in sandbox is asked for ("" for any other profile)."""
        return self.owner.fault if profile.kind == "sandbox" else ""
