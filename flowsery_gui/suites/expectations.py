"""The `expect:` of a goal read into an Expectation, refused with its line when it is wrong."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flowsery_gui.i18n import _
from flowsery_gui.suites.model import Expectation, PlanExpectation, StatusRule
from flowsery_gui.suites.place import (
    Located,
    Place,
    describe,
    key_line,
    text_value,
    unknown_key,
)

EXPECT_KEYS = ("status", "refused", "message", "plan")
PLAN_VALUES: tuple[PlanExpectation, ...] = ("pass", "violations")
_CLASS = re.compile(r"([1-5])xx", re.IGNORECASE)


def read_expect(place: Place, goal: Mapping[str, Any]) -> Expectation:
    """The goal's expectation; SuiteError names the line and key of anything wrong."""
    line = key_line(goal, "expect")
    if goal["expect"] is None:
        return Expectation()
    if not isinstance(goal["expect"], Mapping):
        raise place.fail(
            line,
            "expect",
            _(
                "expect must be a mapping such as {example}, not {value}.",
                example="{ status: 400 }",
                value=describe(goal["expect"]),
            ),
        )
    expect = goal.child("expect") if isinstance(goal, Located) else goal["expect"]
    for key in expect:
        if key not in EXPECT_KEYS:
            unknown_key(place, expect, key, EXPECT_KEYS, "expect")  # where: in expect
    refused = False
    if "refused" in expect:
        refused = expect["refused"]
        if not isinstance(refused, bool):
            raise place.fail(
                key_line(expect, "refused", line),
                "expect.refused",
                _("refused is true or false."),
            )
    if refused and ("status" in expect or "message" in expect):
        raise place.fail(
            key_line(expect, "refused", line),
            "expect.refused",
            _(
                "a goal expected to be refused is never sent, so it gets no status or message: "
                "leave out status and message."
            ),
        )
    status = _status(place, expect, line) if "status" in expect else Expectation().status
    message = None
    if "message" in expect:
        message = text_value(place, expect, "message", "expect.message")
        if not message.strip():
            raise place.fail(
                key_line(expect, "message", line),
                "expect.message",
                _("message must not be empty."),
            )
    plan = expect.get("plan")
    if plan is not None and plan not in PLAN_VALUES:
        raise place.fail(
            key_line(expect, "plan", line),
            "expect.plan",
            _(
                "plan is `pass` (the default: no plan violation) or `violations` (the plan must "
                "find at least one)."
            ),
        )
    return Expectation(tuple(status), refused, message, plan)


def _status(place: Place, expect: Mapping[str, Any], line: int | None) -> list[StatusRule]:
    value = expect["status"]
    at = key_line(expect, "status", line)
    items = value if isinstance(value, list) else [value]
    if not items:
        raise place.fail(at, "expect.status", _("status lists at least one status."))
    rules = []
    for item in items:
        rule = _rule(item)
        if rule is None:
            raise place.fail(
                at,
                "expect.status",
                _(
                    "{value} is not a status: use a number from 100 to 599 (400), a class (4xx) "
                    "or a list of them ([400, 422]).",
                    value=repr(item),
                ),
            )
        rules.append(rule)
    return rules


def _rule(item: Any) -> StatusRule | None:
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return StatusRule(code=item) if 100 <= item <= 599 else None
    if isinstance(item, str):
        text = item.strip()
        if text.isdigit() and 100 <= int(text) <= 599:
            return StatusRule(code=int(text))
        match = _CLASS.fullmatch(text)
        if match:
            return StatusRule(klass=int(match.group(1)))
    return None
