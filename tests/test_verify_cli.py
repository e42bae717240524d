"""`plan check|schema|init` and `verify`, end to end: real sends to a real sandbox, a real
history file, its real exports, and the commands run as a person or a CI job runs them.

`verify --sandbox` reads the real sandbox's collector after real HTTP posts; captures
(HAR, JSON Lines) come from the app's own history exports of real sends.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowsery_gui.client import GoalsClient
from flowsery_gui.history import History, export_har, export_jsonl
from flowsery_gui.plan import load_plan
from tests.sandbox_helpers import TEST_KEY, running_sandbox

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme.plan.yaml"
GOOD = [
    {"name": "newsletter_signup", "visitorUid": "v-1", "metadata": {"plan": "pro"}},
    {
        "name": "checkout_completed",
        "visitorUid": "v-2",
        "metadata": {"value": "49.90", "currency": "EUR"},
    },
]
BAD = [
    {"name": "newsletter_signup", "visitorUid": "v-3", "metadata": {"plan": "Pro"}},
    {"name": "newsletter_signup", "metadata": {"plan": 3}},  # the sandbox answers 400
]


def run(
    *args: str, data_dir: Path | None = None, key: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FLOWSERY_API_KEY"}
    if data_dir is not None:
        env["FLOWSERY_GUI_DATA_DIR"] = str(data_dir)
    if key is not None:
        env["FLOWSERY_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "flowsery_gui.plan.commands", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def send_all(data_dir: Path, bodies: list[dict]) -> Path:
    """POST each body to a real sandbox and keep every exchange in a real history file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "history.sqlite3"
    with running_sandbox() as sandbox, History(path) as history:
        client = GoalsClient(sandbox.url, TEST_KEY)
        try:
            for body in bodies:
                exchange = client.send_goal(body)
                history.append(exchange, profile="Sandbox", source="cli", secrets=[TEST_KEY])
        finally:
            client.close()
    return path


def export(history_path: Path, folder: Path) -> tuple[Path, Path]:
    jsonl, har = folder / "goals.jsonl", folder / "goals.har"
    with History(history_path) as history:
        with jsonl.open("w", encoding="utf-8") as out:
            export_jsonl(history.iter_records(), out)
        with har.open("w", encoding="utf-8") as out:
            export_har(history.iter_records(), out)
    return jsonl, har


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("verify-e2e")
    good_history = send_all(base / "good", GOOD)
    mixed_history = send_all(base / "mixed", GOOD + BAD)
    good_jsonl, good_har = export(good_history, base / "good")
    mixed_jsonl, mixed_har = export(mixed_history, base / "mixed")
    yield {
        "good_dir": base / "good",
        "good_jsonl": good_jsonl,
        "good_har": good_har,
        "mixed_jsonl": mixed_jsonl,
        "mixed_har": mixed_har,
    }


def test_verify_passes_a_capture_where_every_goal_follows_the_plan(
    captures: dict[str, Path], tmp_path: Path
) -> None:
    junit = tmp_path / "reports" / "junit.xml"
    done = run("verify", "--plan", str(EXAMPLE), str(captures["good_jsonl"]), "--junit", str(junit))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Checked 2 goals against the plan acme-website: 2 passed, 0 failed." in done.stdout
    assert done.stdout.strip().splitlines()[-1] == f"Wrote the JUnit XML report to {junit}."
    root = ET.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "0", "0")


