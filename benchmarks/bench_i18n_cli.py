"""What a language costs the command line: `flowsery-goal validate` and `--help` in each
language against English, as whole processes, interleaved round by round in the same run.

`validate` is the command that must start fast; in a language other than English it loads
one catalogue (and `gettext`'s reader), installs argparse's words, and looks its help texts
up while the parser is built. English loads no catalogue. `--help` adds laying the help out
for the language (display width, Japanese line breaks).

The package's bytecode is compiled first: with PYTHONDONTWRITEBYTECODE set, a module edited
since its last `.pyc` is compiled again on every start, which would be measured instead.

Run: python benchmarks/bench_i18n_cli.py [--runs 21] (or through benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from common import ROOT, Row, print_table, time_commands

LANGS = {
    "en": "C.UTF-8",
    "de": "de_DE.UTF-8",
    "fr": "fr_FR.UTF-8",
    "es": "es_ES.UTF-8",
    "pt_BR": "pt_BR.UTF-8",
    "ja": "ja_JP.UTF-8",
}
TARGET = "<= 1.05"


def _command(locale: str, *args: str) -> list[str]:
    """The CLI in a fresh process whose only language setting is LANG."""
    return ["env", "LANGUAGE=", "LC_ALL=", f"LANG={locale}", sys.executable, "-m",
            "flowsery_gui.cli", *args]  # fmt: skip


def rows(runs: int = 21) -> list[Row]:
    """Median wall time and peak memory per language, and each language's ratio to English."""
    import compileall

    compileall.compile_dir(ROOT / "flowsery_gui", quiet=1)
    figures: list[Row] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOWSERY_")}
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "goal.json"
        body.write_text('{"name": "newsletter_signup", "metadata": {"plan": "pro"}}', "utf-8")
        env["FLOWSERY_GUI_DATA_DIR"] = str(Path(tmp) / "data")
        env["FLOWSERY_GUI_CONFIG_DIR"] = str(Path(tmp) / "config")
        for what, args in (("validate", ("validate", str(body))), ("help", ("--help",))):
            commands = {lang: _command(locale, *args) for lang, locale in LANGS.items()}
            times = time_commands(commands, runs=runs, env=env)
            english = times["en"]
            for lang, measured in times.items():
                if measured.failures:
                    raise SystemExit(f"{what} in {lang} failed {measured.failures} times")
                figures.append(Row(f"cli_{what}_{lang}_median", measured.median_ms, "ms"))
                figures.append(Row(f"cli_{what}_{lang}_peak_rss", measured.peak_rss_mb, "MB"))
            for lang, measured in times.items():
                if lang != "en":
                    ratio = measured.median_ms / english.median_ms
                    target = TARGET if what == "validate" else ""
                    figures.append(Row(f"cli_{what}_{lang}_to_en", ratio, "x", target))
    return figures


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds per command")
    args = parser.parse_args()
    print_table(rows(args.runs))


if __name__ == "__main__":
    main()
