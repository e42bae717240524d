"""The suite runner against the real sandbox: passes, each failure kind, stops and faults."""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.sending import Target
from flowsery_gui.suites.loader import load_suite
from flowsery_gui.suites.model import Suite
from flowsery_gui.suites.results import Outcome, Progress
from flowsery_gui.suites.runner import (
    FAIL_FAST,
    TARGET_GONE,
    UNREACHABLE_LIMIT,
    RunRefused,
    SuiteRunner,
)
from tests.sandbox_helpers import TEST_KEY, running_sandbox

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(name="sandbox")
def sandbox_fixture() -> Iterator[SandboxServer]:
    with running_sandbox() as server:
        yield server


def suite_of(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Suite:
    path = tmp_path / "t.suite.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_suite(path, environ or {})


def many(count: int) -> str:
    return "goals:\n" + "".join(f"  - name: goal_{i}\n" for i in range(count))


def runner_for(sandbox: SandboxServer, *suites: Suite, **options: object) -> SuiteRunner:
    target = Target("Sandbox", "sandbox", sandbox.url)
    return SuiteRunner(list(suites), target, TEST_KEY, **options)  # type: ignore[arg-type]


def stored_names(sandbox: SandboxServer) -> list[str]:
    return [goal["name"] for goal in sandbox.store.all()]


def test_the_example_suite_passes_on_one_kept_alive_connection(sandbox: SandboxServer) -> None:
    suite = load_suite(EXAMPLES / "signup.suite.yaml", {"DEMO_VISITOR_ID": "v-7"})
    connections: list[int] = []
    runner = runner_for(
        sandbox, suite, on_progress=lambda p: connections.append(sandbox.active_connections)
    )
    run = runner.run()
    assert [r.outcome for r in run.results] == [Outcome.PASSED] * len(suite.cases)
    assert set(connections) == {1}
    assert stored_names(sandbox).count("checkout_completed") == 3


def test_goals_are_sent_in_file_order(sandbox: SandboxServer, tmp_path: Path) -> None:
    runner_for(sandbox, suite_of(tmp_path, many(6))).run()
    assert stored_names(sandbox) == [f"goal_{i}" for i in range(6)]


def test_a_wrong_status_fails_with_what_came_back(sandbox: SandboxServer, tmp_path: Path) -> None:
    suite = suite_of(tmp_path, "goals:\n  - name: a\n    expect: { status: 201 }\n")
    result = runner_for(sandbox, suite).run().results[0]
    assert result.outcome is Outcome.FAILED
    assert result.reason.startswith("Expected status 201, got 200 OK")


def test_a_message_not_said_by_the_server_fails_quoting_what_it_said(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(
        tmp_path,
        """\
        goals:
          - body: '{"name": "a", "metadata": {"n": 1}}'
            expect: { status: 400, message: "visitor" }
        """,
    )
    result = runner_for(sandbox, suite).run().results[0]
    assert result.outcome is Outcome.FAILED
    assert 'contain "visitor"' in result.reason and "must be text" in result.reason


def test_the_message_is_read_from_the_nestjs_error_shape_too(tmp_path: Path) -> None:
    suite = suite_of(
        tmp_path,
        """\
        goals:
          - body: '{"name": "a", "metadata": {"n": 1}}'
            expect: { status: 400, message: "METADATA VALUES" }
        """,
    )
    with running_sandbox(error_shape="nest") as sandbox:
        result = runner_for(sandbox, suite).run().results[0]
    assert result.outcome is Outcome.PASSED, result.reason


def test_a_goal_the_local_rules_refuse_fails_unless_expected_and_is_never_sent(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(
        tmp_path,
        """\
        goals:
          - name: Bad Name
          - title: expected refusal
            name: Bad Name
            expect: { refused: true }
        """,
    )
    unexpected, expected = runner_for(sandbox, suite).run().results
    assert (
        unexpected.outcome is Outcome.FAILED and "Refused by the local rules" in unexpected.reason
    )
    assert expected.outcome is Outcome.PASSED
    assert not unexpected.sent and not expected.sent and stored_names(sandbox) == []


def test_a_valid_goal_expected_to_be_refused_fails_and_is_not_sent(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(tmp_path, "goals:\n  - name: fine\n    expect: { refused: true }\n")
    result = runner_for(sandbox, suite).run().results[0]
    assert result.outcome is Outcome.FAILED and "not sent" in result.reason
    assert stored_names(sandbox) == []


def test_a_raw_body_is_sent_exactly_as_written(sandbox: SandboxServer, tmp_path: Path) -> None:
    raw = '{ "name" : "raw_case",   "extra": true }'
    suite = suite_of(tmp_path, f"goals:\n  - body: '{raw}'\n")
    result = runner_for(sandbox, suite).run().results[0]
    assert result.outcome is Outcome.PASSED, result.reason
    assert result.exchange is not None and result.exchange.request.body == raw
    assert stored_names(sandbox) == ["raw_case"]


def test_a_raw_body_that_is_not_json_reaches_the_server(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(tmp_path, "goals:\n  - body: 'not json'\n    expect: { status: 400 }\n")
    result = runner_for(sandbox, suite).run().results[0]
    assert result.outcome is Outcome.PASSED and result.exchange is not None


def test_each_csv_row_is_sent_with_its_own_values(sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("currency,visitorUid\nEUR,v1\nUSD,v2\n", encoding="utf-8")
    suite = suite_of(tmp_path, "goals:\n  - name: checkout\n    rows: rows.csv\n")
    run = runner_for(sandbox, suite).run()
    assert run.count(Outcome.PASSED) == 2
    stored = sandbox.store.all()
    assert [(g["visitorUid"], g["metadata"]["currency"]) for g in stored] == [
        ("v1", "EUR"),
        ("v2", "USD"),
    ]


def test_fresh_ids_fill_only_the_ids_a_goal_leaves_empty(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(
        tmp_path,
        "ids: fresh\ngoals:\n  - name: a\n  - name: b\n  - name: c\n    visitorUid: mine\n",
    )
    runner_for(sandbox, suite).run()
    visitors = [g["visitorUid"] for g in sandbox.store.all()]
    assert visitors[2] == "mine" and visitors[0] != visitors[1]
    assert all(g.get("sessionUid") for g in sandbox.store.all())


def test_without_fresh_ids_empty_ids_stay_empty(sandbox: SandboxServer, tmp_path: Path) -> None:
    runner_for(sandbox, suite_of(tmp_path, "goals:\n  - name: a\n")).run()
    assert "visitorUid" not in sandbox.store.all()[0]


def test_fail_fast_stops_at_the_first_failure_and_reports_the_rest_not_run(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    text = "goals:\n  - name: a\n  - name: b\n    expect: { status: 400 }\n  - name: c\n"
    run = runner_for(sandbox, suite_of(tmp_path, text), fail_fast=True).run()
    assert [r.outcome for r in run.results] == [Outcome.PASSED, Outcome.FAILED, Outcome.NOT_RUN]
    assert run.results[2].reason == FAIL_FAST and run.stopped == FAIL_FAST
    assert stored_names(sandbox) == ["a", "b"]


def test_a_cancel_mid_run_stops_after_the_goal_in_flight(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    holder: list[SuiteRunner] = []

    def on_progress(progress: Progress) -> None:
        if progress.done == 3:
            holder[0].cancel()

    runner = runner_for(sandbox, suite_of(tmp_path, many(10)), on_progress=on_progress)
    holder.append(runner)
    run = runner.run()
    assert run.count(Outcome.PASSED) == 3 and run.count(Outcome.NOT_RUN) == 7
    assert "cancelled" in run.stopped and len(stored_names(sandbox)) == 3


def test_a_cancel_that_aborts_the_goal_in_flight_does_not_wait_for_its_answer(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    runner = runner_for(sandbox, suite_of(tmp_path, many(3)), sandbox_fault="delay=30")
    thread = threading.Thread(target=lambda: holder.append(runner.run()))
    holder: list = []
    thread.start()
    for _ in range(500):  # wait for the first request to be in flight
        if sandbox.active_connections:
            break
        threading.Event().wait(0.01)
    runner.cancel(abort_in_flight=True)
    thread.join(20)
    assert not thread.is_alive()
    run = holder[0]
    assert run.results[0].outcome is Outcome.FAILED and "Cancelled" in run.results[0].reason
    assert run.count(Outcome.NOT_RUN) == 2


def test_a_fault_injected_halfway_fails_the_goals_after_it(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    holder: list[SuiteRunner] = []

    def on_progress(progress: Progress) -> None:
        if progress.done == 5:
            holder[0].set_sandbox_fault("status=503")

    runner = runner_for(sandbox, suite_of(tmp_path, many(10)), on_progress=on_progress)
    holder.append(runner)
    run = runner.run()
    outcomes = [r.outcome for r in run.results]
    assert outcomes == [Outcome.PASSED] * 5 + [Outcome.FAILED] * 5
    assert "got 503" in run.results[7].reason and len(stored_names(sandbox)) == 5


def test_a_target_that_goes_away_halfway_reports_what_finished(tmp_path: Path) -> None:
    sandbox = SandboxServer(api_key=TEST_KEY).start()
    try:
        runner = runner_for(
            sandbox,
            suite_of(tmp_path, many(12)),
            on_progress=lambda p: sandbox.stop() if p.done == 4 else None,
        )
        run = runner.run()
    finally:
        sandbox.stop()
    outcomes = [r.outcome for r in run.results]
    assert outcomes[:4] == [Outcome.PASSED] * 4
    assert outcomes[4 : 4 + UNREACHABLE_LIMIT] == [Outcome.FAILED] * UNREACHABLE_LIMIT
    assert set(outcomes[4 + UNREACHABLE_LIMIT :]) == {Outcome.NOT_RUN}
    gone = TARGET_GONE.format(count=UNREACHABLE_LIMIT)
    assert run.stopped == gone and not run.no_response_at_all


def test_a_target_that_never_answers_is_no_response_at_all(tmp_path: Path) -> None:
    with running_sandbox() as sandbox:
        url = sandbox.url
    runner = SuiteRunner([suite_of(tmp_path, many(5))], Target("x", "custom", url), TEST_KEY)
    assert runner.run().no_response_at_all


def test_a_dropped_connection_fails_the_goal_as_no_response(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    run = runner_for(sandbox, suite_of(tmp_path, many(2)), sandbox_fault="drop").run()
    assert all(r.reason.startswith("No response:") for r in run.results)
    assert run.no_response_at_all


def test_a_plan_violation_fails_the_goal_unless_violations_are_expected(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    (tmp_path / "acme.plan.yaml").write_text("plan: acme\n", encoding="utf-8")
    suite = suite_of(
        tmp_path,
        """\
        plan: acme.plan.yaml
        goals:
          - name: planned
          - name: unplanned
          - name: unplanned
            expect: { plan: violations }
          - name: planned
            expect: { plan: violations }
        """,
    )

    def check(body: dict) -> list[str]:
        return [] if body["name"] == "planned" else [f"{body['name']} is not in the plan."]

    run = runner_for(sandbox, suite, plan_checks={suite.path: check}).run()
    outcomes = [r.outcome for r in run.results]
    assert outcomes == [Outcome.PASSED, Outcome.FAILED, Outcome.PASSED, Outcome.FAILED]
    assert "unplanned is not in the plan." in run.results[1].reason
    assert "found none" in run.results[3].reason


def test_the_plan_judges_a_goal_the_server_refused_only_when_asked(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    (tmp_path / "acme.plan.yaml").write_text("plan: x\n", encoding="utf-8")
    suite = suite_of(
        tmp_path,
        """\
        plan: acme.plan.yaml
        goals:
          - body: '{"name": "unplanned", "metadata": {"n": 1}}'
            expect: { status: 400 }
          - body: '{"name": "unplanned", "metadata": {"n": 1}}'
            expect: { status: 400, plan: pass }
        """,
    )

    def check(body: dict) -> list[str]:
        return [f"{body['name']} is not in the plan."]

    run = runner_for(sandbox, suite, plan_checks={suite.path: check}).run()
    assert [r.outcome for r in run.results] == [Outcome.PASSED, Outcome.FAILED]


def test_the_example_suite_and_its_plan_pass_together(sandbox: SandboxServer) -> None:
    from flowsery_gui.suites.plans import plan_checks

    suite = load_suite(EXAMPLES / "signup.suite.yaml", {"DEMO_VISITOR_ID": "v-8"})
    run = runner_for(sandbox, suite, plan_checks=plan_checks([suite])).run()
    assert run.all_passed, [r.reason for r in run.results if r.reason]
    caught = next(r for r in run.results if r.case.label.startswith("a value the tracking plan"))
    assert any("enterprise" in v or "free, pro, team" in v for v in caught.violations)


def test_production_without_consent_is_refused_naming_how_many_goals_count(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(tmp_path, many(4) + "  - name: Bad\n    expect: { refused: true }\n")
    target = Target("Production", "production", sandbox.url)
    with pytest.raises(RunRefused, match="up to 4 goals to Production"):
        SuiteRunner([suite], target, TEST_KEY).run()
    assert stored_names(sandbox) == []
    confirmed = SuiteRunner([suite], target, TEST_KEY, production_confirmed=True).run()
    assert confirmed.all_passed


def test_a_sandbox_fault_for_a_remote_target_is_refused_before_sending(tmp_path: Path) -> None:
    target = Target("Staging", "custom", "https://staging.invalid")
    runner = SuiteRunner([suite_of(tmp_path, many(1))], target, TEST_KEY, sandbox_fault="drop")
    with pytest.raises(RunRefused, match="sandbox"):
        runner.run()


def test_a_run_without_a_key_is_refused_before_sending(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    runner = SuiteRunner([suite_of(tmp_path, many(1))], Target("x", "custom", sandbox.url), None)
    with pytest.raises(RunRefused, match="no API key"):
        runner.run()
    assert stored_names(sandbox) == []


def test_a_suite_file_changed_during_the_run_does_not_change_the_run(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    suite = suite_of(tmp_path, many(4))

    def rewrite(progress: Progress) -> None:
        suite.path.write_text("goals:\n  - name: changed\n", encoding="utf-8")

    runner_for(sandbox, suite, on_progress=rewrite).run()
    assert stored_names(sandbox) == [f"goal_{i}" for i in range(4)]


def test_several_suites_run_one_after_the_other(sandbox: SandboxServer, tmp_path: Path) -> None:
    first = suite_of(tmp_path, "suite: one\ngoals: [{name: a}]\n")
    (tmp_path / "two").mkdir()
    second = suite_of(tmp_path / "two", "suite: two\ngoals: [{name: b}, {name: c}]\n")
    run = runner_for(sandbox, first, second).run()
    assert [s.name for s in run.suites] == ["one", "two"]
    assert stored_names(sandbox) == ["a", "b", "c"]
