"""Shared helpers for tests that talk to a real sandbox over loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from flowsery_gui.sandbox import SandboxServer

TEST_KEY = "flow_sandbox_test_0123456789"


def auth(key: str = TEST_KEY) -> dict[str, str]:
    """Headers that pass the sandbox's key check."""
    return {"Authorization": f"Bearer {key}"}


@contextmanager
def running_sandbox(**kwargs: Any) -> Iterator[SandboxServer]:
    """A started sandbox (key TEST_KEY unless given), stopped on exit whatever happens."""
    kwargs.setdefault("api_key", TEST_KEY)
    server = SandboxServer(**kwargs).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="sandbox")
def sandbox_fixture() -> Iterator[SandboxServer]:
    """A fresh sandbox per test; import this function to get a `sandbox` fixture."""
    with running_sandbox() as server:
        yield server


def raw_exchange(server: SandboxServer, payload: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes and return everything received until the server closes (or timeout)."""
    with socket.create_connection(server.address, timeout=timeout) as sock:
        sock.sendall(payload)
        return read_until_closed(sock)


def read_until_closed(sock: socket.socket, limit: int = 1 << 20) -> bytes:
    """Read until EOF, a timeout or `limit` bytes; whatever arrived is returned."""
    chunks: list[bytes] = []
    received = 0
    while received < limit:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)
