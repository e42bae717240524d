"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6's import hook (`shibokensupport.feature.feature_imported`) records, for each module
imported once PySide6 is loaded, whether that module uses PySide6: the module's whole source
is read through `inspect.getsource` (tokenized for its encoding, split into lines, kept in
`linecache`) and searched for the word "PySide6". At start-up that is about 110 modules,
the standard library's `os`, `typing`, `inspect` and `logging` among them, and about 15 ms
before the window is shown.

`install()` answers the same question the same way, cheaper:
- a standard-library module never uses PySide6 (its name is in `sys.stdlib_module_names`);
- this app's own modules are searched for "PySide6" in their bytes, as PySide6 searches
  their text, without the tokenizing and `linecache`;
- anything else is asked of PySide6's own check, unchanged.

The answer only tells PySide6 whether to switch the module's view of Qt's classes when it
selects `__feature__`s (snake_case, true_property), which this app never does.
`tests/ui/test_import_scan.py` checks that the answers agree with PySide6's for every module
of the app and fails loudly when PySide6 no longer has the hook (pinned in pyproject.toml).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

#: Where PySide6 keeps its check, and the check's name there.
HOOK_MODULE = "shibokensupport.feature"
HOOK_NAME = "_mod_uses_pyside"
_OWN_PACKAGE = __name__.partition(".")[0]


def make_check(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """The cheaper check, falling back to `original` (PySide6's) for other packages."""
    stdlib = sys.stdlib_module_names

    def uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "")
        top = name.partition(".")[0] if isinstance(name, str) else ""
        if top in stdlib:
            return False
        path = getattr(module, "__file__", None)
        if top == _OWN_PACKAGE and isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                return False  # as PySide6 answers for a module whose source cannot be read
        return original(module)

    uses_pyside.original = original  # type: ignore[attr-defined]
    return uses_pyside


def install() -> bool:
    """Put the cheaper check in PySide6's place; call it once PySide6 is imported.

    True when it is in place (now or before); False when this PySide6 has no such hook.
    """
    feature = sys.modules.get(HOOK_MODULE)
    original = getattr(feature, HOOK_NAME, None)
    if feature is None or not callable(original):
        return False
    if not hasattr(original, "original"):
        setattr(feature, HOOK_NAME, make_check(original))
    return True
