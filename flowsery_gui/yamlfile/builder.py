"""Parser events to plain Python, one event at a time, with every limit checked as it goes.

Private to `flowsery_gui.yamlfile`: nothing is built before its size is known, so a YAML
bomb, a self-referring alias or a million nested brackets is refused, not expanded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import events as ev

from flowsery_gui.i18n import N_, _, format_number
from flowsery_gui.yamlfile.problems import KeyPath, Problem, YamlError, key_path_text

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {f"{_CORE}map", f"{_CORE}seq"}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_COMPLEX_KEY = N_("A key must be plain text, not a mapping or a list.")


@dataclass(slots=True)
class _Frame:
    kind: str  # "map" or "seq"
    value: Any
    path: KeyPath
    line: int
    anchor: str | None
    size: int = 1
    key: Any = None
    has_key: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)
    merges: list[tuple[Any, int]] = field(default_factory=list)


class Builder:
    """Turns parser events into plain data, enforcing every limit as it goes."""

    def __init__(self, file: str, max_values: int, max_depth: int) -> None:
        self.file = file
        self.max_values = max_values
        self.max_depth = max_depth
        self.lines: dict[KeyPath, int] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.total = 0

    def fail(self, line: int | None, path: KeyPath, message: str) -> YamlError:
        return YamlError(Problem(self.file, line, key_path_text(path), message))

    def run(self, events: Iterator[Any]) -> Any:  # ruamel events, dispatched by type
        root: Any = None
        documents = 0
        scalar_event, mapping_start, sequence_start = (
            ev.ScalarEvent,
            ev.MappingStartEvent,
            ev.SequenceStartEvent,
        )
        ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
        for event in events:
            kind = type(event)
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else 0
            if kind is scalar_event:
                text = event.value
                if event.tag is None and not event.style and text != "<<":
                    value = _resolve_plain(text)  # plain and untagged: the common case
                else:
                    value = self.scalar(event, line)
                self.total += 1
                if self.total > self.max_values:
                    self.count(0, line)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                top = self.stack[-1] if self.stack else None
                if top is None:
                    root = value
                elif top.kind == "seq":  # a list item
                    self.lines[(*top.path, len(top.value))] = line
                    top.value.append(value)
                    top.size += 1
                elif top.has_key and type(top.key) is str:
                    top.value[top.key] = value  # a mapping's value: the common case
                    top.key, top.has_key = None, False
                    top.size += 1
                elif not top.has_key and type(value) is str and value not in top.key_lines:
                    top.key, top.has_key = value, True  # a new key: the other common case
                    top.key_lines[value] = line
                    self.lines[(*top.path, value)] = line
                    top.size += 1
                else:
                    root = self.deliver(value, 1, line, scalar=True, root=root)
            elif kind in ends:
                frame = self.stack.pop()
                if frame.merges:
                    self.apply_merges(frame)
                if frame.anchor:
                    self.anchors[frame.anchor] = (frame.value, frame.size)
                root = self.deliver(frame.value, frame.size, frame.line, scalar=False, root=root)
            elif kind is mapping_start or kind is sequence_start:
                self.start(event, line)
            elif kind is ev.AliasEvent:
                root = self.alias(event, line, root)
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail(
                        line, (), _("The file holds more than one YAML document (---); keep one.")
                    )
        return root

    def count(self, size: int, line: int | None) -> None:
        self.total += size
        if self.total > self.max_values:
            raise self.fail(
                line,
                self.path_here(),
                _(
                    "The file expands to more than {count} values (aliases that repeat aliases: "
                    "a 'YAML bomb'); it is refused.",
                    count=format_number(self.max_values),
                ),
            )

    def path_here(self) -> KeyPath:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.kind == "map":
            return (*top.path, top.key) if top.has_key else top.path
        return (*top.path, len(top.value))

    def start(self, event: ev.CollectionStartEvent, line: int) -> None:
        path = self.path_here()
        if self.stack and self.stack[-1].kind == "map" and not self.stack[-1].has_key:
            raise self.fail(line, path, _(_COMPLEX_KEY))
        if len(self.stack) >= self.max_depth:
            said = _("Nested more than {count} levels deep.", count=self.max_depth)
            raise self.fail(line, path, said)
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _COLLECTION_TAGS:
            raise self.fail(line, path, _tag_message(tag))
        self.count(1, line)
        kind = "map" if isinstance(event, ev.MappingStartEvent) else "seq"
        value: Any = {} if kind == "map" else []
        self.stack.append(_Frame(kind, value, path, line, event.anchor))

    def alias(self, event: ev.AliasEvent, line: int, root: Any) -> Any:
        anchor = event.anchor
        path = self.path_here()
        if any(frame.anchor == anchor for frame in self.stack):
            raise self.fail(line, path, _("The alias *{anchor} refers to itself.", anchor=anchor))
        if anchor not in self.anchors:
            said = _("The alias *{anchor} has no anchor &{anchor} before it.", anchor=anchor)
            raise self.fail(line, path, said)
        value, size = self.anchors[anchor]
        self.count(size, line)
        scalar = not isinstance(value, (dict, list))
        return self.deliver(value, size, line, scalar=scalar, root=root)

    def deliver(self, value: Any, size: int, line: int, *, scalar: bool, root: Any) -> Any:
        if not self.stack:
            return value
        top = self.stack[-1]
        top.size += size
        if top.kind == "seq":
            self.lines[(*top.path, len(top.value))] = line
            top.value.append(value)
            return root
        if not top.has_key:
            if not scalar:
                raise self.fail(line, top.path, _(_COMPLEX_KEY))
            top.key = value if isinstance(value, (str, _Merge)) else _key_text(value)
            top.has_key = True
            if isinstance(top.key, str):
                self.check_duplicate(top, top.key, line)
            return root
        key, top.key, top.has_key = top.key, None, False
        if isinstance(key, _Merge):
            top.merges.append((value, line))
        else:
            top.value[key] = value
        return root

    def check_duplicate(self, frame: _Frame, key: str, line: int) -> None:
        first = frame.key_lines.get(key)
        if first is not None:
            raise self.fail(
                line,
                (*frame.path, key),
                _(
                    "The key {key} appears twice (lines {first} and {line}); keep one.",
                    key=key,
                    first=first,
                    line=line,
                ),
            )
        frame.key_lines[key] = line
        self.lines[(*frame.path, key)] = line

    def apply_merges(self, frame: _Frame) -> None:
        for value, line in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    raise self.fail(
                        line, frame.path, _("A merge key (<<) takes a mapping or a list of them.")
                    )
                for key, item in source.items():
                    if key not in frame.value:
                        frame.value[key] = item
                        self.lines.setdefault((*frame.path, key), line)

    def scalar(self, event: ev.ScalarEvent, line: int | None) -> Any:
        tag, text = event.tag, event.value
        if tag is None and not event.style:  # plain and untagged: the common case
            if text == "<<":
                top = self.stack[-1] if self.stack else None
                if top is not None and top.kind == "map" and not top.has_key:
                    return _Merge()
            return _resolve_plain(text)
        if tag in (None, "!"):
            return text  # quoted or block text, or the non-specific tag `!`
        if tag not in _ALLOWED_TAGS:
            raise self.fail(line, self.path_here(), _tag_message(tag))
        kind = tag.removeprefix(_CORE)
        if kind == "str":
            return text
        value = _resolve_plain(text)
        wanted = {"int": int, "float": float, "bool": bool, "null": type(None)}[kind]
        if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not wanted:
            said = _("{value} is not a valid {tag}.", value=repr(text), tag="!!" + kind)
            raise self.fail(line, self.path_here(), said)
        return value


class _Merge:
    """The `<<` merge key, until its mapping is complete."""


def _tag_message(tag: str) -> str:
    shown = tag.replace(_CORE, "!!")
    return _(
        "The tag {tag} is not allowed: these files hold only text, numbers, true/false, lists "
        "and mappings.",
        tag=shown,
    )


def _key_text(value: Any) -> str:
    """A non-text key (`1:`, `true:`, `null:`) read as the text it was written as."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_NUMBER_START = frozenset("0123456789+-.")


def _resolve_plain(text: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema; anything else stays text as written."""
    if text in _WORDS:
        return _WORDS[text]
    if text[0] not in _NUMBER_START:
        return text
    if _INT.fullmatch(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text
