"""Goals coming in from text: a pasted log line, saved settings, a history record.

Each way a goal reaches the form or the CLI is one pure function here, so the window, the
CLI and suites read pasted JSON the same way (a log line with the JSON inside it included).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flowsery_gui import contract
from flowsery_gui.contract import Draft, Finding
from flowsery_gui.i18n import N_, _, ngettext
from flowsery_gui.jsonread import NotJSON, ParsedBody, loads_or_none, read_json

#: A msgid: shown as `_(TAKEN_OUT_NOTE)`.
TAKEN_OUT_NOTE = N_("Took the JSON object out of the surrounding text.")


def json_object_in_text(text: str | bytes) -> tuple[ParsedBody, bool]:
    """The JSON in `text`, else the outermost `{…}` inside it (a log line, a request dump).

    Returns the parsed body and whether it was taken out of surrounding text; raises
    NotJSON (the whole text's reason) when neither reads."""
    try:
        return read_json(text), False
    except NotJSON as whole:
        if isinstance(text, (bytes, bytearray)):
            try:
                text = bytes(text).decode("utf-8")
            except UnicodeDecodeError:
                raise whole from None
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start or (start == 0 and end == len(text) - 1):
            raise whole from None
        try:
            return read_json(text[start : end + 1]), True
        except NotJSON:
            raise whole from None


# A NamedTuple: defined at the window's start, where a dataclass takes three times as long.
class PastedGoal(NamedTuple):
    """A pasted text read as a goal: the draft (None when unusable) and what to tell."""

    draft: Draft | None
    summary: str  # plain words, one line per point; the first line is the gist
    findings: tuple[Finding, ...] = ()


def draft_from_text(text: str | bytes) -> PastedGoal:
    """Read a pasted goal body (JSON, or a log line holding it) into a form draft."""
    try:
        parsed, taken_out = json_object_in_text(text)
    except NotJSON as exc:
        return PastedGoal(None, str(exc))
    if not isinstance(parsed.value, dict):
        _draft, findings = contract.draft_from_body(parsed.value)
        words = findings[0].message if findings else _("Expected a JSON object.")
        return PastedGoal(None, words)
    if not parsed.value:
        words = _("This JSON object is empty: there is nothing to put in the form.")
        return PastedGoal(None, words)
    draft, findings = contract.draft_from_body(parsed.value)
    rows = len(draft.metadata)
    lines = [
        ngettext(
            "Goal {name} with {count} metadata row.",
            "Goal {name} with {count} metadata rows.",
            rows,
            name=draft.name or _("(no name)"),
            count=rows,
        )
    ]
    if taken_out:
        lines.append(_(TAKEN_OUT_NOTE))
    lines += [f"• {f.path}: {f.message}" if f.path else f"• {f.message}" for f in findings]
    return PastedGoal(draft, "\n".join(lines), findings)


def draft_to_dict(draft: Draft) -> dict[str, Any]:
    """A draft as plain JSON data (rows kept in order, blanks and duplicates included)."""
    return {
        "name": draft.name,
        "visitorUid": draft.visitor_uid,
        "sessionUid": draft.session_uid,
        "timezone": draft.timezone,
        "metadata": [list(row) for row in draft.metadata],
    }


def draft_from_dict(data: Any) -> Draft | None:
    """The inverse of `draft_to_dict`, tolerant of anything a settings file may hold; None
    when `data` is not such a dict."""
    if not isinstance(data, dict):
        return None
    rows = data.get("metadata", [])
    if not isinstance(rows, list):
        return None
    metadata: list[tuple[str, str]] = []
    for row in rows:
        if not isinstance(row, (list, tuple)) or len(row) != 2:
            return None
        metadata.append((str(row[0]), str(row[1])))

    def text(key: str) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    return Draft(
        name=text("name"),
        visitor_uid=text("visitorUid"),
        session_uid=text("sessionUid"),
        timezone=text("timezone"),
        metadata=tuple(metadata),
    )


def goal_of_body(body_text: str | None) -> dict[str, Any] | None:
    """The goal object a request body holds (for history), or None when it holds none."""
    value = loads_or_none(body_text)
    return value if isinstance(value, dict) else None


def draft_from_record(body_text: str | None) -> tuple[Draft | None, tuple[Finding, ...]]:
    """The form draft to load from a recorded request body (a history record's
    `exchange.request.body`); None when the record holds no goal body."""
    goal = goal_of_body(body_text)
    if goal is None:
        return None, ()
    return contract.draft_from_body(goal)
