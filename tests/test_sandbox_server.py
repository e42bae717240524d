"""The sandbox over a real loopback socket: contract, key check, body limits, faults, lifecycle."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from flowsery_gui import contract
from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.sandbox.server import MAX_BODY_BYTES, GoalStore, parse_faults
from tests.sandbox_helpers import (
    TEST_KEY,
    auth,
    raw_exchange,
    read_until_closed,
    running_sandbox,
    sandbox_fixture,  # noqa: F401  (registers the `sandbox` fixture)
)

TIMEOUT = 5.0
CREATED = {"status": "success", "data": [{"message": "Goal created successfully"}]}


def post(
    server: SandboxServer, body: Any, headers: dict[str, str] | None = None, **kwargs: Any
) -> requests.Response:
    """POST a JSON body with the test key (headers override)."""
    return requests.post(
        server.url + "/api/v1/goals",
        json=body,
        headers={**auth(), **(headers or {})},
        timeout=TIMEOUT,
        **kwargs,
    )


def stored(server: SandboxServer) -> list[dict[str, Any]]:
    """What the sandbox kept, through its inspection route."""
    response = requests.get(server.url + "/sandbox/goals", timeout=TIMEOUT)
    assert response.status_code == 200
    return response.json()


def raw_post(server: SandboxServer, head: str, body: bytes = b"") -> bytes:
    """A POST written by hand (for what requests will not send), answer read until close."""
    request = f"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode() + body
    return raw_exchange(server, request)


# --- Create goal: success ------------------------------------------------------------------


def test_valid_goal_gets_200_with_the_documented_body_and_is_stored(
    sandbox: SandboxServer,
) -> None:
    body = {
        "name": "newsletter_signup",
        "visitorUid": "vid-1",
        "sessionUid": "sid-1",
        "timezone": "Europe/Paris",
        "metadata": {"plan": "pro"},
    }
    response = post(sandbox, body)
    assert response.status_code == 200
    assert response.json() == CREATED
    assert response.headers["Content-Type"].startswith("application/json")
    [goal] = stored(sandbox)
    assert {k: goal[k] for k in body} == body
    assert goal["receivedAt"].endswith("Z")


def test_metadata_markup_is_stripped_from_what_is_stored(sandbox: SandboxServer) -> None:
    metadata = {"who": "<b>Ada</b>", "js": "hi<script>alert(1)</script>", "amp": "a &amp; b"}
    assert post(sandbox, {"name": "signup", "metadata": metadata}).status_code == 200
    [goal] = stored(sandbox)
    assert goal["metadata"] == contract.stored_metadata(metadata)  # the one rule set
    assert (goal["metadata"]["who"], goal["metadata"]["js"]) == ("Ada", "hi")


def test_goal_with_only_a_name_is_accepted_and_empty_optionals_are_not_stored(
    sandbox: SandboxServer,
) -> None:
    response = post(sandbox, {"name": "a", "visitorUid": "", "metadata": None})
    assert response.status_code == 200
    [goal] = stored(sandbox)
    assert set(goal) == {"id", "receivedAt", "name"}


def test_unknown_top_level_fields_are_accepted_and_not_stored(sandbox: SandboxServer) -> None:
    assert post(sandbox, {"name": "a", "visitorUID": "typo"}).status_code == 200
    assert "visitorUID" not in stored(sandbox)[0]


def test_boundary_values_are_accepted(sandbox: SandboxServer) -> None:
    body = {
        "name": "n" * 64,
        "metadata": {f"k{i}": "v" * 255 for i in range(9)} | {"k" * 64: "é" * 255},
    }
    assert post(sandbox, body).status_code == 200


def test_content_type_with_utf8_charset_is_accepted(sandbox: SandboxServer) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        data=json.dumps({"name": "a", "metadata": {"who": "Zoë"}}).encode("utf-8"),
        headers={**auth(), "Content-Type": "application/json; charset=UTF-8"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    assert stored(sandbox)[0]["metadata"] == {"who": "Zoë"}


# --- The key check ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "Missing Authorization header"),
        ({"Authorization": "Basic Zm9vOmJhcg=="}, "must be 'Bearer <API key>'"),
        ({"Authorization": "Bearer"}, "must be 'Bearer <API key>'"),
        ({"Authorization": "Bearer sk_live_abcdef123456"}, "start with flow_"),
        ({"Authorization": "Bearer flow_sk_test_other_key_9876"}, "not the key this sandbox"),
    ],
    ids=["missing", "not-bearer", "empty-key", "no-flow-prefix", "wrong-key"],
)
def test_bad_authorization_gets_401_with_its_own_message_and_no_key_echoed(
    sandbox: SandboxServer, headers: dict[str, str], expected: str
) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals", json={"name": "BAD NAME"}, headers=headers, timeout=TIMEOUT
    )
    assert response.status_code == 401  # the key is checked before the body
    message = response.json()["error"]["message"]
    assert expected in message
    for secret in ("Zm9vOmJhcg", "abcdef123456", "other_key_9876", TEST_KEY):
        assert secret not in response.text
    assert stored(sandbox) == []


def test_bearer_scheme_is_case_insensitive(sandbox: SandboxServer) -> None:
    assert post(sandbox, {"name": "a"}, {"Authorization": f"bearer {TEST_KEY}"}).status_code == 200


def test_generated_key_starts_with_flow_sandbox_and_is_not_in_repr() -> None:
    server = SandboxServer()
    assert server.api_key.startswith("flow_sandbox_")
    assert len(server.api_key) > len("flow_sandbox_") + 16
    assert server.api_key not in repr(server)
    assert SandboxServer().api_key != server.api_key


# --- Invalid payloads, in both error shapes ------------------------------------------------

INVALID_BODIES = [
    pytest.param({}, "name.missing", id="missing-name"),
    pytest.param({"name": "Sign Up"}, "name.pattern", id="name-pattern"),
    pytest.param({"name": "n" * 65}, "name.too_long", id="name-65-chars"),
    pytest.param({"name": "a", "metadata": {"v": "x" * 256}}, "metadata.value.too_long", id="256"),
    pytest.param(
        {"name": "a", "metadata": {f"k{i}": "v" for i in range(11)}},
        "metadata.too_many",
        id="eleven-keys",
    ),
    pytest.param({"name": "a", "metadata": {"Plan": "x"}}, "metadata.key.pattern", id="bad-key"),
    pytest.param({"name": "a", "metadata": {"n": 3}}, "metadata.value.type", id="number"),
    pytest.param({"name": "a", "metadata": ["x"]}, "metadata.type", id="metadata-list"),
    pytest.param({"name": "a", "timezone": "Mars/Olympus"}, "timezone.unknown", id="timezone"),
    pytest.param(["name"], "body.type", id="body-is-a-list"),
]


def expected_messages(body: Any, code: str) -> list[str]:
    """What the sandbox must list: the shared rule set's errors, as `path: message`."""
    errors = contract.check_body(body).errors
    assert code in {f.code for f in errors}  # the case is invalid for the intended reason
    return [f"{f.path}: {f.message}" if f.path else f.message for f in errors]


