"""The sandbox against hostile input: slow clients, foreign Host names, the network, long
numbers, odd keys; and its test clock that runs off the real one."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from flowsery_gui.sandbox import SandboxServer
from tests.sandbox_helpers import (
    TEST_KEY,
    auth,
    raw_exchange,
    read_until_closed,
    running_sandbox,
    sandbox_fixture,  # noqa: F401  (registers the `sandbox` fixture)
)

TIMEOUT = 5.0
HUGE = "9" * 5000  # more digits than Python's int() reads (4,300)


def post(server: SandboxServer, body: Any, headers: dict[str, str] | None = None) -> int:
    """POST a JSON goal with the test key (headers override); the status."""
    return requests.post(
        server.url + "/api/v1/goals", json=body, headers={**auth(), **(headers or {})}, timeout=5
    ).status_code


def _until(condition: Any, tries: int = 250) -> None:
    """Wait (bounded, about 5 s at most) until `condition()` is true."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.02)


# --- Slow clients: a deadline per request --------------------------------------------------


@pytest.mark.slow
def test_clients_trickling_headers_cannot_lock_a_normal_client_out() -> None:
    with running_sandbox(max_connections=4, request_deadline=1.0, request_timeout=5.0) as server:
        tricklers = [socket.create_connection(server.address, timeout=TIMEOUT) for _ in range(4)]
        stop = threading.Event()

        def trickle() -> None:  # a header line every 0.2 s: never idle long enough to time out
            for sock in tricklers:
                with contextlib.suppress(OSError):
                    sock.sendall(b"POST /api/v1/goals HTTP/1.1\r\n")
            while not stop.wait(0.2):
                for sock in tricklers:
                    with contextlib.suppress(OSError):
                        sock.sendall(b"X-Slow: 1\r\n")

        worker = threading.Thread(target=trickle, daemon=True)
        worker.start()
        try:
            _until(lambda: server.active_connections == 4)  # every slot held by a trickler
            statuses = []
            for _ in range(200):  # a normal client retrying, as told by Retry-After
                statuses.append(post(server, {"name": "normal"}))
                if statuses[-1] == 200:
                    break
                time.sleep(0.05)
            assert statuses[-1] == 200
            assert set(statuses[:-1]) <= {503}
            assert worker.is_alive()  # the tricklers were still at it
        finally:
            stop.set()
            worker.join(TIMEOUT)
            for sock in tricklers:
                sock.close()


@pytest.mark.slow
def test_a_body_trickled_past_the_deadline_gets_408() -> None:
    with (
        running_sandbox(request_deadline=1.0, request_timeout=5.0) as server,
        socket.create_connection(server.address, timeout=TIMEOUT) as sock,
    ):
        sock.sendall(
            b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"Content-Type: application/json\r\n"
            + f"Authorization: Bearer {TEST_KEY}\r\nContent-Length: 100\r\n\r\n".encode()
        )
        answer = b""
        for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is not
            try:
                sock.sendall(b" ")
            except OSError:
                break
            time.sleep(0.1)
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_the_deadline_must_be_a_sensible_number_of_seconds() -> None:
    for seconds in (0, -1, float("nan"), float("inf"), 1e300):
        with pytest.raises(ValueError, match="request_deadline"):
            SandboxServer(request_deadline=seconds)


# --- The Host header on loopback -----------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST:80", "127.0.0.1", "127.8.9.10:1", "[::1]"]
)
def test_loopback_host_names_are_served(sandbox: SandboxServer, host: str) -> None:
    response = requests.get(sandbox.url + "/sandbox/goals", headers={"Host": host}, timeout=5)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/sandbox/goals", "/sandbox/requests", "/api/v1/metadata", "/api/v1/goals"]
)
def test_a_foreign_host_name_gets_421_so_a_web_page_cannot_rebind_to_the_sandbox(
    sandbox: SandboxServer, path: str
) -> None:
    assert post(sandbox, {"name": "private"}) == 200
    response = requests.get(
        sandbox.url + path, headers={**auth(), "Host": "attacker.example:8765"}, timeout=5
    )
    assert response.status_code == 421
    message = response.json()["error"]["message"]
    assert "attacker.example" in message and "--host" in message
    assert "private" not in response.text


@pytest.mark.parametrize(
    "head",
    [
        b"GET /sandbox/goals HTTP/1.1\r\n\r\n",
        b"GET /sandbox/goals HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n",
        b"GET /sandbox/goals HTTP/1.1\r\nHost: 127.0.0.1:" + HUGE.encode() + b"\r\n\r\n",
    ],
    ids=["missing", "two", "5000-digit-port"],
)
def test_a_missing_doubled_or_malformed_host_gets_400(sandbox: SandboxServer, head: bytes) -> None:
    answer = raw_exchange(
        sandbox, head.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n")
    )
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Host" in answer


def test_an_http_1_0_request_without_host_is_served(sandbox: SandboxServer) -> None:
    answer = raw_exchange(sandbox, b"GET /sandbox/goals HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")


# --- Beyond loopback: the key on every route -----------------------------------------------


