"""Past suite runs: when, target, passed / failed / not run, duration; pick one for its goals.

Read from the run log off the GUI thread (`SuiteRunLog`); picking a goal that was sent asks
for its history record to be shown (`record_chosen`), an intent the Suites tab carries out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _, format_datetime, format_number, ngettext
from flowsery_gui.ui import icons
from flowsery_gui.ui.row_table import RowsModel, make_table
from flowsery_gui.ui.suite_log import SuiteRunLog
from flowsery_gui.ui.suite_table import RESULT_ICONS
from flowsery_gui.ui.suite_words import duration_text, outcome_words, result_words

if TYPE_CHECKING:
    from flowsery_gui.suites.runlog import RunGoal, RunSummary

_Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


#: The columns of the two lists (translated where shown).
RUN_HEADERS = (
    # Translators: a column header of the past suite runs: when the run started.
    N_("When"),
    # Translators: a column header of the past suite runs: the suites it ran.
    N_("Suite"),
    # Translators: a column header of the past suite runs: the profile it sent to.
    N_("Target"),
    # Translators: a column header of the past suite runs: how many goals passed.
    N_("Passed"),
    # Translators: a column header of the past suite runs: how many goals failed.
    N_("Failed"),
    # Translators: a column header of the past suite runs: how many goals were not run.
    N_("Not run"),
    # Translators: a column header of the past suite runs: how long the run took.
    N_("Took"),
)
GOAL_HEADERS = (
    # Translators: a column header of a past run's goals: the goal's title.
    N_("Goal"),
    # Translators: a column header of a past run's goals: passed, failed or not run.
    N_("Result"),
    # Translators: a column header of a past run's goals: why it had that result.
    N_("Why"),
)


def when_text(epoch: float) -> str:
    """A run's start as people read it, in the language's short format: `5/12/26, 2:03 PM`."""
    return format_datetime(epoch, "short")


def _run_cells(run: RunSummary, column: int) -> tuple[str, str | None]:
    if column == 0:
        return when_text(run.started_at), None
    if column == 1:
        return ", ".join(run.suites), None
    if column == 2:
        return run.profile, None
    if column == 3:
        return format_number(run.passed), None
    if column == 4:
        return format_number(run.failed), "error" if run.failed else None
    if column == 5:
        return format_number(run.not_run), None
    return duration_text(run.duration_ms), None


def _goal_cells(goal: RunGoal, column: int) -> tuple[str, str | None]:
    if column == 0:
        return goal.label, None
    if column == 1:
        outcome = goal.outcome.value
        return result_words(outcome), RESULT_ICONS.get(outcome)
    return goal.reason, None


class PastRuns(QWidget):
    """The list of past runs and the goals of the one picked."""

    record_chosen = Signal(object, str)  # a history id (or None when nothing was sent), words

    def __init__(self, log: SuiteRunLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = log
        run_headers = tuple(_(header) for header in RUN_HEADERS)
        self.runs: RowsModel[RunSummary] = RowsModel(run_headers, _run_cells)
        goal_headers = tuple(_(header) for header in GOAL_HEADERS)
        self.goals: RowsModel[RunGoal] = RowsModel(goal_headers, _goal_cells)
        self._asked = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        # Translators: a button that reads the list of past suite runs again.
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setAccessibleName(_("Refresh past runs"))
        self.refresh_button.setToolTip(_("Read the list of past runs again"))
        self.refresh_button.setAutoDefault(False)
        icons.set_icon(self.refresh_button, "refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.runs_table = make_table("past_runs_table", self.runs, 1, _("Past suite runs"))
        self.goals_table = make_table(
            "past_run_goals_table", self.goals, 2, _("Goals of the chosen run")
        )
        for table in (self.runs_table, self.goals_table):
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.goals_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Interactive
        )
        self.goals_table.horizontalHeader().resizeSection(0, 200)
        split.addWidget(self.runs_table)
        split.addWidget(self.goals_table)
        layout.addWidget(split, 1)
        self.runs_table.selectionModel().currentRowChanged.connect(
            lambda *_args: self._run_picked()
        )
        self.goals_table.selectionModel().currentRowChanged.connect(
            lambda *_args: self._goal_picked()
        )

    def refresh(self) -> None:
        """Read the runs again (off the GUI thread)."""
        self.log.runs(self._show_runs)

    def _show_runs(self, runs: list[RunSummary] | None) -> None:
        if runs is None:
            self.summary.setText(_("The list of past runs cannot be read now."))
            runs = []
        elif runs:
            count = len(runs)
            words = ngettext(
                "{count} run, newest first.",
                "{count} runs, newest first.",
                count,
                count=format_number(count),
            )
            self.summary.setText(words)
        else:
            self.summary.setText(_("No suite has been run yet."))
        chosen = self._asked
        self.runs.set_rows(runs)
        self.goals.set_rows([])
        for row, run in enumerate(runs):
            if run.run_id == chosen:
                self.runs_table.selectRow(row)

    def _run_picked(self) -> None:
        row = self.runs_table.currentIndex().row()
        if not 0 <= row < len(self.runs.rows):
            return
        run = self.runs.rows[row]
        self._asked = run.run_id

        def show(goals: list[RunGoal] | None) -> None:
            if self._asked == run.run_id:
                self.goals.set_rows(goals or [])

        self.log.goals(run.run_id, show)

    def _goal_picked(self) -> None:
        row = self.goals_table.currentIndex().row()
        if 0 <= row < len(self.goals.rows):
            goal = self.goals.rows[row]
            words = outcome_words(goal.label, goal.outcome.value, goal.reason)
            self.record_chosen.emit(goal.exchange_id, words)
