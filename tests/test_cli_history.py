"""`flowsery-goal history`, and what each send records, as real subprocesses in a test's own
folders (tests/cli_helpers.py, `Place`)."""

from __future__ import annotations

import json
import re

import pytest

from flowsery_gui.sandbox import SandboxServer
from tests.cli_helpers import (
    KEY,
    OTHER_KEY,
    Place,
    add_local_profile,
    cli,
    closed_port_url,
    files_under,
    keyed_sandbox_fixture,  # noqa: F401  (provides the `sandbox` fixture)
    place_fixture,  # noqa: F401  (provides the `place` fixture)
    read_only,
    stored_goals,
)

pytestmark = pytest.mark.slow


# --- history ---------------------------------------------------------------------------------


def test_history_keeps_successes_and_failures_and_never_the_key(
    place: Place, sandbox: SandboxServer
) -> None:
    add_local_profile(place, sandbox.url)
    ok = cli(place, "send", "--profile", "Local", "--name", "signup", "--meta", "plan=pro")
    assert ok.returncode == 0, ok.stderr
    dead = closed_port_url()
    refused = cli(place, "send", "--profile", "Local", "--name", "checkout", "--base-url", dead)
    assert refused.returncode == 3
    custom = cli(place, "send", "--name", "rejected", "--base-url", sandbox.url,
                 FLOWSERY_API_KEY=OTHER_KEY)  # fmt: skip
    assert custom.returncode == 1  # 401, recorded under "custom"

    text = cli(place, "history")
    assert text.returncode == 0, text.stderr
    # The time (local, as the window's history shows it) and the columns after it.
    shown = [
        re.match(r"(\w{3} \d+, \d{4}, [\d:]+\s[AP]M)  +(.*)$", line)
        for line in text.stdout.splitlines()
    ]
    assert all(shown), text.stdout
    rows = [match.group(2).split() for match in shown if match]
    assert [row[:-2] for row in rows] == [
        ["custom", "rejected", "401"],
        ["Local", "checkout", "no", "response", "(refused)"],
        ["Local", "signup", "200"],
    ]
    assert all(row[-1] == "ms" and row[-2].isdigit() for row in rows)

    lines = cli(place, "history", "--json").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["goal_name"], r["profile"], r["status"]) for r in records] == [
        ("rejected", "custom", 401),
        ("checkout", "Local", None),
        ("signup", "Local", 200),
    ]
    assert records[1]["failure"]["kind"] == "refused"
    assert records[2]["metadata"] == {"plan": "pro"} and records[2]["source"] == "cli"
    assert all(isinstance(r["elapsed_ms"], float) and r["time"] for r in records)

    for path in files_under(place.data, place.config):
        content = path.read_bytes()
        assert KEY.encode() not in content and OTHER_KEY.encode() not in content, path
    assert place.data.exists() and not place.keyring_file.is_relative_to(place.data)


def test_history_search_status_profile_and_limit_filter(
    place: Place, sandbox: SandboxServer
) -> None:
    add_local_profile(place, sandbox.url)
    for name in ("newsletter_signup", "checkout", "newsletter_unsubscribe"):
        assert cli(place, "send", "--profile", "Local", "--name", name).returncode == 0
    assert cli(place, "send", "--name", "lost", "--base-url", closed_port_url(),
               FLOWSERY_API_KEY=KEY).returncode == 3  # fmt: skip

    def names(*args: str) -> list[str]:
        result = cli(place, "history", "--json", *args)
        assert result.returncode == 0, result.stderr
        return [json.loads(line)["goal_name"] for line in result.stdout.splitlines()]

    assert names("--search", "newsletter") == ["newsletter_unsubscribe", "newsletter_signup"]
    assert names("--search", "NEWSLETTER sign") == ["newsletter_signup"]
    assert names("--status", "failure") == ["lost"]
    assert names("--status", "2xx", "--limit", "2") == ["newsletter_unsubscribe", "checkout"]
    assert names("--profile", "custom") == ["lost"]
    assert len(names("--limit", "0")) == 4
    nothing = cli(place, "history", "--search", "zzz_nothing")
    assert nothing.returncode == 0 and nothing.stdout == ""
    assert "No matching exchanges." in nothing.stderr


