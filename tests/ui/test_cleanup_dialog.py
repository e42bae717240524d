"""Delete from analytics, driven through the real window against its built-in sandbox: exactly
the test goals go, a risky call waits for its box, a failure stops the rest and says so, and
History shows the DELETE exchanges and the sends they cleaned."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from flowsery_gui import paths
from flowsery_gui.cleanup.model import Risk
from flowsery_gui.cleanup.runner import CallState
from flowsery_gui.ui.cleanup_calls import NOT_TICKED
from flowsery_gui.ui.history_marks import CLEANED_MARK
from tests.ui.cleanup_helpers import (
    TEST_SID,
    TEST_VID,
    deletes_received,
    open_history,
    post_real_goal,
    run_dialog,
    send_from_window,
    stored,
    wait_planned,
)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path: Any, monkeypatch: Any) -> None:
    """Each test gets its own history database."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))


@pytest.fixture()
def window(qtbot: Any, make_window: Any) -> Any:
    """A window on the built-in sandbox, whose profile has test IDs."""
    made = make_window()
    made.target.ensure_sandbox()
    made.ctx.test_ids.save("Sandbox", TEST_VID, TEST_SID)
    return made


def dialog_for_all(qtbot: Any, window: Any, rows: int) -> Any:
    """The dialog for every record in History, shown and planned."""
    panel = open_history(qtbot, window, rows)
    panel.table.selectAll()
    ids = panel.selected_ids()
    assert len(ids) == rows
    dialog = window.cleanup_flow.dialog(ids, "Sandbox")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_planned(qtbot, dialog)
    return dialog


def goal_column(panel: Any) -> list[str]:
    model = panel.model
    return [model.data(model.index(row, 2)) for row in range(model.rowCount())]


def test_the_dialog_deletes_exactly_the_test_goals_and_history_marks_them(
    qtbot: Any, window: Any
) -> None:
    send_from_window(qtbot, window, "signup")
    send_from_window(qtbot, window, "purchase")
    post_real_goal(window, "signup", "real-visitor-1")  # someone else, at the same moment
    post_real_goal(window, "purchase", "real-visitor-2")
    assert ("signup", TEST_VID) in stored(window)

    dialog = dialog_for_all(qtbot, window, 2)
    cards = dialog.calls.cards
    assert [card.call.risk for card in cards] == [Risk.TEST_ONLY, Risk.TEST_ONLY]
    assert all(card.ack is None for card in cards)  # nothing to tick: only test goals
    assert "Only your test goals." in cards[0].risk.text()
    assert cards[0].request.text().startswith("DELETE http://127.0.0.1:")
    assert f"visitorId={TEST_VID}" in cards[0].request.text()
    assert "startAt=" in cards[0].request.text() and "endAt=" in cards[0].request.text()
    assert "5 s before a send" in dialog.margin_label.text()
    assert dialog.delete_button.text() == "Delete from Sandbox"
    assert not dialog.delete_button.isEnabled()  # not before the profile's name is given
    dialog.confirm_combo.setCurrentText("sandbox")  # not exactly the name: still no
    assert not dialog.delete_button.isEnabled()
    assert deletes_received(window) == []

    result = run_dialog(qtbot, dialog)
    assert [o.state for o in result.outcomes] == [CallState.DELETED, CallState.DELETED]
    assert stored(window) == [("purchase", "real-visitor-2"), ("signup", "real-visitor-1")]
    assert all(card.answer.text().startswith("Deleted: ") for card in cards)
    assert "Deleted 2 goal events in 2 of 2 calls" in dialog.summary_label.text()

    panel = window.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=5000)  # + the two DELETEs
    goals = goal_column(panel)
    assert sorted(goals) == sorted(
        [
            "Delete from analytics: signup",
            "Delete from analytics: purchase",
            f"signup · {CLEANED_MARK}",
            f"purchase · {CLEANED_MARK}",
        ]
    )
    send_row = goals.index(f"signup · {CLEANED_MARK}")
    panel.table.clearSelection()
    panel.table.selectRow(send_row)
    assert panel.cleaned_label.isVisible()
    assert panel.cleaned_label.text().startswith("Deleted from analytics on ")


