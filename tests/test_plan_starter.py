"""A starter plan from history: each rule is a guess from what was sent, and it always loads."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from flowsery_gui.plan import parse_plan
from flowsery_gui.plan.starter import starter_from_records


def record(name: str, metadata: dict[str, object] | None = None, status: str = "2xx", **ids: str):
    return SimpleNamespace(
        goal_name=name,
        status_class=status,
        visitor_uid=ids.get("visitor"),
        session_uid=ids.get("session"),
        metadata=metadata,
    )


def test_keys_in_every_send_are_required_and_repeated_values_become_an_enum() -> None:
    records = [
        record("signup", {"plan": "pro", "email": f"user{i}@example.com"}, visitor="v")
        for i in range(4)
    ] + [record("signup", {"plan": "free"}, visitor="v")] * 2
    starter = starter_from_records(records)
    goal = parse_plan(starter.text).goal("signup")
    assert goal is not None
    assert goal.visitor == "required" and goal.session == "optional"
    assert goal.metadata["plan"].required and goal.metadata["plan"].enum == ("pro", "free")
    assert not goal.metadata["email"].required and goal.metadata["email"].enum is None
    assert "# in 4 of 6 sends; 4 different values" in starter.text


def test_refused_sends_and_names_the_api_refuses_are_left_out() -> None:
    records = [
        record("signup", {"plan": "pro"}),
        record("typo_goal", {"x": "1"}, status="4xx"),
        record("Bad Name", {"x": "1"}),
        record("signup", {"Bad Key": "1", "plan": "pro"}),
    ]
    plan = parse_plan(starter_from_records(records).text)
    assert plan.names == ("signup",)
    assert set(plan.goal("signup").metadata) == {"plan"}  # type: ignore[union-attr]


def test_more_than_ten_keys_keeps_the_ten_most_sent_and_names_the_rest() -> None:
    many = {f"k{i:02d}": "v" for i in range(12)}
    records = [record("g", many), record("g", {f"k{i:02d}": "v" for i in range(10)})]
    starter = starter_from_records(records)
    assert len(parse_plan(starter.text).goal("g").metadata) == 10  # type: ignore[union-attr]
    assert "# also seen (the API allows 10 keys): k10, k11" in starter.text


def test_values_that_need_quoting_survive_the_round_trip() -> None:
    records = [record("g", {"k": 'a: "b" # c'})] * 3
    goal = parse_plan(starter_from_records(records).text).goal("g")
    assert goal is not None and goal.metadata["k"].enum == ('a: "b" # c',)


def test_a_history_with_no_accepted_goals_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="no accepted goals"):
        starter_from_records([record("g", status="failure")])
