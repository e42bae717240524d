"""The core has no Qt: every module outside `ui/` imports in a fresh interpreter without PySide6.

The CLI, the sandbox and CI run headless on machines that may not even have Qt's system
libraries; only the window may load it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import flowsery_gui

PACKAGE = Path(flowsery_gui.__file__).parent

CHECK = """
import importlib, json, sys
loaded_qt = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    if "PySide6" in sys.modules and not loaded_qt:
        loaded_qt = {"first": name}
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"qt": qt, **loaded_qt}))
"""


def core_modules() -> list[str]:
    """Every module of the package outside `ui/`, and no `__main__` (it would run)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = relative.parts
        if "ui" in parts[1:] or parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def imported_in_fresh_interpreter(modules: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHECK, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_every_core_module_imports_without_loading_pyside6() -> None:
    modules = core_modules()
    assert "flowsery_gui.contract" in modules and "flowsery_gui.sandbox.server" in modules
    assert not any(".ui" in name for name in modules)
    result = imported_in_fresh_interpreter(modules)
    assert result["qt"] == [], f"{result.get('first')} loaded {result['qt']}"


def test_the_check_sees_pyside6_when_a_module_loads_it() -> None:
    """It can fail: a window module, imported the same way, is caught."""
    result = imported_in_fresh_interpreter(["flowsery_gui.contract", "flowsery_gui.ui.icons"])
    assert result["first"] == "flowsery_gui.ui.icons"
    assert "PySide6" in result["qt"]