@pytest.mark.parametrize(("body", "code"), INVALID_BODIES)
def test_invalid_payload_gets_400_in_the_envelope_shape(
    sandbox: SandboxServer, body: Any, code: str
) -> None:
    response = post(sandbox, body)
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "error": {"code": 400, "message": "; ".join(expected_messages(body, code))},
    }
    assert stored(sandbox) == []


@pytest.mark.parametrize(("body", "code"), INVALID_BODIES)
def test_invalid_payload_gets_400_in_the_nest_shape(body: Any, code: str) -> None:
    with running_sandbox(error_shape="nest") as server:
        response = post(server, body)
        assert response.status_code == 400
        messages = expected_messages(body, code)
        assert response.json() == {
            "statusCode": 400,
            "message": messages[0] if len(messages) == 1 else messages,
            "error": "Bad Request",
        }
        assert stored(server) == []


def test_nest_shape_lists_every_error_when_there_are_several() -> None:
    with running_sandbox(error_shape="nest") as server:
        response = post(server, {"name": "Bad Name", "metadata": {"k": 1}})
    assert response.status_code == 400
    message = response.json()["message"]
    assert isinstance(message, list) and len(message) == 2
    assert message[0].startswith("name: ")
    assert message[1].startswith("metadata.k: ")


def test_envelope_shape_joins_several_errors_into_one_message(sandbox: SandboxServer) -> None:
    response = post(sandbox, {"name": "Bad Name", "metadata": {"k": 1}})
    message = response.json()["error"]["message"]
    assert message.startswith("name: ")
    assert "; metadata.k: " in message


