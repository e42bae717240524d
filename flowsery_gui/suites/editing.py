"""Write goals into suite files: one more goal at the end of a suite, or a new suite file.

Suites live in git and are reviewed in pull requests, so a goal added from the window must
change nothing else: the new goal's lines are put after the last goal, in the file's own
indentation (and its blank line between goals, when it has one), and every other byte stays
as it was. The result is read back and must be the old suite plus that goal; when the file's
layout is not one this can splice into (a flow list, say), the file goes through the YAML
round trip instead (`yamlfile.load_for_edit`/`write_for_edit`: comments and key order kept,
spacing normalized). Files are written whole or not at all, keeping their permissions.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from flowsery_gui.i18n import _
from flowsery_gui.yamlfile import YamlDoc, YamlError, load_for_edit, loads, write_for_edit

NEW_FILE_MODE = 0o644  # rw-r--r--, as an editor makes a new file
FLOW_WIDTH = 72  # a nested mapping up to this wide is written on one line: { plan: pro }
_ITEM = re.compile(r"^( *)-( +)\S")
_GOALS_KEY = re.compile(r"^( *)goals *: *(#.*)?$")


class SuiteEditError(Exception):
    """A suite file that cannot be written to; the message names the file and says why."""


def append_goal(path: Path | str, goal: Mapping[str, Any]) -> int:
    """Add `goal` after the last goal of the suite file at `path`; returns how many goals the
    file has now. Raises SuiteEditError (the file is then left as it was)."""
    path = Path(path)
    try:
        data, doc = load_for_edit(path)
    except YamlError as exc:
        raise SuiteEditError(str(exc)) from None
    goals = doc.data.get("goals") if isinstance(doc.data, Mapping) else None
    if not isinstance(goals, list) or not isinstance(data.get("goals"), CommentedSeq):
        raise SuiteEditError(
            _(
                "{file}: this is not a goal suite (it has no `goals:` list), so no goal was "
                "added. Choose a *.suite.yaml file.",
                file=path,
            )
        )
    expected = {**doc.data, "goals": [*goals, _plain(goal)]}
    text = _spliced(doc, _item_text(goal))
    if text is not None and _reads_as(text, str(path)) == expected:
        _write_text(path, text)
    else:
        data["goals"].append(_styled(goal))
        _keep_mode(path, lambda: write_for_edit(data, path))
    return len(expected["goals"])


def write_new_suite(
    path: Path | str, name: str, goals: Sequence[Mapping[str, Any]], *, heading: str = ""
) -> None:
    """Write a new suite file named `name` with these goals (replacing any file there);
    `heading` becomes comment lines at its top. Raises SuiteEditError when it cannot be
    written."""
    document = CommentedMap()
    document["suite"] = name
    document["goals"] = CommentedSeq(_styled(goal) for goal in goals)
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in heading.splitlines())
    text = comments + _dump(document, mapping=2, sequence=4, offset=2)
    _reads_as(text, str(path))  # what is written must read back
    _write_text(Path(path), text)


# --- the splice ----------------------------------------------------------------------------


def _spliced(doc: YamlDoc, item: str) -> str | None:
    """The file's text with `item` (a list item at column 0) after its last goal, or None."""
    lines = doc.text.splitlines(keepends=True)
    goals_line = doc.line(("goals",))
    first_item = doc.line(("goals", 0))
    if goals_line is None or first_item is None or first_item <= goals_line:
        return None
    key = _GOALS_KEY.match(lines[goals_line - 1].rstrip("\r\n"))
    dash = _ITEM.match(lines[first_item - 1])
    if key is None or dash is None:
        return None  # `goals: [...]`, or an item whose dash stands on a line of its own
    outer = len(key.group(1))
    dash_col, gap = len(dash.group(1)), len(dash.group(2))
    later = [
        line
        for top in doc.data
        if (line := doc.line((top,))) is not None and line > goals_line and top != "goals"
    ]
    end = min(later) - 1 if later else len(lines)  # lines[goals_line:end] hold the list
    inside = [
        index
        for index in range(goals_line, end)
        if lines[index].strip()
        and (_indent(lines[index]) > outer or lines[index][dash_col:].startswith("-"))
    ]
    if not inside:
        return None
    last = inside[-1]
    spaced = any(not lines[i].strip() for i in range(inside[0], last))
    newline = "\r\n" if doc.text.count("\r\n") * 2 > doc.text.count("\n") else "\n"
    shifted = _shift(item, dash_col, gap).replace("\n", newline)
    head = "".join(lines[: last + 1])
    if not head.endswith("\n"):
        head += newline
    return head + (newline if spaced else "") + shifted + "".join(lines[last + 1 :])


