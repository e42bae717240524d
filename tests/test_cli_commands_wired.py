"""`flowsery-goal` reaches every command, and the heavy ones load only when they run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flowsery_gui.cli import main

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
