"""The one send pipeline end to end: plan, preview, snippet, wire, sandbox and history agree."""

from __future__ import annotations

import json
import shlex
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui.contract import Draft
from flowsery_gui.exchange import FailureKind
from flowsery_gui.history import History
from flowsery_gui.sandbox.server import SandboxServer
from flowsery_gui.sending import (
    KeySource,
    PlannedSend,
    RawBody,
    Refusal,
    RefusalCode,
    SendOptions,
    Target,
    open_transport,
    plan_goal,
    resolve_key,
    send,
)

AWKWARD = Draft(
    name="awkward_goal",
    visitor_uid="vid-ünïcødé",
    metadata=(
        ("html", "<b>bold</b> & <i>it</i>"),
        ("quotes", "she said \"hi\" and 'bye' \\ back"),
        ("emoji", "🎉 déjà vu — 日本語"),
    ),
    timezone="Europe/Paris",
)


class Relay:
    """A loopback TCP relay in front of the sandbox that keeps every byte the client sent."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.received = bytearray()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _pipe(self, source: socket.socket, target: socket.socket, keep: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if keep:
                    self.received.extend(chunk)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream, timeout=10)
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def __enter__(self) -> Relay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()

    def body(self) -> bytes:
        """The body of the first request received (after its blank line, Content-Length long)."""
        head, _, rest = bytes(self.received).partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        return rest[:length]


@contextmanager
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(host="127.0.0.1", port=0).start()
    try:
        yield server
    finally:
        server.stop()


def stored(server: SandboxServer) -> list[dict[str, Any]]:
    with urllib.request.urlopen(server.url + "/sandbox/goals", timeout=5) as answer:
        return json.loads(answer.read())


def curl_body(snippet: str) -> str:
    words = shlex.split(snippet.replace("\\\n", " "))
    return words[words.index("--data-raw") + 1]


def test_preview_snippet_wire_sandbox_and_history_hold_the_same_body_bytes(
    tmp_path: Path,
) -> None:
    with sandbox() as server, Relay(server.address) as relay:
        key = resolve_key("Sandbox", "sandbox", sandbox_key=server.api_key)
        plan = plan_goal(Target("Sandbox", "custom", relay.url), AWKWARD, key)
        assert isinstance(plan, PlannedSend)
        exchange = send(plan, key.key)
        history, message = History.open(tmp_path / "history.sqlite3")
        assert history is not None, message
        with history:
            record_id = history.append(
                exchange, profile=plan.target.profile, source="cli", goal=plan.goal
            )
            record = history.get(record_id)
        goals = stored(server)

    assert exchange.ok, exchange
    wire = bytes(relay.body())
    preview = plan.preview(key.key).body_text
    assert preview is not None and record is not None
    assert preview.encode("utf-8") == wire
    assert curl_body(plan.snippet("curl")).encode("utf-8") == wire
    assert (record.exchange.request.body or "").encode("utf-8") == wire
    assert exchange.request.body == preview
    # The sandbox read those bytes as the goal that was planned (markup stripped on storing).
    assert json.loads(wire) == plan.goal
    assert goals[0]["metadata"]["emoji"] == "🎉 déjà vu — 日本語"
    assert goals[0]["metadata"]["html"] == "bold & it"
    assert record.metadata == dict(AWKWARD.metadata)
    assert server.api_key not in json.dumps(record.exchange.to_dict(), ensure_ascii=False)


def test_a_raw_body_without_the_rules_goes_byte_for_byte_and_the_server_judges_it() -> None:
    text = '{ "name" : "Not Valid",\n  "metadata": {"a": 1} }'
    with sandbox() as server, Relay(server.address) as relay:
        options = SendOptions(enforce_rules=False)
        plan = plan_goal(Target("Sandbox", "custom", relay.url), RawBody(text), True, options)
        assert isinstance(plan, PlannedSend)
        exchange = send(plan, server.api_key)
        assert stored(server) == []
    assert relay.body() == text.encode("utf-8")
    assert exchange.status == 400


def test_the_same_raw_body_with_the_rules_is_refused_with_its_findings() -> None:
    text = '{"name": "Not Valid", "metadata": {"a": 1}}'
    plan = plan_goal(Target("Sandbox", "sandbox", "http://127.0.0.1:9"), RawBody(text), True)
    assert isinstance(plan, Refusal)
    assert plan.code is RefusalCode.INVALID_BODY
    assert {f.code for f in plan.findings} >= {"name.pattern", "metadata.value.type"}
    assert "2 problems" in plan.message


def test_a_transport_cancelled_before_the_send_sends_nothing() -> None:
    with sandbox() as server:
        plan = plan_goal(Target("Sandbox", "sandbox", server.url), Draft(name="x"), True)
        assert isinstance(plan, PlannedSend)
        with open_transport() as transport:
            transport.cancel()
            exchange = send(plan, server.api_key, transport=transport)
            assert stored(server) == []
            again = send(plan, server.api_key, transport=transport)
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.CANCELLED
    assert exchange.failure.detail == ""  # nothing raw: it never started
    assert again.ok


def test_the_sandbox_key_is_used_for_the_sandbox_profile_whatever_else_is_set() -> None:
    key = resolve_key(
        "Sandbox",
        "sandbox",
        session_key="flow_session_key_123",
        environ={"FLOWSERY_API_KEY": "flow_env_key_123"},
        read_keyring=lambda _name: "flow_stored_key_123",
        sandbox_key="flow_sandbox_key_123",
    )
    assert (key.key, key.source) == ("flow_sandbox_key_123", KeySource.SANDBOX)


@pytest.mark.parametrize("fault", ["drop", "garbage"])
def test_a_fault_goes_to_a_loopback_target(fault: str) -> None:
    with sandbox() as server:
        plan = plan_goal(
            Target("Local", "custom", server.url), Draft(name="x"), True, SendOptions(fault=fault)
        )
        assert isinstance(plan, PlannedSend)
        exchange = send(plan, server.api_key, read_timeout=5)
        assert stored(server) == []
    assert plan.request.header("X-Sandbox-Fault") == fault
    assert exchange.request.header("X-Sandbox-Fault") == fault  # it went, and was obeyed
