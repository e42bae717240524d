"""`flowsery-goal key|profile` and `send --profile`, as real subprocesses.

Each test gets its own data and config folders and a test-only file keyring
(tests/cli_helpers.py, `Place`), so the keyring file is the one place a key may be written,
and everything else can be searched for it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from flowsery_gui.profiles import ProfileStore
from flowsery_gui.sandbox import SandboxServer
from tests.cli_helpers import (
    KEY,
    NO_KEYRING,
    OTHER_KEY,
    REPO,
    Place,
    add_local_profile,
    cli,
    closed_port_url,
    files_under,
    keyed_sandbox_fixture,  # noqa: F401  (provides the `sandbox` fixture)
    place_fixture,  # noqa: F401  (provides the `place` fixture)
    stored_goals,
)

pytestmark = pytest.mark.slow


# --- key -------------------------------------------------------------------------------------


def test_key_set_reads_stdin_and_status_shows_it_masked_never_whole(place: Place) -> None:
    assert cli(place, "profile", "add", "Staging", "https://staging.example.com").returncode == 0
    stored = cli(place, "key", "set", "--profile", "staging", stdin=f"  {KEY}  \n")
    assert stored.returncode == 0, stored.stderr
    assert "…" + KEY[-4:] in stored.stdout and "Staging" in stored.stdout
    assert place.stored_keys() == {"Staging": KEY}  # stripped, under the profile's own name

    status = cli(place, "key", "status")
    assert status.returncode == 0, status.stderr
    lines = {line.split("  ")[0]: line for line in status.stdout.splitlines()}
    assert "stored in" in lines["Staging"] and lines["Staging"].endswith("…" + KEY[-4:])
    assert lines["Production"].split()[-1] == "none"
    assert "flowsery-sandbox" in lines["Sandbox"]

    one = cli(place, "key", "status", "--profile", "Staging")
    assert one.returncode == 0
    assert [line.split() for line in one.stdout.splitlines()] == [lines["Staging"].split()]


@pytest.mark.parametrize(
    "args",
    [
        ("key", "set", "--profile", "Production", KEY),
        ("key", "set", "--profile", "Production", "--key", KEY),
        ("key", "set", "--profile", "Production", f"--key={KEY}"),
        ("key", "set", f"--api-key={KEY}", "--profile", "Production"),
    ],
)
def test_a_key_on_the_command_line_is_refused_without_echoing_it(
    place: Place, args: tuple[str, ...]
) -> None:
    result = cli(place, *args)  # cli() asserts the key is not in the output
    assert result.returncode == 2
    assert "stdin" in result.stderr
    assert place.stored_keys() == {}


def test_key_set_takes_no_key_option_or_argument(place: Place) -> None:
    result = cli(place, "key", "set", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: flowsery-goal key set [-h] --profile NAME\n")


@pytest.mark.parametrize(
    "words",
    [("key", KEY), ("key", "set", "--profile", "Production", KEY)],
    ids=["as-the-action", "as-an-extra-word"],
)
def test_a_key_typed_on_the_command_line_is_refused_without_being_repeated(
    place: Place, words: tuple[str, ...]
) -> None:
    result = cli(place, *words)  # cli() fails the test if the key shows up anywhere
    assert result.returncode == 2
    assert "not shown" in result.stderr


def test_key_set_on_a_terminal_prompts_without_echoing_the_key(place: Place) -> None:
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as in a shell
        env = place.env()
        args = [sys.executable, "-m", "flowsery_gui.cli", "key", "set", "--profile", "Production"]
        os.chdir(REPO)
        os.execvpe(sys.executable, args, env)
    output = b""
    sent = False
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if not sent and b"(input hidden):" in output:
                os.write(fd, KEY.encode() + b"\n")
                sent = True
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert sent, output
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert KEY.encode() not in output  # not echoed, not printed
    assert ("…" + KEY[-4:]).encode() in output
    assert place.stored_keys() == {"Production": KEY}


def test_key_set_warns_about_a_key_without_flow_prefix_but_stores_it(place: Place) -> None:
    result = cli(place, "key", "set", "--profile", "Production", stdin="sk_not_flowsery_1234\n")
    assert result.returncode == 0
    assert "warning" in result.stderr and "flow_" in result.stderr
    assert place.stored_keys() == {"Production": "sk_not_flowsery_1234"}


def test_key_set_with_nothing_on_stdin_exits_2_and_stores_nothing(place: Place) -> None:
    result = cli(place, "key", "set", "--profile", "Production", stdin="\n")
    assert result.returncode == 2 and "no key on stdin" in result.stderr
    assert place.stored_keys() == {}


def test_key_set_for_an_unknown_profile_exits_2_listing_the_profiles(place: Place) -> None:
    result = cli(place, "key", "set", "--profile", "Nope", stdin=KEY + "\n")
    assert result.returncode == 2 and "Production" in result.stderr
    assert place.stored_keys() == {}


def test_key_delete_forgets_the_key(place: Place) -> None:
    assert cli(place, "key", "set", "--profile", "Production", stdin=KEY).returncode == 0
    deleted = cli(place, "key", "delete", "--profile", "Production")
    assert deleted.returncode == 0 and "Deleted" in deleted.stdout
    assert place.stored_keys() == {}
    status = cli(place, "key", "status", "--profile", "Production")
    assert status.stdout.split() == ["Production", "none"]
    again = cli(place, "key", "delete", "--profile", "Production")
    assert again.returncode == 0 and "No key was stored" in again.stdout


def test_key_status_says_the_environment_variable_wins(place: Place) -> None:
    assert cli(place, "key", "set", "--profile", "Production", stdin=OTHER_KEY).returncode == 0
    status = cli(place, "key", "status", "--profile", "Production", FLOWSERY_API_KEY=KEY)
    assert status.returncode == 0
    assert "from $FLOWSERY_API_KEY" in status.stdout
    assert status.stdout.rstrip().endswith("…" + KEY[-4:])
    assert "wins over the key stored in" in status.stdout and "…" + OTHER_KEY[-4:] in status.stdout


def test_without_a_keyring_key_set_exits_4_with_advice_and_writes_nothing(
    place: Place, tmp_path: Path
) -> None:
    result = cli(place, "key", "set", "--profile", "Production", stdin=KEY, backend=NO_KEYRING)
    assert result.returncode == 4
    assert "No system keyring" in result.stderr
    assert "FLOWSERY_API_KEY" in result.stderr and "headless" in result.stderr
    assert "session only" not in result.stderr  # a one-shot command has no session
    assert not place.keyring_file.exists()
    for path in files_under(tmp_path):
        assert KEY.encode() not in path.read_bytes(), path

    status = cli(place, "key", "status", backend=NO_KEYRING)
    assert status.returncode == 4 and "FLOWSERY_API_KEY" in status.stderr


# --- profile ---------------------------------------------------------------------------------


def test_profile_list_shows_the_built_ins_and_the_sandbox_as_flowsery_sandbox(
    place: Place,
) -> None:
    result = cli(place, "profile", "list")
    assert result.returncode == 0
    assert [line.split() for line in result.stdout.splitlines()] == [
        ["Production", "production", "https://analytics.flowsery.com"],
        ["Sandbox", "sandbox", "built-in", "sandbox", "(flowsery-sandbox)"],
    ]


def test_profile_add_and_remove_use_the_windows_profiles_file(place: Place) -> None:
    added = cli(place, "profile", "add", "QA Box", "https://qa.example.com/")
    assert added.returncode == 0, added.stderr
    store = ProfileStore(place.config / "profiles.json")
    assert [(p.name, p.base_url, p.kind) for p in store.list()][-1] == (
        "QA Box",
        "https://qa.example.com",
        "custom",
    )
    listed = cli(place, "profile", "list")
    assert listed.stdout.splitlines()[-1].split() == [
        "QA",
        "Box",
        "custom",
        "https://qa.example.com",
    ]

    assert cli(place, "key", "set", "--profile", "QA Box", stdin=KEY).returncode == 0
    removed = cli(place, "profile", "remove", "qa box")
    assert removed.returncode == 0, removed.stderr
    assert [p.name for p in ProfileStore(place.config / "profiles.json").list()] == [
        "Production",
        "Sandbox",
    ]
    assert place.stored_keys() == {}  # its key went with it, as in the window


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "Production", "https://x.example.com"), "built-in"),
        (("add", "Staging", "ftp://x.example.com"), "http://"),
        (("add", "Staging", "https://user:pw@x.example.com"), "password"),
        (("remove", "Sandbox"), "built-in"),
        (("remove", "production"), "built-in"),
        (("remove", "Nope"), "no profile named"),
    ],
)
def test_profile_changes_that_cannot_be_made_exit_2_saying_why(
    place: Place, args: tuple[str, ...], words: str
) -> None:
    result = cli(place, "profile", *args)
    assert result.returncode == 2
    assert words in result.stderr
    assert not (place.config / "profiles.json").exists()


def test_profile_add_twice_exits_2(place: Place) -> None:
    assert cli(place, "profile", "add", "Staging", "https://a.example.com").returncode == 0
    again = cli(place, "profile", "add", "staging", "https://b.example.com")
    assert again.returncode == 2 and "already exists" in again.stderr


# --- send --profile --------------------------------------------------------------------------


def test_send_with_a_profile_uses_its_url_and_its_keyring_key(
    place: Place, sandbox: SandboxServer
) -> None:
    add_local_profile(place, sandbox.url)
    result = cli(place, "send", "--profile", "Local", "--name", "signup", "--verbose")
    assert result.returncode == 0, result.stderr
    assert f"> POST {sandbox.url}/api/v1/goals" in result.stdout
    assert "> Authorization: Bearer …" + KEY[-4:] in result.stdout
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["signup"]


def test_the_environment_key_wins_over_the_keyring(place: Place, sandbox: SandboxServer) -> None:
    add_local_profile(place, sandbox.url, key=OTHER_KEY)  # the keyring holds a wrong key
    right = cli(place, "send", "--profile", "Local", "--name", "a", FLOWSERY_API_KEY=KEY)
    assert right.returncode == 0, right.stderr
    wrong = cli(place, "send", "--profile", "Local", "--name", "b")  # keyring key: 401
    assert wrong.returncode == 1 and "401 Unauthorized" in wrong.stdout
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["a"]


def test_base_url_wins_over_the_profiles_url(place: Place, sandbox: SandboxServer) -> None:
    add_local_profile(place, closed_port_url())
    result = cli(place, "send", "--profile", "Local", "--name", "x", "--base-url", sandbox.url)
    assert result.returncode == 0, result.stderr
    assert len(stored_goals(sandbox)) == 1
    history = cli(place, "history", "--json")
    assert [json.loads(line)["profile"] for line in history.stdout.splitlines()] == ["Local"]


def test_the_sandbox_profile_without_base_url_is_refused_pointing_at_flowsery_sandbox(
    place: Place,
) -> None:
    result = cli(place, "send", "--profile", "Sandbox", "--name", "x", FLOWSERY_API_KEY=KEY)
    assert result.returncode == 2
    assert "flowsery-sandbox" in result.stderr and "--base-url" in result.stderr
    assert not place.data.exists()  # nothing was sent, nothing recorded


def test_the_sandbox_profile_with_base_url_sends_there_with_the_environment_key(
    place: Place, sandbox: SandboxServer
) -> None:
    result = cli(
        place, "send", "--profile", "sandbox", "--name", "x", "--base-url", sandbox.url,
        FLOWSERY_API_KEY=KEY,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    history = cli(place, "history", "--json")
    assert [json.loads(line)["profile"] for line in history.stdout.splitlines()] == ["Sandbox"]


def test_send_with_a_profile_that_has_no_key_exits_2_naming_key_set(place: Place) -> None:
    assert cli(place, "profile", "add", "Local", closed_port_url()).returncode == 0
    result = cli(place, "send", "--profile", "Local", "--name", "x")
    assert result.returncode == 2
    assert "key set --profile Local" in result.stderr and "FLOWSERY_API_KEY" in result.stderr


def test_send_with_a_profile_and_no_keyring_exits_4(place: Place) -> None:
    assert cli(place, "profile", "add", "Local", closed_port_url()).returncode == 0
    result = cli(place, "send", "--profile", "Local", "--name", "x", backend=NO_KEYRING)
    assert result.returncode == 4
    assert "FLOWSERY_API_KEY" in result.stderr


def test_send_to_an_unknown_profile_exits_2(place: Place) -> None:
    result = cli(place, "send", "--profile", "Nope", "--name", "x", FLOWSERY_API_KEY=KEY)
    assert result.returncode == 2 and "no profile named 'Nope'" in result.stderr
