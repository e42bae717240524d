"""The README's first commands stay true: its system package line is the one CI installs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_apt_packages() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"`sudo apt-get install ([^`]+)`", text)
    assert match, "the README no longer gives an apt-get install line for Qt's libraries"
    return set(match.group(1).split()) - {"python3-venv"}


def _ci_qt_libraries() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r'^QT_LIBS="([^"]+)"', text, re.MULTILINE)
    assert match, ".ci/run no longer names Qt's libraries in QT_LIBS"
    return set(match.group(1).split())


def test_readme_install_line_names_exactly_the_qt_libraries_ci_installs() -> None:
    readme, ci = _readme_apt_packages(), _ci_qt_libraries()
    assert readme == ci, (
        f"only in the README: {sorted(readme - ci)}; only in .ci/run: {sorted(ci - readme)}"
    )


def test_readme_install_line_has_what_a_minimal_debian_lacks_for_qt() -> None:
    # Each of these was missing on a minimal Debian 12 once: without them the window aborts
    # (xcb) or `import PySide6.QtCore` fails (glib, dbus), so the test command fails too.
    needed = {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libglib2.0-0", "libdbus-1-3"}
    assert needed <= _readme_apt_packages()
