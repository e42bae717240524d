"""A starter tracking plan from the goals already sent: what history shows, for a team to edit.

Reads the history (read-only) and writes YAML text with a comment on every guess: a key
present in every accepted send is `required`, a key with a few repeated values gets an
`enum`, an ID present in every send is `required`. The text is checked by the plan loader
before it is returned, so a starter always loads.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flowsery_gui.contract import MAX_METADATA_KEYS, NAME_PATTERN
from flowsery_gui.i18n import _, ngettext
from flowsery_gui.plan.loader import parse_plan

MAX_RECORDS = 50_000  # the newest records read from history
ENUM_MAX_VALUES = 5
ENUM_MAX_LENGTH = 40


@dataclass
class _Seen:
    sends: int = 0
    visitor: int = 0
    session: int = 0
    keys: Counter[str] = field(default_factory=Counter)
    values: dict[str, Counter[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Starter:
    """The starter plan's text and what it was made from."""

    text: str
    goals: int
    records: int


def _q(text: str) -> str:
    """A YAML scalar for any text: JSON's double-quoted form is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def collect(records: Iterable[Any]) -> tuple[dict[str, _Seen], int]:
    """Per goal name, what accepted sends carried (records are history records)."""
    seen: dict[str, _Seen] = {}
    used = 0
    for index, record in enumerate(records):
        if index >= MAX_RECORDS:
            break
        name = record.goal_name
        if record.status_class != "2xx" or not isinstance(name, str):
            continue
        if not NAME_PATTERN.fullmatch(name):
            continue
        used += 1
        goal = seen.setdefault(name, _Seen())
        goal.sends += 1
        goal.visitor += bool(record.visitor_uid)
        goal.session += bool(record.session_uid)
        metadata = record.metadata if isinstance(record.metadata, dict) else {}
        for key, value in metadata.items():
            if not isinstance(key, str) or not NAME_PATTERN.fullmatch(key):
                continue
            goal.keys[key] += 1
            if isinstance(value, str):
                values = goal.values.setdefault(key, Counter())
                if len(values) <= ENUM_MAX_VALUES or value in values:
                    values[value] += 1
    return seen, used


def _key_line(key: str, goal: _Seen) -> str:
    count = goal.keys[key]
    values = goal.values.get(key, Counter())
    rules = []
    if count == goal.sends:
        rules.append("required: true")
    distinct = len(values)
    short = all(len(v) <= ENUM_MAX_LENGTH for v in values)
    if 0 < distinct <= ENUM_MAX_VALUES and short and count >= 2 * distinct:
        rules.append("enum: [" + ", ".join(_q(v) for v, _n in values.most_common()) + "]")
        note = _("values seen: {values}", values=", ".join(sorted(values)))
    elif distinct > ENUM_MAX_VALUES:
        note = ngettext(
            "more than {count} different value",
            "more than {count} different values",
            ENUM_MAX_VALUES,
            count=ENUM_MAX_VALUES,
        )
    else:
        note = ngettext(
            "{count} different value", "{count} different values", distinct, count=distinct
        )
    rule_text = "{ " + ", ".join(rules) + " }" if rules else "{}"
    seen = ngettext(
        "in {count} of {total} sends; {note}",
        "in {count} of {total} sends; {note}",
        goal.sends,
        count=count,
        total=goal.sends,
        note=note,
    )
    return f"      {key}: {rule_text}  # {seen}"


def starter_text(seen: dict[str, _Seen], records: int, plan_name: str = "starter") -> str:
    """The YAML text of a starter plan for the goals seen."""
    lines = [
        "# "
        + ngettext(
            "A starter tracking plan written by `flowsery-goal plan init --from-history` from "
            "{count} accepted goal in the history.",
            "A starter tracking plan written by `flowsery-goal plan init --from-history` from "
            "{count} accepted goals in the history.",
            records,
            count=records,
        ),
        "# "
        + _(
            "Every rule below is a guess from what was sent: describe each goal, tighten each "
            "key (enum, pattern, format), then run `flowsery-goal plan check` on this file."
        ),
        "# " + _("The format: docs/plan-format.md."),
        f"plan: {_q(plan_name)}",
        "goals:",
    ]
    todo = _("TODO: what this goal means and when it fires")
    for name in sorted(seen):
        goal = seen[name]
        sent = ngettext("sent {count} time", "sent {count} times", goal.sends, count=goal.sends)
        lines.append(f"  {name}:  # {sent}")
        lines.append(f"    description: {_q(todo)}")
        if goal.visitor == goal.sends:
            lines.append("    visitor: required  # " + _("every send carried a visitorUid"))
        if goal.session == goal.sends:
            lines.append("    session: required  # " + _("every send carried a sessionUid"))
        keys = [k for k, _n in goal.keys.most_common()]
        kept, dropped = sorted(keys[:MAX_METADATA_KEYS]), keys[MAX_METADATA_KEYS:]
        if kept:
            lines.append("    metadata:")
            lines += [_key_line(key, goal) for key in kept]
        if dropped:
            also = _(
                "also seen (the API allows {limit} keys): {keys}",
                limit=MAX_METADATA_KEYS,
                keys=", ".join(dropped),
            )
            lines.append(f"    # {also}")
        lines.append("    other_metadata: forbid")
    return "\n".join(lines) + "\n"


def starter_from_records(records: Iterable[Any], plan_name: str = "starter") -> Starter:
    """A starter plan from history records (newest first). ValueError when none fit."""
    seen, used = collect(records)
    if not seen:
        raise ValueError(
            _("The history holds no accepted goals (2xx) to start a plan from: send some first.")
        )
    text = starter_text(seen, used, plan_name)
    parse_plan(text, "starter.plan.yaml")  # a starter must load; a failure here is a bug
    return Starter(text, len(seen), used)
