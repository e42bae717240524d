"""The app's cheaper answer to PySide6's "does this module use PySide6?" agrees with PySide6's.

PySide6 asks it of every module imported after it (`flowsery_gui/ui/import_scan.py`); the
window puts its own, cheaper check in place at start-up. These tests fail loudly when the
pinned PySide6 no longer has the hook, and when an answer would differ from PySide6's own.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import PySide6
import pytest

import flowsery_gui
from flowsery_gui.ui import import_scan

PACKAGE = Path(flowsery_gui.__file__).parent


def every_module_name() -> list[str]:
    """Every module of the app, window and core, but `__main__` (it would run)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def pyside_check() -> Callable[[ModuleType], bool]:
    """PySide6's own check, whether or not the app's is already in place in this process."""
    feature = sys.modules.get(import_scan.HOOK_MODULE)
    current = getattr(feature, import_scan.HOOK_NAME, None)
    assert callable(current), (
        f"PySide6 {PySide6.__version__} has no {import_scan.HOOK_MODULE}.{import_scan.HOOK_NAME}:"
        " the start-up shortcut in flowsery_gui/ui/import_scan.py no longer applies; check the"
        " new PySide6's import hook before widening the pin in pyproject.toml"
    )
    found: Callable[[ModuleType], bool] = getattr(current, "original", current)
    return found


def test_the_pinned_pyside6_has_the_hook_and_takes_the_cheaper_check() -> None:
    original = pyside_check()
    assert import_scan.install() is True
    feature = sys.modules[import_scan.HOOK_MODULE]
    installed = getattr(feature, import_scan.HOOK_NAME)
    assert installed is not original and installed.original is original
    assert import_scan.install() is True  # twice: still one wrapper, around PySide6's own
    assert getattr(feature, import_scan.HOOK_NAME) is installed


@pytest.mark.parametrize("name", every_module_name())
def test_every_app_module_gets_pysides_answer(name: str) -> None:
    original = pyside_check()
    module = importlib.import_module(name)
    assert import_scan.make_check(original)(module) is original(module)


@pytest.mark.parametrize(
    "name",
    ["os", "typing", "inspect", "json", "json.decoder", "sqlite3", "logging", "PySide6.QtCore"],
)
def test_other_modules_get_pysides_answer(name: str) -> None:
    original = pyside_check()
    module = importlib.import_module(name)
    assert import_scan.make_check(original)(module) is original(module)


def test_a_module_whose_source_cannot_be_read_is_not_counted(tmp_path: Path) -> None:
    class Gone:
        __name__ = "flowsery_gui.ui.gone"
        __file__ = str(tmp_path / "gone.py")  # never written

    assert import_scan.make_check(lambda module: True)(Gone()) is False  # type: ignore[arg-type]


# In a fresh interpreter, the window's start-up order: the window's modules are imported
# after PySide6, and none of their sources is kept in linecache (PySide6's own check keeps
# every one: about 3 MB for nothing).
START = """
import linecache, sys
from flowsery_gui.ui import app
app._import_core_before_qt()
app._import_qt()
import flowsery_gui.ui.main_window, flowsery_gui.ui.context
kept = [name for name in linecache.cache if "flowsery_gui" in name]
print(len(kept), "main_window" in sys.modules.get("flowsery_gui.ui.main_window").__name__)
"""


def test_the_window_start_keeps_no_module_source() -> None:
    done = subprocess.run(
        [sys.executable, "-c", START], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True"]
