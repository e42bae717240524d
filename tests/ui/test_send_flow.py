"""The person's Send on its own: what is checked and asked before a goal leaves, with the
real sandbox, a scripted person and a task runner that runs inline."""

from __future__ import annotations

from flowsery_gui.contract import Draft
from flowsery_gui.profiles import Profile
from flowsery_gui.ui.send_flow import SendFlow
from tests.ui.fakes import ScriptedInteraction
from tests.ui.services import Services


def flow_for(services: Services) -> tuple[SendFlow, ScriptedInteraction, list[str]]:
    ask = ScriptedInteraction()
    key_prompts: list[str] = []
    services.target.set_profile("Sandbox")
    flow = SendFlow(
        services.form,
        services.target,
        services.owner,
        ask,
        lambda: key_prompts.append(services.target.profile.name),
    )
    return flow, ask, key_prompts


def stored(services: Services) -> list[str]:
    sandbox = services.target.sandbox
    assert sandbox is not None
    return [goal["name"] for goal in sandbox.store.all()]


def test_a_form_with_errors_is_not_sent_and_every_problem_is_shown(services: Services) -> None:
    flow, _ask, _prompts = flow_for(services)
    services.form.set_value("name", "Bad Name")
    state = flow.state()
    assert not state.can_send and "Fix 1 problem" in state.reason
    assert flow.send() is False
    assert services.form.findings_at("name")
    assert stored(services) == []


def test_a_valid_goal_goes_to_the_sandbox_and_says_where(services: Services) -> None:
    flow, _ask, _prompts = flow_for(services)
    pending: list[str] = []
    flow.pending.connect(pending.append)
    services.form.load(Draft(name="flow_goal"), touched=True)
    assert flow.state().reason == "Ready to send."
    assert flow.send() is True
    assert pending == ["Sending to Sandbox…"]
    assert stored(services) == ["flow_goal"]


def test_with_no_key_send_asks_for_one_and_sends_nothing_without(services: Services) -> None:
    flow, _ask, prompts = flow_for(services)
    services.profiles.add("Staging", "https://staging.example.com")
    services.target.set_profile("Staging")
    services.form.load(Draft(name="keyless"), touched=True)
    assert "No API key yet" in flow.state().reason
    assert flow.send() is False
    assert prompts == ["Staging"]
    assert not services.owner.busy


def test_a_key_is_never_sent_over_plain_http_to_another_host(services: Services) -> None:
    flow, ask, _prompts = flow_for(services)
    statuses: list[str] = []
    flow.status.connect(lambda text, _ms: statuses.append(text))
    services.target.profile = Profile("Plain", "http://example.com", "custom")  # hand-written
    services.target.use_for_this_run("Plain", "flow_sk_test_abcdef123456")
    services.form.load(Draft(name="refused"), touched=True)
    assert flow.send() is False
    assert ask.asked[-1][0] == "warn" and "http" in ask.asked[-1][1].lower()
    assert statuses and not services.owner.busy


def test_production_asks_before_its_first_send_of_the_run_only(services: Services) -> None:
    flow, ask, _prompts = flow_for(services)
    sandbox = services.target.sandbox
    assert sandbox is not None
    # A production-kind profile pointed at the loopback sandbox: nothing leaves this machine.
    services.target.profile = Profile("Production", sandbox.url, "production")
    services.target.use_for_this_run("Production", sandbox.api_key)
    services.form.load(Draft(name="prod_goal"), touched=True)
    ask.confirm_answers.append(False)
    assert flow.send() is False and stored(services) == []
    assert "real analytics" in ask.asked[-1][1]
    ask.confirm_answers.append(True)
    assert flow.send() is True and stored(services) == ["prod_goal"]
    asked = len(ask.asked)
    assert flow.send() is True and len(ask.asked) == asked


def test_the_preview_is_the_request_send_would_make_with_the_key_masked(
    services: Services,
) -> None:
    flow, _ask, _prompts = flow_for(services)
    services.owner.set_fault("status=503")
    services.form.load(Draft(name="previewed"), touched=True)
    preview = flow.preview()
    key = services.target.key()
    assert key is not None
    assert preview.blocked_reason is None and preview.snippet_source is not None
    assert preview.display is not None
    shown = dict(preview.display.headers)
    assert shown["X-Sandbox-Fault"] == "status=503"
    assert key not in shown["Authorization"]
    services.form.set_value("name", "Bad Name")
    blocked = flow.preview()
    assert blocked.snippet_source is None and blocked.blocked_reason


def test_cancel_with_nothing_in_flight_says_nothing(services: Services) -> None:
    flow, _ask, _prompts = flow_for(services)
    statuses: list[str] = []
    flow.status.connect(lambda text, _ms: statuses.append(text))
    flow.cancel()
    assert statuses == []