def test_a_risky_call_is_not_sent_before_its_box_is_ticked(qtbot: Any, window: Any) -> None:
    send_from_window(qtbot, window, "signup")  # with the test visitor ID
    send_from_window(qtbot, window, "signup", visitor="someone-else")  # maybe a real person
    dialog = dialog_for_all(qtbot, window, 2)
    safe, risky = dialog.calls.cards
    assert safe.call.risk is Risk.TEST_ONLY
    assert risky.call.risk is Risk.ONE_VISITOR
    assert risky.ack is not None and not risky.ack.isChecked()
    assert "from visitor someone-else" in risky.risk.text()
    assert risky.risk.text().startswith("⚠ Any goal named signup")

    result = run_dialog(qtbot, dialog)  # only the safe call goes
    assert len(result.outcomes) == 1
    (sent,) = deletes_received(window)
    assert f"visitorId={TEST_VID}" in sent["query"]
    assert stored(window) == [("signup", "someone-else")]
    assert risky.answer.text() == NOT_TICKED
    assert "1 call with an unticked warning not sent" in dialog.summary_label.text()

    qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)  # plan what is left
    wait_planned(qtbot, dialog)
    (only,) = dialog.calls.cards
    assert only.call.risk is Risk.ONE_VISITOR
    dialog.confirm_combo.setCurrentText("Sandbox")
    assert not dialog.delete_button.isEnabled()  # nothing may go until the box is ticked
    assert only.ack is not None
    only.ack.setChecked(True)
    assert dialog.delete_button.isEnabled()
    run_dialog(qtbot, dialog)
    assert stored(window) == []


def test_a_server_error_stops_the_rest_and_says_what_was_not_deleted(
    qtbot: Any, window: Any
) -> None:
    send_from_window(qtbot, window, "signup")
    send_from_window(qtbot, window, "purchase")
    assert window.sending.set_fault("status=500")  # Goal > Sandbox Fault > 500
    dialog = dialog_for_all(qtbot, window, 2)
    assert "X-Sandbox-Fault: status=500" in dialog.calls.cards[0].request.text()
    result = run_dialog(qtbot, dialog)
    assert [o.state for o in result.outcomes] == [CallState.FAILED, CallState.NOT_SENT]
    assert len(deletes_received(window)) == 1  # the second call was not sent
    assert len(stored(window)) == 2  # nothing was deleted
    first, second = dialog.calls.cards
    assert first.answer.text().startswith("Call failed: The server answered 500")
    assert second.answer.text().startswith("Not sent: an earlier call stopped the run")
    summary = dialog.summary_label.text()
    assert "Stopped: The server answered 500" in summary
    assert "Not sent: 1 call covering 1 send" in summary
    assert dialog.progress_label.text() == "Stopped."


def test_a_429_shows_its_retry_after_and_is_not_sent_again(qtbot: Any, window: Any) -> None:
    send_from_window(qtbot, window, "signup")
    assert window.sending.set_fault("status=429,retry-after=30")
    dialog = dialog_for_all(qtbot, window, 1)
    result = run_dialog(qtbot, dialog)
    assert result.outcomes[0].state is CallState.FAILED
    assert "Retry-After: 30" in dialog.calls.cards[0].answer.text()
    assert len(deletes_received(window)) == 1  # no retry
    assert stored(window) == [("signup", TEST_VID)]


def test_stop_lets_the_call_in_flight_finish_and_sends_nothing_after_it(
    qtbot: Any, window: Any
) -> None:
    for name in ("first_goal", "second_goal", "third_goal"):
        send_from_window(qtbot, window, name)
    assert window.sending.set_fault("delay=1")  # each answer takes a second
    dialog = dialog_for_all(qtbot, window, 3)
    dialog.confirm_combo.setCurrentText("Sandbox")
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.stop_button.isVisible()
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run_result is not None, timeout=15000)
    states = [o.state for o in dialog.run_result.outcomes]
    # The call in flight (if one had started) was answered, not cut off; the rest waited.
    assert set(states) <= {CallState.DELETED, CallState.NOT_SENT}
    assert states[-1] is CallState.NOT_SENT
    last = dialog.calls.cards[-1].answer.text()
    assert last.startswith("Not sent: you stopped the run before this call")
    deleted = sum(state is CallState.DELETED for state in states)
    assert len(stored(window)) == 3 - deleted
    assert len(deletes_received(window)) == deleted


def test_a_key_the_server_rejects_stops_the_run(qtbot: Any, window: Any) -> None:
    send_from_window(qtbot, window, "signup")
    assert window.sending.set_fault("status=401")
    dialog = dialog_for_all(qtbot, window, 1)
    result = run_dialog(qtbot, dialog)
    assert result.stopped_by is not None
    assert "401" in dialog.summary_label.text()
    assert stored(window) == [("signup", TEST_VID)]


def test_everything_sent_since_a_time_can_be_chosen_without_a_selection(
    qtbot: Any, window: Any
) -> None:
    send_from_window(qtbot, window, "signup")
    send_from_window(qtbot, window, "purchase")
    dialog = window.cleanup_flow.dialog()  # Goal > Delete from Analytics…
    qtbot.addWidget(dialog)
    dialog.show()
    wait_planned(qtbot, dialog)
    scope = dialog.scope_box
    assert scope.since_radio.isChecked() and not scope.selected_radio.isEnabled()
    assert len(dialog.calls.cards) == 2
    scope.name_edit.setText("purchase")  # only one goal name
    scope.name_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: len(dialog.calls.cards) == 1, timeout=5000)
    assert dialog.calls.cards[0].call.name == "purchase"
    run_dialog(qtbot, dialog)
    assert stored(window) == [("signup", TEST_VID)]


