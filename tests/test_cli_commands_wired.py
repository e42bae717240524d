"""`flowsery-goal` reaches every command, and the heavy ones load only when they run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from flowsery_gui.cli import main
from tests.cli_helpers import (
    KEY,
    Place,
    add_local_profile,
    cli,
    keyed_sandbox_fixture,
    place_fixture,
    stored_goals,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("command", ["run", "plan", "verify"])
def test_the_top_level_help_lists_each_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--help"]) == 0
    assert f"\n    {command} " in capsys.readouterr().out


def test_plan_check_runs_through_flowsery_goal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(ROOT / "examples" / "acme.plan.yaml")]) == 0
    assert "a valid plan" in capsys.readouterr().out


def test_run_dry_run_runs_through_flowsery_goal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_VISITOR_ID", "ci-visitor")
    code = main(
        [
            "run",
            "--dry-run",
            str(ROOT / "examples" / "signup.suite.yaml"),
            "--base-url",
            "http://127.0.0.1:9",
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "newsletter_signup" in out.out + out.err


def test_verify_without_a_plan_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "capture.har"]) == 2


def test_validate_loads_neither_yaml_nor_json_schema() -> None:
    code = (
        'import sys, io; sys.stdin = io.StringIO(\'{"name": "a"}\');'
        "from flowsery_gui.cli import main; main(['validate']);"
        "heavy = [m for m in ('ruamel', 'jsonschema', 're2') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


# --- test identity, personal data and cleanup through `flowsery-goal` ----------------------

_fixtures = (keyed_sandbox_fixture, place_fixture)  # the `sandbox` and `place` fixtures


def _set_identity(place: Place) -> None:
    done = cli(place, "profile", "set", "Local", "--test-visitor", "qa-visitor-1")
    assert done.returncode == 0, done.stderr


def test_send_fills_empty_ids_from_the_profiles_test_identity_and_says_so(
    place: Place, sandbox: Any
) -> None:
    add_local_profile(place, sandbox.url)
    _set_identity(place)
    sent = cli(place, "send", "--profile", "Local", "--name", "signup")
    assert sent.returncode == 0, sent.stderr
    assert "test visitor ID from this profile" in sent.stderr
    assert stored_goals(sandbox)[-1]["visitorUid"] == "qa-visitor-1"


def test_send_no_test_ids_sends_the_ids_as_given(place: Place, sandbox: Any) -> None:
    add_local_profile(place, sandbox.url)
    _set_identity(place)
    sent = cli(place, "send", "--profile", "Local", "--name", "signup", "--no-test-ids")
    assert sent.returncode == 0, sent.stderr
    assert "visitorUid" not in stored_goals(sandbox)[-1]


def test_profile_list_shows_a_test_visitor_id(place: Place, sandbox: Any) -> None:
    add_local_profile(place, sandbox.url)
    _set_identity(place)
    listed = cli(place, "profile", "list")
    assert "(test visitor ID qa-visitor-1)" in listed.stdout


def test_cleanup_through_flowsery_goal_deletes_exactly_the_test_goal(
    place: Place, sandbox: Any
) -> None:
    add_local_profile(place, sandbox.url)
    _set_identity(place)
    assert cli(place, "send", "--profile", "Local", "--name", "signup").returncode == 0
    # A real visitor's goal of the same name, sent by someone else (not in this history).
    real = requests.post(
        sandbox.url + "/api/v1/goals",
        json={"name": "signup", "visitorUid": "someone"},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=10,
    )
    assert real.status_code == 200
    done = cli(place, "cleanup", "--profile", "Local", "--since", "10m", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 call." in done.stdout
    assert [g.get("visitorUid") for g in stored_goals(sandbox)] == ["someone"]