def test_shape_fault_overrides_the_server_wide_shape_for_one_request() -> None:
    with running_sandbox(error_shape="nest") as server:
        as_envelope = post(server, {"name": "X"}, {"X-Sandbox-Fault": "shape=envelope"})
        as_default = post(server, {"name": "X"})
    assert as_envelope.json()["error"]["code"] == 400
    assert as_default.json()["statusCode"] == 400


# --- Body reading ---------------------------------------------------------------------------


def test_huge_declared_body_gets_413_without_being_read_and_the_connection_closes(
    sandbox: SandboxServer,
) -> None:
    head = (
        f"Authorization: Bearer {TEST_KEY}\r\nContent-Type: application/json\r\n"
        "Content-Length: 10000000\r\n"
    )
    answer = raw_post(sandbox, head, b'{"name": "a"' + b" " * 1000)
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    assert b"Connection: close" in rest
    body = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert body["error"]["code"] == 413
    assert str(MAX_BODY_BYTES) in body["error"]["message"]


def test_body_just_over_the_limit_gets_413_and_at_the_limit_is_read(
    sandbox: SandboxServer,
) -> None:
    padded = json.dumps({"name": "a", "pad": ""}).encode()
    at_limit = padded[:-2] + b" " * (MAX_BODY_BYTES - len(padded)) + padded[-2:]
    headers = {**auth(), "Content-Type": "application/json"}
    ok = requests.post(sandbox.url + "/api/v1/goals", data=at_limit, headers=headers, timeout=5)
    too_big = requests.post(
        sandbox.url + "/api/v1/goals", data=at_limit + b" ", headers=headers, timeout=5
    )
    assert (ok.status_code, too_big.status_code) == (200, 413)


def test_missing_content_length_gets_411(sandbox: SandboxServer) -> None:
    answer = raw_post(
        sandbox,
        f"Authorization: Bearer {TEST_KEY}\r\nContent-Type: application/json\r\n"
        "Connection: close\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 411 ")


def test_chunked_body_gets_411(sandbox: SandboxServer) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        data=iter([b'{"name":', b'"a"}']),  # a generator body is sent chunked
        headers={**auth(), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 411


def test_malformed_content_length_gets_400(sandbox: SandboxServer) -> None:
    answer = raw_post(
        sandbox,
        f"Authorization: Bearer {TEST_KEY}\r\nContent-Type: application/json\r\n"
        "Content-Length: -5\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 400 ")


@pytest.mark.parametrize(
    "data",
    [
        b'{"name": "caf\xe9"}',
        b'{"name": ',
        b"name=signup",
        b"",
        b"[" * 30000 + b"]" * 30000,
    ],
    ids=["invalid-utf8", "truncated-json", "form-encoded", "empty", "deeply-nested"],
)
def test_body_that_is_not_json_gets_400_in_plain_words(sandbox: SandboxServer, data: bytes) -> None:
    with pytest.raises(contract.NotJSON) as reason:  # the shared parser's plain words
        contract.parse_body(data)
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        data=data,
        headers={**auth(), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == str(reason.value)


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        (None, "Missing Content-Type"),
        ("text/plain", "Unsupported Content-Type"),
        ("application/x-www-form-urlencoded", "Unsupported Content-Type"),
        ("application/json; charset=latin-1", "UTF-8"),
    ],
)
def test_wrong_content_type_gets_400(
    sandbox: SandboxServer, content_type: str | None, expected: str
) -> None:
    headers = auth()
    if content_type:
        headers["Content-Type"] = content_type
    response = requests.post(
        sandbox.url + "/api/v1/goals", data=b'{"name":"a"}', headers=headers, timeout=TIMEOUT
    )
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]


