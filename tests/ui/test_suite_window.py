"""Goal suites in the window, driven as a person would, against the real embedded sandbox."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from flowsery_gui import paths
from flowsery_gui.suites.runlog import RunLog
from flowsery_gui.ui.actions import ActionId
from flowsery_gui.ui.suite_table import GOAL, RESULT
from tests.ui.suite_helpers import HAND_COMMENT, RunGate, ScriptedPrompts, write_suite

pytestmark = pytest.mark.slow


@pytest.fixture()
def suite_window(
    make_window: Any, monkeypatch: Any, tmp_path: Path
) -> Iterator[tuple[Any, ScriptedPrompts]]:
    """A window with its own history file and scripted file and title answers."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    window = make_window()
    prompts = ScriptedPrompts()
    window.suite_flow.prompts = prompts
    yield window, prompts


def open_suite(qtbot: Any, window: Any, prompts: ScriptedPrompts, path: Path) -> Any:
    """File > Open Suite…, answer with `path`, wait until its goals are listed."""
    prompts.files = [str(path)]
    window.actions_[ActionId.OPEN_SUITE].trigger()
    panel = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: window.ctx.suites.files.find(path) is not None, timeout=10000)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=5000)
    return panel


def results(panel: Any) -> list[str]:
    """The Result column as shown, in the list's order."""
    model = panel.table.model()
    return [model.index(row, RESULT).data() for row in range(model.rowCount())]


def test_a_50_goal_run_follows_a_fault_set_halfway_stops_on_cancel_and_is_kept_in_history(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    path = write_suite(tmp_path, 50)
    panel = open_suite(qtbot, window, prompts, path)
    assert panel.model.rowCount() == 50 and window.tabs.currentWidget() is panel
    gate = RunGate(window.ctx.suites.runs, 25, 35)
    try:
        qtbot.mouseClick(panel.bar.run_all_button, Qt.MouseButton.LeftButton)
        assert gate.reached[25].wait(20)
        qtbot.waitUntil(lambda: panel.bar.progress.value() == 25, timeout=10000)
        assert panel.bar.count.text() == "25 of 50 goals: 25 passed, 0 failed, 0 not run"
        assert not panel.bar.run_all_button.isEnabled() and panel.bar.cancel_button.isEnabled()
        window.fault_menu.choices["status=500"].trigger()  # Goal > Sandbox Fault > 500
        gate.release(25)
        assert gate.reached[35].wait(20)
        qtbot.waitUntil(lambda: panel.bar.progress.value() == 35, timeout=10000)
        qtbot.mouseClick(panel.bar.cancel_button, Qt.MouseButton.LeftButton)
        gate.release(35)
        qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    finally:
        gate.release_all()
    shown = results(panel)
    assert shown == ["Passed"] * 25 + ["Failed"] * 10 + ["Not run"] * 15
    assert panel.bar.count.text().startswith("Stopped after")
    assert "25 passed, 10 failed, 15 not run" in panel.bar.count.text()
    assert "cancelled" in panel.model.rows[40].reason

    # A failed goal opens its exchange below the list.
    panel.table.selectRow(30)
    qtbot.waitUntil(lambda: "500" in panel.detail.response.chip.text(), timeout=5000)
    assert "Failed" in panel.detail.reason.text()

    # Failed first, on request.
    panel.failed_first.setChecked(True)
    model = panel.table.model()
    assert [model.index(r, RESULT).data() for r in (0, 9, 10, 24, 25)] == [
        "Failed",
        "Failed",
        "Not run",
        "Not run",
        "Passed",
    ]
    assert model.index(0, GOAL).data() == "goal_025"

    # Every sent goal is in history, tagged with the suite and the run.
    store = window.ctx.history.store
    assert store.count() == 35
    with RunLog(store.path) as log:
        (run,) = log.runs()
        goals = log.goals(run.run_id)
        assert (run.passed, run.failed, run.not_run) == (25, 10, 15)
        sent = [g.exchange_id for g in goals if g.exchange_id is not None]
        assert len(sent) == 35
        assert log.run_of(sent[0]) == (run.run_id, "fifty")
    qtbot.waitUntil(lambda: window.history_label.text().startswith("History: 35"), timeout=5000)
    window.tabs.show_history()
    history = window.history_panel
    qtbot.waitUntil(lambda: history.model.rowCount() == 35, timeout=5000)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.suite_tag.isVisible(), timeout=5000)
    assert history.suite_tag.text() == f"suite: fifty (run {run.run_id})"

    # The run is listed with the past runs, and picking it shows its goals.
    window.actions_[ActionId.SHOW_SUITES].trigger()
    panel.inner.setCurrentWidget(panel.past)
    qtbot.waitUntil(lambda: panel.past.runs.rowCount() == 1, timeout=5000)
    panel.past.runs_table.selectRow(0)
    qtbot.waitUntil(lambda: panel.past.goals.rowCount() == 50, timeout=5000)
    assert panel.past.runs.index(0, 1).data() == "fifty"
    assert panel.past.runs.index(0, 4).data() == "10"