def test_beyond_loopback_every_route_needs_the_key_and_any_host_name_is_served() -> None:
    with running_sandbox(host="0.0.0.0") as server:
        assert server.network
        base = f"http://127.0.0.1:{server.address[1]}"
        for method, path in [
            ("GET", "/sandbox/goals"),
            ("DELETE", "/sandbox/goals"),
            ("GET", "/sandbox/requests"),
            ("POST", "/sandbox/reset"),
            ("GET", "/api/v1/metadata"),
        ]:
            refused = requests.request(method, base + path, timeout=TIMEOUT)
            assert refused.status_code == 401, path
        faulted = requests.post(
            base + "/api/v1/goals", headers={"X-Sandbox-Fault": "status=200"}, timeout=5
        )
        assert faulted.status_code == 401  # the key comes before any fault here
        named = {**auth(), "Host": "host.docker.internal:8765"}
        ok = requests.post(base + "/api/v1/goals", json={"name": "a"}, headers=named, timeout=5)
        assert ok.status_code == 200
        goals = requests.get(base + "/sandbox/goals", headers=named, timeout=TIMEOUT)
        assert [g["name"] for g in goals.json()] == ["a"]


@pytest.mark.parametrize(
    ("host", "network"),
    [("127.0.0.1", False), ("::1", False), ("localhost", False), ("0.0.0.0", True)],
)
def test_only_loopback_listens_without_the_network_rules(host: str, network: bool) -> None:
    assert SandboxServer(host=host).network is network


# --- Numbers too long to read -----------------------------------------------------------


def test_a_5000_digit_content_length_gets_413(sandbox: SandboxServer) -> None:
    answer = raw_exchange(
        sandbox,
        b"POST /api/v1/goals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TEST_KEY}\r\nContent-Length: {HUGE}\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"too large" in answer


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (f"status={HUGE}", "expected a number from 200 to 599"),
        (f"retry-after={HUGE}", "expected a number from 0 to"),
        (f"delay={HUGE}", "delay is a number of seconds"),
        (f"delay=0.{HUGE}", "delay is a number of seconds"),
    ],
    ids=["status", "retry-after", "delay", "delay-fraction"],
)
def test_a_5000_digit_fault_value_gets_400_naming_it(
    sandbox: SandboxServer, token: str, expected: str
) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        json={"name": "a"},
        headers={**auth(), "X-Sandbox-Fault": token},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert expected in message
    assert len(message) < 300  # the token is quoted shortened, not 5,000 digits


def test_a_body_with_a_5000_digit_number_gets_400(sandbox: SandboxServer) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        data=b'{"name": "a", "metadata": {"n": ' + HUGE.encode() + b"}}",
        headers={**auth(), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400


def test_a_metadata_value_with_markup_and_a_lone_surrogate_escape_gets_400(
    sandbox: SandboxServer,
) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        data=b'{"name": "a", "metadata": {"k": "<b>\\ud800</b>"}}',
        headers={**auth(), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400


def test_a_5000_digit_http_version_gets_400(sandbox: SandboxServer) -> None:
    answer = raw_exchange(sandbox, f"GET /sandbox/goals HTTP/1.{HUGE}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 400 ")


# --- The key it is started with -----------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["flow_a\x00b", "flow_tab\there", "flow_new\nline", "flow_with space", "flow_é_key"]
)
def test_a_key_with_control_characters_or_spaces_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII") as refused:
        SandboxServer(api_key=key)
    assert key not in str(refused.value)


# --- The test clock -----------------------------------------------------------------------


def _delete(server: SandboxServer, start: datetime, end: datetime) -> int:
    """DELETE /api/v1/goals?name=signup within a window; how many it deleted."""
    window = {"name": "signup", "startAt": start.isoformat(), "endAt": end.isoformat()}
    response = requests.delete(
        server.url + "/api/v1/goals", params=window, headers=auth(), timeout=TIMEOUT
    )
    assert response.status_code == 200
    return int(response.json()["data"][0]["deleted"])


def test_a_skewed_clock_moves_stored_times_and_the_delete_window() -> None:
    hour = timedelta(hours=1)
    with running_sandbox(clock_skew=-3600) as server:
        before = datetime.now(timezone.utc)
        assert post(server, {"name": "signup"}) == 200
        after = datetime.now(timezone.utc)
        [goal] = requests.get(server.url + "/sandbox/goals", timeout=TIMEOUT).json()
        received = datetime.fromisoformat(goal["receivedAt"].replace("Z", "+00:00"))
        assert before - hour - timedelta(seconds=1) <= received <= after - hour
        [record] = server.received()
        recorded = datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
        assert before - hour - timedelta(seconds=1) <= recorded <= received
        # A cleanup window around this computer's time misses it: the sandbox is an hour behind.
        assert _delete(server, before - timedelta(seconds=5), after + timedelta(seconds=5)) == 0
        assert _delete(server, before - hour - timedelta(seconds=5), after - hour) == 1
        assert server.received()[-1]["deleted"]["goals"][0]["id"] == goal["id"]


def test_the_clock_skew_is_bounded() -> None:
    for seconds in (float("nan"), float("inf"), 10.0**12):
        with pytest.raises(ValueError, match="clock_skew"):
            SandboxServer(clock_skew=seconds)
