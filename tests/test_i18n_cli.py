"""The command lines in each shipped language, as a person starts them (`LANG=de_DE.UTF-8`
in a fresh process): `--help` (argparse's own words included), a `verify` summary, a
`cleanup --dry-run` plan and a suite file's error, every placeholder filled; reports whose
HTML is in the reader's language while the JUnit XML stays the same bytes; plural forms at
0, 1, 2, 5 and 21."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from flowsery_gui import i18n
from flowsery_gui.contract import DEFAULT_BASE_URL
from flowsery_gui.profiles import ProfileStore
from flowsery_gui.reports import Case, Outcome, Run, Suite, render_html, render_junit
from tests.cli_helpers import REPO, Place, new_place
from tests.sandbox_helpers import running_sandbox
from tests.test_cleanup_runner import TEST_VID, mixed_goals
from tests.test_verify_cli import EXAMPLE, GOOD, export, send_all

SHIPPED = ["de", "fr", "es", "pt_BR", "ja"]
LOCALE = {
    "de": "de_DE.UTF-8",
    "fr": "fr_FR.UTF-8",
    "es": "es_ES.UTF-8",
    "pt_BR": "pt_BR.UTF-8",
    "ja": "ja_JP.UTF-8",
}
NBSP = "\u00a0"
#: A placeholder left unfilled, as `{name}` or as argparse's `%(name)s`.
UNFILLED = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sr]")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def run_cli(
    code: str, *args: str, module: str = "flowsery_gui.cli", place: Place | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m MODULE ARGS` in a fresh process whose only language setting is LANG."""
    base = place.env() if place is not None else dict(_clean_env())
    environment = {
        **base,
        "LANGUAGE": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "LANG": LOCALE.get(code, code),
    }
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=REPO,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _clean_env() -> dict[str, str]:
    import os

    keep = {k: v for k, v in os.environ.items() if not k.startswith(("FLOWSERY_", "COLUMNS"))}
    return {**keep, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}


def flat(text: str) -> str:
    """Help text with its line breaks and indentation taken out (the layout depends on the
    terminal's width); wide (CJK) text is joined without a space, as it was written."""
    lines = [line.strip() for line in text.splitlines()]
    out = ""
    for line in lines:
        if not line:
            out += "\n"
        elif out and not out.endswith("\n") and not _wide(out[-1]) and not _wide(line[0]):
            out += " " + line
        else:
            out += line
    return out


def _wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


# --- --help ----------------------------------------------------------------------------------

TOP_HELP = {
    "de": ("Aufruf: flowsery-goal [-h]", "Optionen:", "diese Hilfe anzeigen und beenden",
           "den JSON-Body eines Ziels offline prüfen", "Exit-Codes:"),
    "fr": (f"utilisation{NBSP}: flowsery-goal [-h]", "options:",  # argparse adds the colon
           "afficher cette aide et quitter", "vérifier hors ligne un corps JSON d'objectif",
           f"codes de sortie{NBSP}:"),
    "es": ("uso: flowsery-goal [-h]", "opciones:", "mostrar esta ayuda y salir",
           "comprobar sin conexión un cuerpo JSON de objetivo", "códigos de salida:"),
    "pt_BR": ("uso: flowsery-goal [-h]", "opções:", "mostrar esta ajuda e sair",
              "verificar offline um corpo JSON de meta", "códigos de saída:"),
    "ja": ("使い方: flowsery-goal [-h]", "オプション:", "このヘルプを表示して終了",
           "目標の JSON 本文をオフラインで確認", "終了コード:"),
}  # fmt: skip


