"""The history tab and the key dialog, driven through the real window and sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from flowsery_gui import paths
from tests.ui.test_main_window import send_and_wait, stored_goals, type_name

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path: Any, monkeypatch: Any) -> None:
    """Each test gets its own history database."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))


def open_history(qtbot: Any, window: Any) -> Any:
    window.tabs.show_history()
    panel = window.history_panel
    qtbot.waitUntil(lambda: panel.count_label.text() != "", timeout=5000)
    return panel


def send_goal(qtbot: Any, window: Any, name: str, fault: str | None = None) -> None:
    type_name(qtbot, window, name)
    assert window.sending.set_fault(fault or "")
    send_and_wait(qtbot, window)


def wait_rows(qtbot: Any, panel: Any, count: int) -> None:
    qtbot.waitUntil(lambda: panel.model.rowCount() == count, timeout=5000)


def test_every_send_lands_in_history_newest_first_failures_included(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    send_goal(qtbot, window, "first_goal")
    send_goal(qtbot, window, "second_goal", fault="drop")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 2)
    model = panel.model
    assert model.data(model.index(0, 2)) == "second_goal"
    assert "no response" in model.data(model.index(0, 3))
    assert model.data(model.index(1, 3)) == "200"
    assert "2 requests" in panel.count_label.text()


def test_search_and_status_filter_narrow_the_list(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    send_goal(qtbot, window, "alpha_goal")
    send_goal(qtbot, window, "beta_goal", fault="status=503")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 2)
    qtbot.keyClicks(panel.filter_bar.search_edit, "alpha")
    wait_rows(qtbot, panel, 1)
    assert panel.model.data(panel.model.index(0, 2)) == "alpha_goal"
    panel.filter_bar.search_edit.clear()
    wait_rows(qtbot, panel, 2)
    panel.filter_bar.status_filter.setCurrentIndex(panel.filter_bar.status_filter.findData("5xx"))
    wait_rows(qtbot, panel, 1)
    assert panel.model.data(panel.model.index(0, 2)) == "beta_goal"


def test_detail_load_into_form_and_send_again(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.form_panel.paste_rows("plan=pro")
    send_goal(qtbot, window, "again_goal")
    window.new_goal()
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    panel.table.selectRow(0)
    assert "200" in " ".join(
        label.text() for label in panel.detail.findChildren(type(window.send_bar.reason))
    )
    panel.send_again()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert window.form_panel.name_edit.text() == "again_goal"
    goals = stored_goals(window)
    assert [g["name"] for g in goals] == ["again_goal", "again_goal"]
    assert goals[-1]["metadata"] == {"plan": "pro"}


def test_copy_as_curl_from_history_never_holds_the_key(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    send_goal(qtbot, window, "curl_goal")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    panel.table.selectRow(0)
    panel.copy_curl()
    text = QGuiApplication.clipboard().text()
    assert "curl" in text and "curl_goal" in text
    assert "$FLOWSERY_API_KEY" in text
    assert window.target.sandbox.api_key not in text


@pytest.mark.parametrize("har", [False, True])
def test_export_writes_the_selection_without_the_key(
    qtbot: Any, make_window: Any, tmp_path: Any, har: bool
) -> None:
    window = make_window()
    send_goal(qtbot, window, "export_goal")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    target = tmp_path / ("out.har" if har else "out.jsonl")
    panel.export_to(str(target), har=har)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=5000)
    text = target.read_text()
    assert "export_goal" in text
    assert window.target.sandbox.api_key not in text
    if har:
        assert json.loads(text)["log"]["version"] == "1.2"
    else:
        assert json.loads(text.splitlines()[0])


def test_clear_all_asks_first(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    send_goal(qtbot, window, "keep_goal")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    window.ask.confirm_answers.append(False)
    panel.clear_all()
    assert panel.model.rowCount() == 1
    window.ask.confirm_answers.append(True)
    panel.clear_all()
    wait_rows(qtbot, panel, 0)


def test_the_key_never_reaches_the_data_folder_settings_or_exports(
    qtbot: Any, make_window: Any, tmp_path: Any
) -> None:
    window = make_window()
    sandbox = window.target.ensure_sandbox()
    send_goal(qtbot, window, "secret_goal")
    send_goal(qtbot, window, "secret_fail", fault="status=500")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 2)
    for name, har in (("all.har", True), ("all.jsonl", False)):
        window.statusBar().clearMessage()
        panel.export_to(str(tmp_path / "data" / name), har=har)
        qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=5000)
    window.save_state()
    window.ctx.history.close()
    key = sandbox.api_key.encode()
    scanned = 0
    for path in tmp_path.rglob("*"):
        if path.is_file():
            scanned += 1
            assert key not in path.read_bytes(), path.name
    assert scanned >= 4  # the database, the settings, both exports


def key_dialog_on_local_profile(qtbot: Any, make_window: Any) -> tuple[Any, Any, Any]:
    """A window on a custom profile pointing at its own sandbox, and its key dialog."""
    window = make_window()
    sandbox = window.target.ensure_sandbox()
    window.ctx.profiles.add("Local", sandbox.url)
    window.refresh_profiles()
    window.target.set_profile("Local")
    dialog = window.profile_flow.key_dialog()
    qtbot.addWidget(dialog)
    return window, sandbox, dialog


