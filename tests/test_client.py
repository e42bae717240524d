"""The HTTP client against the real sandbox (and tiny purpose-built servers) over loopback."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from flowsery_gui import version
from flowsery_gui.client import (
    MAX_BODY_BYTES,
    GoalsClient,
    check_url_safety,
    is_loopback_host,
)
from flowsery_gui.exchange import Exchange, FailureKind
from flowsery_gui.explain import explain
from tests.sandbox_helpers import (
    TEST_KEY,
    running_sandbox,
    sandbox_fixture,  # noqa: F401  (provides the `sandbox` fixture)
)

FAULT = "X-Sandbox-Fault"


def stored_goals(server: Any) -> list[dict[str, Any]]:
    """What the sandbox stored, read through its inspection route."""
    with urllib.request.urlopen(server.url + "/sandbox/goals", timeout=5) as answer:
        return json.loads(answer.read())


def client_for(server: Any, **kwargs: Any) -> GoalsClient:
    kwargs.setdefault("connect_timeout", 2.0)
    kwargs.setdefault("read_timeout", 5.0)
    return GoalsClient(server.url, kwargs.pop("api_key", TEST_KEY), **kwargs)


# --- a tiny recording server for what the sandbox cannot show -------------------------------


class Recorder:
    """A loopback HTTP server that records each request and answers with `respond`."""

    def __init__(self, respond: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.requests: list[dict[str, Any]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": body,
                    }
                )
                respond(self)

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


def answer(status: int, body: bytes, content_type: str = "application/json", **headers: str):
    """A `respond` function sending one fixed answer."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return respond


OK_BODY = b'{"status":"success","data":[{"message":"Goal created successfully"}]}'


@contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


# --- the contract's answers ------------------------------------------------------------------


def test_goal_is_stored_and_the_exchange_records_what_was_sent(sandbox: Any) -> None:
    body = {"name": "newsletter_signup", "metadata": {"plan": "pro", "note": "é"}}
    with client_for(sandbox) as client:
        exchange = client.send_goal(body)

    assert exchange.ok and exchange.status == 200 and exchange.failure is None
    assert exchange.response is not None
    assert exchange.response.json()["data"][0]["message"] == "Goal created successfully"
    assert exchange.request.method == "POST"
    assert exchange.request.url == sandbox.url + "/api/v1/goals"
    assert exchange.request.body == json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    assert exchange.request.header("Content-Type") == "application/json"
    assert exchange.request.header("Accept") == "application/json"
    assert exchange.request.header("Authorization") == "Bearer …" + TEST_KEY[-4:]
    assert exchange.elapsed_ms > 0 and exchange.started_at > 0
    [goal] = stored_goals(sandbox)
    assert goal["name"] == "newsletter_signup"
    assert goal["metadata"] == {"plan": "pro", "note": "é"}


@pytest.mark.parametrize("shape", ["envelope", "nest"])
def test_invalid_payload_gets_400_in_either_error_shape_and_nothing_is_stored(shape: str) -> None:
    with running_sandbox(error_shape=shape) as server, client_for(server) as client:
        exchange = client.send_goal({"name": "Newsletter Signup"})
        assert exchange.status == 400 and not exchange.ok
        said = explain(exchange).server_message
        assert said is not None and said.startswith("name:")
        assert stored_goals(server) == []


def test_wrong_key_gets_401(sandbox: Any) -> None:
    with client_for(sandbox, api_key="flow_sandbox_not_the_right_key") as client:
        exchange = client.send_goal({"name": "signup"})
    assert exchange.status == 401
    assert explain(exchange).tone == "auth"


def test_no_key_sends_no_authorization_header_and_gets_401(sandbox: Any) -> None:
    with client_for(sandbox, api_key=None) as client:
        exchange = client.send_goal({"name": "signup"})
    assert exchange.status == 401
    assert exchange.request.header("Authorization") is None
    assert "Missing Authorization" in (explain(exchange).server_message or "")