def test_sends_that_got_no_answer_are_listed_with_their_option(qtbot: Any, window: Any) -> None:
    send_from_window(qtbot, window, "signup")
    assert window.sending.set_fault("status=503")
    send_from_window(qtbot, window, "signup")  # a 5xx: it may or may not have been stored
    assert window.sending.set_fault("")
    dialog = dialog_for_all(qtbot, window, 2)
    assert len(dialog.calls.cards) == 1
    assert dialog.calls.cards[0].call.send_ids != ()
    assert "got no answer" in dialog.left_box.left_label.text()
    assert dialog.left_box.unanswered_check.isVisible()
    dialog.left_box.unanswered_check.setChecked(True)
    qtbot.waitUntil(lambda: "unanswered" in dialog.calls.cards[0].words.text(), timeout=5000)
    assert len(dialog.calls.cards[0].call.send_ids) == 2


def test_a_send_with_no_precise_time_waits_behind_the_wide_window_warning(
    qtbot: Any, window: Any
) -> None:
    send_from_window(qtbot, window, "signup")
    store = window.ctx.history.store
    qtbot.waitUntil(lambda: store.count() == 1, timeout=5000)  # recorded off the GUI thread
    (sent,) = store.ids()
    exchange = store.get(sent).exchange
    slow = replace(exchange, elapsed_ms=2_000_000.0)  # answered after half an hour: no usable time
    inexact = store.append(slow, profile="Sandbox", source="window")
    dialog = window.cleanup_flow.dialog([inexact], "Sandbox")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_planned(qtbot, dialog)
    assert dialog.calls.cards == []
    assert "cannot be deleted exactly" in dialog.left_box.left_label.text()
    assert dialog.left_box.wide_check.isVisible() and dialog.left_box.wide_warning.isVisible()
    assert dialog.left_box.wide_warning.text().startswith("⚠ A wide window")
    dialog.confirm_combo.setCurrentText("Sandbox")
    assert not dialog.delete_button.isEnabled()

    dialog.left_box.wide_check.setChecked(True)
    qtbot.waitUntil(lambda: len(dialog.calls.cards) == 1, timeout=5000)
    (card,) = dialog.calls.cards
    assert card.call.wide and card.call.risk is Risk.TEST_ONLY
    assert "The window is wide" in card.risk.text()
    assert card.ack is not None and not dialog.delete_button.isEnabled()
    card.ack.setChecked(True)
    result = run_dialog(qtbot, dialog)
    assert result.outcomes[0].state is CallState.DELETED
    assert stored(window) == []


def test_tab_goes_from_the_choices_through_the_calls_to_the_confirmation(
    qtbot: Any, window: Any
) -> None:
    send_from_window(qtbot, window, "signup")
    send_from_window(qtbot, window, "signup", visitor="someone-else")
    dialog = dialog_for_all(qtbot, window, 2)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    safe, risky = dialog.calls.cards
    qtbot.waitUntil(risky.request.isVisible, timeout=3000)  # cards are shown once laid out
    visited = []
    dialog.scope_box.name_edit.setFocus()
    for _ in range(12):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        visited.append(dialog.focusWidget())
        if visited[-1] in (dialog.confirm_combo, dialog.confirm_combo.lineEdit()):
            break
    order = [w for w in visited if w in (safe.request, risky.ack, risky.request)]
    assert order == [safe.request, risky.ack, risky.request]
    assert visited[-1] in (dialog.confirm_combo, dialog.confirm_combo.lineEdit())


def test_a_profile_without_a_key_sends_nothing_and_says_how_to_add_one(
    qtbot: Any, window: Any
) -> None:
    send_from_window(qtbot, window, "signup")
    window.ctx.profiles.add("Local", window.target.sandbox.url)
    store = window.ctx.history.store
    qtbot.waitUntil(lambda: store.count() == 1, timeout=5000)  # recorded off the GUI thread
    (sent,) = store.ids()
    local = store.append(store.get(sent).exchange, profile="Local", source="window")
    dialog = window.cleanup_flow.dialog([local], "Local")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_planned(qtbot, dialog)
    (card,) = dialog.calls.cards
    assert card.call.risk is Risk.ONE_VISITOR  # Local has no test IDs: this could be anyone
    assert "has no test visitor ID" in dialog.plan_label.text()
    assert card.ack is not None
    card.ack.setChecked(True)
    result = run_dialog(qtbot, dialog, "Local")
    assert result.refused.startswith("Nothing was sent: the Local profile has no API key.")
    assert "Profile > API Key…" in dialog.summary_label.text()
    assert card.answer.text() == result.refused
    assert deletes_received(window) == []
