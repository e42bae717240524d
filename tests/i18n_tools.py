"""What the i18n tests share: the development tools (`tools/i18n.py`, `tools/i18n_lint.py`),
loaded by path (they are scripts, not part of the package), and a fresh Python process in a
given locale."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"


@functools.cache
def load_tool(name: str) -> ModuleType:
    """`tools/<name>.py` as a module (loaded once)."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def python_in(
    environment: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` from this checkout with only `environment` (plus what Python needs)."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, **environment},
        cwd=REPO,
        timeout=60,
    )
