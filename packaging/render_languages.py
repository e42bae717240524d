"""Render the window in every shipped language and both pseudo-languages, for review.

    python packaging/render_languages.py OUT_DIR [--langs de,ja,ar_XB] [--sizes 800x600]

Each language runs `render_screenshots.py` in a process of its own (a language is applied
once, before any widget exists, as at start-up) and writes into `OUT_DIR/<language>/` the
same states and feature views: empty, errors, success, server-error, no-response, history,
the Suites tab, test IDs and Delete from analytics, the plan-aware form, the Plan and
Received views. `en_XA` lengthens every string by about 40% and adds accents; `ar_XB` is
right-to-left. Look at them before a release: clipped or overlapping text is a defect.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("de", "fr", "es", "pt_BR", "ja", "en_XA", "ar_XB")


def main(argv: list[str]) -> int:
    """Render each language; returns 1 when any of them failed."""
    args = list(argv)
    langs = list(LANGUAGES)
    sizes = "800x600,1400x1000"
    if "--langs" in args:
        at = args.index("--langs")
        langs = [code for code in args[at + 1].split(",") if code]
        del args[at : at + 2]
    if "--sizes" in args:
        at = args.index("--sizes")
        sizes = args[at + 1]
        del args[at : at + 2]
    if not args:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(args[0])
    failed = []
    for code in langs:
        folder = out / code
        command = [sys.executable, str(HERE / "render_screenshots.py"), str(folder)]
        command += ["--language", code, "--sizes", sizes]
        result = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        print(f"{code}: {'ok' if result.returncode == 0 else 'FAILED'} -> {folder}")
        if result.returncode:
            failed.append(code)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
