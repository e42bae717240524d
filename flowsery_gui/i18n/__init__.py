"""The app in its users' languages: one mechanism for the window, the CLI and the core.

    from flowsery_gui.i18n import _, ngettext, N_

    _("A goal name is required.")
    _("The goal name is {length} characters long; the limit is {limit}.", length=n, limit=64)
    ngettext("{count} problem", "{count} problems", n, count=format_number(n))

Catalogues are gettext `.mo` files (`locale/<lang>/LC_MESSAGES/flowsery.mo`), made
from the `.po` files by `tools/i18n.py` (Babel, a development tool only). English is the
source and needs no catalogue; anything a catalogue lacks shows in English. Field paths,
codes, JSON keys, goal names and whatever goes on the wire are never translated. See
`docs/i18n.md`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowsery_gui.i18n.languages import (
    SOURCE_LANGUAGE,
    Language,
    available_languages,
    language,
    language_from_environment,
    match_language,
)
from flowsery_gui.i18n.translate import (
    N_,
    _,
    current_language,
    language_override,
    ngettext,
    npgettext,
    pgettext,
    sentences,
    set_language,
    source_language,
)

if TYPE_CHECKING:
    from flowsery_gui.i18n.formats import (
        format_date,
        format_datetime,
        format_duration,
        format_seconds,
        format_time,
    )


def __getattr__(name: str) -> Any:
    """The formatting functions load on first use (PEP 562): most runs format no date."""
    if name not in _FORMATS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from flowsery_gui.i18n import formats

    value = getattr(formats, name)
    globals()[name] = value
    return value


__all__ = [
    "N_",
    "SOURCE_LANGUAGE",
    "Language",
    "_",
    "available_languages",
    "current_language",
    "format_date",
    "format_datetime",
    "format_duration",
    "format_number",
    "format_seconds",
    "format_time",
    "is_rtl",
    "language",
    "language_from_environment",
    "language_override",
    "match_language",
    "ngettext",
    "npgettext",
    "pgettext",
    "sentences",
    "set_language",
    "source_language",
]
_FORMATS = frozenset(name for name in __all__ if name.startswith("format_")) - {"format_number"}


def format_number(value: float, max_decimals: int = 3, language: str | None = None) -> str:
    """A number with the language's grouping and decimal sign (`formats.format_number`).
    A whole number from 0 to 999 reads the same in every language (the digits are always
    ASCII, no grouping below 1,000): the window's first paint shows only such counts, and
    then needs neither the formats nor the dates they load."""
    if type(value) is int and 0 <= value < 1000:
        return str(value)
    from flowsery_gui.i18n import formats

    return formats.format_number(value, max_decimals, language)


def is_rtl(code: str | None = None) -> bool:
    """True when the language (default: the active one) reads right to left: the window
    then mirrors its layout."""
    try:
        return language(code or current_language()).rtl
    except KeyError:
        return False
