"""`${VAR}` in a suite's values, filled from the environment; `$${VAR}` stays as `${VAR}`.

An unset variable is an error naming it: a suite that silently sent an empty visitor ID
would test nothing. A `$` not followed by `{` is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flowsery_gui.i18n import _

_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ExpansionError(ValueError):
    """A `${...}` that cannot be filled; the message says which and why."""


def expand(text: str, environ: Mapping[str, str]) -> str:
    """The text with every `${VAR}` replaced by its value; raise ExpansionError otherwise."""
    if "$" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        inner = match.group(1)
        if not match.group(0).endswith("}"):
            raise ExpansionError(
                _(
                    "a {open} is not closed by {close}: write {example}, or {escaped} for a "
                    "literal {open}.",
                    open="${",
                    close="}",
                    example="${NAME}",
                    escaped="$${",
                )
            )
        if not _NAME.fullmatch(inner):
            raise ExpansionError(
                _(
                    "{used} is not a variable name (letters, digits and _, not starting with a "
                    "digit); write {escaped} for a literal {open}.",
                    used="${" + inner + "}",
                    escaped="$${",
                    open="${",
                )
            )
        if inner not in environ:
            raise ExpansionError(
                _(
                    "the environment variable {name} is not set (used as {used}); set it, or "
                    "write {escaped} for the literal text.",
                    name=inner,
                    used="${" + inner + "}",
                    escaped="$${" + inner + "}",
                )
            )
        return environ[inner]

    return _TOKEN.sub(replace, text)