def test_connection_stays_usable_after_an_error_answered_before_the_body_was_read(
    sandbox: SandboxServer,
) -> None:
    with requests.Session() as session:
        refused = session.post(
            sandbox.url + "/api/v1/goals", json={"name": "a"}, headers={}, timeout=TIMEOUT
        )
        accepted = session.post(
            sandbox.url + "/api/v1/goals", json={"name": "b"}, headers=auth(), timeout=TIMEOUT
        )
    assert (refused.status_code, accepted.status_code) == (401, 200)
    assert [goal["name"] for goal in stored(sandbox)] == ["b"]


def test_expect_100_continue_gets_a_401_before_the_body_is_sent(sandbox: SandboxServer) -> None:
    answer = raw_post(
        sandbox,
        "Authorization: Bearer flow_wrong_key_1234\r\nContent-Type: application/json\r\n"
        "Content-Length: 12\r\nExpect: 100-continue\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 401 ")
    assert b"100 Continue" not in answer


def test_expect_100_continue_then_body_gets_200(sandbox: SandboxServer) -> None:
    with socket.create_connection(sandbox.address, timeout=TIMEOUT) as sock:
        sock.sendall(
            b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TEST_KEY}\r\n".encode()
            + b"Content-Length: 12\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
        )
        assert sock.recv(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b'{"name":"a"}')
        assert read_until_closed(sock).startswith(b"HTTP/1.1 200 ")


# --- Robustness -----------------------------------------------------------------------------


@pytest.mark.slow
def test_slow_client_is_timed_out_and_others_are_served_meanwhile() -> None:
    with (
        running_sandbox(request_timeout=1.0) as server,
        socket.create_connection(server.address, timeout=TIMEOUT) as stalled,
    ):
        stalled.sendall(b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # then nothing
        assert post(server, {"name": "other"}).status_code == 200
        # The server gives up on the stalled client and closes: EOF, not our own timeout.
        assert stalled.recv(1024) == b""


@pytest.mark.slow
def test_body_that_stops_arriving_gets_408_and_the_connection_closes() -> None:
    with running_sandbox(request_timeout=1.0) as server:
        with socket.create_connection(server.address, timeout=TIMEOUT) as sock:
            sock.sendall(
                b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + b"Content-Type: application/json\r\n"
                + f"Authorization: Bearer {TEST_KEY}\r\nContent-Length: 100\r\n\r\n".encode()
                + b'{"name":'
            )
            answer = read_until_closed(sock)
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert stored(server) == []


def test_client_closing_mid_body_does_not_disturb_the_server(sandbox: SandboxServer) -> None:
    with socket.create_connection(sandbox.address, timeout=TIMEOUT) as sock:
        sock.sendall(
            b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TEST_KEY}\r\nContent-Length: 100\r\n\r\n".encode()
            + b'{"name":'
        )
    assert post(sandbox, {"name": "after"}).status_code == 200
    assert [goal["name"] for goal in stored(sandbox)] == ["after"]


