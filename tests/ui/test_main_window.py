"""The window driven as a person would, against the real embedded sandbox over loopback."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from PySide6.QtCore import Qt

from flowsery_gui.profiles import Profile
from flowsery_gui.ui.actions import ActionId
from flowsery_gui.ui.sandbox_faults import FAULTS

pytestmark = pytest.mark.slow


def stored_goals(window: Any) -> list[dict[str, Any]]:
    """What the window's embedded sandbox has stored (its inspection route)."""
    url = window.target.sandbox.url + "/sandbox/goals"
    with urllib.request.urlopen(url, timeout=5) as response:
        data = json.loads(response.read())
    return data if isinstance(data, list) else data.get("goals", data)


def type_name(qtbot: Any, window: Any, text: str) -> None:
    """Type into the goal name and leave the field, as a person would."""
    edit = window.form_panel.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    edit.editingFinished.emit()


def send_and_wait(qtbot: Any, window: Any, timeout: int = 10000) -> None:
    """Press Ctrl+Enter in the form and wait for the answer."""
    qtbot.keyClick(
        window.form_panel.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=timeout)


def chip_text(window: Any) -> str:
    """The status line the response panel shows."""
    panel = window.tabs.response
    return " ".join(label.text() for label in panel.findChildren(type(window.send_bar.reason)))


def test_focus_starts_in_the_goal_name(make_window: Any) -> None:
    window = make_window()
    assert window.focusWidget() is window.form_panel.name_edit


def test_bad_name_shows_its_message_and_disables_send_until_fixed(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "Newsletter Signup")
    message = window.form_panel.messages["name"]
    assert message.isVisible()
    assert "lowercase" in message.text()
    assert not window.send_bar.button.isEnabled()
    assert "Goal name" in window.send_bar.reason.text()

    message.fix_button().click()  # the one-click fix
    assert window.form_panel.name_edit.text() == "newsletter_signup"
    assert not message.isVisible()
    assert window.send_bar.button.isEnabled()


def test_no_complaint_before_the_field_is_left_then_every_keystroke(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    edit = window.form_panel.name_edit
    qtbot.keyClicks(edit, "Bad")
    assert not window.form_panel.messages["name"].isVisible()
    assert not window.send_bar.button.isEnabled()  # still blocked, and says why
    edit.editingFinished.emit()
    assert window.form_panel.messages["name"].isVisible()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    for _ in range(4):
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, "ok_name")
    assert not window.form_panel.messages["name"].isVisible()


def test_ctrl_enter_sends_to_the_sandbox_and_shows_200(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    type_name(qtbot, window, "newsletter_signup")
    window.form_panel.paste_rows("plan=pro\nsource\tnewsletter")
    send_and_wait(qtbot, window)
    assert "200" in chip_text(window)
    goals = stored_goals(window)
    assert goals[-1]["name"] == "newsletter_signup"
    assert goals[-1]["metadata"] == {"plan": "pro", "source": "newsletter"}


def test_cancel_stops_waiting_and_says_the_goal_may_have_been_recorded(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "slow_goal")
    assert window.sending.set_fault("delay=5")
    qtbot.keyClick(
        window.form_panel.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert window.sending.busy
    assert window.actions_[ActionId.CANCEL].isEnabled()
    window.send_flow.cancel()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=4000)
    assert "may still have recorded" in window.statusBar().currentMessage()
    assert window.send_bar.button.isEnabled()


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("status=503,retry-after=7", "503"),
        ("status=429,retry-after=30", "429"),
        ("drop", "No response"),
        ("garbage", "200"),
        ("html", "502"),
        ("status=404", "404"),
    ],
)
def test_every_injected_fault_is_shown_in_plain_words(
    qtbot: Any, make_window: Any, fault: str, expected: str
) -> None:
    window = make_window()
    type_name(qtbot, window, "fault_goal")
    assert window.sending.set_fault(fault)
    send_and_wait(qtbot, window)
    text = chip_text(window)
    assert expected in text
    if fault.startswith("status=404"):
        assert "pageview" not in text.lower()
    if "retry-after=30" in fault:
        assert "30" in text