def _shift(item: str, dash_col: int, gap: int) -> str:
    """A column-0 list item (`- a: 1` / `  b: 2`) moved to this dash column and gap."""
    extra = gap - 1
    out = []
    for number, line in enumerate(item.splitlines(keepends=True)):
        if number == 0:
            out.append(" " * dash_col + "-" + " " * gap + line[2:])
        elif line.strip():
            out.append(" " * (dash_col + extra) + line)
        else:
            out.append(line)
    return "".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# --- YAML text -----------------------------------------------------------------------------


def _item_text(goal: Mapping[str, Any]) -> str:
    """The goal as a one-item YAML list at column 0: `- name: x` then `  metadata: {…}`."""
    return _dump(CommentedSeq([_styled(goal)]), mapping=2, sequence=2, offset=0)


def _dump(data: Any, *, mapping: int, sequence: int, offset: int) -> str:
    writer = YAML(typ="rt")
    writer.indent(mapping=mapping, sequence=sequence, offset=offset)
    writer.width = 4096  # never fold a long value over several lines
    buffer = io.StringIO()
    writer.dump(data, buffer)
    return buffer.getvalue()


def _styled(goal: Mapping[str, Any]) -> CommentedMap:
    """The goal as a round-trip mapping; a small nested mapping on one line, as people write
    them (`metadata: { plan: pro }`), a longer one a key per line. One line only when it
    reads back the same: the YAML writer leaves some values unquoted there (`0?`) that a
    reader then takes for syntax."""
    styled = CommentedMap()
    for key, value in goal.items():
        if isinstance(value, Mapping):
            inner = CommentedMap(value)
            inner.fa.set_flow_style()
            one_line = _dump(CommentedMap({key: inner}), mapping=2, sequence=2, offset=0)
            if len(one_line.rstrip("\n")) > FLOW_WIDTH or not _same(one_line, {key: value}):
                inner.fa.set_block_style()
            styled[key] = inner
        else:
            styled[key] = value
    return styled


def _same(text: str, value: Any) -> bool:
    """True when the YAML text reads back as this value."""
    try:
        return bool(loads(text).data == _plain(value))
    except YamlError:
        return False


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _reads_as(text: str, file: str) -> Any:
    try:
        return loads(text, file).data
    except YamlError as exc:  # a bug in the writer: say so rather than write a broken file
        said = _("{file}: the goal could not be written as YAML ({reason}).", file=file, reason=exc)
        raise SuiteEditError(said) from None


# --- files ---------------------------------------------------------------------------------


def _write_text(path: Path, text: str) -> None:
    from flowsery_gui.reports.files import write_text_atomic

    _keep_mode(path, lambda: write_text_atomic(path, text))


def _keep_mode(path: Path, write: Callable[[], object]) -> None:
    """Write through `write()` (a temp file renamed over `path`), then give the file back the
    permissions it had, or a new file the usual ones (a temp file is made private)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = NEW_FILE_MODE
    try:
        write()
        os.chmod(path, mode)
    except OSError as exc:
        reason = exc.strerror or exc
        said = _("{file}: it could not be written ({reason}).", file=path, reason=reason)
        raise SuiteEditError(said) from None