def test_garbage_request_line_gets_400_json_and_the_server_keeps_serving(
    sandbox: SandboxServer,
) -> None:
    answer = raw_exchange(sandbox, b"\x16\x03\x01 hello there\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b'"status":"error"' in answer
    assert post(sandbox, {"name": "a"}).status_code == 200


def test_fifty_concurrent_clients_are_all_answered(sandbox: SandboxServer) -> None:
    def one(index: int) -> int:
        return post(sandbox, {"name": f"goal-{index}"}).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(one, range(50)))
    assert statuses == [200] * 50
    assert sorted(g["name"] for g in stored(sandbox)) == sorted(f"goal-{i}" for i in range(50))


def test_connections_over_the_limit_get_503_at_once() -> None:
    with running_sandbox(max_connections=2) as server:
        idle = [socket.create_connection(server.address, timeout=TIMEOUT) for _ in range(2)]
        try:
            with socket.create_connection(server.address, timeout=TIMEOUT) as third:
                answer = read_until_closed(third)
        finally:
            for sock in idle:
                sock.close()
    assert answer.startswith(b"HTTP/1.1 503 ")
    assert b"Retry-After: 1" in answer
    assert b'"code":503' in answer


def test_keep_alive_serves_several_requests_on_one_connection(sandbox: SandboxServer) -> None:
    connection = http.client.HTTPConnection(*sandbox.address, timeout=TIMEOUT)
    try:
        for name in ("a", "b", "c"):
            connection.request(
                "POST",
                "/api/v1/goals",
                body=json.dumps({"name": name}),
                headers={**auth(), "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            assert response.status == 200
            response.read()
        assert connection.sock is not None  # still the same, open connection
    finally:
        connection.close()
    assert [g["name"] for g in stored(sandbox)] == ["a", "b", "c"]


# --- Other routes ---------------------------------------------------------------------------


def test_metadata_route_names_the_sandbox_site_and_its_timezone() -> None:
    with running_sandbox(timezone="America/New_York") as server:
        response = requests.get(server.url + "/api/v1/metadata", headers=auth(), timeout=5)
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "data": [
            {
                "domain": "sandbox.flowsery.test",
                "timezone": "America/New_York",
                "name": "Flowsery Sandbox",
                "logo": None,
                "kpiColorScheme": "default",
                "kpi": None,
                "currency": "USD",
            }
        ],
    }


def test_metadata_route_needs_the_key(sandbox: SandboxServer) -> None:
    response = requests.get(sandbox.url + "/api/v1/metadata", timeout=TIMEOUT)
    assert response.status_code == 401


def test_unknown_timezone_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="time zone"):
        SandboxServer(timezone="Mars/Olympus")


def _seed(server: SandboxServer) -> None:
    for body in (
        {"name": "signup", "visitorUid": "v1"},
        {"name": "signup", "visitorUid": "v2"},
        {"name": "purchase", "visitorUid": "v1"},
    ):
        assert post(server, body).status_code == 200


def delete_goals(server: SandboxServer, query: str, **kwargs: Any) -> requests.Response:
    """DELETE /api/v1/goals with a raw query string and the test key."""
    headers = kwargs.pop("headers", auth())
    return requests.delete(
        server.url + "/api/v1/goals" + query, headers=headers, timeout=TIMEOUT, **kwargs
    )


def test_delete_by_name_removes_only_matching_goals(sandbox: SandboxServer) -> None:
    _seed(sandbox)
    response = delete_goals(sandbox, "?name=signup")
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "data": [{"deleted": 2, "message": "Goal events deleted successfully"}],
    }
    assert [g["name"] for g in stored(sandbox)] == ["purchase"]


def test_delete_by_visitor_and_name_combines_filters(sandbox: SandboxServer) -> None:
    _seed(sandbox)
    response = delete_goals(sandbox, "?name=signup&visitorId=v1")
    assert response.json()["data"][0]["deleted"] == 1
    remaining = [(g["name"], g["visitorUid"]) for g in stored(sandbox)]
    assert remaining == [("signup", "v2"), ("purchase", "v1")]


