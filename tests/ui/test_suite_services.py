"""The suite services with no window: a run's progress in batches, faults, files, the table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from flowsery_gui import paths
from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.sending import KeySource, ResolvedKey, Target
from flowsery_gui.suites import load_suite
from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.suite_files import RECENT_MAX, SuiteFiles
from flowsery_gui.ui.suite_run import RunRequest, SuiteRunControl
from flowsery_gui.ui.suite_table import (
    RESULT,
    FailedFirstProxy,
    GoalRow,
    SuiteGoalsModel,
    expect_text,
)
from flowsery_gui.ui.tasks import TaskRunner
from tests.sandbox_helpers import sandbox_fixture  # noqa: F401  (the `sandbox` fixture)
from tests.ui.fakes import InlineTaskRunner
from tests.ui.suite_helpers import write_suite


@pytest.fixture()
def control(qapp: Any, tmp_path: Path, monkeypatch: Any) -> Iterator[SuiteRunControl]:
    """A run control on a real thread pool, with its own history file."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    tasks = TaskRunner()
    history = HistoryService(settings, tasks, lambda: ())
    made = SuiteRunControl(tasks, history)
    yield made
    tasks.drain(10000)
    history.close()


def request(path: Path, server: SandboxServer, kind: str = "sandbox", fault: str = "") -> Any:
    target = Target("Sandbox" if kind == "sandbox" else "Local", kind, server.url)
    key = ResolvedKey(server.api_key, KeySource.SANDBOX)
    return RunRequest([load_suite(path, {})], target, key, fault)


def test_a_fast_run_reaches_the_gui_thread_in_batches_not_one_signal_per_goal(
    qtbot: Any, control: SuiteRunControl, sandbox: SandboxServer, tmp_path: Path
) -> None:
    batches: list[list[Any]] = []
    control.progressed.connect(batches.append)
    finished: list[Any] = []
    control.finished.connect(finished.append)
    assert control.start(request(write_suite(tmp_path, 30), sandbox))
    control.tasks.drain(20000)  # the GUI thread is busy for the whole run
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)
    assert len(batches) == 1 and [p.done for p in batches[0]] == list(range(1, 31))
    assert finished[0].all_passed and not control.running


def test_the_fault_menu_reaches_only_a_run_on_the_built_in_sandbox(
    qtbot: Any, control: SuiteRunControl, sandbox: SandboxServer, tmp_path: Path
) -> None:
    finished: list[Any] = []
    control.finished.connect(finished.append)
    path = write_suite(tmp_path, 2)
    control.start(request(path, sandbox, kind="custom", fault="status=500"))
    control.set_fault("status=500")
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    assert finished[0].all_passed  # a custom profile never carries the fault header
    control.start(request(path, sandbox, fault="status=500"))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=20000)
    assert [r.exchange.status for r in finished[1].results] == [500, 500]


def test_a_cancel_asked_as_the_run_starts_leaves_at_most_the_goal_in_flight_sent(
    qtbot: Any, control: SuiteRunControl, sandbox: SandboxServer, tmp_path: Path
) -> None:
    finished: list[Any] = []
    control.finished.connect(finished.append)
    control.start(request(write_suite(tmp_path, 20), sandbox))
    control.cancel()
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    outcomes = [r.outcome.value for r in finished[0].results]
    assert outcomes.count("not_run") >= 19 and "cancelled" in finished[0].stopped


def test_recent_suites_are_newest_first_without_repeats_and_capped(
    qapp: Any, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    files = SuiteFiles(settings, InlineTaskRunner())
    paths_opened = [write_suite(tmp_path, 1, f"s{i}") for i in range(RECENT_MAX + 2)]
    files.open(paths_opened)
    files.open([paths_opened[0]])
    recent = files.recent()
    assert recent[0] == str(paths_opened[0].resolve()) and len(recent) == RECENT_MAX
    assert len(set(recent)) == RECENT_MAX
    again = SuiteFiles(settings, InlineTaskRunner())  # a new window remembers them
    assert again.recent() == recent


def test_failed_first_puts_failures_then_goals_not_run_before_passes(
    qapp: Any, tmp_path: Path
) -> None:
    from flowsery_gui.suites import CaseResult, Outcome

    suite = load_suite(write_suite(tmp_path, 4), {})
    model = SuiteGoalsModel()
    model.set_rows(GoalRow(suite.name, case) for case in suite.cases)
    outcomes = [Outcome.PASSED, Outcome.NOT_RUN, Outcome.FAILED, Outcome.PASSED]
    model.apply(
        [
            (i, CaseResult(case, o))
            for i, (case, o) in enumerate(zip(suite.cases, outcomes, strict=True))
        ]
    )
    proxy = FailedFirstProxy()
    proxy.setSourceModel(model)
    proxy.set_failed_first(True)
    shown = [proxy.index(r, RESULT).data() for r in range(4)]
    assert shown == ["Failed", "Not run", "Passed", "Passed"]
    assert proxy.index(2, 1).data() == "goal_000"  # file order among equals
    proxy.set_failed_first(False)
    assert [proxy.index(r, 1).data() for r in range(4)] == [f"goal_00{i}" for i in range(4)]


def test_what_a_goal_expects_is_said_in_a_few_words(tmp_path: Path) -> None:
    path = tmp_path / "e.suite.yaml"
    path.write_text(
        "goals:\n"
        "  - name: a\n"
        "  - name: b\n    expect: { status: [400, 422], message: metadata }\n"
        "  - name: C\n    expect: { refused: true }\n",
        encoding="utf-8",
    )
    cases = load_suite(path, {}).cases
    assert [expect_text(c.expect) for c in cases] == ["2xx", "400 or 422 · “metadata”", "refused"]