@pytest.mark.parametrize("kind", ["mixed_jsonl", "mixed_har"])
def test_verify_fails_on_violations_and_writes_all_three_reports(
    captures: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    paths = [tmp_path / "r.xml", tmp_path / "r.html", tmp_path / "r.json"]
    done = run(
        "verify", "--plan", str(EXAMPLE), str(captures[kind]),
        "--expect", "demo_requested",
        "--junit", str(paths[0]), "--html", str(paths[1]), "--json", str(paths[2]),
        key=TEST_KEY,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "FAILED newsletter_signup" in out and "got `Pro`" in out
    assert "Metadata values must be text, not a number. (and 2 more)" in out
    assert "Expected goal demo_requested never arrived." in out
    assert "Verification FAILED." in out
    data = json.loads(paths[2].read_text(encoding="utf-8"))
    assert data["summary"] == {"tests": 5, "passed": 2, "failed": 3, "errors": 0, "skipped": 0}
    root = ET.parse(paths[0]).getroot()
    failures = root.findall("testsuite/testcase/failure")
    assert {f.get("type") for f in failures} == {
        "plan.bad_value",
        "metadata.value.type",
        "plan.expected_missing",
    }
    page = paths[1].read_text(encoding="utf-8")
    assert "<script" not in page and "got `Pro`" in page
    for path in paths:
        assert TEST_KEY not in path.read_text(encoding="utf-8")
    assert TEST_KEY not in done.stdout + done.stderr


def post_all(url: str, bodies: list[dict]) -> None:
    client = GoalsClient(url, TEST_KEY)
    try:
        for body in bodies:
            client.send_goal(body)
    finally:
        client.close()


def test_verify_reads_what_a_running_sandbox_received(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    with running_sandbox() as sandbox:
        post_all(sandbox.url, GOOD)
        passed = run("verify", "--plan", str(EXAMPLE), "--sandbox", sandbox.url, "--timeout", "5")
        post_all(sandbox.url, BAD)
        failed = run(
            "verify", "--plan", str(EXAMPLE), "--sandbox", sandbox.url, "--junit", str(junit),
            key=TEST_KEY,
        )  # fmt: skip
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Checked 2 goals against the plan acme-website: 2 passed, 0 failed." in passed.stdout
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Checked 4 goals against the plan acme-website: 2 passed, 2 failed." in failed.stdout
    assert "got `Pro`" in failed.stdout
    root = ET.parse(junit).getroot()
    assert root.get("tests") == "4" and root.get("failures") == "2"
    assert TEST_KEY not in junit.read_text(encoding="utf-8")


def test_verify_since_leaves_out_what_the_sandbox_received_before(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    with running_sandbox() as sandbox:
        post_all(sandbox.url, BAD)
        started = datetime.now(timezone.utc).isoformat()
        post_all(sandbox.url, GOOD)
        done = run(
            "verify", "--plan", str(EXAMPLE), "--sandbox", sandbox.url, "--since", started,
        )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Checked 2 goals" in done.stdout


def test_verify_against_a_sandbox_that_is_not_running_says_so() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run("verify", "--plan", str(EXAMPLE), "--sandbox", f"http://127.0.0.1:{port}")
    assert done.returncode == 2
    assert f"Nothing is listening at http://127.0.0.1:{port}" in done.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["verify", "--plan", "missing.plan.yaml", "x.har"], "There is no such file."),
        (["verify", "--plan", str(EXAMPLE), "missing.har"], "there is no such file"),
        (["verify", "--plan", str(EXAMPLE)], "either --sandbox URL or a capture file"),
        (["verify", "--plan", str(EXAMPLE), "x.har", "--expect", "Bad Name"], "--expect"),
        (["verify", "--plan", str(EXAMPLE), "--sandbox", "localhost:1"], "not a sandbox URL"),
    ],
)
def test_bad_input_to_verify_exits_2_with_a_message(args: list[str], words: str) -> None:
    done = run(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_a_report_path_that_cannot_be_written_is_bad_input(
    captures: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "taken").mkdir()
    done = run(
        "verify", "--plan", str(EXAMPLE), str(captures["good_jsonl"]),
        "--html", str(tmp_path / "taken"),
    )  # fmt: skip
    assert done.returncode == 2
    assert "could not write the HTML report" in done.stderr


def test_plan_check_exit_codes_say_valid_problems_or_unreadable(tmp_path: Path) -> None:
    ok = run("plan", "check", str(EXAMPLE))
    assert ok.returncode == 0
    assert "a valid plan (acme-website) with 3 goals; 2 expected in CI." in ok.stdout
    bad = tmp_path / "bad.plan.yaml"
    bad.write_text("goals:\n  Sign Up: {}\n  b:\n    metadata:\n      k: { enum: x }\n")
    problems = run("plan", "check", str(bad))
    assert problems.returncode == 1
    assert f"{bad}: 2 problems; the plan cannot be used." in problems.stdout
    assert f'{bad}, line 2, goals["Sign Up"]:' in problems.stdout
    assert f"{bad}, line 5, goals.b.metadata.k.enum:" in problems.stdout
    gone = run("plan", "check", str(tmp_path / "gone.plan.yaml"))
    assert gone.returncode == 2 and "There is no such file." in gone.stderr


def test_plan_check_refuses_a_yaml_bomb_and_a_lookahead_pattern(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.plan.yaml"
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\n")
    done = run("plan", "check", str(bomb))
    assert done.returncode == 1 and "YAML bomb" in done.stdout
    pattern = tmp_path / "p.plan.yaml"
    pattern.write_text("goals:\n  g:\n    metadata:\n      v: { pattern: '(?=a)a' }\n")
    done = run("plan", "check", str(pattern))
    assert done.returncode == 1 and "look-ahead" in done.stdout


def test_plan_schema_prints_or_writes_one_schema_per_goal(tmp_path: Path) -> None:
    printed = run("plan", "schema", str(EXAMPLE))
    assert printed.returncode == 0
    schemas = json.loads(printed.stdout)
    assert sorted(schemas) == ["checkout_completed", "demo_requested", "newsletter_signup"]
    out = tmp_path / "schemas"
    written = run("plan", "schema", str(EXAMPLE), "--out", str(out))
    assert written.returncode == 0 and "Wrote 3 JSON Schemas" in written.stdout
    saved = json.loads((out / "newsletter_signup.schema.json").read_text(encoding="utf-8"))
    assert saved == schemas["newsletter_signup"]


def test_plan_init_writes_a_starter_plan_from_history_that_checks(
    captures: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "starter.plan.yaml"
    done = run("plan", "init", "--from-history", "--out", str(out), data_dir=captures["good_dir"])
    assert done.returncode == 0, done.stderr
    assert "Wrote a starter plan with 2 goals (from 2 accepted sends)" in done.stdout
    plan = load_plan(out)
    assert plan.names == ("checkout_completed", "newsletter_signup")
    signup = plan.goal("newsletter_signup")
    assert signup is not None and signup.visitor == "required"
    assert signup.metadata["plan"].required
    assert "# in 1 of 1 sends" in out.read_text(encoding="utf-8")
    again = run("plan", "init", "--from-history", "--out", str(out), data_dir=captures["good_dir"])
    assert again.returncode == 2 and "already exists" in again.stderr


def test_plan_init_with_no_history_says_so(tmp_path: Path) -> None:
    done = run("plan", "init", "--from-history", data_dir=tmp_path / "empty")
    assert done.returncode == 2
    assert "there is no history yet" in done.stderr
    assert not (tmp_path / "empty" / "history.sqlite3").exists()  # reading created nothing
