"""One goal of a suite file turned into its cases: the fields, the raw body, the CSV rows.

Called by the loader for each item of `goals:`; raises SuiteError with the line and key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flowsery_gui.contract import Draft
from flowsery_gui.i18n import _
from flowsery_gui.suites.expectations import read_expect
from flowsery_gui.suites.model import Case, Expectation
from flowsery_gui.suites.place import (
    Located,
    Place,
    describe,
    key_line,
    text_value,
    unknown_key,
)
from flowsery_gui.suites.rows import RowsError, read_rows
from flowsery_gui.yamlfile import KeyPath

#: The API's fields, as the suite spells them, and the Draft attribute each fills.
FIELDS = {"name": "name", "visitorUid": "visitor_uid", "sessionUid": "session_uid"}
FIELDS["timezone"] = "timezone"
GOAL_KEYS = ("title", *FIELDS, "metadata", "rows", "body", "expect")


def read_goal(
    place: Place, value: Any, path: KeyPath, line: int, suite: str, fresh: bool
) -> tuple[list[Case], str | None]:
    """The cases one goal makes (one, or one per CSV row) and a note worth showing, if any."""
    if not isinstance(value, Mapping):
        said = _("each goal is a mapping of keys, not {value}.", value=describe(value))
        raise place.fail(line, None, said)
    goal = Located(place, value, path)
    for key in goal:
        if key not in GOAL_KEYS:
            unknown_key(place, goal, key, GOAL_KEYS, "goal")
    title = text_value(place, goal, "title").strip() if "title" in goal else ""
    expect = read_expect(place, goal) if "expect" in goal else Expectation()
    if "body" in goal:
        return [_raw_case(place, goal, line, suite, title, expect)], None
    if "name" not in goal:
        raise place.fail(
            line,
            "name",
            _("a goal needs `name:` (the goal's name) or `body:` (a raw JSON body)."),
        )
    fields = {attr: text_value(place, goal, key) for key, attr in FIELDS.items() if key in goal}
    metadata = _metadata(place, goal) if "metadata" in goal else []
    label = title or fields["name"] or f"goal at line {line}"
    if "rows" not in goal:
        draft = Draft(metadata=tuple(metadata), **fields)
        return [Case(suite, label, line, draft, expect=expect, fresh_ids=fresh)], None
    rows_line = key_line(goal, "rows", line)
    rows_path, note = _rows_path(place, text_value(place, goal, "rows"))
    if rows_path not in place.data_files:
        place.data_files.append(rows_path)
    try:
        columns, rows = read_rows(rows_path)
    except RowsError as exc:
        said = _("{file}: {problem}", file=rows_path.name, problem=exc)
        raise place.fail(rows_line, "rows", said) from None
    cases = []
    for row in rows:
        row_fields = dict(fields)
        row_metadata = dict(metadata)
        for column in columns:
            cell = row.cells[column]
            if cell == "":
                continue  # an empty cell leaves the goal's own value (if any) as it is
            if column in FIELDS:
                row_fields[FIELDS[column]] = cell
            else:
                row_metadata[column] = cell
        draft = Draft(metadata=tuple(row_metadata.items()), **row_fields)
        row_label = f"{label} (row {row.number})"
        cases.append(Case(suite, row_label, line, draft, None, expect, row.number, fresh))
    return cases, note


def _metadata(place: Place, goal: Any) -> list[tuple[str, str]]:
    value = goal["metadata"]
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise place.fail(
            key_line(goal, "metadata"),
            "metadata",
            _(
                "metadata must be a mapping of keys to text values, not {value}.",
                value=describe(value),
            ),
        )
    located = goal.child("metadata")
    pairs: list[tuple[str, str]] = []
    for key in located:
        if not isinstance(key, str):
            raise place.fail(
                key_line(located, key, key_line(goal, "metadata")),
                f"metadata.{key}",
                _(
                    "a metadata key must be text, not {value}: put it in quotes.",
                    value=describe(key),
                ),
            )
        pairs.append((key, text_value(place, located, key, f"metadata.{key}")))
    return pairs


def _rows_path(place: Place, text: str) -> tuple[Path, str | None]:
    folder = place.path.parent.resolve()
    path = (folder / text).resolve()
    note = None
    if not path.is_relative_to(folder):
        note = _(
            "The rows file {file} is outside the suite's folder ({path}).", file=text, path=path
        )
    return path, note


def _raw_case(
    place: Place, goal: Any, line: int, suite: str, title: str, expect: Expectation
) -> Case:
    together = [key for key in (*FIELDS, "metadata", "rows") if key in goal]
    if together:
        raise place.fail(
            key_line(goal, together[0]),
            together[0],
            _(
                "a goal with `body:` is sent exactly as written: it cannot also have {keys}. Put "
                "those fields inside the body.",
                keys=", ".join(together),
            ),
        )
    body = goal["body"]
    if isinstance(body, Mapping | list):
        raise place.fail(
            key_line(goal, "body"),
            "body",
            _(
                "body: is the raw JSON text, sent as is: put it in single quotes, as in {example}.",
                example='body: \'{"name": "signup"}\'',
            ),
        )
    text = text_value(place, goal, "body")
    label = title or _body_name(text) or f"raw body at line {line}"
    return Case(suite, label, line, None, text, expect, None, False)


def _body_name(text: str) -> str | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    name = value.get("name") if isinstance(value, dict) else None
    return name if isinstance(name, str) and name else None
