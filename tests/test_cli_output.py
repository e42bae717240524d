"""What `flowsery-goal` prints: one line per finding with a short fix, text from files and
servers that cannot drive the terminal, and Ctrl+C without a traceback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flowsery_gui.contract import check_body_text
from tests.cli_helpers import (
    KEY,
    REPO,
    Place,
    cli,
    place_fixture,  # noqa: F401  (provides the `place` fixture)
)

pytestmark = pytest.mark.slow


def validate(place: Place, body: object) -> tuple[int, list[str]]:
    result = cli(place, "validate", stdin=json.dumps(body))
    return result.returncode, result.stdout.splitlines()


def test_an_over_long_value_gets_a_short_fix_label_on_its_finding_line(place: Place) -> None:
    code, lines = validate(place, {"name": "signup", "metadata": {"note": "x" * 300}})
    assert code == 1
    assert lines == [
        "error metadata.note: Metadata values are at most 255 characters; this one has 300. "
        "[fix: cut to 255 characters]"
    ]


def test_a_long_fix_value_is_shortened_on_its_finding_line(place: Place) -> None:
    code, lines = validate(place, {"name": "signup", "metadata": {"note": f"<b>{'y' * 200}</b>"}})
    assert code == 0
    [line] = lines
    assert line.endswith(f' [fix: "{"y" * 40}…" (200 characters)]')
    assert len(line.rsplit(" [fix: ", 1)[1]) < 70


def test_validate_prints_exactly_one_line_per_finding_whatever_the_values_hold(
    place: Place,
) -> None:
    body = {
        "name": "Sign\nUp",
        "visitorUID": "a",
        "timezone": "europe/paris",
        "metadata": {"plan": "<b>pro\nplus</b>", "Bad\u2028Key": "v", "n": 3, "long": "y" * 256},
    }
    findings = check_body_text(json.dumps(body)).findings
    assert len(findings) >= 6
    code, lines = validate(place, body)
    assert code == 1
    assert len(lines) == len(findings)
    assert all(line.split(" ", 1)[0] in ("error", "warning") for line in lines)
    assert any("will store: pro\\nplus" in line for line in lines)


def test_control_characters_in_a_body_are_shown_as_escapes(place: Place) -> None:
    code, lines = validate(place, {"name": "signup", "metadata": {"plan": "<i>\x1b[2Jpro</i>"}})
    assert code == 0
    assert "\x1b" not in "".join(lines)
    assert any("\\x1b[2Jpro" in line for line in lines)


class _HostileHandler(BaseHTTPRequestHandler):
    """Answers a POST with 400 and a plain-text body that tries to drive the terminal, or
    (for the goal "echo") with 200 and the key echoed with JSON escapes."""

    def do_POST(self) -> None:
        sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if json.loads(sent)["name"] == "echo":
            key = self.headers["Authorization"].split()[-1].replace("_", "\\u005f")
            body, status, kind = f'{{"you_sent": "{key}"}}'.encode(), 200, "application/json"
        else:
            body, status, kind = b"\x1b]0;owned\x07\x1b[2Jbad goal", 400, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostileHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_control_characters_from_a_server_never_reach_the_terminal(
    place: Place, hostile_server: str
) -> None:
    result = cli(place, "send", "--name", "x", "--base-url", hostile_server, FLOWSERY_API_KEY=KEY)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout
    assert "\\x1b[2Jbad goal" in result.stdout


def test_a_key_echoed_with_json_escapes_is_printed_masked(
    place: Place, hostile_server: str
) -> None:
    result = cli(
        place, "send", "--name", "echo", "--base-url", hostile_server, FLOWSERY_API_KEY=KEY
    )
    assert result.returncode == 0, result.stderr  # cli() also fails on the key in the output
    assert f'"you_sent": "…{KEY[-4:]}"' in result.stdout


def test_ctrl_c_while_waiting_for_the_answer_exits_130_without_a_traceback(
    place: Place,
) -> None:
    with socket.socket() as listener:  # accepts the connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(30)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        process = subprocess.Popen(
            [sys.executable, "-m", "flowsery_gui.cli", "send", "--name", "x", "--base-url", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=place.env(FLOWSERY_API_KEY=KEY),
            cwd=REPO,
        )
        try:
            assert process.stderr is not None
            assert process.stderr.readline().startswith("Sending to custom (127.0.0.1:")
            connection, _ = listener.accept()  # the goal is on its way
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
            connection.close()
        finally:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err and out == ""
    assert "interrupted" in err and "may have recorded it" in err