def test_unknown_base_path_gets_404(sandbox: Any) -> None:
    with GoalsClient(sandbox.url + "/nope", TEST_KEY, read_timeout=5) as client:
        exchange = client.send_goal({"name": "signup"})
    assert exchange.status == 404
    assert exchange.request.url == sandbox.url + "/nope/api/v1/goals"


def test_metadata_names_the_website(sandbox: Any) -> None:
    with client_for(sandbox) as client:
        exchange = client.get_metadata()
    assert exchange.status == 200 and exchange.request.method == "GET"
    assert exchange.response is not None
    assert exchange.response.json()["data"][0]["domain"] == "sandbox.flowsery.test"


def test_delete_with_a_filter_removes_only_matching_goals(sandbox: Any) -> None:
    with client_for(sandbox) as client:
        assert client.send_goal({"name": "keep"}).ok
        assert client.send_goal({"name": "drop_me", "visitorUid": "v1"}).ok
        exchange = client.delete_goals(name="drop_me", visitor_id="v1")
    assert exchange.status == 200
    assert exchange.request.url.endswith("/api/v1/goals?name=drop_me&visitorId=v1")
    assert exchange.response is not None
    assert exchange.response.json()["data"][0]["deleted"] == 1
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["keep"]


def test_delete_without_a_filter_is_refused_and_sends_nothing() -> None:
    with Recorder(answer(200, OK_BODY)) as server, GoalsClient(server.url, TEST_KEY) as client:
        refused = client.delete_goals()
        assert server.requests == []
        client.delete_goals(start_at="2024-05-01T00:00:00Z")  # control: this one goes out
    assert refused.failure is not None
    assert refused.failure.kind is FailureKind.REFUSED_BY_APP
    assert refused.response is None
    assert [r["method"] for r in server.requests] == ["DELETE"]
    assert server.requests[0]["path"] == "/api/v1/goals?startAt=2024-05-01T00%3A00%3A00Z"


# --- faults: no response ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        ("drop", FailureKind.DROPPED, "closed the connection without sending any answer"),
        ("partial", FailureKind.DROPPED, "answer was cut short"),
        ("reset", FailureKind.RESET, "connection was reset"),
    ],
)
def test_a_dropped_a_cut_and_a_reset_connection_read_differently(
    sandbox: Any, fault: str, kind: FailureKind, words: str
) -> None:
    with client_for(sandbox) as client:
        exchange = client.send_goal({"name": "signup"}, {FAULT: fault})
    assert exchange.response is None
    assert exchange.failure is not None and exchange.failure.kind is kind
    assert words in exchange.failure.message
    assert "may or may not have been recorded" in exchange.failure.message


def test_slow_answer_is_a_read_timeout(sandbox: Any) -> None:
    with client_for(sandbox, read_timeout=0.3) as client:
        exchange = client.send_goal({"name": "signup"}, {FAULT: "delay=1.5"})
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.READ_TIMEOUT
    assert "0.3 s" in exchange.failure.message


def test_body_that_stalls_midway_is_a_read_timeout() -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b'{"status":')
        handler.wfile.flush()
        time.sleep(1.0)

    with Recorder(stall) as server, GoalsClient(server.url, None, read_timeout=0.3) as client:
        exchange = client.get_metadata()
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.READ_TIMEOUT


def test_closed_port_is_refused() -> None:
    with closed_port() as port, GoalsClient(f"http://127.0.0.1:{port}", TEST_KEY) as client:
        exchange = client.send_goal({"name": "signup"})
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.REFUSED
    assert f"127.0.0.1:{port}" in exchange.failure.message


@pytest.mark.skipif(
    sys.platform != "linux", reason="relies on Linux dropping SYNs on a full backlog"
)
def test_server_that_never_accepts_is_a_connect_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(4)]  # fill the backlog; never accepted
        try:
            for filler in fillers:
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
            with GoalsClient(f"http://127.0.0.1:{port}", None, connect_timeout=0.3) as client:
                exchange = client.get_metadata()
        finally:
            for filler in fillers:
                filler.close()
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.CONNECT_TIMEOUT


