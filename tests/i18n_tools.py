"""The i18n tests load the development tools (`tools/i18n.py`, `tools/i18n_lint.py`) by path:
they are scripts, not part of the installed package."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parent.parent / "tools"


@functools.cache
def load_tool(name: str) -> ModuleType:
    """`tools/<name>.py` as a module (loaded once)."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module
