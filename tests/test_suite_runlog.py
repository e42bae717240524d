"""Past suite runs: kept in the history file, each goal linked to its history record."""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowsery_gui.history import History, Retention
from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.sending import Target
from flowsery_gui.suites.loader import load_suite
from flowsery_gui.suites.recording import HistoryRecorder
from flowsery_gui.suites.results import Outcome
from flowsery_gui.suites.runlog import RunLog
from flowsery_gui.suites.runner import SuiteRunner
from tests.sandbox_helpers import TEST_KEY, running_sandbox


@pytest.fixture(name="sandbox")
def sandbox_fixture() -> Iterator[SandboxServer]:
    with running_sandbox() as server:
        yield server


def run_suite(sandbox: SandboxServer, tmp_path: Path, history: Path, text: str):
    path = tmp_path / "tagged.suite.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    suite = load_suite(path, {})
    target = Target("Sandbox", "sandbox", sandbox.url)
    with HistoryRecorder(history, source="cli", key=TEST_KEY) as recorder:
        return SuiteRunner([suite], target, TEST_KEY, recorder=recorder).run()


SUITE = """\
suite: tagged
goals:
  - name: kept_one
  - name: kept_two
    expect: { status: 400 }
  - name: Not Sent
    expect: { refused: true }
"""


def test_every_sent_goal_is_in_history_and_linked_to_its_run(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    history_path = tmp_path / "history.sqlite3"
    run = run_suite(sandbox, tmp_path, history_path, SUITE)
    with RunLog(history_path) as log:
        (summary,) = log.runs()
        goals = log.goals(run.run_id)
    assert (summary.run_id, summary.passed, summary.failed) == (run.run_id, 2, 1)
    assert summary.suites == ("tagged",) and summary.base_url == sandbox.url
    assert [g.outcome for g in goals] == [Outcome.PASSED, Outcome.FAILED, Outcome.PASSED]
    assert goals[2].exchange_id is None  # refused locally: nothing sent, nothing kept
    history, _ = History.open(history_path)
    assert history is not None
    with history:
        names = [history.get(g.exchange_id).goal_name for g in goals[:2]]  # type: ignore[union-attr, arg-type]
    assert names == ["kept_one", "kept_two"]
    with RunLog(history_path) as log:
        assert log.run_of(goals[0].exchange_id or 0) == (run.run_id, "tagged")


def test_the_key_is_nowhere_in_the_history_file_after_a_run(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    history_path = tmp_path / "history.sqlite3"
    run_suite(sandbox, tmp_path, history_path, SUITE)
    for file in tmp_path.glob("history.sqlite3*"):
        assert TEST_KEY.encode() not in file.read_bytes()


def test_runs_are_listed_newest_first(sandbox: SandboxServer, tmp_path: Path) -> None:
    history_path = tmp_path / "history.sqlite3"
    first = run_suite(sandbox, tmp_path, history_path, SUITE)
    second = run_suite(sandbox, tmp_path, history_path, SUITE)
    with RunLog(history_path) as log:
        assert [r.run_id for r in log.runs()] == [second.run_id, first.run_id]


def test_retention_forgets_runs_older_than_every_exchange_history_keeps(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    history_path = tmp_path / "history.sqlite3"
    old = run_suite(sandbox, tmp_path, history_path, SUITE)
    new = run_suite(sandbox, tmp_path, history_path, SUITE)
    history, _ = History.open(history_path)
    assert history is not None
    with history:
        history.apply_retention(keep_last=2)  # only the newest run's two exchanges stay
    with RunLog(history_path) as log:
        assert log.apply_retention() == 1
        assert [r.run_id for r in log.runs()] == [new.run_id]
        assert log.goals(old.run_id) == []


def test_retention_by_days_forgets_old_runs(sandbox: SandboxServer, tmp_path: Path) -> None:
    history_path = tmp_path / "history.sqlite3"
    run = run_suite(sandbox, tmp_path, history_path, SUITE)
    with RunLog(history_path) as log:
        assert log.apply_retention(keep_days=1, now=run.started_at + 2 * 86400) == 1
        assert log.runs() == []


def test_a_history_that_cannot_be_written_is_a_note_and_the_run_still_ends(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    folder = tmp_path / "history-is-a-file"
    folder.write_text("not a folder", encoding="utf-8")
    run = run_suite(sandbox, tmp_path, folder / "history.sqlite3", SUITE)
    assert run.count(Outcome.PASSED) == 2
    assert any("History is off" in note for note in run.notes)


def test_the_run_log_leaves_the_history_schema_version_alone(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    history_path = tmp_path / "history.sqlite3"
    run_suite(sandbox, tmp_path, history_path, SUITE)
    conn = sqlite3.connect(history_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()
    history, message = History.open(history_path)
    assert history is not None and message is None
    history.close()


def test_a_new_run_follows_the_retention_days_the_history_keeps(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    history_path = tmp_path / "history.sqlite3"
    old = run_suite(sandbox, tmp_path, history_path, SUITE)
    conn = sqlite3.connect(history_path)
    try:
        with conn:
            conn.execute("UPDATE suite_runs SET started_at = started_at - 3 * 86400")
    finally:
        conn.close()
    history, _ = History.open(history_path)
    assert history is not None
    with history:
        history.set_retention(Retention(keep_days=2))  # as the window's setting does
    new = run_suite(sandbox, tmp_path, history_path, SUITE)
    with RunLog(history_path) as log:
        assert [r.run_id for r in log.runs()] == [new.run_id]
        assert log.goals(old.run_id) == []


def test_an_open_history_can_be_shared_and_stays_open_after_the_run(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    history_path = tmp_path / "history.sqlite3"
    history, _ = History.open(history_path)
    assert history is not None
    suite_path = tmp_path / "shared.suite.yaml"
    suite_path.write_text("goals: [{name: shared}]\n", encoding="utf-8")
    target = Target("Sandbox", "sandbox", sandbox.url)
    with HistoryRecorder(history_path, source="window", key=TEST_KEY, history=history) as rec:
        SuiteRunner([load_suite(suite_path, {})], target, TEST_KEY, recorder=rec).run()
    with history:
        assert history.count() == 1  # still open: the recorder did not close it
