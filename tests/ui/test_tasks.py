"""The task runner hands a task's outcome back on the GUI thread, and to no one once the
widget it was for is gone (a window closed while its last queries were still running)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QLabel

from flowsery_gui.ui.tasks import TaskRunner


class Shown(QLabel):
    """A widget that shows a task's outcome, as a panel does."""

    def show_result(self, result: str) -> None:
        self.setText(result)

    def show_failure(self, text: str) -> None:
        self.setText(f"failed: {text}")


def held_task(release: threading.Event, fail: bool = False) -> Any:
    def task() -> str:
        assert release.wait(10)
        if fail:
            raise ValueError("the log is gone")
        return "42 runs"

    return task


def test_an_outcome_reaches_the_widget_it_was_for(qtbot: Any) -> None:
    runner, widget, release = TaskRunner(), Shown(), threading.Event()
    runner.run(held_task(release), widget.show_result, widget.show_failure)
    release.set()
    qtbot.waitUntil(lambda: widget.text() == "42 runs", timeout=5000)
    runner.run(held_task(release, fail=True), widget.show_result, widget.show_failure)
    qtbot.waitUntil(lambda: widget.text() == "failed: ValueError", timeout=5000)


def test_an_outcome_for_a_deleted_widget_is_dropped_without_an_error(qtbot: Any) -> None:
    runner = TaskRunner()
    for fail in (False, True):
        widget, release = Shown(), threading.Event()
        runner.run(held_task(release, fail), widget.show_result, widget.show_failure)
        widget.deleteLater()
        qtbot.waitUntil(lambda w=widget: not _alive(w), timeout=5000)
        release.set()
        # Were the outcome delivered, setText on the deleted label would raise RuntimeError,
        # which pytest-qt reports as an error of this test.
        qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5000)


def _alive(widget: QLabel) -> bool:
    from shiboken6 import isValid

    return bool(isValid(widget))
