"""Checking one goal against a plan: violations as contract findings (warnings) with fixes.

Pure and fast (no I/O): the window checks on every keystroke, the sandbox on every received
goal, `verify` on thousands. A conformance check compiled at load from the same keywords
(the same RE2 patterns, the same format checkers) answers the common case, a goal that
meets the plan, in microseconds; a goal that does not is explained by its JSON Schema
validator (jsonschema), each schema error becoming a finding with a `plan.*` code, a field
path in the contract's style (`metadata.plan`), plain words and a "did you mean" where one
is close. tests/test_plan_properties.py holds the two to the same verdict.
What the API's own rules already report (a value that is not text, metadata that is not
an object, a missing name) is left to the contract: each fault is reported once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from flowsery_gui.contract import METADATA_KEY_PATTERN, WARNING, Draft, Finding
from flowsery_gui.i18n import _, format_number, ngettext, pgettext
from flowsery_gui.plan.engine import FORMATS, value_test
from flowsery_gui.plan.model import FORBID, REQUIRED, GoalSpec, KeySpec, Plan
from flowsery_gui.plan.suggest import closest

UNPLANNED_GOAL = "plan.unplanned_goal"
MISSING_METADATA = "plan.missing_metadata"
UNPLANNED_METADATA = "plan.unplanned_metadata"
BAD_VALUE = "plan.bad_value"
MISSING_VISITOR = "plan.missing_visitor"
MISSING_SESSION = "plan.missing_session"
CODES = (
    UNPLANNED_GOAL,
    MISSING_METADATA,
    UNPLANNED_METADATA,
    BAD_VALUE,
    MISSING_VISITOR,
    MISSING_SESSION,
)
MAX_SHOWN = 60  # characters of a value quoted in a message
MAX_ENUM_SHOWN = 12

#: (key, part) -> field path, where part is "key", "value" or "missing".
KeyPathFn = Callable[[str, str], str]


def key_path(key: str, _part: str = "value") -> str:
    """`metadata.plan` for a plain key, `metadata["Bad Key"]` otherwise (the contract's style)."""
    if METADATA_KEY_PATTERN.fullmatch(key):
        return f"metadata.{key}"
    return f"metadata[{json.dumps(key, ensure_ascii=False)}]"


def check_goal(plan: Plan, body: Any) -> tuple[Finding, ...]:
    """Plan violations of a goal body (a dict as sent or received); empty when it conforms."""
    return _check(plan, body, key_path)


def check_draft(plan: Plan, draft: Draft) -> tuple[Finding, ...]:
    """Plan violations of a goal as typed in the form, with the form's row paths
    (`metadata[2].value`, `metadata[2].key`; a missing key is reported on `metadata`)."""
    rows: dict[str, int] = {}
    metadata: dict[str, str] = {}
    for index, (key, value) in enumerate(draft.metadata):
        if key and key not in rows:
            rows[key] = index
            metadata[key] = value

    def row_path(key: str, part: str) -> str:
        return "metadata" if part == "missing" else f"metadata[{rows[key]}].{part}"

    body = {
        "name": draft.name,
        "visitorUid": draft.visitor_uid,
        "sessionUid": draft.session_uid,
        "metadata": metadata,
    }
    return _check(plan, body, row_path)


def personal_keys_in(plan: Plan, body: Any) -> tuple[str, ...]:
    """The personal-data keys this goal body carries (warn before sending to Production)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("name"), str):
        return ()
    metadata = body.get("metadata")
    if not isinstance(metadata, Mapping):
        return ()
    return tuple(k for k in plan.personal_keys(body["name"]) if metadata.get(k) not in (None, ""))


def _absent(value: Any) -> bool:
    return value is None or value == ""


def _shown(value: str) -> str:
    if len(value) > MAX_SHOWN:
        value = value[: MAX_SHOWN - 1] + "…"
    return f"`{value}`"


def _check(plan: Plan, body: Any, path_of: KeyPathFn) -> tuple[Finding, ...]:
    if not isinstance(body, (dict, Mapping)):  # dict first: the common case, and fast
        return ()
    name = body.get("name")
    if not isinstance(name, str) or not name:
        return ()  # the contract says the name is missing or not text
    goal = plan.goals.get(name)
    if goal is None:
        fix = plan.name_index.closest(name)
        if fix:
            message = _(
                "{name} is not in the plan. Did you mean `{fix}`?", name=_shown(name), fix=fix
            )
        else:
            message = _("{name} is not in the plan.", name=_shown(name))
        return (Finding("name", UNPLANNED_GOAL, message, WARNING, fix),)
    findings: list[Finding] = []
    if goal.visitor == REQUIRED and _absent(body.get("visitorUid")):
        findings.append(
            Finding(
                "visitorUid",
                MISSING_VISITOR,
                _("A visitor ID (visitorUid) is required for `{goal}`.", goal=name),
                WARNING,
            )
        )
    if goal.session == REQUIRED and _absent(body.get("sessionUid")):
        findings.append(
            Finding(
                "sessionUid",
                MISSING_SESSION,
                _("A session ID (sessionUid) is required for `{goal}`.", goal=name),
                WARNING,
            )
        )
    metadata = body.get("metadata")
    if metadata is None:
        metadata = {}
    if isinstance(metadata, (dict, Mapping)):
        findings.extend(_metadata_findings(goal, metadata, path_of))
    return tuple(findings)


def compile_conformance(
    metadata: Mapping[str, KeySpec], other_metadata: str
) -> Callable[[Mapping[str, Any]], bool]:
    """A goal's metadata rules as one predicate: True when the metadata meets the plan.

    Values that are not text are skipped (the contract reports them), as in the findings.
    """
    required = tuple(key for key, spec in metadata.items() if spec.required)
    allowed = frozenset(metadata) if other_metadata == FORBID else None
    tests = {}
    for key, spec in metadata.items():
        test = value_test(
            spec.enum, spec.const, spec.pattern, spec.min_length, spec.max_length, spec.format
        )
        if test is not None:
            tests[key] = test

    def conforms(metadata: Mapping[str, Any]) -> bool:
        for key in required:
            if key not in metadata:
                return False
        for key, value in metadata.items():
            if allowed is not None and key not in allowed:
                return False
            test = tests.get(key)
            if test is not None and isinstance(value, str) and not test(value):
                return False
        return True

    return conforms


def _metadata_findings(
    goal: GoalSpec, metadata: Mapping[str, Any], path_of: KeyPathFn
) -> list[Finding]:
    if goal.conforms is not None and goal.conforms(metadata):
        return []
    findings: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    for error in goal.metadata_validator.iter_errors(metadata):
        keyword = error.validator
        if keyword == "required":
            for key in goal.required_keys:
                if key not in metadata and ("missing", key) not in reported:
                    reported.add(("missing", key))
                    findings.append(
                        Finding(
                            path_of(key, "missing"),
                            MISSING_METADATA,
                            _("`{key}` is required for `{goal}`.", key=key, goal=goal.name),
                            WARNING,
                        )
                    )
        elif keyword == "additionalProperties":
            for key in metadata:
                if key not in goal.metadata and ("extra", key) not in reported:
                    reported.add(("extra", key))
                    findings.append(_unplanned_key(goal, key, path_of))
        elif error.path:
            key = str(error.path[0])
            value = metadata.get(key)
            if isinstance(value, str):  # a value that is not text is the contract's error
                findings.append(_bad_value(goal, key, value, str(keyword), path_of))
    return findings


def _unplanned_key(goal: GoalSpec, key: str, path_of: KeyPathFn) -> Finding:
    near = closest(key, goal.metadata)
    if near:
        message = _(
            "{key} is not a planned key of `{goal}`. Did you mean `{fix}`?",
            key=_shown(key),
            goal=goal.name,
            fix=near,
        )
    else:
        message = _("{key} is not a planned key of `{goal}`.", key=_shown(key), goal=goal.name)
    return Finding(path_of(key, "key"), UNPLANNED_METADATA, message, WARNING, near)


def _bad_value(goal: GoalSpec, key: str, value: str, keyword: str, path_of: KeyPathFn) -> Finding:
    spec = goal.metadata[key]
    # the value given, as the messages quote it: `Pro`, or words for an empty one
    got = _shown(value) if value else pgettext("a value given", "an empty value")
    fix: str | None = None
    if keyword == "enum" and spec.enum is not None:
        shown = ", ".join(spec.enum[:MAX_ENUM_SHOWN])
        if len(spec.enum) > MAX_ENUM_SHOWN:
            count = len(spec.enum)
            shown = ngettext(
                "{values}, … ({count} value)",
                "{values}, … ({count} values)",
                count,
                values=shown,
                count=format_number(count),
            )
        message = _(
            "`{key}` must be one of {values}; got {value}.", key=key, values=shown, value=got
        )
        fix = closest(value, spec.enum)
    elif keyword == "const" and spec.const is not None:
        message = _("`{key}` must be `{const}`; got {value}.", key=key, const=spec.const, value=got)
        fix = spec.const
    elif keyword == "pattern":
        message = _(
            "`{key}` must match the pattern {pattern}; got {value}.",
            key=key,
            pattern=spec.pattern,
            value=got,
        )
    elif keyword == "minLength" and spec.min_length is not None:
        message = ngettext(
            "`{key}` must be at least {limit} character; got {value}.",
            "`{key}` must be at least {limit} characters; got {value}.",
            spec.min_length,
            key=key,
            limit=spec.min_length,
            value=got,
        )
    elif keyword == "maxLength" and spec.max_length is not None:
        message = ngettext(
            "`{key}` must be at most {limit} character; got {value}.",
            "`{key}` must be at most {limit} characters; got {value}.",
            spec.max_length,
            key=key,
            limit=spec.max_length,
            value=got,
        )
        fix = value[: spec.max_length]
    elif keyword == "format" and spec.format is not None:
        message = _(
            "`{key}` must be {format}; got {value}.",
            key=key,
            format=_(FORMATS[spec.format]),
            value=got,
        )
    else:
        message = _(
            "`{key}` does not meet the plan ({keyword}); got {value}.",
            key=key,
            keyword=keyword,
            value=got,
        )
    return Finding(path_of(key, "value"), BAD_VALUE, message, WARNING, fix)
