"""The transport: exactly the planned request on the wire, cancel through public hooks only."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from flowsery_gui.contract import Draft
from flowsery_gui.exchange import FailureKind
from flowsery_gui.sending import PlannedSend, SendOptions, Target, plan_goal
from flowsery_gui.sending.request import goal_request
from flowsery_gui.sending.transport import CANCELLED_WHILE_WAITING, Transport
from tests.sandbox_helpers import TEST_KEY, running_sandbox
from tests.test_client import OK_BODY, Recorder, answer


def planned_for(url: str, **options: Any) -> PlannedSend:
    plan = plan_goal(
        Target("Local", "custom", url), Draft(name="signup"), True, SendOptions(**options)
    )
    assert isinstance(plan, PlannedSend)
    return plan


def test_every_connection_reaches_the_cancel_registry() -> None:
    """Fails loudly if urllib3 stops using the pool's ConnectionCls (cancel would go deaf)."""
    with running_sandbox() as server, Transport() as transport:
        assert transport.send(planned_for(server.url).request, TEST_KEY).ok
        assert transport.connections_seen >= 1


def test_the_wire_carries_the_planned_headers_and_nothing_of_the_apps_own() -> None:
    plan = planned_for("http://127.0.0.1:1", user_agent="UA/1")
    with Recorder(answer(200, OK_BODY)) as server, Transport() as transport:
        request = goal_request(
            server.url, plan.request.body_text or "", has_key=True, user_agent="UA/1"
        )
        exchange = transport.send(request, TEST_KEY)
    received = server.requests[0]
    names = {name.lower() for name in received["headers"]}
    planned = {name.lower() for name, _value in request.headers}
    assert names - planned <= {"host", "content-length", "accept-encoding"}
    assert received["headers"]["Authorization"] == f"Bearer {TEST_KEY}"
    assert received["body"] == request.body_bytes()
    assert exchange.request.header("Authorization") == "Bearer …" + TEST_KEY[-4:]


def test_a_loopback_send_never_touches_a_proxy_set_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Recorder(answer(200, OK_BODY)) as proxy, running_sandbox() as server:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with Transport() as transport:
            exchange = transport.send(planned_for(server.url).request, TEST_KEY)
    assert exchange.ok
    assert proxy.requests == []  # the key never passed through it


def test_the_transport_refuses_a_key_over_plain_http_to_a_remote_host_by_itself() -> None:
    request = goal_request(
        "http://analytics.example.com", '{"name":"x"}', has_key=True, user_agent="UA"
    )
    with Transport() as transport:
        exchange = transport.send(request, TEST_KEY)
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.REFUSED_BY_APP


def test_a_request_that_needs_a_key_is_not_sent_without_one() -> None:
    with Recorder(answer(200, OK_BODY)) as server, Transport() as transport:
        request = goal_request(server.url, '{"name":"x"}', has_key=True, user_agent="UA")
        exchange = transport.send(request, None)
        assert server.requests == []
    assert exchange.failure is not None and "no API key" in exchange.failure.message


def test_an_absurd_timeout_is_bounded_instead_of_crashing_the_deadline() -> None:
    with running_sandbox() as server, Transport(connect_timeout=1e300, read_timeout=1e300) as t:
        assert t.send(planned_for(server.url).request, TEST_KEY).ok


def test_a_cancelled_read_says_so_in_plain_words_without_a_raw_exception() -> None:
    with running_sandbox() as server, Transport(read_timeout=10) as transport:
        request = planned_for(server.url, fault="delay=3").request
        timer = threading.Timer(0.3, transport.cancel)
        timer.start()
        try:
            exchange = transport.send(request, TEST_KEY)
        finally:
            timer.cancel()
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.CANCELLED
    assert exchange.failure.detail == CANCELLED_WHILE_WAITING
    assert "Error" not in exchange.failure.message + exchange.failure.detail
