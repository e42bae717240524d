"""The languages the app speaks, and which one a locale name or an environment asks for.

One table names every shipped language (its code, its own name, its direction, the name of
Qt's matching translation file); `match_language` turns whatever a system says (`de_DE.UTF-8`,
`pt-BR`, `C`) into one of those codes, and `language_from_environment` applies the usual
precedence of `LANGUAGE`, `LC_ALL`, `LC_MESSAGES` and `LANG`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

#: The language the source strings are written in: no catalogue, the text as typed.
SOURCE_LANGUAGE = "en"

#: The environment variables that name a language, in the order gettext reads them.
ENVIRONMENT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Language(NamedTuple):
    """One language: its code, its name in itself, in English, and how it reads."""

    code: str
    native_name: str
    english_name: str
    rtl: bool = False
    qt_name: str | None = None  # the `qtbase_<name>.qm` Qt ships; None when there is none
    pseudo: bool = False  # a test language for layouts, never offered to people


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", qt_name="en"),
    Language("de", "Deutsch", "German", qt_name="de"),
    Language("fr", "Français", "French", qt_name="fr"),
    Language("es", "Español", "Spanish", qt_name="es"),
    Language("pt_BR", "Português (Brasil)", "Portuguese (Brazil)", qt_name="pt_BR"),
    Language("ja", "日本語", "Japanese", qt_name="ja"),
    # Pseudo-locales (the names Android uses): every string longer and accented, or written
    # right to left in Arabic-looking letters, to find clipped text and unmirrored layouts.
    Language("en_XA", "[Ëñĝļîšĥ ƥšéûđö]", "English (pseudo, long)", pseudo=True),
    Language("ar_XB", "عربي زائف", "Arabic (pseudo, right to left)", True, "ar", True),
)

_BY_CODE = {language.code.lower(): language for language in LANGUAGES}
#: Language subtags that mean one shipped variant: any Portuguese reads the Brazilian one.
_BY_LANGUAGE = {"pt": "pt_BR"}


def language(code: str) -> Language:
    """The table entry of a shipped code (KeyError for any other)."""
    return _BY_CODE[code.lower()]


def available_languages(include_pseudo: bool = False) -> tuple[Language, ...]:
    """The languages a person can choose (English first), with the pseudo ones on request."""
    return tuple(item for item in LANGUAGES if include_pseudo or not item.pseudo)


def match_language(tag: str | None) -> str | None:
    """The shipped code for a locale name or language tag, or None when none fits.

    `de_DE.UTF-8` -> `de`, `pt-PT` -> `pt_BR`, `ja_JP` -> `ja`, `C` / `POSIX` -> `en`."""
    if not tag:
        return None
    name = tag.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if not name:
        return None
    if name.upper() in ("C", "POSIX"):
        return SOURCE_LANGUAGE
    exact = _BY_CODE.get(name.lower())
    if exact is not None:
        return exact.code
    base = name.split("_", 1)[0].lower()
    if base in _BY_LANGUAGE:
        return _BY_LANGUAGE[base]
    found = _BY_CODE.get(base)
    return found.code if found is not None and not found.pseudo else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it: the first of `LANGUAGE`,
    `LC_ALL`, `LC_MESSAGES`, `LANG` that is set decides (`LANGUAGE` may list several,
    `de:fr`); English when it names no shipped language."""
    env = os.environ if environ is None else environ
    for variable in ENVIRONMENT_VARIABLES:
        value = env.get(variable, "").strip()
        if not value:
            continue
        for tag in value.split(":"):
            code = match_language(tag)
            if code is not None:
                return code
        return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def first_match(tags: list[str] | tuple[str, ...]) -> str | None:
    """The first shipped language in a list of preferences (Qt's `uiLanguages()`), or None."""
    for tag in tags:
        code = match_language(tag)
        if code is not None:
            return code
    return None