@pytest.mark.parametrize("code", SHIPPED)
def test_flowsery_goal_help_comes_out_in_the_language_with_every_placeholder_filled(
    code: str,
) -> None:
    done = run_cli(code, "--help")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    usage, options, help_option, validate, exit_codes = TOP_HELP[code]
    assert out.startswith(usage)
    assert f"\n{options}\n" in out and help_option in out and exit_codes in out
    assert validate in out
    assert "usage:" not in out and "show this help message" not in out
    # the fields are filled: the vendor's URL, the history's profile name, the limits
    assert DEFAULT_BASE_URL in flat(out) and '"custom"' in out
    assert "1 MiB" in flat(out) or "1 Mio" in flat(out)
    assert not UNFILLED.search(out), UNFILLED.search(out)
    for command in ("validate", "send", "run", "plan", "verify", "cleanup"):  # never translated
        assert f"\n    {command} " in out


RUN_HELP = {
    "de": ("Aufruf: flowsery-goal run", "Sendet die Ziele einer oder mehrerer Suite-Dateien",
           "beim ersten fehlgeschlagenen Ziel anhalten", "überhaupt keine Antwort vom Zielserver"),
    "fr": (f"utilisation{NBSP}: flowsery-goal run",
           "Envoie dans l'ordre les objectifs d'un ou plusieurs fichiers de suite",
           "s'arrêter au premier objectif en échec", "aucune réponse de la cible"),
    "es": ("uso: flowsery-goal run", "Envía en orden los objetivos de uno o varios archivos",
           "detenerse en el primer objetivo fallido", "ninguna respuesta del destino"),
    "pt_BR": ("uso: flowsery-goal run", "Envia em ordem as metas de um ou mais arquivos",
              "parar na primeira meta reprovada", "nenhuma resposta do destino"),
    "ja": ("使い方: flowsery-goal run", "1 つ以上のスイートファイルの目標を順に送信し",
           "最初の不合格の目標で止める", "送信先から応答がまったくない"),
}  # fmt: skip


@pytest.mark.parametrize("code", SHIPPED)
def test_flowsery_goal_run_help_comes_out_in_the_language(code: str) -> None:
    done = run_cli(code, "run", "--help")
    assert done.returncode == 0, done.stderr
    usage, description, fail_fast, exit_three = RUN_HELP[code]
    out = flat(done.stdout)
    assert done.stdout.startswith(usage)
    assert description in out and fail_fast in out and exit_three in out
    for option in ("--fail-fast", "--yes-production", "--sandbox-fault", "FILE"):
        assert option in out  # option names and metavars stay as typed
    assert not UNFILLED.search(done.stdout)


ARGPARSE_ERROR = {
    "de": "flowsery-goal: Fehler: unbekannte Argumente: --bogus",
    "fr": f"flowsery-goal{NBSP}: erreur{NBSP}: arguments non reconnus{NBSP}: --bogus",
    "es": "flowsery-goal: error: argumentos no reconocidos: --bogus",
    "pt_BR": "flowsery-goal: erro: argumentos não reconhecidos: --bogus",
    "ja": "flowsery-goal: エラー: 認識できない引数: --bogus",
}


@pytest.mark.parametrize("code", SHIPPED)
def test_argparse_says_its_usage_errors_in_the_language_with_the_argument_in_place(
    code: str,
) -> None:
    done = run_cli(code, "validate", "--bogus")
    assert done.returncode == 2
    assert ARGPARSE_ERROR[code] in done.stderr


# --- verify, cleanup and suites ---------------------------------------------------------------


@pytest.fixture(scope="module")
def good_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("i18n-verify")
    jsonl, _har = export(send_all(base / "good", GOOD), base / "good")
    return jsonl