def test_delete_with_a_time_range_only_counts_goals_inside_it(sandbox: SandboxServer) -> None:
    _seed(sandbox)
    future = delete_goals(sandbox, "?startAt=2999-01-01T00:00:00Z")
    assert future.json()["data"][0]["deleted"] == 0
    past = delete_goals(sandbox, "?endAt=2000-01-01")
    assert past.json()["data"][0]["deleted"] == 0
    everything = delete_goals(
        sandbox, "?startAt=2000-01-01T00:00:00%2B02:00&endAt=2999-12-31T23:59:59Z"
    )
    assert everything.json()["data"][0]["deleted"] == 3
    assert stored(sandbox) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "at least one filter"),
        ("?name=", "at least one filter"),
        ("?other=1", "at least one filter"),
        ("?startAt=yesterday", "startAt is not an ISO 8601 time"),
        ("?name=a&endAt=2024-13-40", "endAt is not an ISO 8601 time"),
        ("?startAt=2025-01-02&endAt=2025-01-01", "startAt is after endAt"),
        ("?name=a&name=b", "at most once"),
    ],
)
def test_delete_with_no_or_bad_filter_gets_400_and_deletes_nothing(
    sandbox: SandboxServer, query: str, expected: str
) -> None:
    _seed(sandbox)
    response = delete_goals(sandbox, query)
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]
    assert len(stored(sandbox)) == 3


def test_delete_needs_the_key(sandbox: SandboxServer) -> None:
    _seed(sandbox)
    assert delete_goals(sandbox, "?name=signup", headers={}).status_code == 401
    assert len(stored(sandbox)) == 3


def test_inspection_lists_goals_oldest_first_and_reset_empties_the_store(
    sandbox: SandboxServer,
) -> None:
    for name in ("first", "second", "third"):
        assert post(sandbox, {"name": name}).status_code == 200
    goals = stored(sandbox)
    assert [g["name"] for g in goals] == ["first", "second", "third"]
    assert [g["id"] for g in goals] == sorted(g["id"] for g in goals)
    reset = requests.delete(sandbox.url + "/sandbox/goals", timeout=TIMEOUT)
    assert reset.status_code == 200
    assert reset.json()["deleted"] == 3
    assert stored(sandbox) == []


def test_store_keeps_only_the_newest_goals_when_full() -> None:
    store = GoalStore(capacity=3)
    for index in range(5):
        store.add({"name": f"g{index}"})
    assert [goal["name"] for goal in store.all()] == ["g2", "g3", "g4"]


def test_unknown_path_gets_404_in_the_current_shape(sandbox: SandboxServer) -> None:
    response = requests.post(sandbox.url + "/api/v1/goal", json={}, timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.json() == {
        "status": "error",
        "error": {"code": 404, "message": "Cannot POST /api/v1/goal"},
    }
    nest = requests.get(
        sandbox.url + "/api/v2/goals", headers={"X-Sandbox-Fault": "shape=nest"}, timeout=5
    )
    assert nest.json() == {
        "statusCode": 404,
        "message": "Cannot GET /api/v2/goals",
        "error": "Not Found",
    }


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/api/v1/goals", "POST, DELETE"),
        ("PUT", "/api/v1/goals", "POST, DELETE"),
        ("POST", "/api/v1/metadata", "GET"),
        ("POST", "/sandbox/goals", "GET, DELETE"),
    ],
)
def test_wrong_method_gets_405_with_allow(
    sandbox: SandboxServer, method: str, path: str, allow: str
) -> None:
    response = requests.request(method, sandbox.url + path, headers=auth(), timeout=TIMEOUT)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert response.json()["error"]["code"] == 405


# --- Fault injection ------------------------------------------------------------------------


def fault(server: SandboxServer, tokens: str, **kwargs: Any) -> requests.Response:
    """A valid goal POST carrying X-Sandbox-Fault."""
    return post(server, {"name": "faulty"}, {"X-Sandbox-Fault": tokens}, **kwargs)


