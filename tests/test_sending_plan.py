"""Planning: every refusal with its code and words, and the route a key may take (proxies)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from flowsery_gui.contract import Draft
from flowsery_gui.exchange import FailureKind
from flowsery_gui.netsafety import proxy_for, url_problem
from flowsery_gui.sending import (
    DeleteFilter,
    KeySource,
    PlannedSend,
    RawBody,
    Refusal,
    RefusalCode,
    ResolvedKey,
    SendOptions,
    Target,
    plan_delete,
    plan_goal,
    plan_metadata,
    send,
    time_window,
)
from tests.sandbox_helpers import TEST_KEY, running_sandbox

PRODUCTION = Target("Production", "production", "https://analytics.flowsery.com")
STAGING = Target("Staging", "custom", "https://staging.example.com")
SANDBOX = Target("Sandbox", "sandbox", "http://127.0.0.1:8765")
GOAL = Draft(name="signup", metadata=(("plan", "pro"),))


def refusal(plan: Any) -> Refusal:
    assert isinstance(plan, Refusal), plan
    return plan


def test_a_valid_goal_is_planned_with_the_key_as_a_placeholder() -> None:
    plan = plan_goal(STAGING, GOAL, KeySource.KEYRING, SendOptions(user_agent="UA/1"))
    assert isinstance(plan, PlannedSend)
    assert plan.request.method == "POST"
    assert plan.request.url == "https://staging.example.com/api/v1/goals"
    assert plan.request.headers == (
        ("Authorization", "Bearer $FLOWSERY_API_KEY"),
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("User-Agent", "UA/1"),
    )
    assert plan.request.body_text == '{"name":"signup","metadata":{"plan":"pro"}}'
    assert plan.goal == {"name": "signup", "metadata": {"plan": "pro"}}
    assert plan.key_source is KeySource.KEYRING
    assert plan.preview("flow_sk_fake_abcdef1234").header("Authorization") == "Bearer …1234"


@pytest.mark.parametrize(
    ("target", "code", "words"),
    [
        (Target("X", "custom", "http://[::1"), RefusalCode.INVALID_URL, "not a valid address"),
        (Target("X", "custom", "ftp://example.com"), RefusalCode.INVALID_URL, "http://"),
        (Target("X", "custom", "https://h:99999"), RefusalCode.INVALID_URL, "not a valid"),
        (Target("X", "custom", "example.com"), RefusalCode.INVALID_URL, "http://"),
        (Target("X", "custom", ""), RefusalCode.INVALID_URL, "No base URL"),
        (Target("X", "custom", "http://analytics.example.com"), RefusalCode.UNSAFE_URL, "http://"),
        (Target("X", "custom", "https://u:p@example.com"), RefusalCode.UNSAFE_URL, "password"),
    ],
)
def test_a_bad_or_unsafe_url_is_refused_before_anything_else(
    target: Target, code: RefusalCode, words: str
) -> None:
    plan = refusal(plan_goal(target, Draft(name=""), False))
    assert plan.code is code
    assert words in plan.message and plan.message.startswith("Not sent:")


def test_an_invalid_goal_is_refused_with_its_findings_and_report() -> None:
    plan = refusal(plan_goal(STAGING, Draft(name="Bad Name"), True))
    assert plan.code is RefusalCode.INVALID_BODY
    assert [f.code for f in plan.findings] == ["name.pattern"]
    assert plan.report is not None and not plan.report.ok
    assert "name: Goal names use only" in plan.message


@pytest.mark.parametrize(
    "text", ["", "not json", '{"a": 1', "[1, 2]", "1" * 5000, '{"n": NaN}', "[" * 100_000]
)
def test_raw_text_that_is_not_a_goal_is_refused_in_plain_words(text: str) -> None:
    plan = refusal(plan_goal(STAGING, RawBody(text), True))
    assert plan.code is RefusalCode.INVALID_BODY
    assert plan.message.startswith("Not sent:")


def test_a_missing_key_is_refused_after_the_body_is_known_good() -> None:
    plan = refusal(plan_goal(STAGING, GOAL, ResolvedKey(None, KeySource.NONE)))
    assert plan.code is RefusalCode.MISSING_KEY
    assert "FLOWSERY_API_KEY" in plan.message
    assert plan.request is not None and plan.request.body_text is not None


def test_without_require_key_a_keyless_send_carries_no_authorization() -> None:
    plan = plan_goal(STAGING, GOAL, False, SendOptions(require_key=False))
    assert isinstance(plan, PlannedSend)
    assert plan.request.header("Authorization") is None


def test_a_key_with_a_line_break_inside_is_refused_and_not_shown() -> None:
    key = "flow_sk_fake_abc\ndef987654"
    plan = refusal(plan_goal(STAGING, GOAL, ResolvedKey(key, KeySource.ENVIRONMENT)))
    assert plan.code is RefusalCode.INVALID_KEY
    assert "def987654" not in repr(plan)


def test_production_needs_confirming_and_then_plans() -> None:
    plan = refusal(plan_goal(PRODUCTION, GOAL, True))
    assert plan.code is RefusalCode.PRODUCTION_NOT_CONFIRMED
    assert "real analytics" in plan.message
    confirmed = plan_goal(PRODUCTION, GOAL, True, SendOptions(production_confirmed=True))
    assert isinstance(confirmed, PlannedSend)


@pytest.mark.parametrize("target", [PRODUCTION, STAGING])
def test_a_sandbox_fault_for_a_real_server_is_refused_never_dropped(target: Target) -> None:
    options = SendOptions(fault="status=500", production_confirmed=True)
    plan = refusal(plan_goal(target, GOAL, True, options))
    assert plan.code is RefusalCode.FAULT_NOT_ALLOWED
    assert target.profile in plan.message


@pytest.mark.parametrize(
    "target",
    [
        SANDBOX,
        Target("Local", "custom", "http://localhost:9000"),
        Target("L", "custom", "http://[::1]:1"),
    ],
)
def test_a_sandbox_fault_goes_to_the_sandbox_or_a_loopback_host(target: Target) -> None:
    plan = plan_goal(target, GOAL, True, SendOptions(fault="status=500"))
    assert isinstance(plan, PlannedSend)
    assert plan.request.headers[-1] == ("X-Sandbox-Fault", "status=500")


def test_a_fault_with_a_line_break_is_refused() -> None:
    plan = refusal(plan_goal(SANDBOX, GOAL, True, SendOptions(fault="drop\r\nX-Evil: 1")))
    assert plan.code is RefusalCode.FAULT_NOT_ALLOWED


def test_a_refusal_can_be_recorded_as_an_exchange_that_says_nothing_was_sent() -> None:
    exchange = refusal(plan_goal(PRODUCTION, GOAL, True)).to_exchange(1_700_000_000.0)
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.REFUSED_BY_APP
    assert exchange.request.header("Authorization") != "Bearer $FLOWSERY_API_KEY"
    assert exchange.notes == ("Nothing was sent.",)


def test_metadata_is_a_get_with_no_body_and_needs_no_production_confirmation() -> None:
    plan = plan_metadata(PRODUCTION, True)
    assert isinstance(plan, PlannedSend)
    assert (plan.request.method, plan.request.body_text) == ("GET", None)
    assert plan.request.url == "https://analytics.flowsery.com/api/v1/metadata"
    assert plan.request.header("Content-Type") is None


def test_a_delete_without_a_filter_is_refused() -> None:
    plan = refusal(plan_delete(STAGING, DeleteFilter(name="  "), True))
    assert plan.code is RefusalCode.NO_FILTER


def test_a_delete_that_must_be_bounded_needs_both_ends_of_the_window() -> None:
    only_name = plan_delete(STAGING, DeleteFilter(name="qa"), True, require_window=True)
    assert refusal(only_name).code is RefusalCode.UNBOUNDED
    start = datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    window = time_window(start, start + timedelta(hours=1), name="qa_probe")
    plan = plan_delete(STAGING, window, True, require_window=True)
    assert isinstance(plan, PlannedSend)
    assert plan.request.url == (
        "https://staging.example.com/api/v1/goals?name=qa_probe"
        "&startAt=2024-05-01T07%3A30%3A00Z&endAt=2024-05-01T08%3A30%3A00Z"
    )


def test_a_time_window_that_ends_before_it_starts_is_an_error() -> None:
    start = datetime(2024, 5, 1, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="before its start"):
        time_window(start, start - timedelta(seconds=1))


def test_a_planned_delete_runs_against_the_sandbox() -> None:
    with running_sandbox() as server:
        target = Target("Sandbox", "sandbox", server.url)
        for name in ("keep", "drop_me"):
            planned = plan_goal(target, Draft(name=name), True)
            assert isinstance(planned, PlannedSend)
            assert send(planned, TEST_KEY).ok
        plan = plan_delete(target, DeleteFilter(name="drop_me"), True)
        assert isinstance(plan, PlannedSend)
        exchange = send(plan, TEST_KEY)
    assert exchange.response is not None
    assert exchange.response.json()["data"][0]["deleted"] == 1


# --- proxies (issue 10, item 15) --------------------------------------------------------------

REMOTE_PROXY = "http://proxy.invalid:3128"  # .invalid never resolves: a connect would fail


@pytest.mark.parametrize("name", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_a_loopback_target_never_goes_through_a_proxy(name: str, host: str) -> None:
    assert proxy_for(f"http://{host}:8765/api/v1/goals", {name: REMOTE_PROXY}) is None


def test_a_remote_target_uses_the_environment_proxy_unless_no_proxy_covers_it() -> None:
    env = {"HTTPS_PROXY": "proxy.corp:8080", "NO_PROXY": ".internal.example, 10.0.0.0/8"}
    assert proxy_for("https://analytics.flowsery.com/x", env) == "http://proxy.corp:8080"
    assert proxy_for("https://api.internal.example/x", env) is None
    assert proxy_for("https://10.1.2.3/x", env) is None
    assert proxy_for("https://analytics.flowsery.com/x", {**env, "no_proxy": "*"}) is None
    assert (
        proxy_for("https://h.example/x", {"https_proxy": "http://a:1", "HTTPS_PROXY": "http://b:2"})
        == "http://a:1"
    )


@pytest.mark.parametrize("name", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_with_a_remote_proxy_in_the_environment_a_sandbox_send_goes_direct(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv(name, REMOTE_PROXY)
    with running_sandbox() as server:
        plan = plan_goal(Target("Sandbox", "sandbox", server.url), GOAL, True)
        assert isinstance(plan, PlannedSend)
        exchange = send(plan, TEST_KEY, connect_timeout=2, read_timeout=5)
    assert exchange.ok, exchange.failure  # through proxy.invalid it could only have failed


def test_a_key_over_http_to_a_remote_host_is_refused_whatever_the_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", REMOTE_PROXY)
    target = Target("X", "custom", "http://analytics.example.com")
    plan = refusal(plan_goal(target, GOAL, True))
    assert plan.code is RefusalCode.UNSAFE_URL
    keyless = plan_goal(target, GOAL, False, SendOptions(require_key=False))
    assert isinstance(keyless, PlannedSend)  # no key: nothing secret to carry


def test_an_https_target_through_a_proxy_stays_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", REMOTE_PROXY)
    assert isinstance(plan_goal(STAGING, GOAL, True), PlannedSend)
    assert proxy_for(STAGING.base_url) == REMOTE_PROXY


@pytest.mark.parametrize(
    "url", ["http://[::1", "https://h:99999", "ftp://h", "h.example", "https://", "https://a b"]
)
def test_url_problems_are_words_not_exceptions(url: str) -> None:
    assert url_problem(url)


@pytest.mark.parametrize("rules", [True, False])
def test_a_body_over_one_mib_is_refused_unread(rules: bool) -> None:
    text = '{"name": "a", "x": "' + "y" * (1024 * 1024) + '"}'
    plan = refusal(plan_goal(STAGING, RawBody(text), True, SendOptions(enforce_rules=rules)))
    assert plan.code is RefusalCode.INVALID_BODY
    assert "at most 1,024 KiB" in plan.message


def test_the_fault_header_is_the_one_the_sandbox_reads() -> None:
    from flowsery_gui.sandbox.server import FAULT_HEADER as SANDBOX_HEADER
    from flowsery_gui.sending import FAULT_HEADER

    assert FAULT_HEADER == SANDBOX_HEADER
