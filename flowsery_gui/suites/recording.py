"""Keep a suite run: every sent goal in history, the run and its goals in the run log.

The history has no field for "sent by suite run X" yet; until it does, each goal goes in
with the caller's source ("cli" or "window") and the run log links the run to the
history ids of its goals (`RunLog.goals`, `RunLog.run_of`). Trouble keeping a run never
stops it: it becomes one note on the run's result.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from flowsery_gui.i18n import _
from flowsery_gui.sending import Target
from flowsery_gui.suites.results import CaseResult, RunResult
from flowsery_gui.suites.runlog import RunLog, RunLogError

if TYPE_CHECKING:
    from flowsery_gui.history import History


class HistoryRecorder:
    """The runner's `Recorder` over a history file: open it once, close it after the run."""

    def __init__(
        self,
        history_path: Path | str,
        *,
        source: str,
        key: str | None,
        history: History | None = None,
    ) -> None:
        """Open the history file at `history_path`, or use an open `history` (the window's,
        which stays open after `close`)."""
        from flowsery_gui.history import History, HistoryError

        self._source = source
        self._secrets = (key,) if key else ()
        self._problem: str | None = None
        self._history: History | None = history
        self._owns_history = history is None
        self._runlog: RunLog | None = None
        message = None
        if history is None:
            try:
                self._history, message = History.open(history_path, secrets=lambda: self._secrets)
            except (HistoryError, sqlite3.Error, OSError) as exc:
                self._history, message = None, _("History is off: {reason}", reason=exc)
        if message:
            self._problem = message
        if self._history is not None:
            try:
                self._runlog = RunLog(history_path)
            except RunLogError as exc:
                self._problem = _("The run is not listed: {reason}.", reason=exc)

    @property
    def problem(self) -> str | None:
        """What went wrong while keeping the run (None when nothing did)."""
        return self._problem

    def record(self, result: CaseResult, run_id: str, target: Target) -> int | None:
        """Append the case's exchange to history; its record id, or None."""
        from flowsery_gui.history import HistoryError

        if self._history is None or result.exchange is None:
            return None
        try:
            return self._history.append(
                result.exchange,
                profile=target.profile,
                source=self._source,
                goal=result.body,
                secrets=self._secrets,
            )
        except (HistoryError, sqlite3.Error, OSError) as exc:
            message = getattr(exc, "message", str(exc))
            self._problem = _("Some goals were not kept in history: {reason}.", reason=message)
            return None

    def finish(self, run: RunResult) -> None:
        """Add the run to the run log."""
        if self._runlog is None:
            return
        try:
            self._runlog.add(run, secrets=self._secrets)
        except RunLogError as exc:
            self._problem = _("The run is not listed: {reason}.", reason=exc)

    def close(self) -> None:
        """Close the history and the run log."""
        if self._runlog is not None:
            self._runlog.close()
        if self._history is not None and self._owns_history:
            self._history.close()

    def __enter__(self) -> HistoryRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
