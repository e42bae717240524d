"""Where in a suite file a value sits: the file, its lines and keys, for errors that name them."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from flowsery_gui.i18n import _, pgettext
from flowsery_gui.suites.expand import ExpansionError, expand
from flowsery_gui.suites.model import SuiteError
from flowsery_gui.yamlfile import KeyPath, YamlDoc


class Place:
    """Where in a suite file a value sits: the file, its environment and its line numbers."""

    def __init__(self, path: Path, environ: Mapping[str, str], doc: YamlDoc | None = None) -> None:
        self.path = path
        self.environ = environ
        self.doc = doc
        #: The other files the suite is made from (its CSV rows files), as read so far.
        self.data_files: list[Path] = []

    def fail(self, line: int | None, key: str | None, message: str) -> SuiteError:
        """The error to raise for this spot (it names the data files read so far, so the
        window can follow them and read the suite again once they are fixed)."""
        error = SuiteError(self.path, line, key, message)
        error.data_files = tuple(self.data_files)
        return error

    def line(self, path: KeyPath) -> int | None:
        """The 1-based line of a key path in the file."""
        return self.doc.line(path) if self.doc is not None else None


class Located(Mapping[str, Any]):
    """A mapping of the file that knows its key path, so its keys' lines can be named."""

    def __init__(self, place: Place, value: Mapping[str, Any], path: KeyPath) -> None:
        self.place = place
        self.value = value
        self.path = path

    def __getitem__(self, key: str) -> Any:
        return self.value[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def child(self, key: str) -> Located:
        """The mapping under a key (which must be one), located."""
        return Located(self.place, self.value[key], (*self.path, key))


def key_line(mapping: Any, key: Any, default: int | None = None) -> int | None:
    """The 1-based line of a key of a located mapping, or `default`."""
    if isinstance(mapping, Located):
        found = mapping.place.line((*mapping.path, key))
        return found if found is not None else default
    return default


def item_line(place: Place, path: KeyPath, default: int | None = None) -> int | None:
    """The 1-based line of a list item (by its key path), or `default`."""
    found = place.line(path)
    return found if found is not None else default


def unknown_key(place: Place, mapping: Any, key: Any, known: Sequence[str], what: str) -> None:
    """Raise the error for a key the format does not have, with the closest known one;
    `what` is where it was found: "suite" (the top), "goal" or "expect"."""
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    lowered = {k.lower(): k for k in known}
    hint = lowered.get(str(key).lower()) or (close[0] if close else None)
    fields = {"key": repr(key), "hint": hint, "known": ", ".join(known)}
    if what == "suite":
        said = (
            _("A suite has no key {key}. Did you mean {hint}? Known keys: {known}.", **fields)
            if hint
            else _("A suite has no key {key}. Known keys: {known}.", **fields)
        )
    elif what == "goal":
        said = (
            _("A goal has no key {key}. Did you mean {hint}? Known keys: {known}.", **fields)
            if hint
            else _("A goal has no key {key}. Known keys: {known}.", **fields)
        )
    else:
        said = (
            _("expect has no key {key}. Did you mean {hint}? Known keys: {known}.", **fields)
            if hint
            else _("expect has no key {key}. Known keys: {known}.", **fields)
        )
    raise place.fail(key_line(mapping, key), str(key), said)


def expanded(place: Place, text: str, line: int | None, key: str) -> str:
    """The text with `${VAR}` filled from the environment, or SuiteError naming the key."""
    try:
        return expand(text, place.environ)
    except ExpansionError as exc:
        raise place.fail(line, key, str(exc)) from None


def describe(value: Any) -> str:
    """A YAML value's kind in plain words, for messages."""
    if value is None:
        return pgettext("YAML value", "empty")
    if isinstance(value, bool):
        return _("true/false ({value})", value=str(value).lower())
    if isinstance(value, int | float):
        return _("the number {value}", value=value)
    if isinstance(value, Mapping):
        return pgettext("YAML value", "a mapping")
    if isinstance(value, list):
        return pgettext("YAML value", "a list")
    return type(value).__name__


def text_value(place: Place, mapping: Any, key: str, path: str | None = None) -> str:
    """A value that must be text, expanded; a number or `yes` gets a hint to quote it."""
    value = mapping[key]
    line = key_line(mapping, key)
    shown = path or key
    if not isinstance(value, str):
        fields = {"key": shown, "value": describe(value)}
        if value is None:
            said = _('{key} must be text, not {value}. Write "" for an empty text.', **fields)
        elif isinstance(value, bool | int | float):
            said = _(
                "{key} must be text, not {value}. YAML reads it as such: put the value in "
                "quotes to send it as text.",
                **fields,
            )
        else:
            said = _("{key} must be text, not {value}.", **fields)
        raise place.fail(line, shown, said)
    return expanded(place, value, line, shown)
