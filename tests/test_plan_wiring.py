"""`flowsery-goal validate|send --plan`, `validate --json` and `send --sandbox-fault`, run
through the real command line against a real sandbox on loopback."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui.cli import main
from flowsery_gui.sandbox import SandboxServer
from tests.sandbox_helpers import TEST_KEY, running_sandbox
from tests.test_finding_codes import documented_codes

ROOT = Path(__file__).resolve().parent.parent
PLAN = str(ROOT / "examples" / "acme.plan.yaml")
MEETS_PLAN = {"name": "newsletter_signup", "visitorUid": "v-1", "metadata": {"plan": "pro"}}
BREAKS_PLAN = {"name": "newsletter_signup", "metadata": {"plan": "Pro"}}  # no visitor, wrong case

Outcome = tuple[int, str, str]


@pytest.fixture(name="sandbox")
def keyed_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """A real sandbox, its key in $FLOWSERY_API_KEY as a CI job would give it."""
    monkeypatch.setenv("FLOWSERY_API_KEY", TEST_KEY)
    with running_sandbox() as server:
        yield server


def goal_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> Outcome:
    """Run `flowsery-goal ARGS` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(name="run")
def run_fixture(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(*args: str, stdin: str = "") -> Outcome:
        return goal_cli(capsys, monkeypatch, *args, stdin=stdin)

    return run


def bad_plan(tmp_path: Path) -> str:
    path = tmp_path / "broken.plan.yaml"
    path.write_text(
        "plan: broken\ngoals:\n  signup:\n    metadata:\n      plan: { requried: true }\n",
        encoding="utf-8",
    )
    return str(path)


# --- validate --plan ------------------------------------------------------------------------


def test_validate_with_a_plan_lists_its_violations_as_warnings_and_exits_0(run: Any) -> None:
    code, out, _err = run("validate", "--plan", PLAN, stdin=json.dumps(BREAKS_PLAN))
    assert code == 0
    lines = out.splitlines()
    assert "warning (plan) visitorUid: A visitor ID (visitorUid) is required" in lines[0]
    assert lines[1].startswith("warning (plan) metadata.plan: `plan` must be one of free, pro")
    assert lines[1].endswith('[fix: "pro"]')
    assert "ok:" not in out


def test_validate_strict_plan_makes_a_violation_an_error_and_exits_1(run: Any) -> None:
    code, out, _err = run(
        "validate", "--plan", PLAN, "--strict-plan", stdin=json.dumps(BREAKS_PLAN)
    )
    assert code == 1
    assert out.splitlines()[1].startswith("error (plan) metadata.plan:")


def test_validate_says_when_a_goal_meets_the_plan(run: Any) -> None:
    code, out, _err = run("validate", "--plan", PLAN, "--strict-plan", stdin=json.dumps(MEETS_PLAN))
    assert (code, out) == (0, "ok: valid goal body; it meets the plan acme-website\n")


def test_the_apis_errors_keep_exit_1_and_come_before_the_plans_warnings(run: Any) -> None:
    code, out, _err = run("validate", "--plan", PLAN, stdin='{"name": "Newsletter Signup"}')
    assert code == 1
    first, second = out.splitlines()
    assert first.startswith("error name: Goal names use only lowercase")
    assert second.startswith("warning (plan) name: `Newsletter Signup` is not in the plan.")
    assert second.endswith('Did you mean `newsletter_signup`? [fix: "newsletter_signup"]')


def test_validate_with_a_plan_that_cannot_be_used_exits_2_naming_file_line_and_key(
    run: Any, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    code, out, err = run("validate", "--plan", path, stdin=json.dumps(MEETS_PLAN))
    assert (code, out) == (2, "")
    assert f"--plan: {path}, line 5, goals.signup.metadata.plan.requried:" in err
    assert "Did you mean `required`?" in err


def test_a_plan_with_many_problems_lists_each_on_its_own_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "many.plan.yaml"
    path.write_text("goals:\n  Sign Up: {}\n  b:\n    visitor: maybe\n", encoding="utf-8")
    code, _out, err = run("validate", "--plan", str(path), stdin="{}")
    assert code == 2
    head, *problems = err.splitlines()
    assert head.endswith(f"the plan {path} cannot be used (2 problems):")
    assert problems[0].startswith(f"  {path}, line 2, goals")
    assert problems[1].startswith(f"  {path}, line 4, goals.b.visitor:")


def test_a_plan_file_that_is_not_there_exits_2_naming_it(run: Any, tmp_path: Path) -> None:
    missing = tmp_path / "nope.plan.yaml"
    code, _out, err = run("validate", "--plan", str(missing), stdin="{}")
    assert code == 2
    assert f"{missing}: There is no such file." in err


def test_strict_plan_without_a_plan_is_a_usage_error(run: Any) -> None:
    code, _out, err = run("validate", "--strict-plan", stdin=json.dumps(MEETS_PLAN))
    assert code == 2
    assert "--strict-plan needs --plan FILE" in err


# --- validate --json --------------------------------------------------------------------------


def test_validate_json_gives_every_finding_with_its_source_for_scripts(run: Any) -> None:
    body = {"name": "newsletter_signup", "visitorUID": "v", "metadata": {"plan": "Pro", "n": 1}}
    code, out, _err = run("validate", "--json", "--plan", PLAN, stdin=json.dumps(body))
    assert code == 1  # metadata.n is not text: the API's error
    result = json.loads(out)
    assert set(result) == {"ok", "errors", "warnings", "plan", "findings"}
    assert result["ok"] is False
    assert result["plan"] == {"name": "acme-website", "file": PLAN, "strict": False}
    found = {(f["source"], f["code"], f["path"]) for f in result["findings"]}
    assert found == {
        ("api", "body.unknown_field", "visitorUID"),
        ("api", "metadata.value.type", "metadata.n"),
        ("plan", "plan.missing_visitor", "visitorUid"),
        ("plan", "plan.bad_value", "metadata.plan"),
        ("plan", "plan.unplanned_metadata", "metadata.n"),
    }
    for finding in result["findings"]:
        assert set(finding) == {"path", "code", "severity", "message", "fix", "source"}
        assert finding["code"] in documented_codes()
    assert (result["errors"], result["warnings"]) == (1, 4)
    fixes = {f["code"]: f["fix"] for f in result["findings"]}
    assert (fixes["body.unknown_field"], fixes["plan.bad_value"]) == ("visitorUid", "pro")


def test_validate_json_without_findings_is_ok_with_an_empty_list(run: Any) -> None:
    code, out, _err = run("validate", "--json", stdin='{"name": "signup"}')
    assert code == 0
    assert json.loads(out) == {"ok": True, "errors": 0, "warnings": 0, "plan": None, "findings": []}


def test_validate_json_with_strict_plan_reports_plan_errors_and_exits_1(run: Any) -> None:
    code, out, _err = run(
        "validate", "--json", "--plan", PLAN, "--strict-plan", stdin=json.dumps(BREAKS_PLAN)
    )
    result = json.loads(out)
    assert code == 1 and result["ok"] is False
    assert {f["severity"] for f in result["findings"]} == {"error"}
    assert result["plan"]["strict"] is True


def test_validate_json_keeps_control_characters_and_non_ascii_escaped(run: Any) -> None:
    body = {"name": "signup", "metadata": {"note": "<b>\x9b2J café</b>"}}
    code, out, _err = run("validate", "--json", stdin=json.dumps(body))
    assert code == 0
    assert out.isascii()
    assert json.loads(out)["findings"][0]["fix"] == "\x9b2J café"


def test_validate_json_on_input_that_is_not_json_prints_nothing_and_exits_2(run: Any) -> None:
    code, out, err = run("validate", "--json", stdin='{"name": ')
    assert (code, out) == (2, "")
    assert "not JSON" in err


# --- send --plan ------------------------------------------------------------------------------


def send_body(run: Any, url: str, body: dict[str, Any], *options: str) -> Outcome:
    """`send --base-url URL --json - --plan PLAN OPTIONS` with the body on stdin."""
    return run("send", "--base-url", url, "--json", "-", "--plan", PLAN, *options,
               stdin=json.dumps(body))  # fmt: skip


def test_send_with_a_plan_warns_beside_the_api_and_still_sends(
    run: Any, sandbox: SandboxServer
) -> None:
    code, _out, err = run(
        "send", "--base-url", sandbox.url, "--name", "newsletter_signup", "--meta", "plan=Pro",
        "--plan", PLAN,
    )  # fmt: skip
    assert code == 0
    assert "warning (plan) metadata.plan: `plan` must be one of free, pro, team" in err
    assert err.index("warning (plan)") < err.index("Sending to custom")
    assert [r["verdict"]["ok"] for r in sandbox.received()] == [True]


def test_send_strict_plan_refuses_a_violation_before_sending(
    run: Any, sandbox: SandboxServer
) -> None:
    code, _out, err = send_body(run, sandbox.url, BREAKS_PLAN, "--strict-plan")
    assert code == 2
    assert "error (plan) visitorUid:" in err
    assert "not sent: the goal breaks the plan acme-website (2 violations above)" in err
    assert "Sending to" not in err
    assert sandbox.received() == []


def test_send_strict_plan_sends_a_goal_that_meets_the_plan(
    run: Any, sandbox: SandboxServer
) -> None:
    code, _out, err = send_body(run, sandbox.url, MEETS_PLAN, "--strict-plan")
    assert code == 0, err
    assert "(plan)" not in err
    assert [r["verdict"]["ok"] for r in sandbox.received()] == [True]


def test_send_with_a_plan_that_cannot_be_used_exits_2_and_sends_nothing(
    run: Any, sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    code, _out, err = run("send", "--base-url", sandbox.url, "--name", "signup", "--plan", path)
    assert code == 2
    assert f"{path}, line 5, goals.signup.metadata.plan.requried" in err
    assert sandbox.received() == []


def test_send_warns_of_personal_data_going_to_production_only(
    run: Any, sandbox: SandboxServer
) -> None:
    body = {**MEETS_PLAN, "metadata": {"plan": "pro", "email": "a@b.co"}}
    # Production's profile, its URL replaced by the local sandbox: nothing leaves the machine.
    code, _out, err = send_body(run, sandbox.url, body, "--profile", "Production")
    assert code == 0, err
    assert "This metadata key looks like a person's data: email." in err
    code, _out, err = send_body(run, sandbox.url, body)
    assert code == 0, err
    assert "person's data" not in err
    assert len(sandbox.received()) == 2


def test_a_key_the_plan_marks_personal_is_warned_of_even_when_its_name_looks_harmless(
    run: Any, sandbox: SandboxServer, tmp_path: Path
) -> None:
    plan = tmp_path / "ref.plan.yaml"
    plan.write_text(
        "plan: refs\ngoals:\n  signup:\n    metadata:\n      ref: { personal: true }\n",
        encoding="utf-8",
    )
    code, _out, err = run(
        "send", "--base-url", sandbox.url, "--profile", "Production", "--name", "signup",
        "--meta", "ref=jane", "--plan", str(plan),
    )  # fmt: skip
    assert code == 0, err
    assert "This metadata key looks like a person's data: ref." in err


# --- send --sandbox-fault ---------------------------------------------------------------------


def test_send_asks_a_local_sandbox_for_a_fault(run: Any, sandbox: SandboxServer) -> None:
    code, out, err = run(
        "send", "--base-url", sandbox.url, "--name", "signup",
        "--sandbox-fault", "status=503,retry-after=7",
    )  # fmt: skip
    assert code == 1  # the sandbox answered 503, as asked
    assert out.startswith("503 Service Unavailable")
    assert "note: asking the sandbox for the fault status=503,retry-after=7." in err
    (record,) = sandbox.received()
    assert record["fault"] == "status=503,retry-after=7"
    assert record["answer"]["status"] == 503


def test_a_dropped_connection_fault_is_no_response_exit_3(run: Any, sandbox: SandboxServer) -> None:
    code, _out, _err = run(
        "send", "--base-url", sandbox.url, "--name", "signup", "--sandbox-fault", "drop"
    )
    assert code == 3


def test_a_fault_goes_to_localhost_by_name_too(run: Any, sandbox: SandboxServer) -> None:
    url = sandbox.url.replace("127.0.0.1", "localhost")
    code, _out, _err = run(
        "send", "--base-url", url, "--name", "signup", "--sandbox-fault", "empty"
    )
    assert code == 0  # `empty` answers 200 with no body
    assert sandbox.received()[0]["fault"] == "empty"


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("stauts=500", "Unknown fault token 'stauts=500'"),
        ("delay=soon", "delay is a number of seconds"),
        ("drop,reset", "Choose one of these faults"),
        (" , ", "give at least one fault token"),
    ],
)
def test_a_fault_the_sandbox_would_not_understand_is_a_usage_error_and_nothing_is_sent(
    run: Any, sandbox: SandboxServer, spec: str, said: str
) -> None:
    code, _out, err = run(
        "send", "--base-url", sandbox.url, "--name", "signup", "--sandbox-fault", spec
    )
    assert code == 2
    assert "argument --sandbox-fault:" in err and said in err
    assert sandbox.received() == []


@pytest.mark.parametrize(
    "target",
    [
        ["--base-url", "https://staging.example.com"],
        ["--profile", "Sandbox", "--base-url", "https://192.0.2.7:8765"],  # the Sandbox's kind
        ["--profile", "Production"],
    ],
    ids=["remote", "sandbox-profile-remote-url", "production"],
)
def test_a_fault_for_a_target_that_is_not_on_this_computer_is_refused(
    run: Any, sandbox: SandboxServer, target: list[str]
) -> None:
    code, _out, err = run("send", *target, "--name", "signup", "--sandbox-fault", "status=500")
    assert code == 2
    assert "--sandbox-fault only goes to a sandbox on this computer" in err
    assert "Nothing was sent." in err and "Sending to" not in err
