"""`flowsery-sandbox --plan FILE` as a CI job runs it: a real subprocess, a plan file on disk
edited, broken and deleted while it runs, goals posted over loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.test_sandbox_cli import TIMEOUT, run, sandbox_process

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme.plan.yaml"
KEY = "flow_sandbox_plan_cli_4b1d"
UPPER = {"name": "newsletter_signup", "visitorUid": "v", "metadata": {"plan": "Pro"}}
LISTENING = "Flowsery sandbox listening on "
POLL = 0.05


def wait_for(read: Callable[[], str], condition: Callable[[str], bool], what: str) -> str:
    """Read until the condition holds (polling), or fail naming what never came."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        text = read()
        if condition(text):
            return text
        if time.monotonic() > deadline:
            pytest.fail(f"never saw {what}; got:\n{text}")
        time.sleep(POLL)


class Running:
    """The sandbox's URL, its stderr (a file) and helpers to post and read verdicts."""

    def __init__(self, start_line: str, log: Path) -> None:
        self.start_line = start_line
        self.url = start_line.removeprefix(LISTENING).split(" ", 1)[0]
        self.log = log

    def err(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_err(self, words: str) -> str:
        return wait_for(self.err, lambda text: words in text, repr(words))

    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Post a goal; the verdict the sandbox recorded for it."""
        answer = requests.post(
            self.url + "/api/v1/goals",
            json=body,
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200
        records = requests.get(self.url + "/sandbox/requests", timeout=TIMEOUT).json()
        verdict: dict[str, Any] = records["requests"][-1]["verdict"]
        return verdict


@pytest.fixture(name="plan_file")
def plan_file_fixture(tmp_path: Path) -> Path:
    path = tmp_path / "acme.plan.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def plan_codes(verdict: dict[str, Any]) -> list[str]:
    return [f["code"] for f in verdict["findings"] if f["source"] == "plan"]


def test_the_sandbox_checks_goals_against_the_plan_and_follows_its_file(
    plan_file: Path, tmp_path: Path
) -> None:
    log = tmp_path / "stderr.txt"
    with (
        log.open("w") as stderr,
        sandbox_process("--api-key", KEY, "--plan", str(plan_file), stderr=stderr) as sandbox,
    ):
        first = sandbox.line()
        assert first is not None and first.startswith(LISTENING)
        assert first.endswith(
            f" · checks goals against the plan acme-website ({plan_file}, 3 goals)"
        )
        box = Running(first, log)

        verdict = box.post(UPPER)
        assert verdict["plan"] == "acme-website" and verdict["ok"] is True
        assert plan_codes(verdict) == ["plan.bad_value"]
        box.wait_err("200 - · body: valid · plan acme-website: 1 warning: plan.bad_value")

        # The team allows `Pro`: the sandbox reloads the plan and checks with it.
        text = plan_file.read_text(encoding="utf-8")
        plan_file.write_text(text.replace("[free, pro, team]", "[free, pro, team, Pro]"), "utf-8")
        box.wait_err(f"The plan changed and was reloaded: acme-website ({plan_file}, 3 goals).")
        assert plan_codes(box.post(UPPER)) == []

        # A broken edit is refused with its line and key; the last good plan keeps checking.
        plan_file.write_text(text.replace("visitor: required", "visitor: maybe", 1), "utf-8")
        err = box.wait_err("changed but cannot be used; still checking against the last good")
        assert f"  {plan_file}, line 9, goals.newsletter_signup.visitor:" in err
        assert plan_codes(box.post(UPPER)) == []
        assert plan_codes(box.post({**UPPER, "name": "signup"})) == ["plan.unplanned_goal"]

        # Deleted: the last good plan still checks.
        plan_file.unlink()
        box.wait_err(f"The plan file {plan_file} is gone; still checking")
        assert plan_codes(box.post(UPPER)) == []

        sandbox.proc.terminate()
        assert sandbox.proc.wait(TIMEOUT) == 0
    assert "Traceback" not in box.err()


def test_a_plan_that_cannot_be_used_stops_the_start_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.plan.yaml"
    path.write_text(
        "plan: broken\ngoals:\n  signup:\n    metadata:\n      plan: { requried: true }\n",
        encoding="utf-8",
    )
    result = run("--port", "0", "--plan", str(path))
    assert result.returncode == 2
    assert result.stdout == ""  # no start line: nothing listens
    assert (
        f"flowsery-sandbox: --plan: {path}, line 5, goals.signup.metadata.plan.requried: "
        "Unknown keyword `requried`" in result.stderr
    )


def test_a_plan_file_that_is_not_there_stops_the_start_with_exit_2(tmp_path: Path) -> None:
    result = run("--port", "0", "--plan", str(tmp_path / "nope.plan.yaml"))
    assert result.returncode == 2
    assert "nope.plan.yaml: There is no such file." in result.stderr


def test_without_a_plan_the_log_line_and_the_verdict_name_none(tmp_path: Path) -> None:
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr, sandbox_process("--api-key", KEY, stderr=stderr) as sandbox:
        first = sandbox.line()
        assert first is not None and "plan" not in first
        box = Running(first, log)
        assert "plan" not in box.post(UPPER)
        assert " · plan" not in box.wait_err("200 - · body: valid")


def test_help_documents_the_plan_option() -> None:
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--plan FILE" in text
    assert "also check each received goal against this tracking plan" in text
    assert "tracking plan: with --plan FILE each received goal is also checked" in text
    assert "keeps the last good plan" in text


def test_a_plan_is_only_imported_when_one_is_given() -> None:
    code = (
        "import sys; from flowsery_gui.sandbox import cli; cli.build_parser();"
        "print([m for m in ('ruamel', 'jsonschema', 'flowsery_gui.plan') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
