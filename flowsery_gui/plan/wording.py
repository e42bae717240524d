"""How a plan's problems name what is wrong: a value quoted or said in words, an unknown
keyword where it was found, a name that breaks the API's rule. Whole sentences, one per case,
for the translations (`loader.py` says when each applies)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flowsery_gui.contract import MAX_NAME_LENGTH
from flowsery_gui.i18n import _, pgettext


def shown_value(value: Any) -> str:
    """A YAML value as a message quotes it: `text`, true, or its kind in words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return pgettext("YAML value", "nothing")
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, dict):
        return pgettext("YAML value", "a mapping")
    if isinstance(value, list):
        return pgettext("YAML value", "a list")
    return f"`{value}`"


def unknown_words(where: str, key: str, hint: str | None, known: Sequence[str]) -> str:
    """An unknown keyword in plain words, for the place it was found ("plan", "goal", "key"),
    with the keyword meant or, failing a close one, those known."""
    fields = {"key": key, "hint": hint, "known": ", ".join(known)}
    if where == "plan":
        if hint:
            return _(
                "Unknown keyword `{key}` at the top of a plan. Did you mean `{hint}`?", **fields
            )
        return _("Unknown keyword `{key}` at the top of a plan. Known: {known}.", **fields)
    if where == "goal":
        if hint:
            return _("Unknown keyword `{key}` in a goal. Did you mean `{hint}`?", **fields)
        return _("Unknown keyword `{key}` in a goal. Known: {known}.", **fields)
    if hint:
        return _("Unknown keyword `{key}` for a metadata key. Did you mean `{hint}`?", **fields)
    return _("Unknown keyword `{key}` for a metadata key. Known: {known}.", **fields)


def name_words(what: str, fault: str, name: Any, fix: str | None = None) -> str:
    """Why a goal name (`what` "goal") or a metadata key ("key") breaks the API's rule:
    `fault` "type" (not text or empty), "length" or "pattern" (with a fix when there is one)."""
    limit = MAX_NAME_LENGTH
    goal = what == "goal"
    if fault == "type":
        if goal:
            return _("A goal name must be text of 1 to {limit} characters.", limit=limit)
        return _("A metadata key must be text of 1 to {limit} characters.", limit=limit)
    if fault == "length":
        fields = {"name": name, "length": len(name), "limit": limit}
        if goal:
            return _(
                "The goal name `{name}` is {length} characters long; the limit is {limit}.",
                **fields,
            )
        return _(
            "The metadata key `{name}` is {length} characters long; the limit is {limit}.",
            **fields,
        )
    if goal:
        if fix:
            return _(
                "The goal name `{name}` breaks the API's rule: lowercase letters a-z, digits "
                "0-9, underscores (_) and hyphens (-) only. Did you mean `{fix}`?",
                name=name,
                fix=fix,
            )
        return _(
            "The goal name `{name}` breaks the API's rule: lowercase letters a-z, digits 0-9, "
            "underscores (_) and hyphens (-) only.",
            name=name,
        )
    if fix:
        return _(
            "The metadata key `{name}` breaks the API's rule: lowercase letters a-z, digits "
            "0-9, underscores (_) and hyphens (-) only. Did you mean `{fix}`?",
            name=name,
            fix=fix,
        )
    return _(
        "The metadata key `{name}` breaks the API's rule: lowercase letters a-z, digits 0-9, "
        "underscores (_) and hyphens (-) only.",
        name=name,
    )
