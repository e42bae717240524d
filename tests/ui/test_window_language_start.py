"""Start-up sets the window's language (the Preferences choice) before any widget is made."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from flowsery_gui import i18n
from flowsery_gui.ui import app as window_app
from flowsery_gui.ui import language as window_language


@pytest.mark.parametrize(("chosen", "cancel"), [("de", "Abbrechen"), ("en_XA", "Cancel")])
def test_the_window_starts_in_the_language_chosen_in_preferences(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chosen: str, cancel: str
) -> None:
    monkeypatch.setenv("FLOWSERY_GUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FLOWSERY_GUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LANGUAGE", "fr")  # the system's: the choice wins over it
    (tmp_path / "config").mkdir()
    settings = QSettings(window_app.settings_file(), QSettings.Format.IniFormat)
    window_language.save_choice(settings, chosen)
    settings.sync()
    seen: dict[str, Any] = {}

    def smoke(_app: QApplication, window: Any, *_args: Any) -> int:
        seen["language"] = i18n.current_language()
        seen["fault menu"] = window.fault_menu.title()
        cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        seen["cancel"] = cancel.button(QDialogButtonBox.StandardButton.Cancel).text()
        window.close()
        return 0

    monkeypatch.setattr(window_app, "_smoke", smoke)
    before = QLocale()
    try:
        assert window_app.run(["--smoke-test"]) == 0
    finally:
        gc.enable()  # run() turns it back on only after a real first paint
        window_language.apply_language(qapp, "en")
        QLocale.setDefault(before)
    assert seen["language"] == chosen
    assert seen["cancel"] == cancel  # Qt's own buttons, from its translation when it has one
    with i18n.language_override(chosen):
        assert seen["fault menu"] == i18n._("Sandbox &Fault")  # made in it, not in English
    if chosen == "en_XA":
        assert seen["fault menu"] != "Sandbox &Fault"


def test_edit_preferences_keeps_the_language_chosen_for_the_next_start(
    qtbot: Any, make_window: Any
) -> None:
    from PySide6.QtCore import QTimer

    from flowsery_gui.ui.actions import ActionId
    from flowsery_gui.ui.preferences import PreferencesDialog

    window = make_window()
    answered: list[str] = []

    def choose_german() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PreferencesDialog):
            QTimer.singleShot(20, choose_german)
            return
        answered.append(dialog.note.text())
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("de"))
        dialog.accept()

    QTimer.singleShot(0, choose_german)
    window.actions_[ActionId.PREFERENCES].trigger()
    assert answered == ["The new language is used the next time you start the app."]
    assert window_language.saved_choice(window.ctx.settings) == "de"
    assert i18n.current_language() == "en"  # applied at the next start, not now