def test_drop_closes_the_connection_without_an_answer(sandbox: SandboxServer) -> None:
    with pytest.raises(requests.ConnectionError, match="without response"):
        fault(sandbox, "drop")
    assert stored(sandbox) == []


def test_reset_aborts_the_connection_with_a_tcp_reset(sandbox: SandboxServer) -> None:
    body = b'{"name":"a"}'
    with socket.create_connection(sandbox.address, timeout=TIMEOUT) as sock:
        sock.sendall(
            b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sandbox-Fault: reset\r\n"
            + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        with pytest.raises(ConnectionResetError):
            read_until_closed(sock)


def test_garbage_is_a_200_json_response_that_does_not_parse(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "garbage")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.text == '{"status": "succ'
    with pytest.raises(requests.JSONDecodeError):
        response.json()
    assert stored(sandbox) == []


def test_html_is_a_502_html_page(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "html")
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in response.text


def test_text_is_a_500_plain_text_body(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "text")
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text.startswith("500 Internal Server Error")


def test_empty_answers_with_no_body_and_status_sets_its_code(sandbox: SandboxServer) -> None:
    plain = fault(sandbox, "empty")
    with_status = fault(sandbox, "empty,status=500")
    assert (plain.status_code, plain.content) == (200, b"")
    assert (with_status.status_code, with_status.content) == (500, b"")
    assert "Content-Type" not in with_status.headers


def test_partial_body_breaks_off_before_content_length(sandbox: SandboxServer) -> None:
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        fault(sandbox, "partial")


def test_redirect_answers_307_to_the_given_url(sandbox: SandboxServer) -> None:
    response = fault(
        sandbox, "redirect=https://example.invalid/api/v1/goals", allow_redirects=False
    )
    assert response.status_code == 307
    assert response.headers["Location"] == "https://example.invalid/api/v1/goals"


def test_redirect_with_another_redirect_status(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "redirect=/sandbox/goals,status=301", allow_redirects=False)
    assert (response.status_code, response.headers["Location"]) == (301, "/sandbox/goals")


def test_redirect_loop_never_ends(sandbox: SandboxServer) -> None:
    with pytest.raises(requests.TooManyRedirects):
        fault(sandbox, "redirect-loop")


def test_small_delay_still_processes_the_goal(sandbox: SandboxServer) -> None:
    assert fault(sandbox, "delay=0.3").status_code == 200
    assert [goal["name"] for goal in stored(sandbox)] == ["faulty"]


def _hold_a_delayed_request(server: SandboxServer, errors: list[BaseException]) -> threading.Thread:
    """Start a goal POST that the sandbox delays by 30 s; return once the sandbox holds it."""

    def delayed() -> None:
        try:
            fault(server, "delay=30")
        except requests.RequestException as exc:
            errors.append(exc)

    worker = threading.Thread(target=delayed, daemon=True)
    worker.start()
    for _ in range(250):  # bounded: at most about 5 s
        if server.active_connections:
            break
        time.sleep(0.02)
    assert server.active_connections == 1
    return worker


def test_delay_does_not_block_other_connections() -> None:
    errors: list[BaseException] = []
    with running_sandbox() as server:
        worker = _hold_a_delayed_request(server, errors)
        response = requests.get(server.url + "/api/v1/metadata", headers=auth(), timeout=5)
        assert response.status_code == 200
        assert worker.is_alive()  # the delayed request is still waiting
    worker.join(TIMEOUT)
    assert not worker.is_alive()


def test_status_503_with_retry_after(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "status=503, retry-after=7")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    assert response.json()["error"]["code"] == 503
    assert stored(sandbox) == []


def test_status_429_in_nest_shape(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "status=429,shape=nest,retry-after=30")
    assert response.status_code == 429
    data = response.json()
    assert (data["statusCode"], data["error"]) == (429, "Too Many Requests")
    assert response.headers["Retry-After"] == "30"


def test_status_2xx_answers_success_without_storing(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "status=201")
    assert (response.status_code, response.json()) == (201, CREATED)
    assert stored(sandbox) == []


def test_fault_answers_before_the_key_check(sandbox: SandboxServer) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        json={"name": "a"},
        headers={"X-Sandbox-Fault": "status=503"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 503


def test_retry_after_alone_is_added_to_the_normal_answer(sandbox: SandboxServer) -> None:
    response = fault(sandbox, "retry-after=3")
    assert (response.status_code, response.headers["Retry-After"]) == (200, "3")


def test_faults_do_not_apply_to_the_inspection_route(sandbox: SandboxServer) -> None:
    response = requests.get(
        sandbox.url + "/sandbox/goals", headers={"X-Sandbox-Fault": "status=500"}, timeout=5
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ("explode", "Unknown fault token 'explode'"),
        ("delay=soon", "delay is a number of seconds"),
        ("delay=-1", "0 or more"),
        ("status=99", "from 200 to 599"),
        ("status=abc", "whole number"),
        ("shape=xml", "nest or envelope"),
        ("drop,reset", "not several"),
        ("drop,status=500", "leave out status="),
        ("redirect=ftp://x", "redirect= needs"),
        ("redirect=/a,status=200", "redirect status"),
        ("garbage=1", "takes no value"),
    ],
)
def test_bad_fault_header_gets_400_naming_the_problem(
    sandbox: SandboxServer, tokens: str, expected: str
) -> None:
    response = fault(sandbox, tokens)
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]
    assert stored(sandbox) == []


