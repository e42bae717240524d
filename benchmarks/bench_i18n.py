"""What the languages cost: the window in each language against English, in the same run.

- spawn to first shown window (`flowsery-gui --smoke-test`) per language, interleaved round
  by round, and its ratio to English (target: within 5%);
- idle memory (peak RSS with `--idle-ms`) per language, and its ratio to English (target:
  within 5%);
- the mechanism's own costs, each in a fresh interpreter: importing `flowsery_gui.i18n`,
  loading one catalogue, installing Qt's translation of its standard dialogs; and one
  lookup (`_()`) in German, in process.

Every label, menu, tooltip and message of the window is marked, so a language changes at
start what a person sees: the catalogue is loaded, every label made before the first paint
is looked up, and Qt's translation of its standard dialogs is installed.

Run: python benchmarks/bench_i18n.py [--langs de,ja,en_XA] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from common import Row, peak_rss_kb, print_table, time_callable

DEFAULT_LANGS = ("de", "fr", "es", "pt_BR", "ja", "en_XA")

IMPORT_COST = """
import time
began = time.perf_counter()
import flowsery_gui.i18n
print((time.perf_counter() - began) * 1000)
"""

CATALOGUE_COST = """
import sys, time
from flowsery_gui.i18n import translate
began = time.perf_counter()
assert translate.catalogue(sys.argv[1]) is not None
print((time.perf_counter() - began) * 1000)
"""

QT_TRANSLATOR_COST = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from flowsery_gui.ui.language import apply_language
began = time.perf_counter()
applied = apply_language(app, sys.argv[1])
print((time.perf_counter() - began) * 1000, applied.qt_translation)
"""


def _env(tmp: str, language: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        FLOWSERY_GUI_DATA_DIR=os.path.join(tmp, "data"),
        FLOWSERY_GUI_CONFIG_DIR=os.path.join(tmp, "config"),
        LANGUAGE=language,
    )
    env.pop("FLOWSERY_API_KEY", None)
    return env


def _child_ms(code: str, env: dict[str, str], *args: str, runs: int = 9) -> float:
    """Median of what a fresh interpreter prints first (milliseconds)."""
    values = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        values.append(float(done.stdout.split()[0]))
    return statistics.median(values)


def _first_show_ms(env: dict[str, str]) -> float:
    """Spawn to first shown window, from the time the window prints when it was shown."""
    import time

    began = time.time()
    argv = [sys.executable, "-m", "flowsery_gui", "--smoke-test"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=True)
    shown = float(done.stdout.rsplit("(at ", 1)[1].split(")", 1)[0])
    return (shown - began) * 1000


def _window_figures(langs: list[str], runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median first-show times and median idle peak memory (MB) per language, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        envs = {lang: _env(tmp, lang) for lang in langs}
        for lang in langs:  # warm-up: caches, the settings file, the empty history
            _first_show_ms(envs[lang])
        samples: dict[str, list[float]] = {lang: [] for lang in langs}
        for round_index in range(runs):
            shift = round_index % len(langs)
            for lang in langs[shift:] + langs[:shift]:
                samples[lang].append(_first_show_ms(envs[lang]))
        idle_argv = [sys.executable, "-m", "flowsery_gui", "--smoke-test", "--idle-ms", "1500"]
        rss: dict[str, list[int]] = {lang: [] for lang in langs}
        for _ in range(3):
            for lang in langs:
                rss[lang].append(peak_rss_kb(idle_argv, envs[lang]))
    shows = {lang: statistics.median(values) for lang, values in samples.items()}
    memory = {lang: statistics.median(values) / 1024 for lang, values in rss.items()}
    return shows, memory


def rows(langs: tuple[str, ...] = DEFAULT_LANGS, runs: int = 15) -> list[Row]:
    """Every figure, the window's compared with English measured in the same rounds."""
    from flowsery_gui import i18n

    figures: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp, "en")
        figures.append(Row("i18n_import_ms", _child_ms(IMPORT_COST, env), "ms", "< 10"))
        for lang in ("de", "ja"):
            cost = _child_ms(CATALOGUE_COST, env, lang)
            figures.append(Row(f"i18n_catalogue_load_{lang}_ms", cost, "ms", "< 10"))
            cost = _child_ms(QT_TRANSLATOR_COST, env, lang)
            figures.append(Row(f"i18n_qt_translator_{lang}_ms", cost, "ms", "< 20"))
    i18n.set_language("de")
    lookup = time_callable(lambda: i18n._("A goal name is required."), repeat=20000)
    figures.append(Row("i18n_lookup_de_median", lookup.median_us, "µs", "< 5"))
    i18n.set_language("en")

    every = ["en", *[lang for lang in langs if lang != "en"]]
    shows, memory = _window_figures(every, runs)
    for lang in every:
        figures.append(Row(f"gui_first_show_{lang}_median", shows[lang], "ms"))
        figures.append(Row(f"gui_idle_rss_{lang}", memory[lang], "MB"))
    for lang in every[1:]:
        figures.append(
            Row(f"gui_first_show_{lang}_to_en", shows[lang] / shows["en"], "x", "<= 1.05")
        )
        figures.append(
            Row(f"gui_idle_rss_{lang}_to_en", memory[lang] / memory["en"], "x", "<= 1.05")
        )
    return figures


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--langs", default=",".join(DEFAULT_LANGS), help="languages to compare")
    parser.add_argument("--runs", type=int, default=15, help="rounds of window starts")
    args = parser.parse_args()
    langs = tuple(lang.strip() for lang in args.langs.split(",") if lang.strip())
    print_table(rows(langs, args.runs))


if __name__ == "__main__":
    main()
