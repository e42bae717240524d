"""The one safe YAML reader for tracking plans and goal suites: plain data and line numbers.

Files that teams keep in git and CI reads must never run code, hang, or eat the machine:
the text is parsed into events by ruamel.yaml (its C parser when installed) and turned into
plain Python here, one event at a time, so every limit holds before anything is built:

- only plain types: mappings (dicts, keys read as text), lists, text, whole numbers,
  decimals, true/false and null, YAML 1.2 rules (`yes`, `no`, `on` and dates stay text,
  exactly as written); any other tag (`!!python/object`, `!!binary`, `!custom`) is refused;
- a size cap on the file, a cap on the values after aliases are expanded (a "YAML bomb"
  of nested aliases is refused before it grows), a cap on nesting depth, no alias that
  refers to itself;
- UTF-8 only (a UTF-8 BOM is fine), one document, no duplicate keys.

Every refusal is a `YamlError` whose `problem` names the file, the line and the key path in
plain words. `load()` returns a `YamlDoc`: the data and the line of any key path.
`load_for_edit()`/`write_for_edit()` keep comments and order for tools that rewrite a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from flowsery_gui.i18n import _, format_number, sentences
from flowsery_gui.yamlfile.builder import Builder
from flowsery_gui.yamlfile.problems import KeyPath, Problem, YamlError, key_path_text

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "KeyPath",
    "Problem",
    "YamlDoc",
    "YamlError",
    "decode",
    "key_path_text",
    "load",
    "load_for_edit",
    "loads",
    "read_text",
    "write_for_edit",
]

MAX_BYTES = 4 * 1024 * 1024  # a 500-goal plan is about 150 KB
MAX_VALUES = 200_000  # values after aliases are expanded
MAX_DEPTH = 64  # nested mappings and lists


@dataclass(frozen=True)
class YamlDoc:
    """A file's plain data, and the line where each key or list item was written."""

    data: Any
    file: str
    text: str = field(repr=False)
    lines: dict[KeyPath, int] = field(repr=False)

    def line(self, path: Sequence[str | int] = ()) -> int | None:
        """The 1-based line of a key path, or of its nearest written parent (aliases)."""
        key = tuple(path)
        while key:
            found = self.lines.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return self.lines.get(())

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        """A Problem at a key path of this file (its line looked up)."""
        return Problem(self.file, self.line(path), key_path_text(path), message)


# --- reading ---------------------------------------------------------------------------------


def read_text(path: Path | str, max_bytes: int = MAX_BYTES) -> str:
    """A file's text: UTF-8, at most `max_bytes`; YamlError in plain words otherwise."""
    path = Path(path)
    name = str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise YamlError(Problem(name, None, "", _too_big(size, max_bytes)))
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise YamlError(Problem(name, None, "", _("There is no such file."))) from None
    except IsADirectoryError:
        raise YamlError(Problem(name, None, "", _("This is a folder, not a file."))) from None
    except PermissionError:
        said = _("This file cannot be read: permission denied.")
        raise YamlError(Problem(name, None, "", said)) from None
    except OSError as exc:
        said = _("This file cannot be read: {reason}.", reason=exc.strerror or type(exc).__name__)
        raise YamlError(Problem(name, None, "", said)) from None
    if len(raw) > max_bytes:  # it grew while we read it
        raise YamlError(Problem(name, None, "", _too_big(len(raw), max_bytes)))
    return decode(raw, name)


def _too_big(size: int, cap: int) -> str:
    return _(
        "The file is {size} bytes; the limit is {limit} bytes. Split it into smaller files.",
        size=format_number(size),
        limit=format_number(cap),
    )


def decode(raw: bytes, file: str = "<text>") -> str:
    """UTF-8 text from bytes (a BOM is dropped); UTF-16/32 and bad bytes are refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(
            Problem(file, 1, "", _("The file is saved as UTF-16; save it as UTF-8 and try again."))
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            Problem(
                file,
                line,
                "",
                _(
                    "The file is not UTF-8 text (byte {position} cannot be read); save it as "
                    "UTF-8 and try again.",
                    position=exc.start + 1,
                ),
            )
        ) from None
    return text.removeprefix("\ufeff")


def load(path: Path | str, *, max_bytes: int = MAX_BYTES, max_values: int = MAX_VALUES) -> YamlDoc:
    """Read a YAML file safely into plain data with line numbers; YamlError when refused."""
    text = read_text(path, max_bytes)
    return loads(text, str(path), max_values=max_values)


def loads(
    text: str | bytes,
    file: str = "<text>",
    *,
    max_values: int = MAX_VALUES,
    max_depth: int = MAX_DEPTH,
) -> YamlDoc:
    """Read YAML text safely into plain data with line numbers; YamlError when refused."""
    if isinstance(text, bytes):
        text = decode(text, file)
    if len(text) > MAX_BYTES * 2:
        raise YamlError(Problem(file, None, "", _too_big(len(text), MAX_BYTES)))
    builder = Builder(file, max_values, max_depth)
    try:
        data = builder.run(_events(text))
    except MarkedYAMLError as exc:
        raise YamlError(_syntax_problem(exc, file, text)) from None
    except ReaderError as exc:  # a character YAML forbids: no mark, only a position
        position = exc.position if isinstance(exc.position, int) else 0
        code = exc.character if isinstance(exc.character, int) else 0
        line = text.count("\n", 0, position) + 1
        raise YamlError(
            Problem(
                file,
                line,
                "",
                _(
                    "The file holds a character YAML does not allow ({code}, {reason}); remove it.",
                    code="U+" + format(code, "04X"),
                    reason=exc.reason,
                ),
            )
        ) from None
    except YAMLError as exc:
        said = _("This is not valid YAML: {problem}", problem=exc)
        raise YamlError(Problem(file, None, "", said)) from None
    return YamlDoc(data, file, text, builder.lines)


def _events(text: str) -> Iterator[ev.Event]:
    parser = YAML(typ="safe")  # the C parser when ruamel.yaml.clib is installed
    return iter(parser.parse(text))


def _syntax_problem(exc: MarkedYAMLError, file: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = (exc.problem or exc.context or "").strip()  # the parser's own words
    if problem:
        message = _("This is not valid YAML: {problem}.", problem=problem)
    else:
        message = _("This is not valid YAML: it cannot be read.")
    if line is not None:
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(1, mark.column + 1)]:
            tabs = _("YAML does not allow tabs for indentation; use spaces.")
            message = sentences(message, tabs)
    return Problem(file, line, "", message)


# --- rewriting (comments and order kept) -------------------------------------------------------


def load_for_edit(path: Path | str, *, max_bytes: int = MAX_BYTES) -> tuple[Any, YamlDoc]:
    """The round-trip document (comments and order kept) after the same safety checks."""
    doc = load(path, max_bytes=max_bytes)
    editor = YAML(typ="rt")
    return editor.load(doc.text), doc


def write_for_edit(data: Any, path: Path | str) -> None:
    """Write a round-trip document atomically (temp file, fsync, rename). Raises OSError."""
    import io
    import tempfile

    target = Path(path)
    buffer = io.StringIO()
    editor = YAML(typ="rt")
    editor.indent(mapping=2, sequence=4, offset=2)
    editor.dump(data, buffer)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
