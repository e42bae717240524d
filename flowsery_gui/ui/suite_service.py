"""Goal suites for the window, as one service on the context: files, runs and past runs.

`files` are the open suite files, `runs` the run in flight, `log` the past runs. While a run
goes on, a suite file changed on disk waits to be read again until the run ends. Nothing of
the suites core (YAML, CSV, plans, the HTTP stack) loads until a suite is opened or run.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings

from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.suite_files import SuiteFiles
from flowsery_gui.ui.suite_log import SuiteRunLog
from flowsery_gui.ui.suite_run import SuiteRunControl
from flowsery_gui.ui.tasks import TaskRunner


class SuiteService(QObject):
    """The open suite files, the run in flight and the past runs, for one run of the window."""

    def __init__(
        self,
        settings: QSettings,
        tasks: TaskRunner,
        history: HistoryService,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.files = SuiteFiles(settings, tasks, self)
        self.runs = SuiteRunControl(tasks, history, self)
        self.log = SuiteRunLog(tasks, history, self)
        self.runs.started.connect(lambda _total: self.files.hold(True))
        self.runs.finished.connect(lambda _run: self.files.hold(False))
        self.runs.refused.connect(lambda _text: self.files.hold(False))

    def shutdown(self) -> None:
        """The window is closing: abort the run in flight (before the tasks are drained)."""
        self.runs.shutdown()

    def close(self) -> None:
        """Close the run log (after the tasks were drained)."""
        self.log.close()
