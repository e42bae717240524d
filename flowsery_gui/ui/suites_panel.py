"""The Suites tab: the open suites' goals with their last results, runs, and past runs.

It shows what the suite service holds and raises intents: open a suite, run these goals,
cancel the run. The run itself (target, consent, key) is `suite_flow`'s. Progress arrives in
batches (`SuiteRunControl.progressed`) and costs one table repaint per batch. Picking a goal
shows its exchange below, in a response panel of the tab's own. The rows' bookkeeping (what a
file read again keeps, what a run is given) is `suite_rows`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.i18n import N_, _
from flowsery_gui.ui.flow_layout import FlowLayout
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.response_panel import plain_label
from flowsery_gui.ui.row_table import make_table
from flowsery_gui.ui.suite_detail import GoalDetail
from flowsery_gui.ui.suite_files import OpenSuite
from flowsery_gui.ui.suite_past_runs import PastRuns
from flowsery_gui.ui.suite_rows import pick_run, rows_read_again
from flowsery_gui.ui.suite_run_bar import RunBar
from flowsery_gui.ui.suite_service import SuiteService
from flowsery_gui.ui.suite_table import (
    EXPECT,
    GOAL,
    SUITE,
    TIME,
    WAITING,
    FailedFirstProxy,
    GoalRow,
    SuiteGoalsModel,
)
from flowsery_gui.ui.suite_words import all_suites_text, problem_text, suite_choice_text

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QResizeEvent

    from flowsery_gui.exchange import Exchange
    from flowsery_gui.suites import Progress, RunResult
    from flowsery_gui.suites.runlog import RunGoal

ALL = "__all__"
NARROW = {TIME: 460, EXPECT: 360}  # px: below these widths the list leaves those columns out
NO_SUITE_HINT = N_(  # translated where shown; {shortcut} is the key, never translated
    "Open a goal suite (a *.suite.yaml file) to run its goals and see what came back: "
    "File > Open Suite… ({shortcut})."
)


def tool_button(text: str, name: str, tip: str) -> QToolButton:
    """A small text button (the tab may be narrow) with its accessible name and a tip."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(name)
    return button


