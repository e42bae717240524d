"""Running a cleanup against the real sandbox over loopback, with a real history file: exactly
the test goals go, every failure stops the rest, and two runs never both claim a send."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui import sending
from flowsery_gui.cleanup.model import CleanupPlan, Risk
from flowsery_gui.cleanup.runner import CallState, CleanupResult, CleanupRun
from flowsery_gui.cleanup.select import plan_from_history
from flowsery_gui.contract import Draft
from flowsery_gui.history import History
from flowsery_gui.history.cleaned import cleaned_marks
from flowsery_gui.profiles import Profile
from flowsery_gui.sandbox.server import SandboxServer
from tests.sandbox_helpers import TEST_KEY, running_sandbox

pytestmark = pytest.mark.slow

TEST_VID = "test-visitor-0001"
PROFILE = "Local"


# --- helpers (the CLI tests use them too) ----------------------------------------------------


def sandbox_get(server: SandboxServer, path: str) -> Any:
    with urllib.request.urlopen(server.url + path, timeout=5) as answer:
        return json.loads(answer.read())


def stored(server: SandboxServer) -> list[tuple[str, str]]:
    """(name, visitor ID) of every goal the sandbox holds, as GET /sandbox/goals lists them."""
    return sorted(
        (g["name"], g.get("visitorUid", "")) for g in sandbox_get(server, "/sandbox/goals")
    )


def deletes_received(server: SandboxServer) -> list[dict[str, Any]]:
    """The DELETE /api/v1/goals requests the sandbox received."""
    return [
        r for r in server.received() if r["method"] == "DELETE" and r["path"] == "/api/v1/goals"
    ]


def send_from_app(
    server: SandboxServer, history: History, name: str, visitor: str = "", profile: str = PROFILE
) -> int:
    """A goal sent through the send pipeline and recorded, as the window or the CLI does."""
    target = sending.Target(profile, "custom", server.url)
    key = sending.ResolvedKey(TEST_KEY, sending.KeySource.ENVIRONMENT)
    plan = sending.plan_goal(target, Draft(name=name, visitor_uid=visitor), key)
    assert isinstance(plan, sending.PlannedSend)
    exchange = sending.send(plan, TEST_KEY)
    assert exchange.ok, exchange
    return history.append(exchange, profile=profile, source="cli", goal=plan.goal)


def send_real(server: SandboxServer, name: str, visitor: str) -> None:
    """A goal from someone else: a plain request, unknown to this app's history."""
    body = json.dumps({"name": name, "visitorUid": visitor}).encode()
    request = urllib.request.Request(
        server.url + "/api/v1/goals",
        data=body,
        headers={"Authorization": f"Bearer {TEST_KEY}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200


def profile_for(server: SandboxServer) -> Profile:
    return Profile(PROFILE, server.url, "custom", TEST_VID)


def planned(server: SandboxServer, history: History, since: float) -> CleanupPlan:
    """The plan for everything sent to the sandbox's profile since `since`."""
    plan = plan_from_history(history, profile_for(server), since=since).plan
    assert plan is not None
    return plan


def cleanup_run(
    server: SandboxServer,
    history: History,
    calls: Any,
    *,
    key: str = TEST_KEY,
    confirmed: str = PROFILE,
    **options: Any,
) -> CleanupRun:
    """A run of these calls against the sandbox, as the window's dialog starts one."""
    return CleanupRun(
        calls,
        target=sending.Target(PROFILE, "custom", server.url),
        key=sending.ResolvedKey(key, sending.KeySource.ENVIRONMENT),
        history=history,
        source="window",
        confirmed_profile=confirmed,
        **options,
    )


def run_cleanup(
    server: SandboxServer,
    history: History,
    since: float,
    *,
    only_test: bool = True,
    fault: str = "",
    key: str = TEST_KEY,
    on_outcome: Any = None,
) -> CleanupResult:
    plan = planned(server, history, since)
    calls = [c for c in plan.calls if c.risk is Risk.TEST_ONLY] if only_test else plan.calls
    run = cleanup_run(server, history, calls, key=key, acknowledged=not only_test, fault=fault)
    return run.run(on_outcome)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened, _ = History.open(tmp_path / "history.sqlite3")
    assert opened is not None
    with opened:
        yield opened


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with running_sandbox() as server:
        yield server


def mixed_goals(server: SandboxServer, history: History) -> list[int]:
    """Test goals sent from here, and real visitors' goals of the same names around them."""
    send_real(server, "signup", "real-visitor-a")
    sends = [
        send_from_app(server, history, "signup", TEST_VID),
        send_from_app(server, history, "signup", TEST_VID),
        send_from_app(server, history, "purchase", TEST_VID),
    ]
    send_real(server, "signup", "real-visitor-b")
    send_real(server, "purchase", "real-visitor-c")
    return sends


REAL = [
    ("purchase", "real-visitor-c"),
    ("signup", "real-visitor-a"),
    ("signup", "real-visitor-b"),
]


# --- the test goals go, the real ones stay ---------------------------------------------------


def test_a_cleanup_deletes_exactly_the_test_goals_and_marks_them(
    sandbox: SandboxServer, history: History
) -> None:
    since = time.time() - 1
    sends = mixed_goals(sandbox, history)
    result = run_cleanup(sandbox, history, since)
    assert [o.state for o in result.outcomes] == [CallState.DELETED, CallState.DELETED]
    assert result.deleted_total == 3
    assert stored(sandbox) == REAL
    assert set(cleaned_marks(history, sends)) == set(sends)
    for outcome in result.outcomes:
        record = history.get(outcome.record_id or 0)
        assert record is not None and record.method == "DELETE" and record.status == 200
    assert all(
        "startAt=" in r["query"] and "endAt=" in r["query"] for r in deletes_received(sandbox)
    )
    assert result.summary()[0] == (
        "Deleted 3 goal events in 2 of 2 calls; 3 sends marked as deleted from analytics."
    )


@pytest.mark.parametrize("skew", [-4.0, 4.0])
def test_a_server_clock_a_few_seconds_off_is_still_cleaned_exactly(
    history: History, skew: float
) -> None:
    with running_sandbox(clock_skew=skew) as server:
        since = time.time() - 1
        mixed_goals(server, history)
        result = run_cleanup(server, history, since)
        assert result.deleted_total == 3 and result.stopped_by is None
        assert stored(server) == REAL


def test_a_server_clock_further_off_than_the_margin_finds_nothing_and_marks_nothing(
    history: History,
) -> None:
    with running_sandbox(clock_skew=120.0) as server:
        since = time.time() - 1
        sends = mixed_goals(server, history)
        result = run_cleanup(server, history, since)
        assert {o.state for o in result.outcomes} == {CallState.NONE_FOUND}
        assert cleaned_marks(history, sends) == {}
        assert "found nothing to delete" in " ".join(result.summary())
        assert len(stored(server)) == 6


def test_acknowledged_calls_without_a_visitor_id_delete_every_goal_of_that_name_in_the_window(
    sandbox: SandboxServer, history: History
) -> None:
    since = time.time() - 1
    send_real(sandbox, "trial", "real-visitor-d")
    send_from_app(sandbox, history, "trial")  # no visitor ID
    send_real(sandbox, "other", "real-visitor-e")
    result = run_cleanup(sandbox, history, since, only_test=False)
    assert [o.call.risk for o in result.outcomes] == [Risk.ANYONE]
    assert stored(sandbox) == [("other", "real-visitor-e")]  # as the warning said


# --- failures stop the rest ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "state", "words"),
    [
        ("status=400", CallState.FAILED, "400"),
        ("status=404", CallState.FAILED, "404"),
        ("status=500", CallState.FAILED, "500"),
        ("html", CallState.FAILED, "502"),
        ("drop", CallState.NO_RESPONSE, "may or may not have been deleted"),
        ("garbage", CallState.UNREADABLE, "not the API's answer"),
        ("status=204", CallState.UNREADABLE, "without a count"),
    ],
)
def test_a_failing_delete_stops_the_rest_and_nothing_is_marked(
    sandbox: SandboxServer, history: History, fault: str, state: CallState, words: str
) -> None:
    since = time.time() - 1
    sends = mixed_goals(sandbox, history)
    result = run_cleanup(sandbox, history, since, fault=fault)
    assert [o.state for o in result.outcomes] == [state, CallState.NOT_SENT]
    assert words in result.outcomes[0].message
    assert len(deletes_received(sandbox)) == 1
    assert len(stored(sandbox)) == 6
    assert cleaned_marks(history, sends) == {}
    record = history.get(result.outcomes[0].record_id or 0)
    assert record is not None and record.method == "DELETE"  # the failure is recorded too
    assert any(line.startswith("Not sent: 1 call ") for line in result.summary())


def test_a_429_reports_retry_after_and_is_never_retried(
    sandbox: SandboxServer, history: History
) -> None:
    since = time.time() - 1
    mixed_goals(sandbox, history)
    result = run_cleanup(sandbox, history, since, fault="status=429,retry-after=5")
    first = result.outcomes[0]
    assert first.state is CallState.FAILED and first.retry_after is not None
    assert first.retry_after.seconds == 5
    assert "Retry-After: 5" in first.message
    assert len(deletes_received(sandbox)) == 1


def test_a_wrong_key_is_a_401_that_stops_the_run(sandbox: SandboxServer, history: History) -> None:
    since = time.time() - 1
    mixed_goals(sandbox, history)
    result = run_cleanup(sandbox, history, since, key="flow_wrong_key_000000")
    assert result.outcomes[0].state is CallState.FAILED
    assert "401" in result.outcomes[0].message
    assert len(stored(sandbox)) == 6


def test_a_server_gone_after_the_first_call_says_what_was_and_was_not_deleted(
    history: History,
) -> None:
    server = SandboxServer(api_key=TEST_KEY).start()
    try:
        since = time.time() - 1
        sends = [
            send_from_app(server, history, name, TEST_VID)
            for name in ("a-goal", "b-goal", "c-goal")
        ]

        def stop_after_first(index: int, _outcome: Any) -> None:
            if index == 0:
                server.stop()

        result = run_cleanup(server, history, since, on_outcome=stop_after_first)
    finally:
        server.stop()
    states = [o.state for o in result.outcomes]
    assert states == [CallState.DELETED, CallState.NO_RESPONSE, CallState.NOT_SENT]
    assert list(cleaned_marks(history, sends)) == [sends[0]]
    summary = result.summary()
    assert summary[0].startswith("Deleted 1 goal event in 1 of 3 calls; 1 send marked")
    assert any("Not sent: 1 call covering 1 send;" in line for line in summary)


# --- consent and concurrency -----------------------------------------------------------------


def test_nothing_is_sent_without_confirming_this_profile_or_acknowledging_the_risk(
    sandbox: SandboxServer, history: History
) -> None:
    since = time.time() - 1
    send_from_app(sandbox, history, "trial")  # no visitor ID: a risky call
    plan = planned(sandbox, history, since)
    wrong = cleanup_run(sandbox, history, plan.calls, confirmed="Other", acknowledged=True)
    assert "confirm the deletion for the profile Local" in wrong.run().refused
    unticked = cleanup_run(sandbox, history, plan.calls)
    assert "can delete goals of real visitors" in unticked.run().refused
    assert deletes_received(sandbox) == [] and len(stored(sandbox)) == 1


def test_cancelled_before_it_starts_nothing_is_sent(
    sandbox: SandboxServer, history: History
) -> None:
    since = time.time() - 1
    mixed_goals(sandbox, history)
    plan = planned(sandbox, history, since)
    run = cleanup_run(sandbox, history, plan.calls)
    run.cancel()
    result = run.run()
    assert {o.state for o in result.outcomes} == {CallState.NOT_SENT}
    assert deletes_received(sandbox) == []


def test_a_stale_plan_run_again_skips_what_another_run_cleaned(
    sandbox: SandboxServer, history: History
) -> None:
    since = time.time() - 1
    mixed_goals(sandbox, history)
    plan = planned(sandbox, history, since)
    cleanup_run(sandbox, history, plan.calls).run()
    again = cleanup_run(
        sandbox, history, plan.calls
    ).run()  # the window's dialog left open meanwhile
    assert {o.state for o in again.outcomes} == {CallState.ALREADY_CLEANED}
    assert len(deletes_received(sandbox)) == 2  # the first run's two calls only
    assert "3 sends were already cleaned by another run." in again.summary()


def test_two_cleanups_of_the_same_sends_at_once_never_both_claim_a_send(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = tmp_path / "shared.sqlite3"
    first, _ = History.open(path)
    assert first is not None
    since = time.time() - 1
    sends = [send_from_app(sandbox, first, f"goal-{i}", TEST_VID) for i in range(6)]
    plan = planned(sandbox, first, since)
    first.close()
    barrier = threading.Barrier(2)
    results: list[CleanupResult] = []

    def clean() -> None:
        history, _ = History.open(path)
        assert history is not None
        with history:
            run = cleanup_run(sandbox, history, plan.calls)
            barrier.wait()
            results.append(run.run())

    threads = [threading.Thread(target=clean) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2
    claimed = [i for result in results for o in result.outcomes for i in o.marked]
    assert sorted(claimed) == sorted(sends)  # each send claimed by exactly one run
    for result in results:
        for outcome in result.outcomes:
            assert outcome.state in (
                CallState.DELETED,
                CallState.ALREADY_CLEANED,
                CallState.NONE_FOUND,
            )
            if outcome.state is not CallState.DELETED:
                assert outcome.marked == ()
    assert stored(sandbox) == []
