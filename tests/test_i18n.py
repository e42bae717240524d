"""The translation mechanism: which language, lookups, fallbacks, plural rules, pseudo-locales."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest

from flowsery_gui import i18n
from flowsery_gui.i18n import translate
from flowsery_gui.i18n.pseudo import long_text, rtl_text
from tests.i18n_tools import python_in

SHIPPED = ["de", "fr", "es", "pt_BR", "ja"]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Every test leaves the process in English, as the rest of the suite expects."""
    yield
    i18n.set_language("en")


# --- which language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "pt_BR.UTF-8"}, "pt_BR"),
        ({"LANG": "pt_PT.UTF-8"}, "pt_BR"),  # any Portuguese reads the Brazilian catalogue
        ({"LANG": "ja_JP.eucJP"}, "ja"),
        ({"LANG": "fr_CA.UTF-8@euro"}, "fr"),
        ({"LANG": "it_IT.UTF-8"}, "en"),  # not shipped: English
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}, "es"),  # LC_ALL beats LANG
        ({"LC_MESSAGES": "ja_JP", "LANG": "de_DE"}, "ja"),
        ({"LANGUAGE": "it:fr:de", "LANG": "de_DE.UTF-8"}, "fr"),  # the first shipped one
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "es_MX.UTF-8"}, "es"),  # empty means unset
        ({}, "en"),
    ],
)
def test_the_language_follows_the_environment_as_gettext_reads_it(
    environment: dict[str, str], expected: str
) -> None:
    assert i18n.language_from_environment(environment) == expected


def test_the_cli_follows_lang_with_nothing_else_set_up() -> None:
    script = "from flowsery_gui import contract; print(contract.check_body({}).findings[0].message)"
    result = python_in({"LANG": "de_DE.UTF-8"}, "-c", script)
    assert result.stdout.strip() == "Ein Zielname ist erforderlich."


def test_set_language_matches_locale_names_and_says_what_it_chose() -> None:
    assert i18n.set_language("de_AT") == "de"
    assert i18n.current_language() == "de"
    assert i18n.set_language("klingon") == "en"
    assert i18n.current_language() == "en"


def test_the_choice_offered_to_people_is_english_and_five_languages_by_their_own_names() -> None:
    offered = {language.code: language.native_name for language in i18n.available_languages()}
    assert offered == {
        "en": "English",
        "de": "Deutsch",
        "fr": "Français",
        "es": "Español",
        "pt_BR": "Português (Brasil)",
        "ja": "日本語",
    }
    pseudo = [lang.code for lang in i18n.available_languages(include_pseudo=True) if lang.pseudo]
    assert pseudo == ["en_XA", "ar_XB"]


# --- lookups and fallbacks -------------------------------------------------------------------


def test_a_message_no_catalogue_has_shows_in_english() -> None:
    i18n.set_language("de")
    assert i18n._("A sentence nobody translated, {who}.", who="yet") == (
        "A sentence nobody translated, yet."
    )


def test_a_translation_with_a_broken_placeholder_falls_back_to_english_instead_of_raising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Broken:
        def gettext(self, message: str) -> str:
            return "Kaputt: {nme}"  # a translator's typo

    monkeypatch.setattr(translate, "catalogue", lambda code: Broken())
    assert i18n._("Hello {name}", name="Ada") == "Hello Ada"


def test_english_needs_no_catalogue_and_loads_no_gettext() -> None:
    script = (
        "import sys; from flowsery_gui import contract; contract.check_body({});"
        "print('gettext' in sys.modules)"
    )
    assert python_in({"LANGUAGE": "en"}, "-c", script).stdout.strip() == "False"


def test_every_shipped_catalogue_loads() -> None:
    for code in SHIPPED:
        assert translate.catalogue(code) is not None, code


def test_the_same_words_in_another_context_are_translated_apart() -> None:
    i18n.set_language("de")
    assert i18n.pgettext("JSON type", "a number") == "eine Zahl"


@pytest.mark.parametrize("code", SHIPPED)
def test_numbers_in_a_sentence_pick_the_languages_plural_form_at_0_1_2_5_and_21(
    code: str,
) -> None:
    i18n.set_language(code)
    shown = {
        n: i18n.ngettext(
            "Not sent: the goal has {count} problem.",
            "Not sent: the goal has {count} problems.",
            n,
            count=n,
        )
        for n in (0, 1, 2, 5, 21)
    }
    expected = {
        "de": {0: "Probleme", 1: "Problem.", 2: "Probleme", 5: "Probleme", 21: "Probleme"},
        "fr": {0: "problème.", 1: "problème.", 2: "problèmes", 5: "problèmes", 21: "problèmes"},
        "es": {0: "problemas", 1: "problema.", 2: "problemas", 5: "problemas", 21: "problemas"},
        "pt_BR": {0: "problema.", 1: "problema.", 2: "problemas", 5: "problemas", 21: "problemas"},
        "ja": {n: "件の問題" for n in (0, 1, 2, 5, 21)},
    }[code]
    for n, word in expected.items():
        assert f"{n}" in shown[n] and word in shown[n], (n, shown[n])
    assert len(set(shown.values())) == 5  # the number itself is in every form


def test_a_language_override_holds_only_in_its_own_thread() -> None:
    i18n.set_language("fr")
    seen: dict[str, str] = {}

    def elsewhere() -> None:
        seen["other thread"] = i18n._("Goal created")

    with i18n.source_language():
        seen["inside"] = i18n._("Goal created")
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    seen["after"] = i18n._("Goal created")
    assert seen == {
        "inside": "Goal created",
        "other thread": "Objectif créé",
        "after": "Objectif créé",
    }


def test_sentences_are_joined_with_a_space_except_in_japanese() -> None:
    i18n.set_language("de")
    assert i18n.sentences("Eins.", None, "Zwei.") == "Eins. Zwei."
    i18n.set_language("ja")
    assert i18n.sentences("一。", "", "二。") == "一。二。"


# --- pseudo-locales ---------------------------------------------------------------------------


def test_the_long_pseudo_locale_lengthens_by_about_40_percent_and_accents_every_letter() -> None:
    source = "Not sent: the goal has {count} problems, %(kind)s and %d of {name!r}."
    shown = long_text(source)
    assert 1.35 <= len(shown) / len(source) <= 1.5
    assert shown.startswith("[") and shown.endswith("]")
    assert not re.search(r"[a-zA-Z]{2}", re.sub(r"\{[^}]*\}|%\(\w+\)s|%d", "", shown))
    for placeholder in ("{count}", "%(kind)s", "%d", "{name!r}"):
        assert placeholder in shown


def test_the_right_to_left_pseudo_locale_writes_arabic_letters_and_keeps_placeholders() -> None:
    shown = rtl_text("Found {visitor} in {place}.")
    assert "{visitor}" in shown and "{place}" in shown
    letters = re.sub(r"\{[^}]*\}", "", shown)
    assert not re.search("[A-Za-z]", letters)
    assert re.search("[\u0600-\u06ff]", letters)


def test_a_finding_in_the_pseudo_locales_still_formats_and_mirrors_the_window() -> None:
    from flowsery_gui import contract

    i18n.set_language("en_XA")
    long_message = contract.check_body({"name": "x" * 70}).findings[0].message
    assert "70" in long_message and "64" in long_message and long_message.startswith("[")
    assert not i18n.is_rtl()
    i18n.set_language("ar_XB")
    assert "70" in contract.check_body({"name": "x" * 70}).findings[0].message
    assert i18n.is_rtl()