def test_unresolvable_host_is_a_dns_failure() -> None:
    # .invalid never resolves (RFC 6761); https so the key may be offered at all.
    with GoalsClient("https://nonexistent.invalid", TEST_KEY, connect_timeout=2) as client:
        exchange = client.send_goal({"name": "signup"})
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.DNS
    assert "host name could not be found" in exchange.failure.message


def test_redirect_loop_stops_after_five_redirects(sandbox: Any) -> None:
    with client_for(sandbox) as client:
        exchange = client.send_goal({"name": "signup"}, {FAULT: "redirect-loop"})
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.TOO_MANY_REDIRECTS
    loop_url = sandbox.url + "/sandbox/redirect-loop"
    said = " ".join([*exchange.notes, exchange.failure.message, explain(exchange).message])
    assert said.count(loop_url) == 1  # the loop is named once, not once per redirect
    assert "Redirected 5 times (307)" in said


# --- faults: an answer that is not the documented one ----------------------------------------


@pytest.mark.parametrize(
    ("fault", "status", "said"),
    [
        ("garbage", 200, '{"status": "succ'),
        ("html", 502, "502 Bad Gateway"),
        ("text", 500, "500 Internal Server Error: the sandbox was asked to fail (text)."),
        ("empty", 200, None),
    ],
)
def test_malformed_answers_are_kept_and_readable(
    sandbox: Any, fault: str, status: int, said: str | None
) -> None:
    with client_for(sandbox) as client:
        exchange = client.send_goal({"name": "signup"}, {FAULT: fault})
    assert exchange.status == status and exchange.failure is None
    assert explain(exchange).server_message == said


