"""A package's public names loaded on first use (PEP 562), written once for every package
that re-exports from its modules but must stay cheap to import (`sending`, `cli`)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_names(package: str, homes: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """The package's module-level `__getattr__`: each name in `homes` (module -> names) is
    imported from `package.module` the first time it is asked for, then kept."""
    module_of = {name: module for module, names in homes.items() for name in names}

    def load(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(importlib.import_module(package), name, value)
        return value

    return load