class SuitesPanel(QWidget):
    """Open suites, their goals and results; Run all, Run selected, Cancel; past runs."""

    open_requested = Signal()
    run_requested = Signal(object)  # a RunPick
    cancel_requested = Signal(bool)  # True: abort the goal in flight too
    exchange_opened = Signal(object)  # a goal's Exchange, to show in the Response tab
    status = Signal(str, int)  # words for the status bar, and for how many ms

    def __init__(self, suites: SuiteService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suites = suites
        self.model = SuiteGoalsModel(self)
        self.proxy = FailedFirstProxy(self)
        self.proxy.setSourceModel(self.model)
        self._rows: dict[Path, list[GoalRow]] = {}  # every open suite's rows, across views
        self._pending: list[GoalRow] = []  # the rows of a run asked for, until it starts
        self._running: list[GoalRow] = []  # the rows of the run in flight, in run order
        self._build()
        files, runs = suites.files, suites.runs
        files.changed.connect(self._files_changed)
        runs.started.connect(self._started)
        runs.progressed.connect(self._progressed)
        runs.finished.connect(self._finished)
        runs.refused.connect(self._refused)
        self._files_changed()
        self.past.refresh()

    # Building -----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 2, 4)
        top = QHBoxLayout()
        self.chooser = QComboBox()
        self.chooser.setAccessibleName(_("Suite shown"))
        self.chooser.setMinimumContentsLength(6)
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # Translators: the label of the list of open suites; keep a mnemonic (&).
        label = QLabel(_("S&uite:"))
        label.setBuddy(self.chooser)
        # Translators: a small button that opens goal suite files.
        self.open_button = tool_button(_("Open…"), _("Open suites"), _("Open goal suite files"))
        # Translators: a small button that closes the suite shown.
        self.close_button = tool_button(_("Close"), _("Close suite"), _("Close the suite shown"))
        top.addWidget(label)
        top.addWidget(self.chooser, 1)
        files = FlowLayout()  # Close goes under Open in a narrow pane, not past the window
        files.addWidget(self.open_button)
        files.addWidget(self.close_button)
        top.addLayout(files)
        layout.addLayout(top)
        self.bar = RunBar()
        layout.addWidget(self.bar)
        self.note = plain_label()
        self.note.setObjectName("suite_note")
        self.note.hide()
        layout.addWidget(self.note)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self.inner = QTabWidget()
        self.inner.setDocumentMode(True)
        goals_page = QWidget()
        goals_layout = QVBoxLayout(goals_page)
        goals_layout.setContentsMargins(0, 4, 0, 0)
        self.hint = plain_label(_(NO_SUITE_HINT, shortcut="Ctrl+Shift+O"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table = self._goal_table()
        # Translators: a check box that sorts the list: failed goals first.
        self.failed_first = QCheckBox(_("Failed first"))
        self.failed_first.setToolTip(_("List failed goals first, then those not run"))
        goals_layout.addWidget(self.failed_first)
        goals_layout.addWidget(self.hint)
        goals_layout.addWidget(self.table, 1)
        # Translators: a tab of the Suites tab: the goals of the open suites.
        self.inner.addTab(goals_page, _("Goals"))
        self.past = PastRuns(self.suites.log)
        self.inner.addTab(self.past, _("Past runs"))
        self.detail = GoalDetail(self.suites.log)
        split.addWidget(self.inner)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 1000])  # half and half, whatever the lists would like
        layout.addWidget(split, 1)

        self.chooser.currentIndexChanged.connect(lambda _i: self._show_chosen())
        self.open_button.clicked.connect(self.open_requested)
        self.close_button.clicked.connect(self._close_chosen)
        self.bar.run_all.connect(self.run_all)
        self.bar.run_selected.connect(self.run_selected)
        self.bar.cancel.connect(self.cancel_requested)
        self.failed_first.toggled.connect(self.proxy.set_failed_first)
        self.past.record_chosen.connect(lambda rid, words: self.detail.show_record(rid, words))

    def _goal_table(self) -> QTableView:
        table = make_table("suite_goals_table", self.proxy, GOAL, _("Goals of the suite"))
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.selectionModel().currentRowChanged.connect(lambda *_args: self._goal_picked())
        table.activated.connect(lambda _index: self._open_current())  # Enter, double-click
        table.selectionModel().selectionChanged.connect(lambda *_args: self._render_buttons())
        return table

    # The open suites ----------------------------------------------------------------------
    def _files_changed(self) -> None:
        open_now = self.suites.files.suites
        for suite in open_now:
            self._rows[suite.path] = self._rows_for(suite)
        for path in set(self._rows) - {s.path for s in open_now}:
            del self._rows[path]
        chosen = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if len(open_now) > 1:
            total = sum(len(self._rows[s.path]) for s in open_now)
            self.chooser.addItem(all_suites_text(total), ALL)
        for suite in open_now:
            words = suite_choice_text(suite.name, len(self._rows[suite.path]))
            self.chooser.addItem(words, str(suite.path))
            where = self.chooser.count() - 1
            self.chooser.setItemData(where, tooltip(str(suite.path)), Qt.ItemDataRole.ToolTipRole)
        index = self.chooser.findData(chosen)
        self.chooser.setCurrentIndex(index if index >= 0 else self.chooser.count() - 1)
        self.chooser.blockSignals(False)
        self._show_chosen()

    def _rows_for(self, suite: OpenSuite) -> list[GoalRow]:
        """The suite's goals as rows; a file read again keeps each goal's last result (by
        its label)."""
        old = self._rows.get(suite.path, [])
        if suite.suite is None or [row.case for row in old] == list(suite.suite.cases):
            return old
        rows = rows_read_again(suite.suite, old)
        if not old:
            self._fill_from_log(suite.suite.name, rows)
        return rows

    def _fill_from_log(self, name: str, rows: list[GoalRow]) -> None:
        """Goals with no result yet get their newest result from past runs."""

        def fill(found: dict[str, RunGoal] | None) -> None:
            for row in rows:
                goal = (found or {}).get(row.case.label)
                if goal is not None and not row.outcome:
                    row.outcome, row.reason = goal.outcome.value, goal.reason
                    row.history_id, row.from_log = goal.exchange_id, True
            self.model.refresh()

        self.suites.log.last_results(name, fill)

    def chosen_suites(self) -> list[OpenSuite]:
        """The suites the list shows: the one chosen, or all open ones."""
        data = self.chooser.currentData()
        return [s for s in self.suites.files.suites if data in (ALL, str(s.path))]

    def _show_chosen(self) -> None:
        chosen = self.chosen_suites()
        self.model.set_rows(row for suite in chosen for row in self._rows.get(suite.path, []))
        self.table.setColumnHidden(SUITE, len(chosen) < 2)
        self.hint.setVisible(not chosen)
        self.table.setVisible(bool(chosen))
        self.failed_first.setVisible(bool(chosen))
        notes = [problem_text(s.error) for s in chosen if s.error is not None]
        notes += [
            _("{name} changed on disk; it is read again when this run ends.", name=s.path.name)
            for s in chosen
            if s.changed_during_run
        ]
        notes += [note for s in chosen if s.suite is not None for note in s.suite.notes]
        self._set_note(notes)
        self._render_buttons()

    def _set_note(self, notes: list[str]) -> None:
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))

    def _close_chosen(self) -> None:
        for suite in self.chosen_suites():
            self.suites.files.close(suite.path)

    # Runs ---------------------------------------------------------------------------------
    def run_all(self) -> None:
        """Ask to run every goal in the list."""
        self._ask_run(set(self.model.rows))

    def run_selected(self) -> None:
        """Ask to run the goals selected in the list (in file order)."""
        indexes = self.table.selectionModel().selectedRows()
        self._ask_run({self.model.rows[self.proxy.mapToSource(i).row()] for i in indexes})

    def _ask_run(self, wanted: set[GoalRow]) -> None:
        chosen = self.chosen_suites()
        broken = [s for s in chosen if not s.runnable]
        if broken:
            words = _("{name} cannot be run until it is fixed.", name=broken[0].path.name)
            self.status.emit(words, 8000)
            return
        pick = pick_run(chosen, self._rows, wanted)
        if pick is None:
            self.status.emit(_("Pick the goals to run in the list first."), 5000)
            return
        self._pending = pick.rows
        self.run_requested.emit(pick)

    def _started(self, total: int) -> None:
        self._running, self._pending = self._pending, []
        running = set(self._running)
        for row in self._running:
            row.outcome = WAITING
        self.model.mark_waiting([i for i, row in enumerate(self.model.rows) if row in running])
        self.bar.started(total)
        self._render_buttons()

    def _progressed(self, batch: list[Progress]) -> None:
        shown = {row: i for i, row in enumerate(self.model.rows)}
        updates = []
        ended = set()
        for progress in batch:
            if progress.done > len(self._running):
                continue
            row = self._running[progress.done - 1]
            ended.add(row)
            if row in shown:
                updates.append((shown[row], progress.result))
            else:  # not on show (another suite is chosen): kept for when it is
                row.take(progress.result)
        self.model.apply(updates)
        self.bar.progressed(batch[-1])
        if self._current_row() in ended:
            self._goal_picked()  # the goal on show below has just ended

    def _finished(self, run: RunResult) -> None:
        self.bar.ended(run)
        self._running = []
        if run.notes:
            self._set_note(list(run.notes))
        self._render_buttons()
        self.past.refresh()

    def _refused(self, text: str) -> None:
        for row in self._running:
            if row.outcome == WAITING:
                row.outcome = ""
        self._running = []
        self.model.refresh()
        self.bar.ended(None, text)
        self._render_buttons()

    def _render_buttons(self) -> None:
        chosen = self.chosen_suites()
        running = self.suites.runs.running
        self.bar.enable(
            can_run=bool(chosen) and all(s.runnable for s in chosen),
            has_selection=self.table.selectionModel().hasSelection(),
            running=running,
        )
        self.close_button.setEnabled(bool(chosen) and not running)
        self.chooser.setEnabled(self.chooser.count() > 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for column, below in NARROW.items():  # the goal and its result matter most
            self.table.setColumnHidden(column, event.size().width() < below)

    # Picking ------------------------------------------------------------------------------
    def _current_row(self) -> GoalRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()]

    def _goal_picked(self) -> None:
        row = self._current_row()
        if row is not None:
            self.detail.show_row(row)

    def _open_current(self) -> None:
        """Ask for the picked goal's exchange to be shown in the Response tab."""
        row = self._current_row()
        if row is None:
            return
        if row.exchange is not None:
            self.exchange_opened.emit(row.exchange)
        elif row.history_id is not None:
            self.suites.log.exchange(row.history_id, self._open_found)

    def _open_found(self, exchange: Exchange | None) -> None:
        if exchange is not None:
            self.exchange_opened.emit(exchange)

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows of the list (by their place in file order), as a click would."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.proxy.mapFromSource(self.model.index(row, GOAL)), flags)
        if rows:
            current = self.proxy.mapFromSource(self.model.index(rows[0], GOAL))
            selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
