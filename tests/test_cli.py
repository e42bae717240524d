"""`flowsery-goal` as a QA engineer runs it: real subprocesses against the real sandbox."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui import version
from tests.sandbox_helpers import (
    TEST_KEY,
    sandbox_fixture,  # noqa: F401  (provides the `sandbox` fixture)
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def run(
    *args: str, stdin: str = "", key: str | None = TEST_KEY, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m flowsery_gui.cli ARGS` with the key in the environment (and the app's
    data and config folders the test session's temp ones: sends are recorded in history)."""
    environment = clean_environment()
    environment["PYTHONPATH"] = str(REPO)
    environment["PYTHONIOENCODING"] = "utf-8"
    if key is not None:
        environment["FLOWSERY_API_KEY"] = key
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "flowsery_gui.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=REPO,
        timeout=60,
    )


def clean_environment() -> dict[str, str]:
    """This environment without FLOWSERY_* settings, except the temp data/config folders."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FLOWSERY_") or k.startswith("FLOWSERY_GUI_")
    }


def stored_goals(server: Any) -> list[dict[str, Any]]:
    with urllib.request.urlopen(server.url + "/sandbox/goals", timeout=5) as answer:
        return json.loads(answer.read())


# --- validate --------------------------------------------------------------------------------


def test_validate_a_valid_file_exits_0(tmp_path: Path) -> None:
    body = tmp_path / "goal.json"
    body.write_text('{"name": "signup", "metadata": {"plan": "pro"}}', encoding="utf-8")
    result = run("validate", str(body))
    assert result.returncode == 0
    assert result.stdout.strip() == "ok: valid goal body"


def test_validate_with_only_warnings_exits_0_and_shows_the_fix(tmp_path: Path) -> None:
    body = tmp_path / "goal.json"
    body.write_text('{"name": "signup", "visitorUID": "abc"}', encoding="utf-8")
    result = run("validate", str(body))
    assert result.returncode == 0
    [line] = result.stdout.splitlines()
    assert line.startswith("warning visitorUID: ")
    assert line.endswith(' [fix: "visitorUid"]')


def test_validate_errors_exit_1_one_line_per_finding(tmp_path: Path) -> None:
    body = tmp_path / "goal.json"
    body.write_text(
        '{"name": "Sign Up", "visitorUID": "a", "metadata": {"plan": 3}}', encoding="utf-8"
    )
    result = run("validate", str(body))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3  # three findings, each with its fix on its own line
    assert lines[0] == (
        "error name: Goal names use only lowercase letters a-z, digits 0-9, underscores (_) "
        'and hyphens (-). [fix: "sign_up"]'
    )
    assert sorted(line.split(":")[0] for line in lines[1:]) == [
        "error metadata.plan",
        "warning visitorUID",
    ]
    assert any(line.endswith(' [fix: "3"]') for line in lines)


def test_validate_reads_stdin_by_default() -> None:
    assert run("validate", stdin='{"name": "signup"}').returncode == 0
    assert run("validate", "-", stdin='{"name": "Sign Up"}').returncode == 1


def test_validate_input_that_is_not_json_exits_2_with_the_reason() -> None:
    result = run("validate", stdin='{"name": ')
    assert result.returncode == 2
    assert "not JSON" in result.stderr and "line 1" in result.stderr
    assert result.stdout == ""


def test_validate_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "cannot read" in result.stderr


LOG_LINE = (
    '2024-05-01T12:00:00Z INFO goal {"name": "newsletter_signup", "metadata": {"plan": "pro"}}'
    " sent in 12 ms"
)
NOTE = "note: Took the JSON object out of the surrounding text."


def test_validate_takes_the_json_object_out_of_a_pasted_log_line() -> None:
    result = run("validate", stdin=LOG_LINE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: valid goal body\n" and result.stderr == NOTE + "\n"
    bad = run("validate", stdin=LOG_LINE.replace("newsletter_signup", "Newsletter Signup"))
    assert bad.returncode == 1 and bad.stdout.startswith("error name: ")


def test_validate_text_with_no_json_object_in_it_exits_2() -> None:
    result = run("validate", stdin="2024-05-01 INFO nothing to see")
    assert result.returncode == 2 and "not JSON" in result.stderr


# --- send ------------------------------------------------------------------------------------


def test_send_json_takes_the_goal_out_of_a_pasted_log_line(sandbox: Any) -> None:
    result = run("send", "--json", "-", "--base-url", sandbox.url, stdin=LOG_LINE)
    assert result.returncode == 0, result.stderr
    assert NOTE in result.stderr.splitlines()
    [goal] = stored_goals(sandbox)
    assert goal["name"] == "newsletter_signup" and goal["metadata"] == {"plan": "pro"}


def test_send_stores_the_goal_and_exits_0(sandbox: Any) -> None:
    result = run(
        "send",
        "--name", "newsletter_signup",
        "--meta", "source=footer",
        "--meta", "plan=pro=max",
        "--visitor-uid", "v-123",
        "--timezone", "Europe/Paris",
        "--base-url", sandbox.url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"200 OK · \d+ ms", lines[0])
    assert "accepted the goal" in lines[1]
    assert '"message": "Goal created successfully"' in result.stdout  # pretty-printed body
    [goal] = stored_goals(sandbox)
    assert goal["name"] == "newsletter_signup" and goal["visitorUid"] == "v-123"
    assert list(goal["metadata"].items()) == [("source", "footer"), ("plan", "pro=max")]


def test_send_uses_the_base_url_from_the_environment(sandbox: Any) -> None:
    result = run("send", "--name", "signup", FLOWSERY_BASE_URL=sandbox.url)
    assert result.returncode == 0, result.stderr
    assert len(stored_goals(sandbox)) == 1


def test_send_a_json_file_as_is(sandbox: Any, tmp_path: Path) -> None:
    body = tmp_path / "goal.json"
    body.write_text('{"name": "from_file", "visitorUID": "typo"}', encoding="utf-8")
    result = run("send", "--json", str(body), "--base-url", sandbox.url)
    assert result.returncode == 0
    assert "warning visitorUID" in result.stderr  # warned, sent anyway
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["from_file"]


def test_send_an_invalid_goal_exits_2_and_sends_nothing(sandbox: Any) -> None:
    result = run("send", "--name", "Newsletter Signup", "--base-url", sandbox.url)
    assert result.returncode == 2
    assert "error name: " in result.stderr and '[fix: "newsletter_signup"]' in result.stderr
    assert result.stdout == ""
    assert stored_goals(sandbox) == []


@pytest.mark.parametrize(
    "args",
    [
        ("--name", "signup", "--meta", "plan"),
        ("--name", "signup", "--json", "-"),
        ("--meta", "plan=pro"),
        ("--name", "signup", "--timeout", "0"),
    ],
)
def test_send_usage_errors_exit_2_and_send_nothing(sandbox: Any, args: tuple[str, ...]) -> None:
    result = run("send", *args, "--base-url", sandbox.url, stdin='{"name": "x"}')
    assert result.returncode == 2
    assert "error" in result.stderr
    assert stored_goals(sandbox) == []


def test_send_without_a_key_exits_2_and_says_which_variable(sandbox: Any) -> None:
    result = run("send", "--name", "signup", "--base-url", sandbox.url, key=None)
    assert result.returncode == 2
    assert "FLOWSERY_API_KEY" in result.stderr
    assert stored_goals(sandbox) == []


def test_send_with_a_wrong_key_gets_401_and_exits_1(sandbox: Any) -> None:
    wrong = "flow_sandbox_wrong_key_abcdefgh"
    result = run("send", "--name", "signup", "--base-url", sandbox.url, "-v", key=wrong)
    assert result.returncode == 1
    assert "\n401 Unauthorized · " in result.stdout
    assert "API key was rejected" in result.stdout
    assert wrong not in result.stdout + result.stderr


def test_send_to_a_closed_port_exits_3_with_the_failure_message() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run("send", "--name", "signup", "--base-url", f"http://127.0.0.1:{port}")
    assert result.returncode == 3
    assert "connection was refused" in result.stderr


def test_send_a_key_over_plain_http_to_a_remote_host_is_refused_with_exit_2() -> None:
    result = run("send", "--name", "signup", "--base-url", "http://analytics.example.com")
    assert result.returncode == 2
    assert "never sent over plain http://" in result.stderr and "https://" in result.stderr
    assert "Sending to" not in result.stderr


def test_the_key_is_never_printed_even_verbose(sandbox: Any) -> None:
    result = run("send", "--name", "signup", "--base-url", sandbox.url, "--verbose")
    assert result.returncode == 0
    assert TEST_KEY not in result.stdout + result.stderr
    assert "> Authorization: Bearer …" + TEST_KEY[-4:] in result.stdout.splitlines()
    assert "> POST " + sandbox.url + "/api/v1/goals" in result.stdout


# --- help, version, imports ------------------------------------------------------------------


def test_help_explains_commands_examples_and_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    for expected in ("validate", "send", "examples:", "exit codes:", "FLOWSERY_API_KEY"):
        assert expected in result.stdout


def test_help_lists_the_key_profile_and_history_commands_and_exit_code_4() -> None:
    result = run("--help")
    assert result.returncode == 0
    for expected in ("key ", "profile ", "history ", "4  the system keyring", '"custom"'):
        assert expected in result.stdout


def test_send_help_lists_every_option() -> None:
    result = run("send", "--help")
    assert result.returncode == 0
    for option in (
        "--name", "--meta", "--json", "--profile", "--base-url", "--timeout", "--verbose"
    ):  # fmt: skip
        assert option in result.stdout


@pytest.mark.parametrize("command", ["key", "profile"])
def test_a_command_group_without_an_action_prints_its_help_and_exits_2(command: str) -> None:
    result = run(command)
    assert result.returncode == 2
    assert "ACTION" in result.stderr and result.stdout == ""


def test_version_prints_the_package_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"flowsery-goal {version()}"


def test_no_command_prints_help_and_exits_2() -> None:
    result = run()
    assert result.returncode == 2 and "validate" in result.stderr


def test_cli_never_imports_qt_and_validate_never_imports_requests(sandbox: Any) -> None:
    script = textwrap.dedent(
        f"""
        import io, sys
        from flowsery_gui import cli
        sys.stdin = io.TextIOWrapper(io.BytesIO(b'{{"name": "signup"}}'))
        assert cli.main(["validate"]) == 0
        heavy = ("requests", "PySide6", "sqlite3", "keyring")
        print("after validate:", [name for name in heavy if name in sys.modules])
        assert cli.main(["send", "--name", "signup", "--base-url", {sandbox.url!r}]) == 0
        print("after send:", "PySide6" in sys.modules)
        assert cli.main(["profile", "list"]) == 0
        assert cli.main(["history"]) == 0
        assert cli.main(["key", "status"]) == 4  # the fail backend: no keyring
        print("after profile, history, key:", "PySide6" in sys.modules)
        """
    )
    environment = clean_environment()
    environment.update(
        PYTHONPATH=str(REPO),
        FLOWSERY_API_KEY=TEST_KEY,
        PYTHONIOENCODING="utf-8",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "after validate: []" in result.stdout
    assert "after send: False" in result.stdout
    assert "after profile, history, key: False" in result.stdout


def test_the_version_read_from_the_dist_info_is_the_one_importlib_metadata_reads() -> None:
    from importlib.metadata import version as metadata_version

    from flowsery_gui import DIST_NAME, _version_from_dist_info

    assert _version_from_dist_info() == metadata_version(DIST_NAME)
