"""The Plan view: the open plan's goals, each with its description and its last send.

Coverage at a glance (never sent / last sent OK / last sent failed), read from history on
the task runner and read again whenever history changes (its one signal) or the plan does,
while the view is shown. Double-click or Enter on a goal raises "load it into the form".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _
from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.plan_coverage import DESCRIPTION, CoverageModel, last_sends
from flowsery_gui.ui.plan_service import PlanService
from flowsery_gui.ui.row_table import make_table
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from flowsery_gui.history import HistoryRow

NO_PLAN = N_(
    "No tracking plan is open. A plan (a *.plan.yaml file) lists the goals your website fires "
    "and what each must carry; with one open, the form completes goal names, offers allowed "
    "values and warns about anything the plan does not expect."
)


class PlanPanel(QWidget):
    """The plan's goals with their coverage; Enter or a double-click loads one."""

    load_requested = Signal(str)  # a planned goal's name
    open_requested = Signal()

    def __init__(
        self,
        plans: PlanService,
        history: HistoryService,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plans = plans
        self.history = history
        self.tasks = tasks
        self.model = CoverageModel(self)
        self._stale = True
        self._reading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("plan_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.open_button = QPushButton(_("&Open Tracking Plan…"))
        self.open_button.clicked.connect(self.open_requested)
        bar.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(bar)
        self.problem = QLabel()
        self.problem.setObjectName("plan_problem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b45309;")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.problem)
        outer.addWidget(self._build_table(), 1)
        self.hint = QLabel(_("Double-click a goal, or press Enter, to load it into the form."))
        self.hint.setEnabled(False)
        self.hint.setWordWrap(True)
        outer.addWidget(self.hint)
        plans.changed.connect(self._plan_changed)
        history.changed.connect(lambda _count: self.refresh())
        self._plan_changed()

    def _build_table(self) -> QTableView:
        self.table = make_table(
            "plan_table",
            self.model,
            DESCRIPTION,
            _("Goals in the tracking plan, with their last send"),
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.activated.connect(self._activated)
        return self.table

    # Rendering ----------------------------------------------------------------------------
    def _plan_changed(self) -> None:
        plan = self.plans.plan
        self.table.setVisible(plan is not None)
        self.hint.setVisible(plan is not None)
        self.open_button.setVisible(plan is None)
        problem = self.plans.problem
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem) and plan is not None)
        if plan is None:
            self.summary.setText(_(NO_PLAN))
            self.model.set_goals([], {})
            return
        self.summary.setToolTip(tooltip(self.plans.path))
        self._stale = True
        self.refresh()

    def refresh(self) -> None:
        """Read the last sends from history (off the GUI thread), if the view is shown;
        otherwise when it is next shown."""
        self._stale = True
        plan = self.plans.plan
        if plan is None or not self.isVisible() or self._reading:
            return
        self._stale = False
        self._reading = True
        goals = [(g.name, g.description) for g in plan.goals.values()]
        names = [name for name, _text in goals]
        history = self.history

        def read() -> dict[str, HistoryRow]:
            history.open()
            store = history.store
            return last_sends(store, names) if store is not None else {}

        def done(sends: dict[str, HistoryRow]) -> None:
            self._reading = False
            if self.plans.plan is plan:
                self._show(plan.name, goals, sends)
            if self._stale:
                self.refresh()

        def failed(kind: str) -> None:
            self._reading = False
            self._show(plan.name, goals, {})
            self.summary.setText(
                # Translators: {summary} is the plan's line of counts; {error} what went wrong.
                _(
                    "{summary} (history could not be read: {error}; shown as never sent)",
                    summary=self.summary.text(),
                    error=kind,
                )
            )

        self.tasks.run(read, done, failed)

    def _show(
        self, plan_name: str, goals: list[tuple[str, str]], sends: dict[str, HistoryRow]
    ) -> None:
        picked = self._picked_name()
        self.model.set_goals(goals, sends)
        self.summary.setText(self.model.summary(plan_name))
        if picked is not None:
            for row, coverage in enumerate(self.model.rows):
                if coverage.name == picked:
                    self.table.selectRow(row)
                    break

    def _picked_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.name_at(rows[0].row()) if rows else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # Intents ------------------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        name = self.model.name_at(index.row())
        if name is not None:
            self.load_requested.emit(name)