def test_key_dialog_session_only_key_is_used_and_never_stored(
    qtbot: Any, make_window: Any, memory_keyring: Any
) -> None:
    window, sandbox, dialog = key_dialog_on_local_profile(qtbot, make_window)
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    qtbot.keyClicks(dialog.key_edit, sandbox.api_key)
    dialog.session_button.click()
    assert window.target.key() == sandbox.api_key
    assert "session only" in window.target.key_info().text
    assert memory_keyring.store == {}


def test_key_dialog_saves_in_the_keyring_and_verify_names_the_site(
    qtbot: Any, make_window: Any, memory_keyring: Any
) -> None:
    window, sandbox, dialog = key_dialog_on_local_profile(qtbot, make_window)
    qtbot.keyClicks(dialog.key_edit, sandbox.api_key)
    dialog.reveal_button.click()
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Normal
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Saved" in dialog.result_label.text(), timeout=5000)
    assert list(memory_keyring.store.values()) == [sandbox.api_key]
    assert "stored in" in window.target.key_info().text
    dialog.verify()
    qtbot.waitUntil(lambda: "works for" in dialog.result_label.text(), timeout=5000)
    assert dialog.offered_timezone == "Europe/Paris"  # the sandbox website's zone
    assert not dialog.timezone_button.isHidden()
    dialog.timezone_button.click()
    assert window.form.value("timezone") == "Europe/Paris"
    dialog.forget()
    qtbot.waitUntil(lambda: "forgotten" in dialog.result_label.text(), timeout=5000)
    assert memory_keyring.store == {}


def test_key_dialog_explains_a_missing_keyring_and_offers_session_use(
    qtbot: Any, make_window: Any
) -> None:
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    window = make_window()
    window.ctx.profiles.add("Remote", "https://example.com")
    window.refresh_profiles()
    window.target.set_profile("Remote")
    keyring.set_keyring(FailKeyring())
    dialog = window.profile_flow.key_dialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.key_edit, "flow_sk_test_nokeyring1234")
    dialog.save()  # as if clicked before the keyring had answered
    qtbot.waitUntil(lambda: "session only" in dialog.result_label.text(), timeout=5000)
    assert dialog.session_button.isEnabled()
    assert "flow_sk_test_nokeyring1234" not in dialog.result_label.text()


def test_a_date_range_filter_includes_both_days(qtbot: Any, make_window: Any) -> None:
    from PySide6.QtCore import QDate

    window = make_window()
    send_goal(qtbot, window, "dated_goal")
    panel = open_history(qtbot, window)
    wait_rows(qtbot, panel, 1)
    panel.filter_bar.when_filter.setCurrentIndex(panel.filter_bar.when_filter.findData("range"))
    assert not panel.filter_bar.range_row.isHidden()
    today = QDate.currentDate()
    panel.filter_bar.from_date.setDate(today.addDays(-3))
    panel.filter_bar.to_date.setDate(today.addDays(-1))
    wait_rows(qtbot, panel, 0)
    panel.filter_bar.to_date.setDate(today)  # the last day counts in full
    wait_rows(qtbot, panel, 1)


def test_key_dialog_on_the_sandbox_offers_its_throwaway_key_for_copied_snippets(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    dialog = window.profile_flow.key_dialog()
    qtbot.addWidget(dialog)
    sandbox = window.target.sandbox
    assert dialog.key_edit.isReadOnly()
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == sandbox.api_key
    assert not dialog.save_button.isEnabled() and not dialog.forget_button.isEnabled()


def test_key_dialog_buttons_follow_what_there_is_to_act_on(
    qtbot: Any, make_window: Any, memory_keyring: Any
) -> None:
    _window, sandbox, dialog = key_dialog_on_local_profile(qtbot, make_window)
    assert not dialog.save_button.isEnabled()  # nothing typed
    assert not dialog.forget_button.isEnabled()  # nothing to forget
    qtbot.keyClicks(dialog.key_edit, sandbox.api_key)
    dialog.session_button.click()
    assert not dialog.save_button.isEnabled() and not dialog.session_button.isEnabled()
    assert dialog.forget_button.isEnabled()


def test_a_send_still_waiting_when_the_window_closes_is_kept_in_history(
    qtbot: Any, make_window: Any
) -> None:
    """Closing cancels the wait; the goal may have been counted, so history says it was sent."""
    from flowsery_gui.history import Filters, History

    window = make_window()
    type_name(qtbot, window, "closing_goal")
    assert window.sending.set_fault("delay=5")
    window.send_flow.send()
    assert window.sending.busy
    sandbox = window.target.sandbox
    qtbot.waitUntil(lambda: sandbox.active_connections > 0, timeout=5000)  # on its way
    window.close()
    assert not window.sending.busy

    history, _ = History.open(paths.history_path())
    assert history is not None
    try:
        rows = history.page(Filters(goal_name="closing_goal"))
        assert len(rows) == 1
        record = history.get(rows[0].id)
        assert record is not None
        assert record.profile == "Sandbox" and record.source == "window"
        assert record.failure_kind == "cancelled"
        assert record.exchange.request.body is not None
        assert "closing_goal" in record.exchange.request.body
    finally:
        history.close()