def test_an_empty_history_exits_0_and_says_so_without_creating_a_database(place: Place) -> None:
    text = cli(place, "history")
    assert text.returncode == 0 and text.stdout == ""
    assert "No history yet." in text.stderr
    as_json = cli(place, "history", "--json")
    assert as_json.returncode == 0 and as_json.stdout == ""
    assert not place.data.exists()


def test_history_trouble_never_breaks_sending(place: Place, sandbox: SandboxServer) -> None:
    place.data.parent.mkdir(parents=True, exist_ok=True)
    place.data.write_text("a file where the data folder should be", encoding="utf-8")
    result = cli(place, "send", "--name", "x", "--base-url", sandbox.url, FLOWSERY_API_KEY=KEY)
    assert result.returncode == 0
    assert [line for line in result.stderr.splitlines() if "history is off" in line] == [
        line for line in result.stderr.splitlines() if "history" in line.lower()
    ]
    assert len([line for line in result.stderr.splitlines() if "history is off" in line]) == 1
    assert len(stored_goals(sandbox)) == 1

    refused = cli(place, "send", "--name", "x", "--base-url", closed_port_url(),
                  FLOWSERY_API_KEY=KEY)  # fmt: skip
    assert refused.returncode == 3 and "history is off" in refused.stderr


# --- a history this user cannot write --------------------------------------------------------


def send_one(place: Place, sandbox: SandboxServer, name: str = "signup") -> None:
    result = cli(place, "send", "--name", name, "--base-url", sandbox.url, FLOWSERY_API_KEY=KEY)
    assert result.returncode == 0, result.stderr


def history_names(place: Place) -> list[str]:
    result = cli(place, "history", "--json")
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["goal_name"] for line in result.stdout.splitlines()]


def test_history_reads_a_read_only_history_file_without_changing_it(
    place: Place, sandbox: SandboxServer
) -> None:
    send_one(place, sandbox, "first")
    send_one(place, sandbox, "second")
    db = place.data / "history.sqlite3"
    before = db.read_bytes()
    with read_only(db):
        assert history_names(place) == ["second", "first"]
        text = cli(place, "history")
        assert text.returncode == 0 and len(text.stdout.splitlines()) == 2
    assert db.read_bytes() == before


def test_history_reads_a_history_in_a_read_only_folder(
    place: Place, sandbox: SandboxServer
) -> None:
    send_one(place, sandbox)
    for leftover in place.data.glob("history.sqlite3-*"):  # no lock file to lean on
        leftover.unlink()
    with read_only(place.data):
        assert history_names(place) == ["signup"]
    assert sorted(p.name for p in place.data.iterdir()) == ["history.sqlite3"]


def test_a_send_with_a_read_only_history_file_blames_the_file_not_the_folder(
    place: Place, sandbox: SandboxServer
) -> None:
    send_one(place, sandbox, "first")
    db = place.data / "history.sqlite3"
    with read_only(db):
        result = cli(place, "send", "--name", "x", "--base-url", sandbox.url, FLOWSERY_API_KEY=KEY)
    assert result.returncode == 0
    off = [line for line in result.stderr.splitlines() if "history is off" in line]
    assert off == [f"flowsery-goal: history is off: the history file {db} is read-only. "
                   "Sending still works."]  # fmt: skip
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["first", "x"]
    assert history_names(place) == ["first"]


def test_a_damaged_history_in_a_read_only_folder_exits_1_saying_so(place: Place) -> None:
    place.data.mkdir(parents=True)
    db = place.data / "history.sqlite3"
    db.write_bytes(b"not a database at all " * 100)
    with read_only(place.data):
        result = cli(place, "history")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("flowsery-goal: History could not be read: the history file is damaged")
    assert db.read_bytes() == b"not a database at all " * 100
