"""A plan that follows its file (`plan.LivePlan`), and the sandbox checking received goals
against it through its `checker` hook: real files in tmp_path, a real sandbox on loopback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import requests

from flowsery_gui.plan import LivePlan, PlanError, PlanEvent
from flowsery_gui.plan.live import MISSING, REFUSED, RELOADED
from flowsery_gui.sandbox import SandboxServer
from tests.sandbox_helpers import TEST_KEY, auth, running_sandbox

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme.plan.yaml"
PRO_UPPER = {"name": "newsletter_signup", "visitorUid": "v", "metadata": {"plan": "Pro"}}
MAX_POLLS = 10  # a settled change is seen on the second poll; more means it never came


@pytest.fixture(name="plan_file")
def plan_file_fixture(tmp_path: Path) -> Path:
    path = tmp_path / "acme.plan.yaml"
    shutil.copyfile(EXAMPLE, path)
    return path


def allow_upper_pro(path: Path) -> None:
    """The team's edit: `Pro` becomes a planned value too."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[free, pro, team]", "[free, pro, team, Pro]"), encoding="utf-8")


def next_event(live: LivePlan) -> PlanEvent:
    """Poll until the file's change has settled and is reported."""
    for _ in range(MAX_POLLS):
        event = live.poll()
        if event is not None:
            return event
    raise AssertionError("the change was never reported")


def codes(live: LivePlan, body: dict[str, object]) -> list[str]:
    return [finding["code"] for finding in live(body)]


def post(server: SandboxServer, body: dict[str, object]) -> int:
    answer = requests.post(
        server.url + "/api/v1/goals", json=body, headers=auth(TEST_KEY), timeout=5
    )
    return answer.status_code


# --- following the file ----------------------------------------------------------------------


def test_a_plan_that_cannot_be_used_is_refused_at_the_start(tmp_path: Path) -> None:
    path = tmp_path / "bad.plan.yaml"
    path.write_text("goals:\n  Sign Up: {}\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        LivePlan(path)
    assert caught.value.problems[0].line == 2


def test_an_unchanged_file_says_nothing(plan_file: Path) -> None:
    live = LivePlan(plan_file)
    assert [live.poll() for _ in range(5)] == [None] * 5


def test_an_edited_plan_is_reloaded_and_checks_with_the_new_rules(plan_file: Path) -> None:
    live = LivePlan(plan_file)
    assert codes(live, PRO_UPPER) == ["plan.bad_value"]
    allow_upper_pro(plan_file)
    event = next_event(live)
    assert event.kind == RELOADED
    assert event.lines == (
        f"The plan changed and was reloaded: acme-website ({plan_file}, 3 goals).",
    )
    assert codes(live, PRO_UPPER) == []
    assert live.poll() is None  # reported once


def test_a_change_is_loaded_only_once_the_file_stops_changing(plan_file: Path) -> None:
    live = LivePlan(plan_file)
    good = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(good[: len(good) // 2], encoding="utf-8")  # an editor half-way
    assert live.poll() is None
    plan_file.write_text(good.replace("[free, pro, team]", "[free, pro, team, Pro]"), "utf-8")
    assert live.poll() is None  # changed again since the last look: not settled yet
    event = next_event(live)
    assert event.kind == RELOADED  # the half-written version was never read, nor refused
    assert codes(live, PRO_UPPER) == []


def test_a_changed_plan_that_cannot_be_used_keeps_the_last_good_one_and_says_why(
    plan_file: Path,
) -> None:
    live = LivePlan(plan_file)
    text = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(text.replace("visitor: required", "visitor: maybe", 1), "utf-8")
    event = next_event(live)
    assert event.kind == REFUSED
    assert event.lines[0].startswith(
        f"The plan {plan_file} changed but cannot be used; still checking against the last "
        "good plan (acme-website, loaded at "
    )
    assert event.lines[1].startswith(f"{plan_file}, line 9, goals.newsletter_signup.visitor:")
    assert codes(live, PRO_UPPER) == ["plan.bad_value"]  # the last good plan still checks
    assert live.poll() is None  # said once, not at every poll
    allow_upper_pro(plan_file)
    plan_file.write_text(
        plan_file.read_text("utf-8").replace("visitor: maybe", "visitor: required"), "utf-8"
    )
    assert next_event(live).kind == RELOADED  # fixed: loaded again


def test_a_deleted_plan_keeps_the_last_good_one_until_the_file_is_back(plan_file: Path) -> None:
    live = LivePlan(plan_file)
    plan_file.unlink()
    event = next_event(live)
    assert event.kind == MISSING
    assert event.lines[0].startswith(f"The plan file {plan_file} is gone; still checking")
    assert codes(live, PRO_UPPER) == ["plan.bad_value"]
    assert live.poll() is None
    shutil.copyfile(EXAMPLE, plan_file)
    allow_upper_pro(plan_file)
    assert next_event(live).kind == RELOADED
    assert codes(live, PRO_UPPER) == []


def test_a_plan_replaced_by_a_rename_is_reloaded(plan_file: Path, tmp_path: Path) -> None:
    live = LivePlan(plan_file)
    fresh = tmp_path / "fresh.yaml"
    shutil.copyfile(plan_file, fresh)
    allow_upper_pro(fresh)
    os.replace(fresh, plan_file)  # how many editors save
    assert next_event(live).kind == RELOADED
    assert codes(live, PRO_UPPER) == []


# --- the sandbox's checker hook --------------------------------------------------------------


def test_the_sandbox_checks_received_goals_against_the_plan_and_names_it(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_sandbox(checker=LivePlan(plan_file), quiet=False) as server:
        assert post(server, PRO_UPPER) == 200  # the plan never changes the API's answer
        assert post(server, {**PRO_UPPER, "metadata": {"plan": "pro"}}) == 200
        assert post(server, {"name": "Not Valid"}) == 400
        upper, fine, invalid = (record["verdict"] for record in server.received())
    assert upper["plan"] == "acme-website"
    assert upper["ok"] is True
    assert [(f["source"], f["code"], f["fix"]) for f in upper["findings"]] == [
        ("plan", "plan.bad_value", "pro")
    ]
    assert fine == {"ok": True, "findings": [], "plan": "acme-website"}
    assert [f["source"] for f in invalid["findings"]] == ["api", "plan"]
    log = capsys.readouterr().err.splitlines()
    assert log[0].endswith(" 200 - · body: valid · plan acme-website: 1 warning: plan.bad_value")
    assert log[1].endswith(" 200 - · body: valid · plan acme-website: ok")
    assert log[2].endswith(
        " 400 - · body: 1 error: name.pattern · plan acme-website: 1 warning: plan.unplanned_goal"
    )


def test_the_sandbox_checks_with_the_reloaded_plan(plan_file: Path) -> None:
    live = LivePlan(plan_file)
    with running_sandbox(checker=live) as server:
        post(server, PRO_UPPER)
        allow_upper_pro(plan_file)
        assert next_event(live).kind == RELOADED
        post(server, PRO_UPPER)
        before, after = (record["verdict"]["findings"] for record in server.received())
    assert [f["code"] for f in before] == ["plan.bad_value"]
    assert after == []
