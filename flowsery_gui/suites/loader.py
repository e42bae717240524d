"""Read a `*.suite.yaml` file once, whole, and refuse it with file, line and key named.

Everything is checked before anything is sent: the keys (an unknown one is refused with a
suggestion), their types, `${VAR}` expansion, the plan's path and every CSV row. What the
API's rules say about a goal is not checked here: a goal those rules refuse is a case whose
expectation decides (`expect: { refused: true }`), judged when the suite runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flowsery_gui.i18n import _, format_number
from flowsery_gui.suites import goals as goal_reader
from flowsery_gui.suites.model import Case, Suite
from flowsery_gui.suites.place import (
    Located,
    Place,
    expanded,
    item_line,
    key_line,
    unknown_key,
)
from flowsery_gui.yamlfile import YamlError, load

TOP_KEYS = ("suite", "plan", "profile", "ids", "goals")
MAX_CASES = 100_000


def load_suite(path: Path | str, environ: Mapping[str, str] | None = None) -> Suite:
    """The suite in this file, read once; raise SuiteError naming the file, line and key."""
    path = Path(path)
    place = Place(path, os.environ if environ is None else environ)
    try:
        doc = load(path)
    except YamlError as exc:
        problem = exc.problem
        raise place.fail(problem.line, problem.key or None, _unstarted(problem.message)) from None
    place.doc = doc
    if not isinstance(doc.data, Mapping):
        raise place.fail(
            1, None, _("a suite is a mapping with `goals:` (a list of goals to send) at its top.")
        )
    document = Located(place, doc.data, ())
    for key in document:
        if key not in TOP_KEYS:
            unknown_key(place, document, key, TOP_KEYS, "suite")
    name = _top_text(place, document, "suite") or _default_name(path)
    profile = _top_text(place, document, "profile")
    fresh = _ids(place, document)
    plan_path = _plan_path(place, document)
    goals = document.get("goals")
    if not isinstance(goals, list) or not goals:
        raise place.fail(
            key_line(document, "goals", 1),
            "goals",
            _("a suite needs `goals:`, a list of at least one goal to send."),
        )
    cases: list[Case] = []
    notes: list[str] = []
    for index, goal in enumerate(goals):
        line = item_line(place, ("goals", index), key_line(document, "goals", 1)) or 1
        made, note = goal_reader.read_goal(place, goal, ("goals", index), line, name, fresh)
        cases.extend(made)
        if note and note not in notes:
            notes.append(note)
        if len(cases) > MAX_CASES:
            said = _("the suite makes more than {count} sends.", count=format_number(MAX_CASES))
            raise place.fail(line, "rows", said)
    if plan_path is None:
        for case in cases:
            if case.expect.plan == "violations":
                raise place.fail(
                    case.line,
                    "expect.plan",
                    _(
                        "`plan: violations` needs a tracking plan: name one with `plan:` at the "
                        "top of the suite."
                    ),
                )
    plan_line = key_line(document, "plan")
    data_files = tuple(place.data_files)
    return Suite(
        name, path, tuple(cases), plan_path, profile, fresh, tuple(notes), plan_line, data_files
    )


def load_suites(
    paths: Sequence[Path | str], environ: Mapping[str, str] | None = None
) -> list[Suite]:
    """Every suite named, in order; the first bad one raises SuiteError."""
    return [load_suite(path, environ) for path in paths]


def _unstarted(message: str) -> str:
    """The reader's words, starting lower-case after the file and line ("…: there is no…")."""
    return message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message


def _default_name(path: Path) -> str:
    name = path.name
    for suffix in (".suite.yaml", ".suite.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)] or name
    return name


def _top_text(place: Place, document: Mapping[str, Any], key: str) -> str | None:
    if key not in document:
        return None
    value = document[key]
    line = key_line(document, key)
    if not isinstance(value, str) or not value.strip():
        raise place.fail(line, key, _("`{key}:` must be a non-empty text.", key=key))
    return expanded(place, value, line, key).strip()


def _ids(place: Place, document: Mapping[str, Any]) -> bool:
    if "ids" not in document:
        return False
    if document["ids"] != "fresh":
        raise place.fail(
            key_line(document, "ids"),
            "ids",
            _(
                "the only value of `ids:` is `fresh` (each run gives the goals fresh test IDs "
                "for the IDs they leave empty); leave it out to keep empty IDs empty."
            ),
        )
    return True


def _plan_path(place: Place, document: Mapping[str, Any]) -> Path | None:
    text = _top_text(place, document, "plan")
    if text is None:
        return None
    line = key_line(document, "plan")
    plan = (place.path.parent / text).resolve()
    if plan == place.path.resolve():
        raise place.fail(
            line,
            "plan",
            _(
                "the suite names itself as its plan. `plan:` names a tracking plan file (such "
                "as acme.plan.yaml) beside the suite."
            ),
        )
    if not plan.is_file():
        said = _("the plan file {file} does not exist (looked at {path}).", file=text, path=plan)
        raise place.fail(line, "plan", said)
    return plan
