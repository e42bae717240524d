"""`flowsery-goal run` end to end in a subprocess, against a real sandbox over loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.suites.runlog import RunLog
from tests.sandbox_helpers import TEST_KEY, running_sandbox

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "signup.suite.yaml"
SLOW = ("--sandbox-fault", "delay=0.2,status=200")  # each goal takes a moment to answer
COMMAND = (sys.executable, "-m", "flowsery_gui.suites.commands", "run")


@pytest.fixture(name="sandbox")
def sandbox_fixture() -> Iterator[SandboxServer]:
    with running_sandbox() as server:
        yield server


@pytest.fixture(name="env")
def env_fixture(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOWSERY_")}
    env.update(
        FLOWSERY_API_KEY=TEST_KEY,
        FLOWSERY_GUI_DATA_DIR=str(tmp_path / "data"),
        FLOWSERY_GUI_CONFIG_DIR=str(tmp_path / "config"),
        DEMO_VISITOR_ID="v-cli",
        PYTHONIOENCODING="utf-8",
    )
    return env


def run_cli(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write(folder: Path, text: str, name: str = "t.suite.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_example_suite_passes_with_a_line_per_goal_and_a_summary(
    sandbox: SandboxServer, env: dict[str, str]
) -> None:
    done = run_cli(env, str(EXAMPLE), "--base-url", sandbox.url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("PASS  ") for line in lines) == 9
    assert lines[-1].startswith("9 passed, 0 failed")
    assert f"against custom at {sandbox.url}" in done.stderr


def test_each_report_parses_back_with_every_goal_and_no_key(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    junit, html, data = tmp_path / "r.xml", tmp_path / "r.html", tmp_path / "r.json"
    done = run_cli(
        env,
        str(EXAMPLE),
        "--base-url",
        sandbox.url,
        "--sandbox-fault",
        "status=500",
        *("--junit", str(junit), "--html", str(html), "--json", str(data)),
    )
    assert done.returncode == 1
    root = ET.parse(junit).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == 9 and len(root.findall(".//failure")) == 8
    first = cases[0]
    assert first.get("name") == "newsletter_signup" and first.get("classname") == "signup flows"
    assert "got 500" in (first.find("failure").get("message") or "")  # type: ignore[union-attr]
    assert "X-Sandbox-Fault: status=500" in (first.findtext("system-out") or "")
    report = json.loads(data.read_text(encoding="utf-8"))
    assert report["summary"]["tests"] == 9 and report["summary"]["passed"] == 1
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "checkout with each currency (row 3)" in page
    for path in (junit, html, data):
        assert TEST_KEY not in path.read_text(encoding="utf-8")


def test_a_goal_that_got_no_answer_is_an_error_in_the_junit_report(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    junit = tmp_path / "r.xml"
    path = write(tmp_path, "goals: [{name: a}, {name: B, expect: {refused: true}}]\n")
    done = run_cli(
        env, str(path), "--base-url", sandbox.url, "--sandbox-fault", "drop", "--junit", str(junit)
    )
    assert done.returncode == 3
    root = ET.parse(junit).getroot()
    assert root.get("errors") == "1" and root.get("failures") == "0"


def test_a_plan_that_cannot_be_used_refuses_the_run_before_sending(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "broken.plan.yaml").write_text("plan: x\ngoals:\n  Bad Name: {}\n", "utf-8")
    path = write(tmp_path, "plan: broken.plan.yaml\ngoals: [{name: a}]\n")
    done = run_cli(env, str(path), "--base-url", sandbox.url)
    assert done.returncode == 2
    assert "t.suite.yaml, line 1 (plan): its plan cannot be used" in done.stderr
    assert "broken.plan.yaml" in done.stderr and sandbox.store.all() == []


def test_a_plan_violation_fails_the_goal_and_names_the_fix(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    plan = (ROOT / "examples" / "acme.plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "acme.plan.yaml").write_text(plan, encoding="utf-8")
    text = "plan: acme.plan.yaml\nids: fresh\ngoals:\n  - name: newsletter_signup\n"
    path = write(tmp_path, text + "    metadata: { plan: Pro }\n")
    done = run_cli(env, str(path), "--base-url", sandbox.url)
    assert done.returncode == 1
    assert "The tracking plan found:" in done.stdout and "pro" in done.stdout


def test_a_failed_goal_exits_1_and_says_why(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    path = write(tmp_path, "goals:\n  - name: a\n  - name: b\n    expect: { status: 404 }\n")
    done = run_cli(env, str(path), "--base-url", sandbox.url)
    assert done.returncode == 1
    assert "FAIL  b" in done.stdout and "Expected status 404, got 200 OK" in done.stdout


def test_a_bad_suite_exits_2_naming_file_line_and_key_and_sends_nothing(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    good = write(tmp_path, "goals: [{name: a}]\n", "good.suite.yaml")
    bad = write(tmp_path, "goals:\n  - name: a\n    metadta: {}\n", "bad.suite.yaml")
    done = run_cli(env, str(good), str(bad), "--base-url", sandbox.url)
    assert done.returncode == 2
    assert "bad.suite.yaml, line 3 (metadta)" in done.stderr and "metadata" in done.stderr
    assert sandbox.store.all() == []


def test_no_response_from_the_target_at_all_exits_3(env: dict[str, str]) -> None:
    with running_sandbox() as gone:
        url = gone.url
    done = run_cli(env, str(EXAMPLE), "--base-url", url)
    assert done.returncode == 3
    assert "No response" in done.stdout


def test_without_a_named_target_the_run_is_refused_and_nothing_is_sent(
    env: dict[str, str],
) -> None:
    done = run_cli(env, str(EXAMPLE))
    assert done.returncode == 2 and "no target named" in done.stderr


def test_the_environment_can_name_the_target(sandbox: SandboxServer, env: dict[str, str]) -> None:
    done = run_cli({**env, "FLOWSERY_BASE_URL": sandbox.url}, str(EXAMPLE))
    assert done.returncode == 0, done.stderr


def test_the_suites_profile_names_the_target_and_production_needs_consent(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    path = write(tmp_path, "profile: Production\ngoals: [{name: a}, {name: b}]\n")
    done = run_cli(env, str(path))
    assert done.returncode == 2
    assert "up to 2 goals to Production" in done.stderr and "--yes-production" in done.stderr
    overridden = run_cli(env, str(path), "--base-url", sandbox.url)
    assert overridden.returncode == 0, overridden.stderr


def test_a_dry_run_shows_the_requests_with_the_key_masked_and_sends_nothing(
    sandbox: SandboxServer, env: dict[str, str]
) -> None:
    done = run_cli(env, str(EXAMPLE), "--base-url", sandbox.url, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"> POST {sandbox.url}/api/v1/goals" in done.stdout
    assert '> {"name": "raw_case", "metadata": {"n": 1}}' in done.stdout  # as written
    assert "not sent: name: Goal names use only lowercase" in done.stdout
    assert TEST_KEY not in done.stdout + done.stderr and "Bearer …6789" in done.stdout
    assert sandbox.store.all() == []


def test_a_sandbox_fault_is_refused_for_a_target_that_is_not_a_local_sandbox(
    env: dict[str, str],
) -> None:
    done = run_cli(
        env, str(EXAMPLE), "--base-url", "https://staging.invalid", "--sandbox-fault", "drop"
    )
    assert done.returncode == 2 and "only for a sandbox on this computer" in done.stderr


def test_an_unknown_sandbox_fault_is_refused_naming_it(
    sandbox: SandboxServer, env: dict[str, str]
) -> None:
    done = run_cli(env, str(EXAMPLE), "--base-url", sandbox.url, "--sandbox-fault", "explode")
    assert done.returncode == 2 and "explode" in done.stderr


def test_a_sandbox_fault_reaches_every_goal(sandbox: SandboxServer, env: dict[str, str]) -> None:
    done = run_cli(env, str(EXAMPLE), "--base-url", sandbox.url, "--sandbox-fault", "status=500")
    assert done.returncode == 1 and "got 500" in done.stdout


def test_no_key_is_refused_before_sending(sandbox: SandboxServer, env: dict[str, str]) -> None:
    env.pop("FLOWSERY_API_KEY")
    done = run_cli(env, str(EXAMPLE), "--base-url", sandbox.url)
    assert done.returncode == 2 and "FLOWSERY_API_KEY" in done.stderr


def test_ctrl_c_stops_after_the_goal_in_flight_and_reports_the_rest_not_run(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    path = write(tmp_path, "goals:\n" + "".join(f"  - name: g{i}\n" for i in range(30)))
    junit = tmp_path / "interrupted.xml"
    process = subprocess.Popen(
        [*COMMAND, str(path), "--base-url", sandbox.url, "--junit", str(junit), *SLOW],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    out, _err = process.communicate(timeout=60)
    assert first.startswith("PASS  g0")
    assert process.returncode == 1
    assert "not run" in out and "cancelled" in out
    passed = 1 + out.count("PASS  ")  # the first line was read before Ctrl+C
    assert passed < 30
    root = ET.parse(junit).getroot()  # the report is still written
    assert len(root.findall(".//testcase")) == 30
    assert int(root.get("skipped") or 0) == 30 - passed


def test_a_cli_run_is_kept_in_history_and_listed_as_a_past_run(
    sandbox: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    done = run_cli(env, str(EXAMPLE), "--base-url", sandbox.url)
    assert done.returncode == 0
    with RunLog(tmp_path / "data" / "history.sqlite3") as log:
        (run,) = log.runs()
        goals = log.goals(run.run_id)
    assert run.passed == 9 and run.profile == "custom"
    assert sum(g.exchange_id is not None for g in goals) == 8  # one goal is refused locally


def test_a_terminal_gets_a_progress_bar_and_a_pipe_gets_plain_lines(
    sandbox: SandboxServer, env: dict[str, str]
) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*COMMAND, str(EXAMPLE), "--base-url", sandbox.url],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=60,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert done.returncode == 0
    assert "[###" in terminal and "passed" in terminal
    assert "[###" not in done.stdout.decode() and "\x1b" not in done.stdout.decode()


def test_the_run_path_loads_no_qt_and_no_plan_machinery_without_a_plan(tmp_path: Path) -> None:
    path = write(tmp_path, "goals: [{name: a}]\n")
    code = (
        "import sys, flowsery_gui.suites.commands, flowsery_gui.suites.recording\n"
        "from flowsery_gui.suites import load_suite\n"
        "from flowsery_gui.suites.plans import plan_checks\n"
        f"plan_checks([load_suite({str(path)!r}, {{}})])\n"
        "print(sorted(m for m in ('PySide6', 'jsonschema', 're2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_sandbox_profile_from_the_environment_needs_a_base_url(
    sandbox: SandboxServer, env: dict[str, str]
) -> None:
    alone = run_cli({**env, "FLOWSERY_PROFILE": "Sandbox"}, str(EXAMPLE))
    assert alone.returncode == 2 and "flowsery-sandbox" in alone.stderr
    both = run_cli(
        {**env, "FLOWSERY_PROFILE": "Sandbox", "FLOWSERY_BASE_URL": sandbox.url}, str(EXAMPLE)
    )
    assert both.returncode == 0, both.stderr
    assert f"against Sandbox at {sandbox.url}" in both.stderr


def test_a_dry_run_needs_neither_a_target_nor_a_key(env: dict[str, str]) -> None:
    env.pop("FLOWSERY_API_KEY")
    done = run_cli(env, str(EXAMPLE), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "no target named" in done.stderr and "Dry run: 9 goals checked" in done.stdout
    assert "Bearer (no key set)" in done.stdout
