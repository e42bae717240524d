"""A suite run from the window: the core runner on a worker, its progress back on the GUI thread.

The runner (`suites.runner.SuiteRunner`) is made and run on the task runner: it imports the
HTTP stack and blocks for the whole run. Each goal's progress is handed over by a queued
signal, batched: the worker signals only when the batch was empty, and the GUI thread takes
everything that arrived since in one go, at most every BATCH_MS, so a fast run costs the
event loop one short slot (and one repaint) per batch, never one per goal. Every sent goal
is kept in history and the run in the run log (`HistoryRecorder`). A service: no widget.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from flowsery_gui.i18n import _
from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.sending import ResolvedKey, Target
    from flowsery_gui.suites import Progress, RunResult, Suite
    from flowsery_gui.suites.runner import PlanCheck, SuiteRunner


BATCH_MS = 50  # the list, the bar and the count are brought up to date at most this often


class RunRequest(NamedTuple):
    """Everything a run needs, gathered on the GUI thread before it starts."""

    suites: Sequence[Suite]
    target: Target
    key: ResolvedKey
    fault: str = ""  # the sandbox fault (for the built-in sandbox only)
    production_confirmed: bool = False
    plan_checks: Mapping[Path, PlanCheck] | None = None


class SuiteRunControl(QObject):
    """Starts one run at a time, cancels it, follows the fault menu; reports by signal."""

    started = Signal(int)  # how many goals the run has
    progressed = Signal(list)  # the Progress of every goal ended since the last batch
    finished = Signal(object)  # the RunResult
    refused = Signal(str)  # the run could not start (or broke): why, in plain words
    _arrived = Signal()  # from the worker: a batch is waiting

    def __init__(self, tasks: TaskRunner, history: HistoryService, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.history = history
        self._lock = threading.Lock()
        self._batch: list[Progress] = []
        self._runner: SuiteRunner | None = None
        self._running = False
        self._cancel: bool | None = None  # None: no cancel asked; else abort_in_flight
        self._fault = ""
        self._sandbox = False
        self._delivered_at = 0.0
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._deliver)
        self._arrived.connect(self._soon, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True from `start` until the run's result (or refusal) is delivered."""
        return self._running

    def start(self, request: RunRequest) -> bool:
        """Start a run on the task runner; False when one is already going."""
        if self._running:
            return False
        self._running = True
        self._cancel = None
        self._fault = request.fault if request.target.kind == "sandbox" else ""
        self._sandbox = request.target.kind == "sandbox"
        self.started.emit(sum(len(suite.cases) for suite in request.suites))
        self.tasks.run(lambda: self._work(request), self._done, self._crashed)
        return True

    def cancel(self, abort_in_flight: bool = False) -> None:
        """Stop after the goal in flight (the rest are not run); `abort_in_flight` stops that
        one too (the server may still have recorded it)."""
        with self._lock:
            if not self._running:
                return
            self._cancel = abort_in_flight or bool(self._cancel)
            runner = self._runner
        if runner is not None:
            runner.cancel(abort_in_flight=abort_in_flight)

    def set_fault(self, spec: str) -> None:
        """The Sandbox Fault menu changed: a run on the built-in sandbox follows it from its
        next goal on. A run elsewhere never gets a fault."""
        with self._lock:
            if not self._sandbox:
                return
            self._fault = spec
            runner = self._runner
        if runner is not None:
            runner.set_sandbox_fault(spec)

    # On the worker ------------------------------------------------------------------------
    def _work(self, request: RunRequest) -> RunResult | str:
        from flowsery_gui import paths
        from flowsery_gui.suites.recording import HistoryRecorder
        from flowsery_gui.suites.runner import RunRefused, SuiteRunner

        self.history.open()
        store = self.history.store
        history_path = store.path if store is not None else paths.history_path()
        secret = request.key.key
        with HistoryRecorder(history_path, source="window", key=secret, history=store) as kept:
            with self._lock:
                runner = SuiteRunner(
                    request.suites,
                    request.target,
                    request.key,
                    sandbox_fault=self._fault,
                    production_confirmed=request.production_confirmed,
                    plan_checks=request.plan_checks,
                    on_progress=self._post,
                    recorder=kept,
                )
                self._runner = runner
                if self._cancel is not None:  # asked before the runner existed
                    runner.cancel(abort_in_flight=self._cancel)
            try:
                return runner.run()
            except RunRefused as exc:
                return str(exc)
            finally:
                with self._lock:
                    self._runner = None

    def _post(self, progress: Progress) -> None:
        with self._lock:
            first = not self._batch
            self._batch.append(progress)
        if first:
            self._arrived.emit()

    # On the GUI thread --------------------------------------------------------------------
    def _soon(self) -> None:
        """A batch is waiting: hand it over now, or when BATCH_MS have passed since the last."""
        wait_ms = BATCH_MS - (time.monotonic() - self._delivered_at) * 1000
        if wait_ms <= 0:
            self._deliver()
        elif not self._later.isActive():
            self._later.start(int(wait_ms) + 1)

    def _deliver(self) -> None:
        self._later.stop()
        self._delivered_at = time.monotonic()
        with self._lock:
            batch, self._batch = self._batch, []
        if batch:
            self.progressed.emit(batch)

    def _done(self, result: Any) -> None:
        self._deliver()  # whatever is left, before the end
        self._running = False
        if isinstance(result, str):
            self.refused.emit(result)
        else:
            self.finished.emit(result)
        self.history.recount()

    def _crashed(self, text: str) -> None:
        self._deliver()
        self._running = False
        # Translators: {problem} is the name of a Python exception, such as MemoryError.
        words = _(
            "Something went wrong inside the app during the run ({problem}). Please report it.",
            problem=text,
        )
        self.refused.emit(words)
        self.history.recount()

    def shutdown(self) -> None:
        """The window is closing: abort the goal in flight too (the run log keeps the run)."""
        self.cancel(abort_in_flight=True)