VERIFIED = {
    "de": ("2 Ziele gegen den Plan acme-website geprüft: 2 bestanden, 0 fehlgeschlagen.",
           "Prüfung bestanden."),
    "fr": (f"2 objectifs vérifiés selon le plan acme-website{NBSP}: 2 OK, 0 en échec.",
           "Vérification réussie."),
    "es": ("Se comprobaron 2 objetivos con el plan acme-website: 2 correctos, 0 fallidos.",
           "Verificación superada."),
    "pt_BR": ("2 metas verificadas com o plano acme-website: 2 aprovadas, 0 reprovadas.",
              "Verificação aprovada."),
    "ja": ("目標 2 件をプラン acme-website で確認しました: 合格 2 件、不合格 0 件。",
           "検証に合格しました。"),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("code", SHIPPED)
def test_a_verify_summary_comes_out_in_the_language_with_its_counts_and_plan_name(
    code: str, good_capture: Path
) -> None:
    done = run_cli(code, "verify", "--plan", str(EXAMPLE), str(good_capture))
    assert done.returncode == 0, done.stdout + done.stderr
    checked, passed = VERIFIED[code]
    assert done.stdout.splitlines()[-2:] == [checked, passed]


@pytest.fixture(scope="module")
def cleanup_place(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Place, str]]:
    """Three test goals sent to the profile Local (and real visitors' goals beside them)."""
    place = new_place(tmp_path_factory.mktemp("i18n-cleanup"))
    from flowsery_gui.history import History

    with running_sandbox() as server:
        profiles = ProfileStore(place.config / "profiles.json")
        profiles.add("Local", server.url)
        profiles.set_test_identity("Local", TEST_VID)
        place.data.mkdir(parents=True, exist_ok=True)
        with History(place.data / "history.sqlite3") as history:
            mixed_goals(server, history)
        yield place, server.url