def test_delay_is_capped() -> None:
    assert parse_faults("delay=3600").delay == 60.0


# --- Lifecycle ------------------------------------------------------------------------------


def test_stop_closes_the_listening_socket() -> None:
    server = SandboxServer(api_key=TEST_KEY).start()
    address = server.address
    server.stop()
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=TIMEOUT).close()
    server.stop()  # a second stop is harmless


def test_two_sandboxes_run_at_once_on_different_ports() -> None:
    with running_sandbox() as first, running_sandbox() as second:
        assert first.address[1] != second.address[1]
        assert post(first, {"name": "one"}).status_code == 200
        assert post(second, {"name": "two"}).status_code == 200
        assert [g["name"] for g in stored(second)] == ["two"]


def test_a_stopped_sandbox_can_start_again_and_keeps_its_store() -> None:
    server = SandboxServer(api_key=TEST_KEY)
    with server:
        assert post(server, {"name": "before"}).status_code == 200
    with server:
        assert [g["name"] for g in stored(server)] == ["before"]


def test_starting_a_running_sandbox_is_refused(sandbox: SandboxServer) -> None:
    with pytest.raises(RuntimeError):
        sandbox.start()


def test_stop_ends_a_request_that_is_waiting_on_a_delay() -> None:
    errors: list[BaseException] = []
    server = SandboxServer(api_key=TEST_KEY).start()
    try:
        worker = _hold_a_delayed_request(server, errors)
    finally:
        server.stop()
    worker.join(TIMEOUT)
    assert not worker.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], requests.ConnectionError)
    assert server.active_connections == 0


def test_error_shape_must_be_known() -> None:
    with pytest.raises(ValueError, match="error_shape"):
        SandboxServer(error_shape="xml")


def test_every_fault_the_window_offers_is_one_the_sandbox_knows() -> None:
    from flowsery_gui.sandbox.server import FAULT_HEADER, parse_faults
    from flowsery_gui.ui.sandbox_faults import FAULT_HEADER as WINDOW_HEADER
    from flowsery_gui.ui.sandbox_faults import FAULTS

    assert WINDOW_HEADER == FAULT_HEADER
    offered = [choice.header for choice in FAULTS if choice.header]
    assert len(offered) == len(set(offered)) >= 10
    for header in offered:
        parse_faults(header)  # raises FaultError for a token the sandbox does not know
