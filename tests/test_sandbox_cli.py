"""`flowsery-sandbox` as a user runs it: a real subprocess, its stdout, signals, a request."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO

import pytest
import requests

from flowsery_gui import version

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 10.0
LISTENING = "Flowsery sandbox listening on http://127.0.0.1:"


class Sandbox:
    """A running `python -m flowsery_gui.sandbox` and its stdout, one line at a time."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def line(self) -> str | None:
        """The next stdout line (without its newline), or None at end of output."""
        try:
            line = self._lines.get(timeout=TIMEOUT)
        except queue.Empty:
            pytest.fail("the sandbox printed nothing in time")
        return None if line is None else line.rstrip("\n")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


@contextmanager
def sandbox_process(*args: str, stderr: IO[str] | int = subprocess.DEVNULL) -> Iterator[Sandbox]:
    """Start the sandbox command; always kill it afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "flowsery_gui.sandbox", "--port", "0", *args],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    try:
        yield Sandbox(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(TIMEOUT)
        if proc.stdout is not None:
            proc.stdout.close()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command to completion (for --help and --version)."""
    return subprocess.run(
        [sys.executable, "-m", "flowsery_gui.sandbox", *args],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 3,
        check=False,
    )


def _url(first_line: str | None) -> str:
    assert first_line is not None
    assert first_line.startswith(LISTENING)
    port = first_line[len(LISTENING) :]
    assert port.isdigit() and 0 < int(port) < 65536
    return first_line.removeprefix("Flowsery sandbox listening on ")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_prints_url_and_generated_key_serves_and_exits_0_on_signal(sig: int) -> None:
    with sandbox_process() as sandbox:
        url = _url(sandbox.line())
        key_line = sandbox.line()
        assert key_line is not None and key_line.startswith("API key: flow_sandbox_")
        key = key_line.removeprefix("API key: ")
        response = requests.post(
            url + "/api/v1/goals",
            json={"name": "from_cli"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=TIMEOUT,
        )
        assert response.status_code == 200
        assert [g["name"] for g in requests.get(url + "/sandbox/goals", timeout=5).json()] == [
            "from_cli"
        ]
        sandbox.proc.send_signal(sig)
        assert sandbox.proc.wait(TIMEOUT) == 0
        assert sandbox.line() is None  # nothing else was printed on stdout


def test_given_api_key_is_used_and_not_printed() -> None:
    key = "flow_x_test"
    with sandbox_process("--api-key", key) as sandbox:
        url = _url(sandbox.line())
        ok = requests.get(
            url + "/api/v1/metadata", headers={"Authorization": f"Bearer {key}"}, timeout=5
        )
        other = requests.get(
            url + "/api/v1/metadata", headers={"Authorization": "Bearer flow_other"}, timeout=5
        )
        assert (ok.status_code, other.status_code) == (200, 401)
        sandbox.proc.terminate()
        assert sandbox.proc.wait(TIMEOUT) == 0
        assert sandbox.line() is None  # no "API key:" line, nor anything else


def test_error_shape_nest_is_used_for_errors() -> None:
    with sandbox_process("--error-shape", "nest", "--api-key", "flow_x_test") as sandbox:
        url = _url(sandbox.line())
        response = requests.post(
            url + "/api/v1/goals",
            json={"name": "Not Valid"},
            headers={"Authorization": "Bearer flow_x_test"},
            timeout=TIMEOUT,
        )
        assert response.status_code == 400
        assert response.json()["statusCode"] == 400
        assert response.json()["error"] == "Bad Request"


def test_request_log_never_contains_the_key(tmp_path: Path) -> None:
    key = "flow_x_secret_log_check"
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr, sandbox_process("--api-key", key, stderr=stderr) as sandbox:
        url = _url(sandbox.line())
        headers = {"Authorization": f"Bearer {key}"}
        requests.post(url + "/api/v1/goals", json={"name": "a"}, headers=headers, timeout=5)
        sandbox.proc.terminate()
        assert sandbox.proc.wait(TIMEOUT) == 0
    text = log.read_text()
    assert '"POST /api/v1/goals HTTP/1.1" 200' in text
    assert key not in text


def test_help_lists_the_fault_tokens_with_examples() -> None:
    result = run("--help")
    assert result.returncode == 0
    for token in ("delay=", "status=", "retry-after=", "drop", "reset", "garbage", "html"):
        assert token in result.stdout
    for token in ("text", "empty", "partial", "redirect=", "redirect-loop", "shape="):
        assert token in result.stdout
    assert "curl " in result.stdout
    assert "X-Sandbox-Fault" in result.stdout


def test_version_prints_the_package_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"flowsery-sandbox {version()}"


def test_api_key_without_flow_prefix_is_refused() -> None:
    result = run("--api-key", "sk_live_nope")
    assert result.returncode == 2
    assert "flow_" in result.stderr
    assert "sk_live_nope" not in result.stderr


def test_help_lists_every_route_and_option_and_says_garbage_stores_nothing() -> None:
    result = run("--help")
    assert result.returncode == 0
    for text in ("/sandbox/requests", "/sandbox/reset", "after=ID", "since=ISO", "limit=N"):
        assert text in result.stdout
    for option in ("--host", "--request-deadline", "--clock-skew", "--api-key"):
        assert option in result.stdout
    garbage = result.stdout[result.stdout.index("  garbage ") :].split("\n  html")[0]
    garbage = " ".join(garbage.split())  # wrapped to the terminal's width
    assert "not stored" in garbage and "proxy" in garbage
    assert "dropped" in result.stdout and "421" in result.stdout


@pytest.mark.parametrize(
    "key",
    ["flow_bad\x07bell", "flow_two words", " flow_leading_space"],
    ids=["bell", "space", "lead"],
)
def test_api_key_with_control_characters_or_spaces_is_refused(key: str) -> None:
    result = run("--api-key", key)
    assert result.returncode == 2
    assert "--api-key" in result.stderr
    assert key.strip() not in result.stderr


def test_a_network_host_says_so_on_the_start_line_and_needs_the_key_everywhere() -> None:
    with sandbox_process("--host", "0.0.0.0", "--api-key", "flow_x_net_test") as sandbox:
        first = sandbox.line()
        assert first is not None
        assert first.startswith("Flowsery sandbox listening on http://0.0.0.0:")
        assert "reachable from the network" in first
        port = first.split("http://0.0.0.0:")[1].split()[0]
        url = f"http://127.0.0.1:{port}"
        assert requests.get(url + "/sandbox/goals", timeout=5).status_code == 401
        key = {"Authorization": "Bearer flow_x_net_test"}
        assert requests.get(url + "/sandbox/goals", headers=key, timeout=5).status_code == 200


def test_clock_skew_moves_the_times_the_sandbox_stores() -> None:
    with sandbox_process("--clock-skew", "-86400", "--api-key", "flow_x_test") as sandbox:
        url = _url(sandbox.line())
        headers = {"Authorization": "Bearer flow_x_test"}
        requests.post(url + "/api/v1/goals", json={"name": "a"}, headers=headers, timeout=5)
        [goal] = requests.get(url + "/sandbox/goals", timeout=5).json()
    received = datetime.fromisoformat(goal["receivedAt"].replace("Z", "+00:00"))
    assert received < datetime.now(timezone.utc) - timedelta(hours=23)


@pytest.mark.parametrize("value", ["nan", "1e999", "-40000000"])
def test_a_clock_skew_that_is_not_a_sensible_number_is_refused(value: str) -> None:
    result = run(f"--clock-skew={value}")
    assert result.returncode == 2
    assert "--clock-skew" in result.stderr
