"""`flowsery-goal cleanup` and `profile set` as a person runs them: real subprocesses, a real
history file, the real sandbox holding test goals and real visitors' goals."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from flowsery_gui.history import History
from flowsery_gui.history.cleaned import cleaned_marks
from flowsery_gui.profiles import ProfileStore
from flowsery_gui.sandbox.server import SandboxServer
from tests.cli_helpers import REPO, cli, new_place
from tests.sandbox_helpers import TEST_KEY, running_sandbox
from tests.test_cleanup_runner import (
    REAL,
    TEST_VID,
    deletes_received,
    mixed_goals,
    send_from_app,
    send_real,
    stored,
)

pytestmark = pytest.mark.slow


class App:
    """The app's folders for one test (`cli_helpers.Place`, with a test-only file keyring),
    and a way to run the commands there."""

    def __init__(self, tmp_path: Path) -> None:
        self.place = new_place(tmp_path)
        self.config = self.place.config
        self.history_path = self.place.data / "history.sqlite3"

    def env(self, key: str | None = TEST_KEY) -> dict[str, str]:
        return self.place.env(**({"FLOWSERY_API_KEY": key} if key is not None else {}))

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "flowsery_gui.cleanup.commands", *args]

    def run(
        self, *args: str, key: str | None = TEST_KEY, stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env(key),
            cwd=REPO,
            timeout=60,
        )

    def profiles(self) -> ProfileStore:
        return ProfileStore(self.config / "profiles.json")

    def history(self) -> History:
        history, message = History.open(self.history_path)
        assert history is not None, message
        return history


@pytest.fixture
def app(tmp_path: Path) -> App:
    return App(tmp_path)


@pytest.fixture
def sandbox(app: App) -> Iterator[SandboxServer]:
    with running_sandbox() as server:
        app.profiles().add("Local", server.url)
        app.profiles().set_test_identity("Local", TEST_VID)
        yield server


def with_mixed_goals(app: App, server: SandboxServer) -> list[int]:
    with app.history() as history:
        return mixed_goals(server, history)


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


# --- planning and sending ----------------------------------------------------------------


def test_dry_run_prints_each_call_its_risk_and_the_exact_request_and_sends_nothing(
    app: App, sandbox: SandboxServer
) -> None:
    with_mixed_goals(app, sandbox)
    result = app.run("cleanup", "--profile", "Local", "--since", "10m", "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Cleanup of Local ({sandbox.url}): 2 calls." in out
    assert "Each window runs from 5 s before a send to 5 s after its answer" in out
    assert ". Delete your test goals named signup" in out and "covers 2 sends from here" in out
    assert "  risk: Only your test goals." in out
    requests = re.findall(r"^  DELETE (\S+)$", out, re.MULTILINE)
    assert len(requests) == 2
    for url in requests:
        assert url.startswith(sandbox.url + "/api/v1/goals?name=")
        assert f"visitorId={TEST_VID}" in url and "&startAt=" in url and "&endAt=" in url
    assert "Dry run: nothing was sent." in out
    assert deletes_received(sandbox) == [] and len(stored(sandbox)) == 6


def test_with_yes_exactly_the_test_goals_are_deleted(app: App, sandbox: SandboxServer) -> None:
    sends = with_mixed_goals(app, sandbox)
    result = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes")
    assert result.returncode == 0, result.stderr
    assert "deleted: The server deleted 2 goal events (2 sent from here)." in result.stdout
    assert "Deleted 3 goal events in 2 of 2 calls; 3 sends marked" in result.stdout
    assert stored(sandbox) == REAL
    with app.history() as history:
        assert set(cleaned_marks(history, sends)) == set(sends)
    again = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes")
    assert again.returncode == 0
    assert "Nothing to delete." in again.stdout
    assert "3 records: already deleted from analytics." in again.stdout
    assert len(deletes_received(sandbox)) == 2


def test_the_key_can_come_from_the_profiles_keyring_entry(app: App, sandbox: SandboxServer) -> None:
    with_mixed_goals(app, sandbox)
    stored_key = cli(app.place, "key", "set", "--profile", "Local", stdin=TEST_KEY + "\n")
    assert stored_key.returncode == 0, stored_key.stderr
    result = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes", key=None)
    assert result.returncode == 0, result.stderr
    assert stored(sandbox) == REAL
    no_key = app.run("cleanup", "--profile", "Production", "--since", "10m", "--yes", key=None)
    assert no_key.returncode == 0 and "Nothing to delete." in no_key.stdout  # no sends there


def test_without_a_key_nothing_is_sent(app: App, sandbox: SandboxServer) -> None:
    with_mixed_goals(app, sandbox)
    result = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes", key=None)
    assert result.returncode == 2
    assert "no API key for profile Local" in result.stderr
    assert deletes_received(sandbox) == []


def test_without_yes_and_no_terminal_nothing_is_sent(app: App, sandbox: SandboxServer) -> None:
    with_mixed_goals(app, sandbox)
    result = app.run("cleanup", "--profile", "Local", "--since", "10m")
    assert result.returncode == 2
    assert "add --yes" in result.stderr
    assert deletes_received(sandbox) == []


def test_the_profile_name_typed_on_a_terminal_confirms(app: App, sandbox: SandboxServer) -> None:
    with_mixed_goals(app, sandbox)
    main, other = os.openpty()
    try:
        os.write(main, b"Local\n")
        result = subprocess.run(
            app.command("cleanup", "--profile", "Local", "--since", "10m"),
            stdin=other,
            capture_output=True,
            text=True,
            env=app.env(),
            cwd=REPO,
            timeout=60,
        )
    finally:
        os.close(other)
        os.close(main)
    assert result.returncode == 0, result.stderr
    assert stored(sandbox) == REAL


def test_calls_that_reach_real_visitors_need_their_own_flag(
    app: App, sandbox: SandboxServer
) -> None:
    with app.history() as history:
        send_from_app(sandbox, history, "signup", TEST_VID)
        send_from_app(sandbox, history, "trial")  # no visitor ID
    send_real(sandbox, "other", "real-visitor-e")
    refused = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes")
    assert refused.returncode == 2
    assert "  warning: Any goal named trial from anyone between" in refused.stdout
    assert "1 of the calls can delete goals of real visitors" in refused.stderr
    assert "--include-real-visitors" in refused.stderr
    assert deletes_received(sandbox) == []
    allowed = app.run(
        "cleanup", "--profile", "Local", "--since", "10m", "--yes", "--include-real-visitors"
    )
    assert allowed.returncode == 0, allowed.stderr
    assert stored(sandbox) == [("other", "real-visitor-e")]


def test_ids_and_a_goal_name_choose_the_sends(app: App, sandbox: SandboxServer) -> None:
    sends = with_mixed_goals(app, sandbox)  # signup, signup, purchase
    ids = ",".join(str(i) for i in sends)
    result = app.run("cleanup", "--profile", "Local", "--ids", ids, "--name", "purchase", "--yes")
    assert result.returncode == 0, result.stderr
    assert "2 chosen records are not named purchase: left out." in result.stderr
    assert ("purchase", TEST_VID) not in stored(sandbox)
    assert stored(sandbox).count(("signup", TEST_VID)) == 2
    only_first = app.run("cleanup", "--profile", "Local", "--ids", str(sends[0]), "--yes")
    assert only_first.returncode == 0
    with app.history() as history:
        assert set(cleaned_marks(history, sends)) == {sends[0], sends[2]}


@pytest.mark.parametrize("skew", [-4.0, 4.0])
def test_a_sandbox_clock_a_few_seconds_off_is_cleaned_exactly(app: App, skew: float) -> None:
    with running_sandbox(clock_skew=skew) as server:
        app.profiles().add("Skewed", server.url)
        app.profiles().set_test_identity("Skewed", TEST_VID)
        with app.history() as history:
            for name in ("signup", "signup", "purchase"):
                send_from_app(server, history, name, TEST_VID, profile="Skewed")
            send_real(server, "signup", "real-visitor-a")
        result = app.run("cleanup", "--profile", "Skewed", "--since", "1h", "--yes")
        assert result.returncode == 0, result.stderr
        assert stored(server) == [("signup", "real-visitor-a")]


def test_a_send_with_no_precise_time_is_deleted_only_with_the_wide_window(
    app: App, sandbox: SandboxServer
) -> None:
    with app.history() as history:
        record_id = send_from_app(sandbox, history, "signup", TEST_VID)
        record = history.get(record_id)
        assert record is not None
        history.delete([record_id])  # the same send, recorded as one that took 2 hours
        slow = replace(record.exchange, elapsed_ms=7_200_000.0)
        history.append(slow, profile="Local", source="cli")
    listed = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes")
    assert listed.returncode == 0
    assert "1 record: cannot be deleted exactly" in listed.stdout
    assert "Nothing to delete." in listed.stdout and stored(sandbox) == [("signup", TEST_VID)]
    wide = app.run("cleanup", "--profile", "Local", "--since", "10m", "--yes", "--wide-window")
    assert wide.returncode == 0, wide.stderr
    assert "  warning: Only your test goals. The window is wide" in wide.stdout
    assert stored(sandbox) == []


# --- failures --------------------------------------------------------------------------------


def test_a_wrong_key_is_exit_1_and_deletes_nothing(app: App, sandbox: SandboxServer) -> None:
    with_mixed_goals(app, sandbox)
    result = app.run(
        "cleanup", "--profile", "Local", "--since", "10m", "--yes", key="flow_wrong_000000000"
    )
    assert result.returncode == 1
    assert "call 1: failed: The server answered 401" in result.stderr
    assert re.search(r"Not sent: 1 call covering [12] sends?", result.stdout)
    assert "flow_wrong_000000000" not in result.stdout + result.stderr
    assert len(stored(sandbox)) == 6


def test_no_answer_is_exit_3(app: App) -> None:
    server = SandboxServer(api_key=TEST_KEY).start()
    app.profiles().add("Gone", server.url)
    app.profiles().set_test_identity("Gone", TEST_VID)
    with app.history() as history:
        send_from_app(server, history, "signup", TEST_VID, profile="Gone")
    server.stop()
    result = app.run("cleanup", "--profile", "Gone", "--since", "10m", "--yes")
    assert result.returncode == 3
    assert "call 1: no_response: No answer:" in result.stderr
    assert_no_traceback(result)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--since", "yesterday"], "neither a duration"),
        (["--since", "0m"], "no time at all"),
        (["--since", "2999-01-01T00:00"], "in the future"),
        (["--since", "99999999d"], "neither a duration"),
        (["--since", "x" * 100_000], "neither a duration"),
        (["--ids", "12,abc"], "not a history record id"),
        (["--ids", "1" * 40], "not a history record id"),
        (["--since", "1h", "--ids", "1"], "not allowed with"),
        ([], "one of the arguments --since --ids is required"),
    ],
)
def test_bad_input_gets_a_plain_message_and_exit_2(
    app: App, sandbox: SandboxServer, args: list[str], words: str
) -> None:
    result = app.run("cleanup", "--profile", "Local", *args)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr) < 2000
    assert_no_traceback(result)


def test_an_unknown_profile_or_the_sandbox_without_a_url_is_exit_2(app: App) -> None:
    unknown = app.run("cleanup", "--profile", "Nope", "--since", "1h")
    assert unknown.returncode == 2 and "no profile named 'Nope'" in unknown.stderr
    sandbox = app.run("cleanup", "--profile", "Sandbox", "--since", "1h")
    assert sandbox.returncode == 2 and "--base-url" in sandbox.stderr


def test_no_history_yet_is_said_plainly(app: App, sandbox: SandboxServer) -> None:
    result = app.run("cleanup", "--profile", "Local", "--since", "1h", "--dry-run")
    assert result.returncode == 2
    assert "there is no history" in result.stderr
    assert_no_traceback(result)


def test_two_cleanups_of_the_same_sends_at_once_each_send_is_claimed_once(
    app: App, sandbox: SandboxServer
) -> None:
    with app.history() as history:
        sends = [send_from_app(sandbox, history, f"goal-{i}", TEST_VID) for i in range(5)]
    args = app.command("cleanup", "--profile", "Local", "--since", "10m", "--yes")
    processes = [
        subprocess.Popen(
            args,
            env=app.env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    claimed = 0
    for out, _err in outputs:
        found = re.search(r"(\d+) sends? marked as deleted from analytics", out)
        claimed += int(found.group(1)) if found else 0
    assert claimed == len(sends)
    assert stored(sandbox) == []
    with app.history() as history:
        assert set(cleaned_marks(history, sends)) == set(sends)


# --- profile set -----------------------------------------------------------------------------


def test_profile_set_stores_the_test_identity_for_production(app: App) -> None:
    result = app.run(
        "profile", "set", "production", "--test-visitor", "vid-1", "--test-session", "s1"
    )
    assert result.returncode == 0, result.stderr
    assert "Profile Production: test visitor ID vid-1, test session ID s1." in result.stdout
    production = app.profiles().get("Production")
    assert production is not None and production.test_visitor_id == "vid-1"
    data = json.loads((app.config / "profiles.json").read_text(encoding="utf-8"))
    assert data["builtins"]["Production"] == {"test_visitor_id": "vid-1", "test_session_id": "s1"}


def test_profile_set_can_make_fresh_ids_and_clear_them(app: App) -> None:
    made = app.run("profile", "set", "Production", "--new-test-ids")
    assert made.returncode == 0
    production = app.profiles().get("Production")
    assert production is not None and len(production.test_visitor_id) == 36
    cleared = app.run("profile", "set", "Production", "--clear-test-ids")
    assert cleared.returncode == 0 and "no test IDs" in cleared.stdout
    production = app.profiles().get("Production")
    assert production is not None and not production.has_test_identity


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["Production", "--test-visitor", "_fs_vid=abc"], "cookie's value alone"),
        (["Nope", "--test-visitor", "abc"], "no profile named"),
        (["Production", "--test-session", "s"], "one of the arguments"),
        (["Production"], "one of the arguments"),
    ],
)
def test_profile_set_refuses_bad_input_with_exit_2(app: App, args: list[str], words: str) -> None:
    result = app.run("profile", "set", *args)
    assert result.returncode == 2
    assert words in result.stderr
    assert_no_traceback(result)
