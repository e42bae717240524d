"""The start-up's catalogue reader answers exactly as the standard library's gettext does."""

from __future__ import annotations

import gettext

import pytest

from flowsery_gui.i18n.languages import available_languages
from flowsery_gui.i18n.mofile import MoCatalogue
from flowsery_gui.i18n.translate import catalogue_path

SHIPPED = [entry.code for entry in available_languages() if entry.code != "en"]
COUNTS = (0, 1, 2, 3, 5, 11, 21, 101, 1_000_000)


def both(code: str) -> tuple[gettext.GNUTranslations, MoCatalogue]:
    with open(catalogue_path(code), "rb") as handle:
        data = handle.read()
    with open(catalogue_path(code), "rb") as handle:
        return gettext.GNUTranslations(handle), MoCatalogue(data)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_of_every_language_reads_as_gettext_reads_it(code: str) -> None:
    standard, ours = both(code)
    catalog = standard._catalog  # type: ignore[attr-defined]
    singles = [key for key in catalog if isinstance(key, str)]
    plurals = {key[0] for key in catalog if isinstance(key, tuple)}
    assert len(singles) > 500 and len(plurals) > 50
    for key in singles:
        context, sep, message = key.partition("\x04")
        if sep:
            assert ours.pgettext(context, message) == standard.pgettext(context, message)
        else:
            assert ours.gettext(key) == standard.gettext(key)
    for singular in plurals:
        context, sep, message = singular.partition("\x04")
        for n in COUNTS:
            if sep:
                got = ours.npgettext(context, message, "other", n)
                assert got == standard.npgettext(context, message, "other", n)
            else:
                assert ours.ngettext(message, "other", n) == standard.ngettext(message, "other", n)
                assert ours.gettext(message) == standard.gettext(message)  # not a plain one


def test_unknown_messages_come_back_in_english() -> None:
    _standard, ours = both("de")
    assert ours.gettext("no such message") == "no such message"
    assert ours.pgettext("ctx", "no such message") == "no such message"
    assert ours.ngettext("one thing", "many things", 1) == "one thing"
    assert ours.ngettext("one thing", "many things", 5) == "many things"


@pytest.mark.parametrize(
    "data", [b"", b"\x00" * 40, b"\xde\x12\x04\x95" + b"\xff" * 16, b"\x95\x04\x12\xde" * 3]
)
def test_a_damaged_file_is_refused_with_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        MoCatalogue(data)
