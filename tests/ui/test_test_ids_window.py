"""Profiles' test IDs in the window: edited in Profile > Profiles…, shown in the empty ID
fields, filled in at send (and in the preview), and offered before the first Production send."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt

from flowsery_gui import paths
from flowsery_gui.profiles import Profile, ProfileStore
from flowsery_gui.ui.profiles_dialog import ProfilesDialog
from tests.ui.cleanup_helpers import TEST_SID, TEST_VID, send_from_window, stored_goals
from tests.ui.test_main_window import type_name

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path: Any, monkeypatch: Any) -> None:
    """Each test gets its own history database."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))


def preview_body(window: Any) -> dict[str, Any]:
    """The body the Request tab shows: what Send will send."""
    preview = window.send_flow.preview()
    assert preview.display is not None and preview.display.body_text is not None
    return dict(json.loads(preview.display.body_text))


def profiles_dialog(qtbot: Any, window: Any, name: str) -> ProfilesDialog:
    dialog = ProfilesDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    items = dialog.list.findItems(name, Qt.MatchFlag.MatchStartsWith)
    dialog.list.setCurrentItem(items[0])
    return dialog


def test_production_gets_new_test_ids_in_the_profiles_dialog_and_they_can_be_cleared(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    dialog = profiles_dialog(qtbot, window, "Production")
    editor = dialog.test_ids
    assert editor.title() == "Test IDs of Production"
    assert editor.visitor_edit.text() == "" and not editor.save_button.isEnabled()
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    visitor = editor.visitor_edit.text()
    assert len(visitor) == 36 and editor.session_edit.text()
    assert window.ctx.profiles.get("Production").test_visitor_id == ""  # not saved yet
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert window.ctx.profiles.get("Production").test_visitor_id == visitor
    assert f"test visitor ID {visitor}" in dialog.list.currentItem().text()
    assert editor.message.text().startswith("Saved")

    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert window.ctx.profiles.get("Production").test_visitor_id == ""
    assert "cleared" in editor.message.text()
    assert "no longer count as test goals" in editor.message.text()


def test_a_test_id_that_is_not_a_cookie_value_is_refused_in_words(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    editor = profiles_dialog(qtbot, window, "Sandbox").test_ids
    qtbot.keyClicks(editor.visitor_edit, "not; a cookie")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "cookie's value alone" in editor.message.text()
    assert window.ctx.profiles.get("Sandbox").test_visitor_id == ""


def test_empty_ids_show_and_send_the_profiles_test_ids_unless_unticked(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    window.target.ensure_sandbox()
    panel = window.form_panel
    assert not panel.use_test_ids_check.isVisibleTo(window)  # none set yet
    window.ctx.test_ids.save("Sandbox", TEST_VID, TEST_SID)
    assert panel.use_test_ids_check.isVisibleTo(window) and panel.use_test_ids_check.isChecked()
    hint = panel.visitor_edit.placeholderText()
    assert hint == f"test visitor ID from this profile: {TEST_VID}"
    assert panel.session_edit.placeholderText().endswith(TEST_SID)
    type_name(qtbot, window, "signup")
    body = preview_body(window)
    assert (body["visitorUid"], body["sessionUid"]) == (TEST_VID, TEST_SID)

    send_from_window(qtbot, window, "signup")
    assert stored_goals(window)[-1]["visitorUid"] == TEST_VID

    qtbot.mouseClick(panel.use_test_ids_check, Qt.MouseButton.LeftButton)  # untick
    assert not window.ctx.test_ids.use
    assert panel.visitor_edit.placeholderText() == "value of the _fs_vid cookie (optional)"
    assert "visitorUid" not in preview_body(window)
    send_from_window(qtbot, window, "signup")
    assert "visitorUid" not in stored_goals(window)[-1]


def test_a_typed_visitor_id_is_kept_and_only_the_empty_session_id_is_filled(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    window.target.ensure_sandbox()
    window.ctx.test_ids.save("Sandbox", TEST_VID, TEST_SID)
    window.form_panel.visitor_edit.setText("typed-visitor")
    type_name(qtbot, window, "signup")
    body = preview_body(window)
    assert (body["visitorUid"], body["sessionUid"]) == ("typed-visitor", TEST_SID)


def production_on_sandbox(window: Any) -> None:
    """The Production profile pointed at the loopback sandbox: nothing leaves this machine."""
    sandbox = window.target.ensure_sandbox()
    window.target.profile = Profile("Production", sandbox.url, "production")
    window.target.use_for_this_run("Production", sandbox.api_key)
    window.render_profile()


def test_the_first_production_send_offers_test_ids_and_saves_them_on_the_profile(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    production_on_sandbox(window)
    window.ask.choose_answers.append((0, True))  # create them, and save them
    window.ask.confirm_answers.append(True)  # then: send to production? yes
    send_from_window(qtbot, window, "prod_goal")
    kinds = [kind for kind, _text in window.ask.asked]
    assert kinds == ["choose", "confirm"]
    assert "no test IDs yet" in window.ask.asked[0][1]
    saved = window.ctx.profiles.get("Production").test_visitor_id
    assert saved and stored_goals(window)[-1]["visitorUid"] == saved
    assert window.form_panel.visitor_edit.placeholderText().endswith(saved)

    send_from_window(qtbot, window, "prod_goal")  # asked once per run
    assert len(window.ask.asked) == 2
    assert stored_goals(window)[-1]["visitorUid"] == saved


def test_test_ids_kept_for_this_run_are_not_saved_on_the_profile(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    production_on_sandbox(window)
    window.ask.choose_answers.append((0, False))  # create them, for this run only
    window.ask.confirm_answers.append(True)
    send_from_window(qtbot, window, "prod_goal")
    sent = stored_goals(window)[-1]["visitorUid"]
    assert window.ctx.profiles.get("Production").test_visitor_id == ""
    assert window.ctx.test_ids.profile("Production").test_visitor_id == sent


def test_declining_the_offer_sends_nothing_and_it_is_not_asked_again(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    production_on_sandbox(window)
    type_name(qtbot, window, "prod_goal")
    assert not window.send_flow.send()  # the offer is cancelled (no scripted answer)
    assert stored_goals(window) == []
    window.ask.confirm_answers.append(True)
    send_from_window(qtbot, window, "prod_goal")
    assert [kind for kind, _text in window.ask.asked] == ["choose", "confirm"]
    assert "visitorUid" not in stored_goals(window)[-1]


def test_no_offer_with_a_visitor_id_typed_or_on_another_profile(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    window.target.ensure_sandbox()
    send_from_window(qtbot, window, "sandbox_goal")  # the sandbox: never offered
    production_on_sandbox(window)
    window.ask.confirm_answers.append(True)
    send_from_window(qtbot, window, "prod_goal", visitor="a-real-visitor")
    assert [kind for kind, _text in window.ask.asked] == ["confirm"]


def test_test_ids_saved_earlier_show_in_the_form_once_the_window_is_up(
    qtbot: Any, make_window: Any, tmp_path: Any
) -> None:
    ProfileStore(tmp_path / "profiles.json").set_test_identity("Sandbox", TEST_VID)
    window = make_window()
    edit = window.form_panel.visitor_edit
    qtbot.waitUntil(lambda: edit.placeholderText().endswith(TEST_VID), timeout=3000)
    assert window.form_panel.use_test_ids_check.isVisibleTo(window)
