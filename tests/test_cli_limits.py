"""`flowsery-goal` with hostile or malformed input: every case gets one clear message and
the documented exit code, never a traceback, an unbounded read or a send without a deadline.
(`cli()` fails a test on any traceback in the output.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowsery_gui.cli import MAX_INPUT_BYTES
from flowsery_gui.sandbox import SandboxServer
from tests.cli_helpers import (
    KEY,
    Place,
    cli,
    keyed_sandbox_fixture,  # noqa: F401  (provides the `sandbox` fixture)
    place_fixture,  # noqa: F401  (provides the `place` fixture)
    stored_goals,
)

pytestmark = pytest.mark.slow

SMALL_BODY = b'{"name": "signup"}'
HUGE_INTEGER_BODY = b'{"name": "signup", "metadata": {"n": 1' + b"0" * 5000 + b"}}"


# --- base URLs ---------------------------------------------------------------------------------

BAD_URLS = {
    "http://[::1": "is not a valid URL",
    "http://127.0.0.1:99999": "is not a valid URL",
    "ftp://127.0.0.1:8765": "must start with http:// or https://",
    "127.0.0.1:8765": "must start with http:// or https://",
    "": "must start with http:// or https://",
    "http://user:pw@127.0.0.1:8765": "user name or password",
    "http://127.0.0.1:8765/api/v1/goals": "Leave the path out",
}


@pytest.mark.parametrize(
    ("given", "url"),
    [("--base-url", url) for url in BAD_URLS]
    + [("FLOWSERY_BASE_URL", url) for url in BAD_URLS if url],  # empty counts as unset
    ids=lambda value: value or "empty",
)
def test_a_malformed_base_url_is_a_usage_error_in_one_line(
    place: Place, given: str, url: str
) -> None:
    if given == "--base-url":
        result = cli(place, "send", "--name", "x", "--base-url", url, FLOWSERY_API_KEY=KEY)
    else:
        result = cli(place, "send", "--name", "x", FLOWSERY_API_KEY=KEY, FLOWSERY_BASE_URL=url)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    where = "--base-url" if given == "--base-url" else "$FLOWSERY_BASE_URL"
    assert line.startswith(f"flowsery-goal send: error: {where}: ")
    assert BAD_URLS[url] in line and "http://127.0.0.1:8765 for a local sandbox" in line
    assert not place.data.exists()  # nothing sent, nothing recorded


# --- keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_key",
    ["flow_sk_abc\x01def_123456", "flow_sk_abc def_123456", "flow_sk_abc\u20acdef_123456"],
    ids=["control character", "space inside", "non-ASCII"],
)
def test_a_key_that_cannot_be_sent_is_refused_before_sending_with_exit_2(
    place: Place, sandbox: SandboxServer, bad_key: str
) -> None:
    result = cli(place, "send", "--name", "x", "--base-url", sandbox.url, FLOWSERY_API_KEY=bad_key)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("flowsery-goal: Not sent: the API key contains ")
    assert "(The key came from $FLOWSERY_API_KEY (…3456).)" in line
    assert "Copy the key again" in result.stderr
    assert "Not sent: Not sent" not in result.stderr and bad_key not in result.stderr
    assert stored_goals(sandbox) == [] and not place.data.exists()


def test_key_set_refuses_a_line_far_longer_than_a_key(place: Place) -> None:
    result = cli(place, "key", "set", "--profile", "Production", stdin="flow_" + "a" * 10_000)
    assert result.returncode == 2
    assert "longer than 4096 characters" in result.stderr
    assert place.stored_keys() == {}


# --- timeouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--timeout", "1e300", "at most 600 seconds"),
        ("--connect-timeout", "601", "at most 600 seconds"),
        ("--timeout", "inf", "at most 600 seconds"),
        ("--timeout", "nan", "not a number of seconds"),
        ("--timeout", "0", "must be more than 0"),
        ("--connect-timeout", "-1", "must be more than 0"),
        ("--timeout", "soon", "not a number of seconds"),
    ],
)
def test_a_timeout_out_of_range_is_a_usage_error(
    place: Place, sandbox: SandboxServer, option: str, value: str, words: str
) -> None:
    result = cli(
        place, "send", "--name", "x", "--base-url", sandbox.url, option, value,
        FLOWSERY_API_KEY=KEY,
    )  # fmt: skip
    assert result.returncode == 2
    assert words in result.stderr and "Sending to" not in result.stderr
    assert stored_goals(sandbox) == []


def test_the_longest_timeouts_allowed_still_send(place: Place, sandbox: SandboxServer) -> None:
    result = cli(
        place, "send", "--name", "x", "--base-url", sandbox.url,
        "--timeout", "600", "--connect-timeout", "600", FLOWSERY_API_KEY=KEY,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(stored_goals(sandbox)) == 1


# --- how much is read --------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [("validate",), ("send", "--base-url", "http://127.0.0.1:9")])
def test_an_endless_input_file_is_read_no_further_than_the_limit(
    place: Place, command: tuple[str, ...]
) -> None:
    if command[0] == "send":
        result = cli(place, *command, "--json", "/dev/zero", FLOWSERY_API_KEY=KEY)
    else:
        result = cli(place, *command, "/dev/zero")
    assert result.returncode == 2
    assert "/dev/zero holds more than 1 MiB" in result.stderr


def test_stdin_is_read_up_to_exactly_the_limit(place: Place) -> None:
    at_limit = SMALL_BODY + b" " * (MAX_INPUT_BYTES - len(SMALL_BODY))
    assert cli(place, "validate", stdin=at_limit).returncode == 0
    over = cli(place, "validate", stdin=at_limit + b" ")
    assert over.returncode == 2 and "stdin holds more than 1 MiB" in over.stderr


# --- bodies the JSON reader cannot take -------------------------------------------------------

UNREADABLE = {
    "integer of 5001 digits": HUGE_INTEGER_BODY,
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "not UTF-8": b'{"name": "sign\xffup"}',
    "NaN": b'{"name": "signup", "metadata": {"n": NaN}}',
}


@pytest.mark.parametrize("body", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_validate_says_not_json_for_any_body_the_reader_cannot_take(
    place: Place, body: bytes
) -> None:
    result = cli(place, "validate", stdin=body)
    assert result.returncode == 2
    assert result.stderr.startswith("flowsery-goal: not JSON: ")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_send_json_with_a_huge_integer_exits_2_and_sends_nothing(
    place: Place, sandbox: SandboxServer, tmp_path: Path
) -> None:
    body = tmp_path / "goal.json"
    body.write_bytes(HUGE_INTEGER_BODY)
    result = cli(
        place, "send", "--json", str(body), "--base-url", sandbox.url, FLOWSERY_API_KEY=KEY
    )
    assert result.returncode == 2
    assert "not JSON" in result.stderr and "Sending to" not in result.stderr
    assert stored_goals(sandbox) == []
