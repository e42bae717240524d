"""Looking up text in the active language: the gettext calls every module uses.

The active language is chosen once for the process (`set_language`; until then, the first
lookup reads the environment). Code that writes text for the wire, such as the sandbox's
answers, runs under `source_language()`, which makes every lookup in that thread (and
context) return the English source, whatever the process's language.

Text is translated when it is made (`_("...")` returns a plain `str`); a constant defined
at import time is marked with `N_` and translated where it is used: `_(CONSTANT)`.
Fields are filled by name after translation, `_("{count} rows", count=n)`; a translation
whose placeholders do not fit falls back to the English text instead of raising.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Protocol

from flowsery_gui.i18n.languages import (
    SOURCE_LANGUAGE,
    language_from_environment,
    match_language,
)

DOMAIN = "flowsery"
#: A shipped catalogue is about 240 KB; anything past this is not one of ours.
_MAX_CATALOGUE_BYTES = 16 * 1024 * 1024
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")


class Catalogue(Protocol):
    """What a language's translations answer (gettext.GNUTranslations, or a pseudo one)."""

    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...
    def pgettext(self, context: str, message: str) -> str: ...
    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str: ...


_process_language: str | None = None  # None: not chosen yet, read from the environment
_override: ContextVar[str | None] = ContextVar("flowsery_language_override", default=None)


def catalogue_path(code: str) -> str:
    """Where a language's compiled catalogue lives."""
    return os.path.join(LOCALE_DIR, code, "LC_MESSAGES", f"{DOMAIN}.mo")


@functools.cache
def catalogue(code: str) -> Catalogue | None:
    """The translations of a language; None for English or when its file is missing (the
    English source is then shown)."""
    if code == SOURCE_LANGUAGE:
        return None
    from flowsery_gui.i18n.pseudo import PSEUDO_TRANSFORMS, PseudoCatalogue

    if code in PSEUDO_TRANSFORMS:
        return PseudoCatalogue(PSEUDO_TRANSFORMS[code])
    # Read on first use of a translated language (English needs none of it), decoding only
    # what is looked up: gettext's own reader decodes every message first (mofile.py).
    from flowsery_gui.i18n.mofile import MoCatalogue

    try:
        with open(catalogue_path(code), "rb") as handle:
            return MoCatalogue(handle.read(_MAX_CATALOGUE_BYTES + 1))
    except (OSError, ValueError):  # missing, damaged, or absurdly large: English
        return None


def set_language(code: str | None) -> str:
    """Make `code` the process's language and return the one in use (a locale name such as
    `de_DE` is matched; anything unknown means English). None, "" or "system": follow the
    environment (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`)."""
    global _process_language
    if not code or code == "system":
        _process_language = language_from_environment()
    else:
        _process_language = match_language(code) or SOURCE_LANGUAGE
    return _process_language


def current_language() -> str:
    """The language lookups use here and now (the override of this context, else the
    process's, read from the environment on first use)."""
    code = _override.get()
    if code is not None:
        return code
    if _process_language is None:
        return set_language(None)
    return _process_language


@contextlib.contextmanager
def language_override(code: str) -> Iterator[str]:
    """Within the block (this thread or task only), look up text in `code`."""
    token = _override.set(match_language(code) or SOURCE_LANGUAGE)
    try:
        yield _override.get() or SOURCE_LANGUAGE
    finally:
        _override.reset(token)


def source_language() -> contextlib.AbstractContextManager[str]:
    """Within the block, every lookup returns the English source: for text sent on the wire
    (the sandbox's answers), which must not depend on who runs the server."""
    return language_override(SOURCE_LANGUAGE)


def _fill(text: str, source: str, fields: dict[str, object]) -> str:
    """`text` with its fields filled; the source's wording when the translation's
    placeholders do not fit the fields (a broken translation never raises)."""
    if not fields:
        return text
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return source.format(**fields)


def _(message: str, /, **fields: object) -> str:
    """`message` in the active language, its `{fields}` filled by name."""
    found = catalogue(current_language())
    text = message if found is None else found.gettext(message)
    return _fill(text, message, fields)


def ngettext(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """The form of a message for the number `n` by the active language's plural rule."""
    found = catalogue(current_language())
    source = singular if n == 1 else plural
    text = source if found is None else found.ngettext(singular, plural, n)
    return _fill(text, source, fields)


def pgettext(context: str, message: str, /, **fields: object) -> str:
    """`message` in the active language, told apart from the same words elsewhere by
    `context` (a button's "Send" and a status's "Send")."""
    found = catalogue(current_language())
    text = message if found is None else found.pgettext(context, message)
    return _fill(text, message, fields)


def npgettext(context: str, singular: str, plural: str, n: int, /, **fields: object) -> str:
    """`ngettext` with a context."""
    found = catalogue(current_language())
    source = singular if n == 1 else plural
    text = source if found is None else found.npgettext(context, singular, plural, n)
    return _fill(text, source, fields)


#: Languages whose sentences follow each other with no space (they end in "。").
_CLOSED_UP = frozenset({"ja"})


def sentences(*parts: str | None) -> str:
    """Sentences translated apart, joined into one text as the active language does (with a
    space, or none in Japanese); empty parts are left out."""
    gap = "" if current_language() in _CLOSED_UP else " "
    return gap.join(part for part in parts if part)


def N_(message: str, /) -> str:
    """Mark a constant for extraction without translating it yet: `_(CONSTANT)` at use."""
    return message
