"""A goal as a suite file writes it: from the window's form, or from a request in history.

The mapping `editing.append_goal` and `editing.write_new_suite` put in a file, with the
suite's own key names in the order people read them. Every text is written so that the
suite reads it back exactly: a `${` becomes `$${` (the suite would otherwise look it up in
the environment). No I/O here.
"""

from __future__ import annotations

import json
from typing import Any

from flowsery_gui import contract
from flowsery_gui.contract import Draft

#: The API body's fields that a suite goal writes as keys of its own, in file order.
FIELD_KEYS = ("name", "visitorUid", "sessionUid", "timezone")


def literal(text: str) -> str:
    """Text the suite reads back as written: `${` is not a variable here."""
    return text.replace("${", "$${")


def goal_from_draft(draft: Draft, *, title: str = "", refused: bool = False) -> dict[str, Any]:
    """The form's goal as a suite goal: its filled fields and metadata rows (blank rows left
    out, a repeated key kept once, first value), a title when given, and `expect:
    { refused: true }` when the local rules must refuse it."""
    goal: dict[str, Any] = {}
    if title.strip():
        goal["title"] = literal(title.strip())
    values = {
        "name": draft.name,
        "visitorUid": draft.visitor_uid,
        "sessionUid": draft.session_uid,
        "timezone": draft.timezone,
    }
    goal["name"] = literal(values["name"])
    for key in FIELD_KEYS[1:]:
        if values[key]:
            goal[key] = literal(values[key])
    metadata: dict[str, str] = {}
    for key, value in draft.metadata:
        if (key or value) and key not in metadata:
            metadata[key] = literal(value)
    if metadata:
        goal["metadata"] = metadata
    if refused:
        goal["expect"] = {"refused": True}
    return goal


def goal_from_request(body_text: str | None, status: int | None) -> dict[str, Any]:
    """A request from history as a suite goal that sends it again and expects what came back.

    A body the form could have made (known fields, text values, one that the local rules
    accept) becomes fields; anything else is kept as `body:`, sent exactly as it was. An
    answer outside 2xx becomes `expect: { status: N }`; no answer at all expects the
    default (2xx)."""
    text = body_text or ""
    goal: dict[str, Any] = {}
    fields = _fields_of(text)
    if fields is None:
        goal["body"] = literal(text)
    else:
        goal.update(fields)
    if status is not None and not 200 <= status <= 299:
        goal["expect"] = {"status": status}
    return goal


def _fields_of(text: str) -> dict[str, Any] | None:
    """The body as suite fields, or None when only `body:` keeps it exactly."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return None
    if set(value) - {*FIELD_KEYS, "metadata"}:
        return None
    if not all(isinstance(value[key], str) for key in FIELD_KEYS if key in value):
        return None
    metadata = value.get("metadata", {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        return None
    draft = Draft(
        name=value["name"],
        visitor_uid=value.get("visitorUid", ""),
        session_uid=value.get("sessionUid", ""),
        timezone=value.get("timezone", ""),
        metadata=tuple(metadata.items()),
    )
    report = contract.check_draft(draft)
    # Fields are rebuilt by the rules when the suite runs: only when that gives the very
    # same body are they a faithful copy (an empty "visitorUid" would be left out, say).
    if not report.ok or report.body != value:
        return None
    return goal_from_draft(draft)
