"""The window's language: chosen once at start-up, before any widget exists.

The choice is the one made in Preferences (kept in the window's settings, applied at the
next start), else the system's: on Linux the same environment variables the CLI reads, on
Windows and macOS what `QLocale.system()` says. Applying it sets the app's gettext
language (`flowsery_gui.i18n`), loads Qt's own translation of its standard buttons and
dialogs (`qtbase_<lang>.qm`, shipped inside PySide6), and mirrors the layout for a
right-to-left language.
"""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication

from flowsery_gui import i18n
from flowsery_gui.i18n.languages import first_match

#: The settings key of the language chosen in Preferences; empty or absent: the system's.
SETTINGS_KEY = "i18n/language"

_installed: list[Any] = []  # QTranslators, kept alive: Qt does not own installed translators
#: The language whose locale Qt's date and number widgets should use (None: the system's),
#: and the one Qt's default locale was last set to. Set on first need (`apply_widget_locale`):
#: QLocale's Python enums (its hundreds of languages and territories) cost about 10 ms,
#: which a start in English, whose widgets follow the system's locale anyway, never pays.
_widget_locale: str | None = None
_locale_set: str | None = None


class WindowLanguage(NamedTuple):
    """What start-up applied: the language, whether Qt's own translation was found."""

    code: str
    qt_translation: bool
    right_to_left: bool


def saved_choice(settings: QSettings) -> str:
    """The language chosen in Preferences, or "" to follow the system."""
    value = settings.value(SETTINGS_KEY, "")
    return value if isinstance(value, str) else ""


def save_choice(settings: QSettings, code: str | None) -> None:
    """Keep the Preferences choice for the next start (None or "": follow the system)."""
    settings.setValue(SETTINGS_KEY, (i18n.match_language(code) or "") if code else "")


def system_language() -> str:
    """The system's language: the environment on Linux and BSD (as the CLI reads it),
    `QLocale.system().uiLanguages()` on Windows and macOS."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return i18n.language_from_environment()
    from PySide6.QtCore import QLocale

    return first_match(list(QLocale.system().uiLanguages())) or i18n.SOURCE_LANGUAGE


def chosen_language(settings: QSettings) -> str:
    """The language the window starts in: the Preferences choice, else the system's."""
    return i18n.match_language(saved_choice(settings)) or system_language()


def qt_translations_dir() -> str:
    """Where Qt's own `.qm` translations are (inside the PySide6 wheel or the bundle)."""
    from PySide6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def apply_language(app: QCoreApplication, code: str) -> WindowLanguage:
    """Use `code` for the app's text, Qt's standard dialogs, number widgets and layout
    direction. Call it right after the QApplication exists, before any widget is made.
    Without Qt's translation file the standard buttons stay in English; nothing fails."""
    code = i18n.set_language(code)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    entry = i18n.language(code)
    found = False
    if entry.qt_name and code != i18n.SOURCE_LANGUAGE:
        from PySide6.QtCore import QTranslator

        translator = QTranslator(app)
        found = translator.load(f"qtbase_{entry.qt_name}", qt_translations_dir())
        if found:
            app.installTranslator(translator)
            _installed.append(translator)
    # Qt's own number and date widgets: the language's locale; in English (and the pseudo
    # languages) the system's, so an en_GB system keeps its own formats there.
    global _widget_locale
    plain = code == i18n.SOURCE_LANGUAGE or entry.pseudo
    _widget_locale = None if plain else code
    if _locale_set is not None:  # set before (a test, or a second call): follow the change now
        apply_widget_locale()
    if isinstance(app, QGuiApplication):
        direction = Qt.LayoutDirection.RightToLeft if entry.rtl else Qt.LayoutDirection.LeftToRight
        QGuiApplication.setLayoutDirection(direction)
    return WindowLanguage(code, found, entry.rtl)


def apply_widget_locale() -> None:
    """Make Qt's default locale the window's language's, before a date or number widget is
    made (history's date range, the retention days, cleanup's "since"); once."""
    global _locale_set
    if _widget_locale == _locale_set:
        return
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(_widget_locale) if _widget_locale else QLocale.system())
    _locale_set = _widget_locale


def setup_window_language(app: QCoreApplication, settings: QSettings) -> WindowLanguage:
    """Start-up in one call: the chosen language, applied."""
    return apply_language(app, chosen_language(settings))
