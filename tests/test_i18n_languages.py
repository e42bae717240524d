"""Each shipped language says the core's messages in its own words: a finding, an explanation,
a failure, with every placeholder filled and every plural form right."""

from __future__ import annotations

import gettext
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowsery_gui import contract, i18n
from flowsery_gui.exchange import Exchange, FailureKind, ReceivedResponse, SentRequest
from flowsery_gui.explain import explain
from flowsery_gui.i18n.translate import catalogue_path
from flowsery_gui.sending.failures import failure_message

SHIPPED = ["de", "fr", "es", "pt_BR", "ja"]

#: What a person reads, per language, for: an uppercase goal name (a finding), a 404 (an
#: explanation's title), a refused connection (a failure), and a body with two errors.
EXPECTED = {
    "de": (
        "Zielnamen bestehen nur aus Kleinbuchstaben a-z",
        "404 Not Found · Falsche URL",
        "Die Verbindung wurde abgelehnt: Unter 127.0.0.1:9 lauscht nichts.",
        "Nicht gesendet: Das Ziel hat 2 Probleme.",
    ),
    "fr": (
        "Les noms d'objectif n'utilisent que des minuscules a-z",
        "404 Not Found · Mauvaise URL",
        "La connexion a été refusée\u00a0: rien n'écoute à l'adresse 127.0.0.1:9.",
        "Non envoyé\u00a0: l'objectif a 2 problèmes.",
    ),
    "es": (
        "Los nombres de objetivo solo usan letras minúsculas a-z",
        "404 Not Found · URL incorrecta",
        "Se rechazó la conexión: nada escucha en 127.0.0.1:9.",
        "No enviado: el objetivo tiene 2 problemas.",
    ),
    "pt_BR": (
        "Nomes de meta usam apenas letras minúsculas a-z",
        "404 Not Found · URL errada",
        "A conexão foi recusada: nada está escutando em 127.0.0.1:9.",
        "Não enviado: a meta tem 2 problemas.",
    ),
    "ja": (
        "目標名に使えるのは、小文字の a-z",
        "404 Not Found · URL が間違っています",
        "接続が拒否されました。127.0.0.1:9 で待ち受けているものがありません。",
        "送信しませんでした: 目標に 2 件の問題があります。",
    ),
}


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def not_found() -> Exchange:
    return Exchange(
        request=SentRequest("POST", "https://example.com/api/v1/goals", (), '{"name":"x"}'),
        started_at=0.0,
        elapsed_ms=12.0,
        response=ReceivedResponse(404, "Not Found", (), "<h1>Not Found</h1>", 18),
    )


@pytest.mark.parametrize("code", SHIPPED)
def test_a_finding_comes_out_in_the_language_with_its_path_code_and_fix_untouched(
    code: str,
) -> None:
    i18n.set_language(code)
    finding = contract.check_body({"name": "Newsletter Signup"}).findings[0]
    assert finding.message.startswith(EXPECTED[code][0])
    assert (finding.path, finding.code, finding.fix) == (
        "name",
        "name.pattern",
        "newsletter_signup",
    )


@pytest.mark.parametrize("code", SHIPPED)
def test_an_explanation_comes_out_in_the_language_and_the_servers_words_stay_as_sent(
    code: str,
) -> None:
    i18n.set_language(code)
    said = explain(not_found())
    assert said.title == EXPECTED[code][1]
    assert "https://analytics.flowsery.com" in said.message and "/api/v1/goals" in said.message
    assert said.server_message == "Not Found"  # the server's text is never translated
    i18n.set_language("en")
    assert explain(not_found()).message != said.message


@pytest.mark.parametrize("code", SHIPPED)
def test_a_failure_text_comes_out_in_the_language_with_the_address_filled_in(code: str) -> None:
    i18n.set_language(code)
    text = failure_message(FailureKind.REFUSED, "http://127.0.0.1:9/api/v1/goals", "POST", (5, 30))
    assert text.startswith(EXPECTED[code][2])


@pytest.mark.parametrize("code", SHIPPED)
def test_a_refusal_counts_the_problems_in_the_language(code: str) -> None:
    from flowsery_gui.sending import RawBody, Refusal, Target, plan_goal

    i18n.set_language(code)
    target = Target("Sandbox", "sandbox", "http://127.0.0.1:9")
    planned = plan_goal(target, RawBody('{"name": "Bad Name", "timezone": "Mars/Olympus"}'), True)
    assert isinstance(planned, Refusal)
    assert planned.message.startswith(EXPECTED[code][3])
    assert "name:" in planned.message  # the field path is never translated


def placeholders(text: str) -> set[str]:
    """The names of a msgid's `{fields}`."""
    return {
        name.split("!")[0].split(":")[0]
        for _literal, name, _spec, _conversion in string.Formatter().parse(text)
        if name
    }


def plural_sources() -> dict[str, str]:
    """Each plural message's singular msgid -> its plural msgid (the .mo keeps only the first)."""
    from babel.messages.pofile import read_po

    template = Path(catalogue_path("de")).parents[2] / "flowsery.pot"
    with open(template, "rb") as handle:
        catalog = read_po(handle)
    return {m.id[0]: m.id[1] for m in catalog if isinstance(m.id, tuple)}


@pytest.mark.parametrize("code", SHIPPED)
def test_every_translation_fills_its_fields_without_falling_back_to_english(code: str) -> None:
    """Every form is filled with the fields the call gives: those of the singular msgid and,
    for a plural message, of its plural msgid too (both are given to every form)."""
    with open(catalogue_path(code), "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    plurals = plural_sources()
    checked = 0
    for key, text in translations._catalog.items():  # type: ignore[attr-defined]
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or ("\x04" in msgid and not msgid.split("\x04", 1)[1]):
            continue
        source = msgid.split("\x04", 1)[-1]
        names = placeholders(source) | placeholders(plurals.get(source, ""))
        if not names:
            continue
        text.format(**dict.fromkeys(names, "X"))  # raises when a placeholder was mangled
        checked += 1
    assert checked > 60