def type_goal(window: Any, name: str, metadata: tuple[tuple[str, str], ...] = ()) -> None:
    """Fill the form (as a paste would)."""
    from flowsery_gui.contract import Draft

    window.form.load(Draft(name=name, metadata=metadata), touched=True)


def test_add_to_suite_puts_the_form_at_the_end_and_keeps_the_hand_written_comment(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    path = write_suite(tmp_path, 2)
    before = path.read_text(encoding="utf-8")
    panel = open_suite(qtbot, window, prompts, path)
    type_goal(window, "newsletter_signup", (("plan", "pro"), ("value", "49.00")))
    prompts.add_to, prompts.title = str(path), "signup from the popup"
    window.actions_[ActionId.ADD_TO_SUITE].trigger()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=10000)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before) and HAND_COMMENT in after
    assert after[len(before) :] == (
        "  - title: signup from the popup\n"
        "    name: newsletter_signup\n"
        "    metadata: {plan: pro, value: '49.00'}\n"
    )
    assert panel.model.rows[2].case.label == "signup from the popup"
    assert "Added “signup from the popup”" in window.statusBar().currentMessage()


def test_a_goal_the_rules_refuse_is_added_only_after_asking_and_must_then_be_refused(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    path = write_suite(tmp_path, 1)
    type_goal(window, "Newsletter Signup")
    prompts.add_to = str(path)
    window.actions_[ActionId.ADD_TO_SUITE].trigger()  # the scripted person says no
    assert window.ask.asked[-1][0] == "confirm" and "rules" in window.ask.asked[-1][1]
    assert "suite_to_add_to" not in prompts.asked
    window.ask.confirm_answers = [True]
    window.actions_[ActionId.ADD_TO_SUITE].trigger()
    qtbot.waitUntil(lambda: "refused: true" in path.read_text(encoding="utf-8"), timeout=10000)


def test_save_as_suite_turns_history_requests_into_a_suite_that_runs_them_again(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    for name in ("first_goal", "second_goal"):
        type_goal(window, name)
        assert window.send_flow.send()
        qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    window.tabs.show_history()
    history = window.history_panel
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    assert not history.buttons["suite"].isEnabled()
    history.table.selectAll()
    target = tmp_path / "saved"
    prompts.new_file = str(target) + ".suite.yaml"
    qtbot.mouseClick(history.buttons["suite"], Qt.MouseButton.LeftButton)
    saved = Path(prompts.new_file)
    qtbot.waitUntil(lambda: window.ctx.suites.files.find(saved) is not None, timeout=10000)
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("# Saved from the Flowsery Goal Tester's history: 2 requests")
    assert "suite: saved\n" in text
    panel = window.tabs.currentWidget()
    assert [row.case.label for row in panel.model.rows] == ["first_goal", "second_goal"]


def test_a_suite_changed_on_disk_is_read_again_but_a_run_keeps_the_version_it_started_with(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    path = write_suite(tmp_path, 3)
    panel = open_suite(qtbot, window, prompts, path)
    path.write_text(path.read_text(encoding="utf-8") + "  - name: added_in_an_editor\n")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10000)

    gate = RunGate(window.ctx.suites.runs, 1)
    try:
        panel.run_all()
        assert gate.reached[1].wait(20)
        path.write_text(path.read_text(encoding="utf-8") + "  - name: added_during_the_run\n")
        qtbot.waitUntil(lambda: "changed on disk" in panel.note.text(), timeout=10000)
        assert panel.model.rowCount() == 4
        gate.release(1)
        qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    finally:
        gate.release_all()
    assert "All 4 goals passed" in panel.bar.count.text()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5, timeout=10000)
    assert results(panel) == ["Passed"] * 4 + ["—"]


def test_a_bad_suite_is_named_with_its_line_and_key_and_nothing_open_is_lost(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    good = write_suite(tmp_path, 2)
    panel = open_suite(qtbot, window, prompts, good)
    bad = tmp_path / "bad.suite.yaml"
    bad.write_text("goals:\n  - name: a\n    visitorUID: x\n", encoding="utf-8")
    prompts.files = [str(bad)]
    window.actions_[ActionId.OPEN_SUITE].trigger()
    qtbot.waitUntil(lambda: any(kind == "warn" for kind, _ in window.ask.asked), timeout=10000)
    words = next(text for kind, text in window.ask.asked if kind == "warn")
    assert str(bad) in words and "Line 3, key visitorUID" in words and "visitorUid" in words
    assert [s.path for s in window.ctx.suites.files.suites] == [good.resolve()]
    assert window.ctx.suites.files.recent() == [str(good.resolve())]  # not the bad one
    assert panel.model.rowCount() == 2

    # The open file breaks on disk: its last good version stays listed, and cannot run.
    good.write_text("goals: [\n", encoding="utf-8")
    qtbot.waitUntil(lambda: "line" in panel.note.text(), timeout=10000)
    assert panel.model.rowCount() == 2 and not panel.bar.run_all_button.isEnabled()
    assert len([kind for kind, _ in window.ask.asked if kind == "warn"]) == 1  # no pop-up


def test_a_run_to_production_asks_once_naming_how_many_goals_will_count(
    qtbot: Any, suite_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    window, prompts = suite_window
    path = write_suite(tmp_path, 3)
    panel = open_suite(qtbot, window, prompts, path)
    sandbox = window.target.ensure_sandbox()
    window.target.set_profile("Production")
    window.target.use_for_this_run("Production", sandbox.api_key)
    # Production's goals go to the sandbox here: a test never sends to the real API.
    monkeypatch.setattr(window.target, "base_url", lambda: sandbox.url)
    panel.run_all()  # the scripted person says no
    (question,) = [text for kind, text in window.ask.asked if kind == "confirm"]
    assert "This run sends up to 3 goals to Production" in question
    assert not window.ctx.suites.runs.running and results(panel) == ["—"] * 3
    window.ask.confirm_answers = [True]
    panel.run_all()
    qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    assert results(panel) == ["Passed"] * 3
    assert len([kind for kind, _ in window.ask.asked if kind == "confirm"]) == 2  # once a run


def test_raw_bodies_and_expected_rejections_judge_the_same_in_the_window_and_the_cli(
    qtbot: Any, suite_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from flowsery_gui.sandbox import SandboxServer
    from flowsery_gui.suites import commands

    window, prompts = suite_window
    path = tmp_path / "negative.suite.yaml"
    path.write_text(
        "suite: negative paths\n"
        "goals:\n"
        "  - title: a number is refused by the server\n"
        '    body: \'{"name": "raw_case", "metadata": {"n": 1}}\'\n'
        "    expect: { status: 400, message: metadata }\n"
        "  - title: no name at all\n"
        "    body: '{}'\n"
        "    expect: { status: 4xx }\n"
        "  - title: this one expects the wrong status\n"
        '    body: \'{"name": "fine"}\'\n'
        "    expect: { status: 400 }\n"
        "  - title: the local rules refuse capitals\n"
        "    name: Bad Name\n"
        "    expect: { refused: true }\n",
        encoding="utf-8",
    )
    panel = open_suite(qtbot, window, prompts, path)
    panel.run_all()
    qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    in_window = results(panel)
    assert in_window == ["Passed", "Passed", "Failed", "Passed"]

    server = SandboxServer(host="127.0.0.1", port=0, api_key="flow_cli_test_key").start()
    try:
        monkeypatch.setenv("FLOWSERY_API_KEY", "flow_cli_test_key")
        report = tmp_path / "cli.json"
        code = commands.main(["run", str(path), "--base-url", server.url, "--json", str(report)])
    finally:
        server.stop()
    import json

    cases = [case for suite in json.loads(report.read_text())["suites"] for case in suite["cases"]]
    from_cli = [case["outcome"] for case in cases]
    assert code == 1
    words = {"passed": "Passed", "failed": "Failed", "not_run": "Not run"}
    assert [words[outcome] for outcome in from_cli] == in_window


def test_recent_suites_are_remembered_and_reopened_from_the_file_menu(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    first, second = write_suite(tmp_path, 1, "first"), write_suite(tmp_path, 1, "second")
    open_suite(qtbot, window, prompts, first)
    open_suite(qtbot, window, prompts, second)
    menu = next(
        action.menu()
        for action in window.menuBar().actions()[0].menu().actions()
        if action.menu() is not None and "S&uites" in action.text()  # (not the recent plans)
    )
    menu.aboutToShow.emit()
    labels = [action.text() for action in menu.actions()]
    assert labels == ["&1 second.suite.yaml", "&2 first.suite.yaml"]
    window.ctx.suites.files.close(first.resolve())
    menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: window.ctx.suites.files.find(first) is not None, timeout=10000)


def test_past_runs_go_with_the_history_that_holds_their_goals(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    panel = open_suite(qtbot, window, prompts, write_suite(tmp_path, 2))
    panel.run_all()
    qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    qtbot.waitUntil(lambda: panel.past.runs.rowCount() == 1, timeout=5000)
    window.ctx.history.clear()  # History > Clear all…
    qtbot.waitUntil(lambda: window.ctx.history.count == 0, timeout=5000)
    qtbot.mouseClick(panel.past.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.past.runs.rowCount() == 0, timeout=5000)
    assert panel.past.summary.text() == "No suite has been run yet."


def test_the_suites_tab_is_reached_by_keyboard_in_visual_order_and_tab_leaves_its_list(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    panel = open_suite(qtbot, window, prompts, write_suite(tmp_path, 3))
    assert window.actions_[ActionId.SHOW_SUITES].shortcuts()[0].toString() == "Ctrl+4"
    panel.table.selectRow(0)
    order = [
        panel.chooser,
        panel.open_button,
        panel.close_button,
        panel.bar.run_all_button,
        panel.bar.run_selected_button,
    ]
    for widget in order:
        assert widget.accessibleName() or widget.text()
    panel.chooser.setFocus()
    for before, after in itertools.pairwise(order):
        assert before.nextInFocusChain() is after or _next_focusable(before) is after
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Tab)
    assert not panel.table.hasFocus()
    shortcuts = [
        seq.toString() for action in window.actions_.values() for seq in action.shortcuts()
    ]
    assert len(shortcuts) == len(set(shortcuts)), "two actions share a shortcut"


def _next_focusable(widget: Any) -> Any:
    nxt = widget.nextInFocusChain()
    while not (nxt.focusPolicy() & Qt.FocusPolicy.TabFocus) or not nxt.isVisible():
        nxt = nxt.nextInFocusChain()
    return nxt


def test_enter_on_a_goal_opens_its_exchange_in_the_response_tab(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    panel = open_suite(qtbot, window, prompts, write_suite(tmp_path, 2))
    panel.run_all()
    qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    panel.table.selectRow(1)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.tabs.response, timeout=5000)
    assert "200" in window.tabs.response.chip.text()


def test_closing_the_window_mid_run_aborts_the_goal_in_flight_and_keeps_the_run(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    panel = open_suite(qtbot, window, prompts, write_suite(tmp_path, 5))
    window.fault_menu.choices["delay=5"].trigger()  # Goal > Sandbox Fault > Slow answer
    panel.run_all()
    qtbot.waitUntil(lambda: panel.bar.cancel_button.isEnabled(), timeout=5000)
    history_path = window.ctx.history.store.path
    window.close()
    with RunLog(history_path) as log:
        (run,) = log.runs()
    # The goal in flight (if the first had left yet) was aborted; none after it ran.
    assert run.passed == 0 and run.failed <= 1 and run.failed + run.not_run == 5
    assert "cancelled" in run.stopped


def test_a_rows_file_changed_on_disk_is_read_again_and_a_broken_one_is_named_until_fixed(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    rows = tmp_path / "people.csv"
    rows.write_text("name,plan\nsignup_a,free\nsignup_b,pro\n", encoding="utf-8")
    path = tmp_path / "rows.suite.yaml"
    path.write_text(
        "suite: rows\ngoals:\n  - name: signup\n    rows: people.csv\n", encoding="utf-8"
    )
    panel = open_suite(qtbot, window, prompts, path)
    assert panel.model.rowCount() == 2

    # A QA engineer adds a row in a spreadsheet: the suite file itself is untouched.
    rows.write_text("name,plan\nsignup_a,free\nsignup_b,pro\nsignup_c,team\n", encoding="utf-8")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=10000)

    # The rows file breaks: its last good version stays listed, named, and cannot run.
    rows.write_text("name,name\nsignup_a,free\n", encoding="utf-8")
    qtbot.waitUntil(lambda: "people.csv" in panel.note.text(), timeout=10000)
    assert "twice" in panel.note.text()
    assert panel.model.rowCount() == 3 and not panel.bar.run_all_button.isEnabled()

    # Fixed in the editor (written anew and renamed over, as many editors save): read again.
    fixed = tmp_path / "people.csv.tmp"
    fixed.write_text("name,plan\nsignup_z,free\n", encoding="utf-8")
    fixed.replace(rows)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10000)
    assert panel.bar.run_all_button.isEnabled()
    assert [row.case.goal_name for row in panel.model.rows] == ["signup_z"]


def test_a_run_after_the_suites_tracking_plan_changed_on_disk_judges_by_the_new_plan(
    qtbot: Any, suite_window: Any, tmp_path: Path
) -> None:
    window, prompts = suite_window
    plan = tmp_path / "site.plan.yaml"
    plan.write_text("plan: site\ngoals:\n  trial_started: {}\n", encoding="utf-8")
    path = tmp_path / "planned.suite.yaml"
    path.write_text(
        "suite: planned\nplan: site.plan.yaml\ngoals:\n  - name: trial_started\n",
        encoding="utf-8",
    )
    panel = open_suite(qtbot, window, prompts, path)
    panel.run_all()
    qtbot.waitUntil(lambda: results(panel) == ["Passed"], timeout=20000)

    # The plan drops the goal: the suite is read again with it, and the next run says so.
    before = window.ctx.suites.files.find(path).checks
    plan.write_text("plan: site\ngoals:\n  demo_requested: {}\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.ctx.suites.files.find(path).checks is not before, timeout=10000)
    qtbot.waitUntil(lambda: not window.ctx.suites.runs.running, timeout=20000)
    panel.run_all()
    qtbot.waitUntil(lambda: results(panel) == ["Failed"], timeout=20000)
