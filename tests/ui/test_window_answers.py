"""The answer and the history say what happened: one icon per status everywhere, the time of
each send, a send history could not keep, and a sandbox record reused on today's sandbox."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from flowsery_gui import contract, paths
from flowsery_gui.exchange import Exchange, Failure, FailureKind, ReceivedResponse, SentRequest
from flowsery_gui.explain import explain
from flowsery_gui.ui.history_table import status_tone
from flowsery_gui.ui.theme import TONE_ICONS
from tests.ui.test_history_panel import open_history, wait_rows
from tests.ui.test_main_window import send_and_wait, stored_goals, type_name

pytestmark = pytest.mark.slow

GOALS_URL = "http://127.0.0.1:9/api/v1/goals"


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))


def _answered(status: int) -> Exchange:
    body = json.dumps({"status": "error", "error": {"code": status, "message": "m"}})
    if 200 <= status < 300:
        body = '{"status": "success", "data": [{"message": "Goal created successfully"}]}'
    return Exchange(
        SentRequest("POST", GOALS_URL, (), '{"name": "x"}'),
        1.0,
        1.0,
        response=ReceivedResponse(status, "", (("Content-Type", "application/json"),), body, 9),
    )


def test_a_status_has_the_same_icon_in_history_as_in_the_answer() -> None:
    for status in range(100, 600):
        answer_tone = explain(_answered(status)).tone
        assert TONE_ICONS[status_tone(status, None)] == TONE_ICONS[answer_tone], status
    assert TONE_ICONS[status_tone(401, None)] == "error"  # a rejected key: a red cross
    for kind in FailureKind:
        failed = Exchange(
            SentRequest("POST", GOALS_URL, ()), 1.0, 1.0, failure=Failure(kind, "words")
        )
        assert status_tone(None, kind.value) == explain(failed).tone, kind


def test_each_answer_says_when_it_was_sent(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    type_name(qtbot, window, "timed_goal")
    send_and_wait(qtbot, window)
    timing = window.tabs.response.elapsed_label.text()
    assert re.fullmatch(r"Sent \d{1,2}:\d\d:\d\d\s[AP]M · \d+ ms", timing), timing  # English


def test_a_cancelled_send_is_explained_in_plain_words_with_no_exception_names(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "cancelled_goal")
    assert window.sending.set_fault("delay=5")
    window.send_flow.send()
    sandbox = window.target.sandbox
    qtbot.waitUntil(lambda: sandbox.active_connections > 0, timeout=5000)
    window.send_flow.cancel()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    panel = window.tabs.response
    shown = [label.text() for label in panel.findChildren(QLabel) if label.isVisible()]
    shown += [view.toPlainText() for view in panel.findChildren(QPlainTextEdit)]
    text = "\n".join(shown)
    assert "Cancelled" in text and "may still have recorded" in text
    assert not re.search(r"\b\w+(Error|Exception)\b", text), text


def test_dropped_and_reset_connections_read_differently(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    seen = []
    for fault in ("drop", "reset"):
        type_name(qtbot, window, f"{fault}_goal")
        assert window.sending.set_fault(fault)
        send_and_wait(qtbot, window)
        panel = window.tabs.response
        seen.append((panel.title_label.text(), panel.message_label.text()))
    assert seen[0] != seen[1]
    assert "closed" in seen[0][0].lower() and "reset" in seen[1][0].lower()


def test_a_send_history_could_not_keep_says_so_under_its_answer_and_in_the_status_bar(
    qtbot: Any, make_window: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(blocker / "data"))  # history cannot open
    window = make_window()
    type_name(qtbot, window, "unkept_goal")
    send_and_wait(qtbot, window)
    note = window.tabs.response.history_note
    qtbot.waitUntil(note.isVisible, timeout=5000)
    assert "Not kept in history" in note.text() and "History is off" in note.text()
    assert "200" in window.tabs.response.chip.text()  # the answer itself still shown
    assert window.history_label.text() == "History: off"
    assert "History is off" in window.statusBar().currentMessage()


def test_a_failed_write_to_an_open_history_marks_the_count(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    history = window.ctx.history
    qtbot.waitUntil(lambda: history.available, timeout=5000)
    exchange = _answered(200)
    history.write_failed.emit(exchange, "Could not save this request to history: disk full.")
    history.write_error = "Could not save this request to history: disk full."
    history.changed.emit(history.count)
    assert "last one not saved" in window.history_label.text()
    assert "disk full" in window.statusBar().currentMessage()


def _record_from_an_earlier_run(window: Any) -> None:
    """A goal sent to the built-in sandbox of an earlier run (its port is gone)."""
    store = window.ctx.history.store
    body = '{"name": "old_sandbox_goal"}'
    store.append(
        Exchange(
            SentRequest("POST", GOALS_URL, (("Content-Type", "application/json"),), body),
            1.0,
            1.0,
            response=ReceivedResponse(200, "OK", (), '{"status": "success"}', 21),
        ),
        profile="Sandbox",
        source="window",
    )
    window.ctx.history.changed.emit(store.count())


def _history_holding_a_record_from_an_earlier_run(qtbot: Any, make_window: Any) -> Any:
    """A window whose history holds a goal sent to an earlier run's sandbox, selected."""
    window = make_window()
    qtbot.waitUntil(lambda: window.ctx.history.available, timeout=5000)
    _record_from_an_earlier_run(window)
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    panel.table.selectRow(0)
    return window


def test_copy_as_curl_of_a_sandbox_record_uses_the_sandbox_running_now_and_says_so(
    qtbot: Any, make_window: Any
) -> None:
    window = _history_holding_a_record_from_an_earlier_run(qtbot, make_window)
    panel = window.history_panel
    messages: list[str] = []
    panel.status.connect(lambda text, _ms: messages.append(text))
    panel.copy_curl()
    copied = QGuiApplication.clipboard().text()
    now = window.target.sandbox.url
    assert now + contract.GOALS_PATH in copied and "127.0.0.1:9/" not in copied
    assert "sandbox running now" in messages[-1] and "127.0.0.1:9" in messages[-1]


def test_send_again_of_a_sandbox_record_goes_to_the_sandbox_running_now_and_says_so(
    qtbot: Any, make_window: Any
) -> None:
    window = _history_holding_a_record_from_an_earlier_run(qtbot, make_window)
    window.history_panel.send_again()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert [g["name"] for g in stored_goals(window)] == ["old_sandbox_goal"]
    assert "sandbox running now" in window.statusBar().currentMessage()


def test_enter_and_double_click_load_a_row_once(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    type_name(qtbot, window, "once_goal")
    send_and_wait(qtbot, window)
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    loads: list[str] = []
    panel.load_requested.connect(lambda draft, _profile: loads.append(draft.name))
    panel.table.setFocus()
    panel.table.selectRow(0)
    panel.table.doubleClicked.emit(panel.model.index(0, 2))  # as the view says on a double click
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert loads == ["once_goal", "once_goal"]  # one load for each, never two for one


def test_word_that_a_send_was_not_kept_is_shown_even_when_it_comes_before_the_answer(
    qtbot: Any,
) -> None:
    from flowsery_gui.ui.response_panel import ResponsePanel

    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.show()
    unkept, other = _answered(200), _answered(200)
    assert not panel.show_history_failure(unkept, "History is off: the disk is full.")
    panel.show_exchange(unkept)
    assert panel.history_note.isVisible() and "disk is full" in panel.history_note.text()
    panel.show_exchange(other)  # the next answer was kept: no word under it
    assert not panel.history_note.isVisible()