CLEANUP = {
    "de": ("Bereinigung von Local ({url}): 2 Aufrufe.", "Löschen Ihrer Testziele namens",
           "  Risiko: Nur Ihre Testziele.", "Probelauf: Nichts wurde gesendet."),
    "fr": (f"Nettoyage de Local ({{url}}){NBSP}: 2 appels.",
           "Supprimer vos objectifs de test nommés",
           f"  risque{NBSP}: Seulement vos objectifs de test.",
           f"Essai à blanc{NBSP}: rien n'a été envoyé."),
    "es": ("Limpieza de Local ({url}): 2 llamadas.",
           "Eliminar sus objetivos de prueba llamados",
           "  riesgo: Solo sus objetivos de prueba.", "Simulación: no se envió nada."),
    "pt_BR": ("Limpeza de Local ({url}): 2 chamadas.",
              "Excluir suas metas de teste chamadas",
              "  risco: Só as suas metas de teste.", "Simulação: nada foi enviado."),
    "ja": ("Local ({url}) のクリーンアップ: 呼び出し 2 回。", "という名前のテスト用の目標",
           "  リスク: 対象はテスト用の目標だけです。", "ドライラン: 何も送信していません。"),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("code", SHIPPED)
def test_a_cleanup_dry_run_plan_comes_out_in_the_language(
    code: str, cleanup_place: tuple[Place, str]
) -> None:
    place, url = cleanup_place
    done = run_cli(code, "cleanup", "--profile", "Local", "--since", "1d", "--dry-run", place=place)
    assert done.returncode == 0, done.stdout + done.stderr
    head, call, risk, dry = CLEANUP[code]
    lines = done.stdout.splitlines()
    assert lines[0] == head.format(url=url)
    calls = [line for line in lines if re.match(r"\d\. ", line)]
    assert len(calls) == 2 and all(call in line for line in calls), done.stdout
    assert risk in lines and dry in lines
    assert f"DELETE {url}/api/v1/goals?name=signup" in done.stdout  # the request as sent
    assert not UNFILLED.search(done.stdout)


SUITE_ERROR = {
    "de": "flowsery-goal run: Fehler: {file}, Zeile 4 (expct): Ein Ziel hat keinen Schlüssel "
          "'expct'. Meinten Sie expect? Bekannte Schlüssel: ",
    "fr": f"flowsery-goal run{NBSP}: erreur{NBSP}: {{file}}, ligne 4 (expct){NBSP}: Un objectif "
          f"n'a pas de clé 'expct'. Vouliez-vous dire expect{NBSP}? Clés connues{NBSP}: ",
    "es": "flowsery-goal run: error: {file}, línea 4 (expct): Un objetivo no tiene la clave "
          "'expct'. ¿Quería decir expect? Claves conocidas: ",
    "pt_BR": "flowsery-goal run: erro: {file}, linha 4 (expct): Uma meta não tem a chave "
             "'expct'. Você quis dizer expect? Chaves conhecidas: ",
    "ja": "flowsery-goal run: エラー: {file}、4 行目 (expct): 目標に 'expct' というキーは"
          "ありません。expect のことですか? 使えるキー: ",
}  # fmt: skip


@pytest.mark.parametrize("code", SHIPPED)
def test_a_suite_files_error_names_file_line_and_key_in_the_language(
    code: str, tmp_path: Path
) -> None:
    suite = tmp_path / "typo.suite.yaml"
    suite.write_text("suite: typo\ngoals:\n  - name: signup\n    expct: { status: 400 }\n", "utf-8")
    done = run_cli(code, "run", "--dry-run", "--base-url", "http://127.0.0.1:9", str(suite))
    assert done.returncode == 2
    assert done.stderr.startswith(SUITE_ERROR[code].format(file=suite)), done.stderr
    assert "title, name, visitorUid" in done.stderr  # the keys are the format's, as written


# --- reports -----------------------------------------------------------------------------------


def sample_run() -> Run:
    cases = (
        Case("newsletter_signup line 3", "s.goals", 0.012, Outcome.PASSED),
        Case("checkout line 9", "s.goals", 0.2, Outcome.FAILED, "Expected status 2xx, got 400"),
        Case("no answer line 12", "s.goals", 1.5, Outcome.ERROR, "No response: refused"),
        Case("later line 15", "s.goals", 0.0, Outcome.SKIPPED, "Not run: the run was cancelled."),
        Case("again line 18", "s.goals", 0.03, Outcome.PASSED),
    )
    suite = Suite("s", cases, file="s.suite.yaml")
    facts = (("run id", "abc"),)
    return Run("goal suites: s", (suite,), "Local http://x", 1_714_557_600.0, 1.742, facts)


HTML_WORDS = {
    "de": ('<html lang="de">', "FEHLGESCHLAGEN", "ÜBERSPRUNGEN",
           "1 fehlgeschlagen, 1 Fehler, 2 bestanden, 1 übersprungen", "Lauf-ID: abc"),
    "fr": ('<html lang="fr">', "ÉCHOUÉ", "IGNORÉ", "1 échoué, 1 erreur, 2 réussis, 1 ignoré",
           f"ID de l'exécution{NBSP}: abc"),
    "es": ('<html lang="es">', "FALLIDO", "OMITIDO",
           "1 fallido, 1 error, 2 correctos, 1 omitido", "ID de la ejecución: abc"),
    "pt_BR": ('<html lang="pt-BR">', "REPROVADO", "PULADO",
              "1 reprovado, 1 erro, 2 aprovados, 1 pulado", "ID da execução: abc"),
    "ja": ('<html lang="ja">', "不合格", "スキップ", "不合格 1、エラー 1、合格 2、スキップ 1",
           "実行 ID: abc"),
}  # fmt: skip


@pytest.mark.parametrize("code", SHIPPED)
def test_the_html_report_speaks_the_language_while_the_junit_xml_keeps_the_same_bytes(
    code: str,
) -> None:
    i18n.set_language("en")
    english_junit, english_html = render_junit(sample_run()), render_html(sample_run())
    assert "1 failed, 1 error, 2 passed, 1 skipped" in english_html
    i18n.set_language(code)
    html = unescape(render_html(sample_run()))
    for words in HTML_WORDS[code]:
        assert words in html, words
    assert ">FAILED<" not in html and "1 failed" not in html
    assert render_junit(sample_run()) == english_junit


def _without_times(xml: str) -> str:
    return re.sub(r' (timestamp|time)="[^"]*"', "", xml)


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ja"])
def test_a_verify_runs_junit_report_is_the_same_in_any_language_apart_from_times(
    code: str, good_capture: Path, tmp_path: Path
) -> None:
    reports = {}
    for language in ("en", code):
        junit, html = tmp_path / f"{language}.xml", tmp_path / f"{language}.html"
        done = run_cli(
            language, "verify", "--plan", str(EXAMPLE), str(good_capture),
            "--junit", str(junit), "--html", str(html),
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        reports[language] = (junit.read_text("utf-8"), html.read_text("utf-8"))
    assert _without_times(reports[code][0]) == _without_times(reports["en"][0])
    assert reports[code][1] != reports["en"][1]
    assert HTML_WORDS[code][0] in unescape(reports[code][1])


# --- plurals -----------------------------------------------------------------------------------

PLURALS = {
    # n -> the words that must be in "Dry run: N goal(s) checked, nothing sent."
    "de": {0: "0 Ziele geprüft", 1: "1 Ziel geprüft", 2: "2 Ziele", 5: "5 Ziele", 21: "21 Ziele"},
    "fr": {0: "0 objectif vérifié", 1: "1 objectif vérifié", 2: "2 objectifs vérifiés",
           5: "5 objectifs", 21: "21 objectifs"},
    "es": {0: "0 objetivos", 1: "comprobó 1 objetivo,", 2: "2 objetivos", 5: "5 objetivos",
           21: "21 objetivos"},
    "pt_BR": {0: "0 meta verificada", 1: "1 meta verificada", 2: "2 metas verificadas",
              5: "5 metas", 21: "21 metas"},
    "ja": {n: f"目標 {n} 件を確認" for n in (0, 1, 2, 5, 21)},
}  # fmt: skip
RECORDS = {  # n -> "N record(s): …" in a cleanup's left-out list
    "de": ("Einträge", "Eintrag", "Einträge"),
    "fr": ("enregistrement", "enregistrement", "enregistrements"),
    "es": ("registros", "registro", "registros"),
    "pt_BR": ("registro", "registro", "registros"),
    "ja": ("記録", "記録", "記録"),
}


@pytest.mark.parametrize("code", SHIPPED)
def test_counts_in_the_cli_take_the_languages_plural_form_at_0_1_2_5_and_21(code: str) -> None:
    i18n.set_language(code)
    for n, words in PLURALS[code].items():
        said = i18n.ngettext(
            "Dry run: {count} goal checked, nothing sent.",
            "Dry run: {count} goals checked, nothing sent.",
            n,
            count=n,
        )
        assert words in said, (n, said)
    zero, one, many = RECORDS[code]
    for n in (0, 1, 2, 5, 21):
        said = i18n.ngettext(
            "{count} record: {why}.", "{count} records: {why}.", n, count=n, why="x"
        )
        expected = zero if n == 0 else one if n == 1 else many
        assert said.startswith(f"{n} {expected}") or said.startswith(f"{expected} {n}"), said


# --- start-up ----------------------------------------------------------------------------------


def test_validate_in_german_loads_one_catalogue_and_nothing_heavy() -> None:
    script = (
        'import io, sys; sys.stdin = io.StringIO(\'{"name": "a"}\');'
        "from flowsery_gui.cli import main; main(['validate']);"
        "heavy = ('babel', 'flowsery_gui.i18n.formats', 'flowsery_gui.i18n.cldr', 'ruamel',"
        " 'jsonschema', 're2', 'requests', 'keyring', 'sqlite3', 'PySide6');"
        "print(sorted({m.split('.')[0] if not m.startswith('flowsery') else m"
        " for m in sys.modules if m.startswith(heavy)}))"
    )
    environment = {**_clean_env(), "LANGUAGE": "", "LC_ALL": "", "LANG": "de_DE.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    said, loaded = done.stdout.splitlines()
    assert said == "ok: gültiger Body eines Ziels"
    assert loaded == "[]"
