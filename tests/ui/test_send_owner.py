"""The send owner on its own: a real sandbox over loopback, a real history file, and a task
runner that runs inline (or holds tasks until told), so nothing waits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from flowsery_gui.contract import Draft
from flowsery_gui.history import Filters
from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.sending import PlannedSend, SendOptions, Target, plan_goal
from tests.sandbox_helpers import TEST_KEY, running_sandbox
from tests.ui.fakes import HeldTaskRunner
from tests.ui.services import Services

GOAL = Draft(name="owned_goal", metadata=(("plan", "pro"),))


def planned(services: Services, url: str, goal: Draft = GOAL) -> PlannedSend:
    """The goal planned by the send pipeline for the active profile, as Send plans it."""
    profile = services.target.profile
    plan = plan_goal(
        Target(profile.name, profile.kind, url),
        goal,
        True,
        SendOptions(fault=services.owner.fault_for_target(), production_confirmed=True),
    )
    assert isinstance(plan, PlannedSend), plan
    return plan


@pytest.fixture()
def sandbox() -> Iterator[SandboxServer]:
    with running_sandbox() as server:
        yield server


def on_custom_profile(services: Services, sandbox: SandboxServer) -> None:
    """Make a custom profile pointing at the test sandbox the active one."""
    services.profiles.add("Local", sandbox.url)
    services.target.set_profile("Local")


def held_tasks(services: Services) -> HeldTaskRunner:
    """The runner that holds tasks until `release()`."""
    assert isinstance(services.tasks, HeldTaskRunner)
    return services.tasks


def test_a_send_is_recorded_with_the_profile_body_and_key_it_went_with(
    services: Services, sandbox: SandboxServer
) -> None:
    on_custom_profile(services, sandbox)
    answers: list[Any] = []
    counts: list[int] = []
    busy: list[bool] = []
    services.owner.finished.connect(answers.append)
    services.history.changed.connect(counts.append)
    services.owner.busy_changed.connect(busy.append)

    assert services.owner.start(planned(services, sandbox.url), TEST_KEY)

    assert busy == [True, False] and not services.owner.busy
    assert answers[0].response.status == 200
    assert [g["name"] for g in sandbox.store.all()] == ["owned_goal"]
    assert counts == [1]
    store = services.history.store
    assert store is not None
    record = store.get(store.page(Filters())[0].id)
    assert record is not None and record.profile == "Local" and record.source == "window"
    assert TEST_KEY not in (record.exchange.request.header("Authorization") or "")


def test_a_fault_is_refused_on_any_profile_but_the_built_in_sandbox(
    services: Services, sandbox: SandboxServer
) -> None:
    on_custom_profile(services, sandbox)
    chosen: list[str] = []
    services.owner.fault_changed.connect(chosen.append)
    assert services.owner.set_fault("status=500") is False
    assert services.owner.fault == "" and chosen == []
    services.owner.start(planned(services, sandbox.url), TEST_KEY)
    assert [g["name"] for g in sandbox.store.all()] == ["owned_goal"]


def test_a_fault_chosen_on_the_sandbox_goes_to_the_sandbox_only(
    services: Services, sandbox: SandboxServer
) -> None:
    services.target.set_profile("Sandbox")  # starts the built-in sandbox (inline)
    built_in = services.target.sandbox
    assert built_in is not None
    assert services.owner.set_fault("status=500")
    assert planned(services, built_in.url).request.header("X-Sandbox-Fault") == "status=500"
    answers: list[Any] = []
    services.owner.finished.connect(answers.append)
    services.owner.start(planned(services, built_in.url), built_in.api_key)
    assert answers[-1].response.status == 500
    assert built_in.store.all() == []

    on_custom_profile(services, sandbox)  # the same choice, another profile: not sent
    assert services.owner.fault == "status=500"
    assert planned(services, sandbox.url).request.header("X-Sandbox-Fault") is None
    services.owner.start(planned(services, sandbox.url), TEST_KEY)
    assert answers[-1].response.status == 200


def test_retry_after_counts_down_in_the_owner_and_never_blocks_a_send(
    services: Services, qtbot: Any
) -> None:
    services.target.set_profile("Sandbox")
    built_in = services.target.sandbox
    assert built_in is not None
    services.owner.set_fault("status=429,retry-after=30")
    with qtbot.waitSignal(services.owner.retry_changed, timeout=1000):
        services.owner.start(planned(services, built_in.url), built_in.api_key)
    assert 25 < services.owner.retry_wait() <= 30
    services.owner.set_fault("")
    again = planned(services, built_in.url)
    assert services.owner.start(again, built_in.api_key)  # a note, never a lock
    assert services.owner.retry_wait() <= 0  # the normal answer asked for no wait


def test_one_send_at_a_time_and_closing_records_the_cancelled_one(
    held_services: Services, sandbox: SandboxServer
) -> None:
    services, tasks = held_services, held_tasks(held_services)
    on_custom_profile(services, sandbox)
    owner = services.owner
    assert owner.start(planned(services, sandbox.url), TEST_KEY)
    assert owner.busy and owner.outgoing is not None
    assert owner.outgoing.profile == "Local"
    assert not owner.start(planned(services, sandbox.url, Draft(name="second")), TEST_KEY)

    exchange = owner.finish_now()  # the window closes while the send waits
    assert exchange is not None and exchange.failure is not None
    assert exchange.failure.kind.value == "cancelled"
    assert not owner.busy
    store = services.history.store
    assert store is not None
    rows = store.page(Filters())
    assert [(r.goal_name, r.failure_kind) for r in rows] == [("owned_goal", "cancelled")]
    tasks.release()  # nothing left to deliver twice
    assert len(store.page(Filters())) == 1


def test_cancel_and_finish_now_with_nothing_in_flight_do_nothing(services: Services) -> None:
    assert services.owner.cancel() is False
    assert services.owner.finish_now() is None


def test_a_delivered_send_is_recorded_once_the_answer_arrives(
    held_services: Services, sandbox: SandboxServer
) -> None:
    services, tasks = held_services, held_tasks(held_services)
    on_custom_profile(services, sandbox)
    services.owner.start(planned(services, sandbox.url), TEST_KEY)
    services.target.set_profile("Production")  # the profile may change meanwhile
    tasks.release()  # the send, then its history write
    assert services.history.store is None or services.history.count == 0
    tasks.release()
    store = services.history.store
    assert store is not None
    record = store.get(store.page(Filters())[0].id)
    assert record is not None and record.profile == "Local"
