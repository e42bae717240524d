"""The window's side of the language: Qt's own dialog strings, mirroring, the saved choice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from flowsery_gui import contract, i18n
from flowsery_gui.ui import language as window_language

BUTTONS = QDialogButtonBox.StandardButton


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test application, back in English, left to right, its locale as before."""
    before = QLocale()
    yield qapp
    window_language.apply_language(qapp, "en")
    QLocale.setDefault(before)


def button_texts() -> list[str]:
    box = QDialogButtonBox(BUTTONS.Save | BUTTONS.Cancel)
    return [box.button(BUTTONS.Save).text(), box.button(BUTTONS.Cancel).text()]


@pytest.mark.parametrize(
    ("code", "save", "cancel"),
    [
        ("de", "Speichern", "Abbrechen"),
        ("fr", "Enregistrer", "Annuler"),
        ("es", "Guardar", "Cancelar"),
        ("pt_BR", "Salvar", "Cancelar"),
        ("ja", "保存", "キャンセル"),
    ],
)
def test_qts_standard_buttons_come_in_the_chosen_language_from_qts_own_translations(
    app: QApplication, code: str, save: str, cancel: str
) -> None:
    applied = window_language.apply_language(app, code)
    assert applied == window_language.WindowLanguage(code, True, False)
    assert [t.replace("&", "") for t in button_texts()] == [save, cancel]
    assert i18n.current_language() == code
    assert contract.check_body({}).findings[0].message != "A goal name is required."
    window_language.apply_widget_locale()  # as the history's date range does first
    assert QLocale().name().startswith(code.split("_")[0])


def test_the_right_to_left_pseudo_language_mirrors_the_whole_application(app: QApplication) -> None:
    applied = window_language.apply_language(app, "ar_XB")
    assert applied.right_to_left
    assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    box = QDialogButtonBox(BUTTONS.Ok)
    assert box.layoutDirection() == Qt.LayoutDirection.RightToLeft
    window_language.apply_language(app, "de")
    assert app.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_without_qts_translation_files_the_buttons_stay_english_and_nothing_fails(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window_language, "qt_translations_dir", lambda: str(tmp_path))
    applied = window_language.apply_language(app, "de")
    assert applied == window_language.WindowLanguage("de", False, False)
    assert [t.replace("&", "") for t in button_texts()] == ["Save", "Cancel"]
    assert contract.check_body({}).findings[0].message == "Ein Zielname ist erforderlich."


def test_the_preferences_choice_is_kept_in_the_settings_and_wins_over_the_system(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert window_language.chosen_language(settings) == "fr"  # the system's, on Linux
    window_language.save_choice(settings, "ja_JP")
    settings.sync()
    again = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert window_language.saved_choice(again) == "ja"
    assert window_language.setup_window_language(app, again).code == "ja"
    window_language.save_choice(again, None)
    assert window_language.chosen_language(again) == "fr"