def test_paste_cookies_fills_both_ids(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.ask.paste_texts.append(
        "curl 'https://example.com/' -H 'cookie: a=1; _fs_vid=vid-123; _fs_sid=sid-456'"
    )
    window.paste_flow.paste_cookies()
    assert window.form_panel.visitor_edit.text() == "vid-123"
    assert window.form_panel.session_edit.text() == "sid-456"
    assert window.ask.previews[0][0] is True


def test_paste_json_fills_the_form_and_names_what_does_not_map(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    window.ask.paste_texts.append(
        '{"name": "signup", "visitorUID": "x", "metadata": {"plan": "pro", "seats": 3}}'
    )
    window.paste_flow.paste_json()
    assert window.form_panel.name_edit.text() == "signup"
    assert window.form.metadata.pairs() == (("plan", "pro"), ("seats", "3"))
    usable, preview = window.ask.previews[0]
    assert usable
    assert "visitorUID" in preview


def test_production_asks_before_its_first_send_and_declining_sends_nothing(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    sandbox = window.target.ensure_sandbox()
    # A production-kind profile pointed at the loopback sandbox: nothing leaves this machine.
    window.target.profile = Profile("Production", sandbox.url, "production")
    window.target.use_for_this_run("Production", sandbox.api_key)
    window.render_profile()
    assert window.production_banner.isVisible()
    type_name(qtbot, window, "prod_goal")

    window.ask.choose_answers.append((1, False))  # the test IDs offer: send without
    window.ask.confirm_answers.append(False)
    window.send_flow.send()
    assert window.ask.asked[-1][0] == "confirm"
    assert "real analytics" in window.ask.asked[-1][1]
    assert not window.sending.busy
    assert stored_goals(window) == []

    window.ask.confirm_answers.append(True)
    window.send_flow.send()
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert stored_goals(window)[-1]["name"] == "prod_goal"
    asked = len(window.ask.asked)
    window.send_flow.send()  # the second send of the run does not ask again
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert len(window.ask.asked) == asked


def test_a_key_is_never_sent_over_http_to_a_remote_host(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    with pytest.raises(ValueError, match="https"):  # refused when the profile is added
        window.ctx.profiles.add("Plain", "http://example.com")
    # and at send time, for a profile file written by hand or by an older version
    window.target.profile = Profile("Plain", "http://example.com", "custom")
    window.target.use_for_this_run("Plain", "flow_sk_test_abcdef123456")
    type_name(qtbot, window, "refused_goal")
    window.send_flow.send()
    assert not window.sending.busy
    kind, text = window.ask.asked[-1]
    assert kind == "warn"
    assert "http" in text.lower()
    assert "Not sent" in window.statusBar().currentMessage()


def test_a_key_without_flow_prefix_is_warned_about_but_never_blocks(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    sandbox = window.target.ensure_sandbox()
    window.ctx.profiles.add("Local", sandbox.url)
    window.refresh_profiles()
    window.target.set_profile("Local")
    window.target.use_for_this_run("Local", "sk_wrong_prefix_1234")
    type_name(qtbot, window, "key_goal")
    assert "flow_" in window.send_bar.reason.text()
    assert window.send_bar.button.isEnabled()
    send_and_wait(qtbot, window)
    assert "401" in chip_text(window)  # the server's answer, explained
    assert stored_goals(window) == []


def test_the_form_and_geometry_are_restored_but_never_a_key(
    qtbot: Any, make_window: Any, tmp_path: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "remember_me")
    window.form_panel.paste_rows("plan=pro")
    window.target.use_for_this_run("Production", "flow_sk_test_secretvalue9876")
    window.save_state()
    settings_text = "".join(p.read_text() for p in tmp_path.glob("settings-*.ini"))
    assert "remember_me" in settings_text
    assert "secretvalue9876" not in settings_text


def test_timezone_completes_from_typing_and_the_list_fills_when_opened(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    combo = window.form_panel.timezone_combo
    completer = combo.completer()
    completer.setCompletionPrefix("paris")
    assert completer.currentCompletion() == "Europe/Paris"
    assert combo.count() == 0  # not built until someone opens it
    combo.showPopup()
    assert combo.count() > 300
    combo.hidePopup()
    combo.textActivated.emit("Asia/Tokyo")  # a pick from the list
    assert window.form.value("timezone") == "Asia/Tokyo"
    assert not window.form_panel.messages["timezone"].isVisible()


def test_tooltips_show_typed_markup_literally(qtbot: Any, make_window: Any) -> None:
    from flowsery_gui.contract import Draft

    window = make_window()
    window.form.load(
        Draft(name="x", metadata=(("note", "<<b>b>bold</b> <<img src=x>img src=y>"),)), touched=True
    )
    model = window.form.metadata
    tip = model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert "<b>" not in tip and "<img" not in tip
    assert "&lt;b&gt;bold" in tip  # shown as the characters the server would store


def test_a_retry_after_answer_is_shown_in_the_send_bar_without_blocking(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "busy_goal")
    assert window.sending.set_fault("status=429,retry-after=30")
    send_and_wait(qtbot, window)
    assert "asked to wait" in window.send_bar.reason.text()
    assert window.send_bar.button.isEnabled()  # a note, never a lock: the person decides


def test_pasting_only_a_visitor_cookie_clears_the_old_session_id(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    window.ask.paste_texts += ["_fs_vid=vid-a; _fs_sid=sid-a", "_fs_vid=vid-b"]
    window.paste_flow.paste_cookies()
    window.paste_flow.paste_cookies()
    assert window.form_panel.visitor_edit.text() == "vid-b"
    assert window.form_panel.session_edit.text() == ""
    assert "cleared" in window.ask.previews[-1][1]


@pytest.mark.parametrize(
    ("pasted", "usable", "words"),
    [
        ("null", False, "object"),
        ("{}", False, "empty"),
        ('"text"', False, "object"),
        ('INFO 12:00 body={"name": "from_log", "metadata": {"n": 3}}', True, "metadata.n"),
    ],
)
def test_paste_json_refuses_what_would_wipe_the_form_and_finds_json_in_a_log_line(
    qtbot: Any, make_window: Any, pasted: str, usable: bool, words: str
) -> None:
    window = make_window()
    type_name(qtbot, window, "keep_me")
    window.ask.paste_texts.append(pasted)
    window.paste_flow.paste_json()
    ok, preview = window.ask.previews[-1]
    assert ok is usable
    assert words in preview
    expected = "from_log" if usable else "keep_me"
    assert window.form_panel.name_edit.text() == expected


def test_the_paste_dialog_applies_with_ctrl_enter_and_tab_moves_on(qtbot: Any) -> None:
    from flowsery_gui.ui.paste_dialog import PasteDialog

    dialog = PasteDialog(
        "Paste", "Paste it.", lambda t: (bool(t.strip()), "ok"), "Use", initial="x"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.editor.setFocus()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Tab)
    assert "\t" not in dialog.text()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _stroke_lightness(icon: Any) -> float:
    """The mean lightness of an icon's drawn (opaque) pixels at 32 px."""
    image = icon.pixmap(32, 32).toImage()
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert values, "the icon drew nothing"
    return sum(values) / len(values)


def test_action_icons_follow_a_switch_between_light_and_dark(make_window: Any, qtbot: Any) -> None:
    """Grey strokes on a light palette; light strokes once the system turns dark, and back."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.tabs.show_history()  # its buttons too
    combo = window.toolbar.profile_combo
    drawn = [
        lambda: window.send_bar.button.icon(),
        lambda: window.actions_[ActionId.SEND].icon(),
        lambda: window.form_panel.row_buttons["add"].icon(),
        lambda: window.toolbar.key_button.icon(),
        lambda: window.history_panel.buttons["delete"].icon(),
        lambda: combo.itemIcon(combo.findData("Sandbox")),
    ]
    assert all(_stroke_lightness(get()) < 128 for get in drawn)

    previous = QApplication.palette()
    dark = QPalette(QColor("#2d2d2d"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2d2d2d"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    try:
        QApplication.setPalette(dark)
        qtbot.waitUntil(lambda: all(_stroke_lightness(get()) > 160 for get in drawn), timeout=3000)
    finally:
        QApplication.setPalette(previous)
    qtbot.waitUntil(lambda: all(_stroke_lightness(get()) < 128 for get in drawn), timeout=3000)


def test_sandbox_fault_menu_rehearses_an_error_until_set_back_to_none(
    qtbot: Any, make_window: Any
) -> None:
    """Goal > Sandbox Fault: the sandbox answers with the fault instead of storing the goal."""
    window = make_window()
    type_name(qtbot, window, "rehearsed_goal")
    titles = [a.text() for a in window.fault_menu.actions() if a.text()]
    assert titles[0].startswith("&None") and any("503" in t for t in titles)
    assert window.fault_menu.isEnabled()

    window.fault_menu.choices["status=503,retry-after=7"].trigger()
    assert "fault: 503 Unavailable" in window.target_label.text()
    window.tabs.show_request()
    preview = window.tabs.request.preview  # filled once the sandbox is up
    fault_line = "X-Sandbox-Fault: status=503,retry-after=7"
    qtbot.waitUntil(lambda: fault_line in preview.toPlainText(), timeout=5000)
    send_and_wait(qtbot, window)
    assert "503" in chip_text(window)
    assert "Retry-After" in window.send_bar.reason.text() or "wait" in window.send_bar.reason.text()
    assert stored_goals(window) == []

    window.fault_menu.choices[""].trigger()
    assert "fault" not in window.target_label.text()
    send_and_wait(qtbot, window)
    assert "200" in chip_text(window)
    assert [g["name"] for g in stored_goals(window)] == ["rehearsed_goal"]


def test_sandbox_fault_is_never_sent_to_another_profile(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.fault_menu.choices["status=500"].trigger()
    sandbox = window.target.ensure_sandbox()
    window.ctx.profiles.add("Local", sandbox.url)  # the same server, as a custom profile
    window.refresh_profiles()
    window.target.set_profile("Local")
    window.target.use_for_this_run("Local", sandbox.api_key)
    window.render_profile()
    assert not window.fault_menu.isEnabled()
    assert "fault" not in window.target_label.text()
    type_name(qtbot, window, "real_goal")
    send_and_wait(qtbot, window)
    assert "200" in chip_text(window)
    assert [g["name"] for g in stored_goals(window)] == ["real_goal"]


@pytest.mark.parametrize(
    "header", [f.header for f in FAULTS if f.header and not f.header.startswith("delay=")]
)
def test_each_offered_fault_is_explained_and_stores_nothing(
    qtbot: Any, make_window: Any, header: str
) -> None:
    window = make_window()
    type_name(qtbot, window, "fault_goal")
    window.fault_menu.choices[header].trigger()
    send_and_wait(qtbot, window)
    shown = chip_text(window)
    assert shown.strip() and "Goal created" not in shown
    assert stored_goals(window) == []


def test_clicking_a_finding_takes_the_cursor_to_its_cell(qtbot: Any, make_window: Any) -> None:
    from flowsery_gui.contract import Draft

    window = make_window()
    window.form.load(Draft(name="ok", metadata=(("fine", "v"), ("Bad Key", "v"))), touched=True)
    editor = window.form_panel.metadata
    view = next(v for v in editor.finding_views if v.isVisible())
    assert view.finding().path == "metadata[1].key"
    assert "Metadata row 2, key" in view.text()
    qtbot.mouseClick(view.words(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.form_panel.table.hasFocus(), timeout=3000)
    current = window.form_panel.table.currentIndex()
    assert (current.row(), current.column()) == (1, 0)


def test_the_preview_the_snippet_the_history_and_the_sandbox_see_one_body(
    qtbot: Any, make_window: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """Everything a person reviews, copies and finds later is the request that was sent."""
    from PySide6.QtGui import QGuiApplication

    from flowsery_gui import paths

    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))  # a history of its own
    window = make_window()
    type_name(qtbot, window, "one_body")
    window.form_panel.paste_rows("plan=pro\nseats=3")
    window.tabs.show_request()
    preview = window.tabs.request.preview
    qtbot.waitUntil(lambda: "one_body" in preview.toPlainText(), timeout=5000)
    planned = window.send_flow.preview().snippet_source
    assert planned is not None and planned.body_text is not None
    body = planned.body_text
    shown = preview.toPlainText()
    assert json.loads(shown[shown.index("{") :]) == json.loads(body)
    window.copy_curl()
    assert body in QGuiApplication.clipboard().text()

    send_and_wait(qtbot, window)
    qtbot.waitUntil(lambda: window.ctx.history.count == 1, timeout=5000)
    store = window.ctx.history.store
    record = store.get(store.page()[0].id)
    assert record.exchange.request.body == body
    assert stored_goals(window)[-1]["metadata"] == json.loads(body)["metadata"]