def test_a_body_over_one_mib_is_cut_and_marked() -> None:
    big = b"x" * (MAX_BODY_BYTES + MAX_BODY_BYTES // 2)
    with (
        Recorder(answer(200, big, "text/plain")) as server,
        GoalsClient(server.url, None) as client,
    ):
        exchange = client.get_metadata()
    assert exchange.response is not None
    assert exchange.response.truncated
    assert len(exchange.response.body) == MAX_BODY_BYTES
    assert any("cut at 1024 KiB" in note for note in exchange.notes)


def test_body_is_decoded_with_the_charset_the_server_names() -> None:
    body = '{"message":"d\u00e9j\u00e0 vu"}'.encode("iso-8859-1")
    with (
        Recorder(answer(200, body, "application/json; charset=iso-8859-1")) as server,
        GoalsClient(server.url, None) as client,
    ):
        exchange = client.get_metadata()
    assert exchange.response is not None and exchange.response.body == '{"message":"déjà vu"}'


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_dropped_connection_is_never_retried(method: str) -> None:
    def drop(handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    with Recorder(drop) as server, GoalsClient(server.url, TEST_KEY) as client:
        if method == "POST":
            exchange = client.send_goal({"name": "signup"})
        else:
            exchange = client.get_metadata()
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.DROPPED
    assert [r["method"] for r in server.requests] == [method]


# --- redirects and the key -------------------------------------------------------------------


def test_key_is_not_forwarded_on_a_redirect_to_another_host(sandbox: Any) -> None:
    with Recorder(answer(200, OK_BODY)) as target, client_for(sandbox) as client:
        elsewhere = f"http://localhost:{target.port}/landing"
        exchange = client.send_goal({"name": "signup"}, {FAULT: f"redirect={elsewhere}"})
    assert exchange.status == 200
    [received] = target.requests
    assert "Authorization" not in received["headers"]
    assert received["headers"]["User-Agent"].startswith("FlowseryGoalTester/")
    assert exchange.request.url == elsewhere
    assert exchange.request.header("Authorization") is None
    assert f"Redirected (307) from {sandbox.url}/api/v1/goals to {elsewhere}." in exchange.notes
    assert any(
        f"not forwarded to http://localhost:{target.port}" in note for note in exchange.notes
    )


def test_key_is_not_forwarded_on_a_redirect_to_another_port() -> None:
    with Recorder(answer(200, OK_BODY)) as target:
        moved = answer(307, b"", Location=f"{target.url}/api/v1/goals")
        with Recorder(moved) as origin, GoalsClient(origin.url, TEST_KEY) as client:
            exchange = client.send_goal({"name": "signup"})
    assert exchange.status == 200
    assert origin.requests[0]["headers"]["Authorization"] == f"Bearer {TEST_KEY}"
    assert "Authorization" not in target.requests[0]["headers"]
    assert target.requests[0]["body"] == b'{"name":"signup"}'  # 307 keeps the POST


def test_key_is_kept_on_a_redirect_within_the_same_origin() -> None:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        if handler.path == "/api/v1/goals":
            answer(307, b"", Location="/moved")(handler)
        else:
            answer(200, OK_BODY)(handler)

    with Recorder(respond) as server, GoalsClient(server.url, TEST_KEY) as client:
        exchange = client.send_goal({"name": "signup"})
    assert exchange.status == 200
    assert [r["path"] for r in server.requests] == ["/api/v1/goals", "/moved"]
    assert server.requests[1]["headers"]["Authorization"] == f"Bearer {TEST_KEY}"
    assert not any("not forwarded" in note for note in exchange.notes)


def test_key_over_plain_http_to_a_remote_host_is_refused_and_nothing_leaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Route plain-http traffic through a recording proxy: anything sent would show up there.
    with Recorder(answer(200, OK_BODY)) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with GoalsClient("http://analytics.example.com", TEST_KEY) as client:
            exchange = client.send_goal({"name": "signup"})
        assert proxy.requests == []
        with GoalsClient("http://analytics.example.com", None) as keyless:
            keyless.send_goal({"name": "signup"})  # control: without a key it does go out
        assert [r["path"] for r in proxy.requests] == ["http://analytics.example.com/api/v1/goals"]
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.REFUSED_BY_APP
    assert "unencrypted" in exchange.failure.message
    assert exchange.response is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.1", False),
        ("analytics.flowsery.com", False),
        ("localhost.example.com", False),
        ("", False),
    ],
)
def test_loopback_hosts_are_recognised(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("url", "has_key", "refused"),
    [
        ("https://analytics.flowsery.com/api/v1/goals", True, False),
        ("http://127.0.0.1:8765/api/v1/goals", True, False),
        ("http://localhost:8765/api/v1/goals", True, False),
        ("http://analytics.flowsery.com/api/v1/goals", True, True),
        ("http://analytics.flowsery.com/api/v1/goals", False, False),
        ("https://user:secret@analytics.flowsery.com/api/v1/goals", True, True),
    ],
)
def test_url_safety_refuses_a_key_over_plain_http_to_a_remote_host(
    url: str, has_key: bool, refused: bool
) -> None:
    assert (check_url_safety(url, has_key) is not None) is refused


# --- headers, secrecy, cancel ------------------------------------------------------------------


def test_user_agent_names_the_app_and_its_version() -> None:
    with Recorder(answer(200, OK_BODY)) as server, GoalsClient(server.url, TEST_KEY) as client:
        exchange = client.send_goal({"name": "signup"})
    sent = server.requests[0]["headers"]
    assert sent["User-Agent"] == f"FlowseryGoalTester/{version()} (+python-requests)"
    assert sent["Accept"] == "application/json"
    assert exchange.request.header("User-Agent") == sent["User-Agent"]


