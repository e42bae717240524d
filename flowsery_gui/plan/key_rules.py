"""The string keywords of one metadata key in a plan (`enum`, `const`, `pattern`,
`minLength`/`maxLength`, `format`), each read and checked with its problems in plain words:
the part of reading a plan that knows JSON Schema's string keywords."""

from __future__ import annotations

from typing import Any

from flowsery_gui.contract import MAX_METADATA_VALUE_LENGTH
from flowsery_gui.i18n import _
from flowsery_gui.plan.engine import FORMATS, PatternError, compile_pattern, unavailable_formats
from flowsery_gui.plan.suggest import closest
from flowsery_gui.plan.wording import shown_value
from flowsery_gui.yamlfile import KeyPath


class KeyRules:
    """The plan reader's checks of a key's string keywords (mixed into the reader, whose
    `problem` records each problem at a key path)."""

    def problem(self, path: KeyPath, message: str) -> None:
        """Record a problem at a key path (the reader's)."""
        raise NotImplementedError

    def enum(self, spec: dict[str, Any], path: KeyPath) -> tuple[str, ...] | None:
        value = spec.get("enum")
        where = (*path, "enum")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            said = _(
                "`enum` must be a list of allowed texts, not {value}.", value=shown_value(value)
            )
            self.problem(where, said)
            return None
        seen: set[str] = set()
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(
                    (*where, index),
                    _(
                        "`enum` values must be text; {value} is not. Put it in quotes.",
                        value=shown_value(item),
                    ),
                )
            elif len(item) > MAX_METADATA_VALUE_LENGTH:
                said = _(
                    "An `enum` value is over {limit} characters.", limit=MAX_METADATA_VALUE_LENGTH
                )
                self.problem((*where, index), said)
            elif item in seen:
                self.problem((*where, index), _("`{value}` is listed twice in `enum`.", value=item))
            seen.add(str(item))
        return tuple(str(v) for v in value)

    def const(
        self, spec: dict[str, Any], path: KeyPath, enum: tuple[str, ...] | None
    ) -> str | None:
        value = spec.get("const")
        if value is None:
            return None
        if not isinstance(value, str):
            said = _("`{key}` must be text, not {value}.", key="const", value=shown_value(value))
            self.problem((*path, "const"), said)
            return None
        if enum is not None and value not in enum:
            said = _("`const` `{value}` is not one of its `enum` values.", value=value)
            self.problem((*path, "const"), said)
        return value

    def pattern(self, spec: dict[str, Any], path: KeyPath) -> str | None:
        value = spec.get("pattern")
        if value is None:
            return None
        if not isinstance(value, str):
            said = _("`{key}` must be text, not {value}.", key="pattern", value=shown_value(value))
            self.problem((*path, "pattern"), said)
            return None
        try:
            compile_pattern(value)
        except PatternError as exc:
            self.problem((*path, "pattern"), str(exc))
            return None
        return value

    def length(self, spec: dict[str, Any], path: KeyPath, key: str) -> int | None:
        value = spec.get(key)
        if value is None:
            return None
        limit = MAX_METADATA_VALUE_LENGTH
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            self.problem(
                (*path, key),
                _(
                    "`{key}` must be a whole number from 0 to {limit}, not {value}.",
                    key=key,
                    limit=limit,
                    value=shown_value(value),
                ),
            )
            return None
        return value

    def format(self, spec: dict[str, Any], path: KeyPath) -> str | None:
        value = spec.get("format")
        if value is None:
            return None
        where = (*path, "format")
        if value not in FORMATS:
            hint = closest(str(value), FORMATS, cutoff=0.6)
            fields = {"value": shown_value(value), "formats": ", ".join(FORMATS), "hint": hint}
            if hint:
                said = _(
                    "The format {value} is not one this app checks ({formats}). Did you mean "
                    "`{hint}`?",
                    **fields,
                )
            else:
                said = _("The format {value} is not one this app checks ({formats}).", **fields)
            self.problem(where, said)
            return None
        missing = unavailable_formats().get(value)
        if missing:
            said = _(
                "The format `{value}` cannot be checked: install {package}.",
                value=value,
                package=missing,
            )
            self.problem(where, said)
            return None
        return str(value)
