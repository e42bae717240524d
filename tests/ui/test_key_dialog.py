"""The key dialog: one mnemonic per control, no keyring means no Save, and a key typed when a
send asked for it lets that send go on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel

from tests.ui.test_history_panel import key_dialog_on_local_profile
from tests.ui.test_main_window import stored_goals, type_name

pytestmark = pytest.mark.slow

_MNEMONIC = re.compile(r"&([^&])")


def mnemonics(dialog: QDialog) -> list[str]:
    """The Alt+letter of every button and labelled field in the dialog."""
    texts = [button.text() for button in dialog.findChildren(QAbstractButton)]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    return [m.lower() for text in texts for m in _MNEMONIC.findall(text.replace("&&", ""))]


def test_each_alt_letter_of_the_key_dialog_is_used_once(qtbot: Any, make_window: Any) -> None:
    _window, _sandbox, dialog = key_dialog_on_local_profile(qtbot, make_window)
    letters = mnemonics(dialog)
    assert len(letters) >= 5  # key, verify, save, session, forget (and close)
    assert len(letters) == len(set(letters)), letters


def test_without_a_keyring_save_is_off_and_enter_keeps_the_key_for_the_session(
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
    qtbot.waitUntil(lambda: dialog.keyring_available is False, timeout=5000)
    qtbot.keyClicks(dialog.key_edit, "flow_sk_test_nokeyring1234")
    assert not dialog.save_button.isEnabled() and not dialog.save_button.isDefault()
    assert dialog.session_button.isEnabled() and dialog.session_button.isDefault()
    assert "session only" in dialog.hint_label.text()
    dialog.show()
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Return)  # the default button: session only
    assert window.target.key() == "flow_sk_test_nokeyring1234"
    assert "session only" in window.target.key_info().text


def test_with_a_keyring_save_is_the_default(
    qtbot: Any, make_window: Any, memory_keyring: Any
) -> None:
    _window, sandbox, dialog = key_dialog_on_local_profile(qtbot, make_window)
    qtbot.waitUntil(lambda: dialog.keyring_available is True, timeout=5000)
    qtbot.keyClicks(dialog.key_edit, sandbox.api_key)
    assert dialog.save_button.isEnabled() and dialog.save_button.isDefault()
    assert not dialog.session_button.isDefault()


@pytest.mark.parametrize("how", ["save", "session"])
def test_a_key_typed_when_a_send_asked_for_it_closes_the_dialog_and_the_send_goes_on(
    qtbot: Any, make_window: Any, memory_keyring: Any, how: str
) -> None:
    window = make_window()
    sandbox = window.target.ensure_sandbox()
    window.ctx.profiles.add("Local", sandbox.url)
    window.refresh_profiles()
    window.target.set_profile("Local")
    type_name(qtbot, window, "asked_goal")
    answered: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        try:
            label = dialog.findChild(QLabel, "key_dialog_for_send")
            answered.append(label.text() if label is not None else "")
            qtbot.keyClicks(dialog.key_edit, sandbox.api_key)
            (dialog.save_button if how == "save" else dialog.session_button).click()
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
            answered.append("closed itself")
        finally:
            if dialog.isVisible():  # fail, never hang: the dialog should have closed itself
                dialog.reject()

    QTimer.singleShot(0, answer)
    assert window.send_flow.send()  # started once the key was given: no second click
    assert answered[1:] == ["closed itself"]
    assert "Sending needs an API key for profile Local" in answered[0]
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    assert [goal["name"] for goal in stored_goals(window)] == ["asked_goal"]
    if how == "save":
        assert list(memory_keyring.store.values()) == [sandbox.api_key]