def test_the_key_appears_nowhere_in_any_exchange(sandbox: Any) -> None:
    exchanges: list[Exchange] = []
    with client_for(sandbox, read_timeout=0.3) as client:
        exchanges.append(client.send_goal({"name": "signup"}))
        for fault in ("drop", "delay=1", "redirect-loop", "html", "status=503"):
            exchanges.append(client.send_goal({"name": "signup"}, {FAULT: fault}))
        exchanges.append(client.delete_goals())
        exchanges.append(client.get_metadata())
        with Recorder(answer(200, OK_BODY)) as target:
            where = f"http://localhost:{target.port}/x"
            exchanges.append(client.send_goal({"name": "a"}, {FAULT: f"redirect={where}"}))
        assert TEST_KEY not in repr(client)
    with closed_port() as port, GoalsClient(f"http://127.0.0.1:{port}", TEST_KEY) as client:
        exchanges.append(client.send_goal({"name": "signup"}))
    with GoalsClient("http://example.com", TEST_KEY) as client:
        exchanges.append(client.send_goal({"name": "signup"}))
    assert len({e.failure.kind for e in exchanges if e.failure}) >= 5
    for exchange in exchanges:
        assert TEST_KEY not in repr(exchange)
        assert TEST_KEY not in json.dumps(exchange.to_dict(), ensure_ascii=False)


def test_a_key_echoed_by_the_server_is_masked() -> None:
    body = json.dumps({"message": f"bad key {TEST_KEY}"}).encode()
    with (
        Recorder(answer(401, body, X_Echo=TEST_KEY)) as server,
        GoalsClient(server.url, TEST_KEY) as client,
    ):
        exchange = client.send_goal({"name": "signup"})
    assert exchange.status == 401
    assert TEST_KEY not in repr(exchange)
    assert "…" + TEST_KEY[-4:] in (exchange.response.body if exchange.response else "")


def test_cancel_unblocks_a_waiting_call_and_says_the_goal_may_be_recorded(sandbox: Any) -> None:
    with client_for(sandbox, read_timeout=10) as client:
        timer = threading.Timer(0.2, client.cancel)
        timer.start()
        try:
            exchange = client.send_goal({"name": "signup"}, {FAULT: "delay=2"})
        finally:
            timer.cancel()
            timer.join()
        assert exchange.failure is not None
        assert exchange.failure.kind is FailureKind.CANCELLED
        assert exchange.failure.message == "Cancelled. The server may still have recorded the goal."
        assert exchange.failure.detail  # the read was cut short, not left to finish
        assert client.send_goal({"name": "after_cancel"}).ok  # the client still works
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["after_cancel"]


def test_cancel_before_the_call_starts_sends_nothing_and_is_used_up() -> None:
    with Recorder(answer(200, OK_BODY)) as server, GoalsClient(server.url, TEST_KEY) as client:
        client.cancel()  # the window may cancel before its worker thread has started
        cancelled = client.send_goal({"name": "signup"})
        assert server.requests == []
        assert client.send_goal({"name": "signup"}).ok
    assert cancelled.failure is not None
    assert cancelled.failure.kind is FailureKind.CANCELLED
    assert len(server.requests) == 1


def test_a_server_that_trickles_bytes_is_cut_off_at_the_call_deadline() -> None:
    # Each byte arrives within the read timeout, so only a deadline for the whole call ends it.
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "200")
        handler.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(40):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.1)

    with (
        Recorder(trickle) as server,
        GoalsClient(server.url, None, connect_timeout=0.3, read_timeout=0.4) as client,
    ):
        began = time.perf_counter()
        exchange = client.get_metadata()
        took = time.perf_counter() - began
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.READ_TIMEOUT
    assert took < 3.5  # the trickle alone would last 4 s


def test_a_key_pasted_with_a_line_break_is_sent_without_it(sandbox: Any) -> None:
    with GoalsClient(sandbox.url, TEST_KEY + "\r\n", read_timeout=5.0) as client:
        exchange = client.send_goal({"name": "crlf_key"})
    assert exchange.status == 200
    assert TEST_KEY not in repr(exchange)


def test_a_key_with_a_control_character_inside_is_refused_unsent_and_unshown() -> None:
    key = "flow_sk_test_abc\ndef123456"
    with Recorder(answer(200, OK_BODY)) as server, GoalsClient(server.url, key) as client:
        exchange = client.send_goal({"name": "bad_key"})
    assert server.requests == []
    assert exchange.failure is not None
    assert exchange.failure.kind is FailureKind.REFUSED_BY_APP
    assert "def123456" not in repr(exchange)
