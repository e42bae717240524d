"""The target service on its own: profiles, keys in memory and in a keyring, the built-in
sandbox, and the production question, with a task runner that runs inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from flowsery_gui.keystore import SERVICE
from flowsery_gui.sending import KEY_ENV_VAR as ENV_KEY
from flowsery_gui.sending import resolve_key
from flowsery_gui.ui.target import TargetService
from tests.ui.fakes import InlineTaskRunner
from tests.ui.services import Services, make_services

STORED = "flow_sk_test_stored_0123456789"
SESSION = "flow_sk_test_session_0123456789"
FROM_ENV = "flow_sk_test_env_0123456789"


def events(target: TargetService) -> list[str]:
    seen: list[str] = []
    target.changed.connect(lambda: seen.append("changed"))
    target.profiles_changed.connect(lambda: seen.append("profiles"))
    return seen


def test_the_sandbox_profile_starts_the_sandbox_and_uses_its_key(services: Services) -> None:
    target = services.target
    seen = events(target)
    target.set_profile("Sandbox")
    assert target.sandbox is not None and target.sandbox.running
    assert target.base_url() == target.sandbox.url
    assert target.key() == target.sandbox.api_key
    assert target.key_info().source == "sandbox"
    assert "changed" in seen
    server = target.sandbox
    target.stop()
    assert not server.running and target.sandbox is None


def test_until_the_window_is_shown_no_sandbox_starts_and_no_keyring_is_read(
    qapp: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    tasks = InlineTaskRunner()
    services = make_services(tmp_path, tasks)
    held = TargetService(services.profiles, None, tasks)  # held until shown, as at start-up
    try:
        held.set_profile("Sandbox")
        held.set_profile("Production")
        assert held.sandbox is None and tasks.ran == 0
        assert held.known_secrets() == ()
        held.resume()
        assert tasks.ran == 1  # the keyring read for Production, now
    finally:
        held.stop()
        services.stop()


def test_a_stored_key_is_read_from_the_keyring_once_and_said_so(
    services: Services, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    memory_keyring.set_password(SERVICE, "Production", STORED)
    target = services.target
    target.set_profile("Production")
    assert target.key() == STORED
    info = target.key_info()
    assert info.source == "stored" and "stored in" in info.text
    assert STORED not in info.text + info.detail


def test_a_key_for_this_run_only_comes_first_and_is_never_stored(
    services: Services, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_KEY, FROM_ENV)
    memory_keyring.set_password(SERVICE, "Production", STORED)
    target = services.target
    target.set_profile("Production")
    seen = events(target)
    target.use_for_this_run("Production", SESSION)
    assert seen == ["changed"]
    assert target.key() == SESSION
    assert target.key_info().source == "session"
    assert target.known_secrets() == (SESSION,)
    assert memory_keyring.get_password(SERVICE, "Production") == STORED


def test_the_environment_key_is_used_when_nothing_else_is_there(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_KEY, FROM_ENV)
    services.target.set_profile("Production")
    assert services.target.key() == FROM_ENV
    assert services.target.key_info().source == "environment"


def test_no_key_says_how_to_add_one(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    services.target.set_profile("Production")
    assert services.target.key() is None
    info = services.target.key_info()
    assert info.source == "none" and "Ctrl+K" in info.detail


def test_a_keyring_that_cannot_be_reached_is_explained(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    keyring.set_keyring(FailKeyring())  # the memory_keyring fixture puts its own back
    services.target.set_profile("Production")
    info = services.target.key_info()
    assert info.source == "error" and "unavailable" in info.text
    assert info.detail


def test_production_asks_once_per_run_and_only_for_production(services: Services) -> None:
    target = services.target
    target.set_profile("Sandbox")
    assert not target.needs_production_confirmation()
    target.set_profile("Production")
    assert target.is_production() and target.needs_production_confirmation()
    target.confirm_production()
    assert not target.needs_production_confirmation()
    target.set_profile("Sandbox")
    target.set_profile("Production")
    assert not target.needs_production_confirmation()


def test_removing_the_active_profile_falls_back_to_the_sandbox(services: Services) -> None:
    target = services.target
    services.profiles.add("Staging", "https://staging.example.com")
    target.set_profile("Staging")
    assert target.base_url() == "https://staging.example.com"
    seen = events(target)
    services.profiles.remove("Staging")
    target.profiles_edited()
    assert target.profile.kind == "sandbox"
    assert seen[-1] == "profiles"


def test_an_unknown_profile_name_changes_nothing(services: Services) -> None:
    before = services.target.profile
    seen = events(services.target)
    services.target.set_profile("Nowhere")
    assert services.target.profile == before and seen == []


def test_the_environment_key_comes_before_the_keyring_one(
    services: Services, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one key rule: a key given for this run, then $FLOWSERY_API_KEY, then the keyring."""
    monkeypatch.setenv(ENV_KEY, FROM_ENV)
    memory_keyring.set_password(SERVICE, "Production", STORED)
    services.target.set_profile("Production")
    assert services.target.key() == FROM_ENV
    assert services.target.key_info().source == "environment"
    assert services.target.has_stored_key()  # still there to forget


@pytest.mark.parametrize("session", [None, SESSION])
@pytest.mark.parametrize("environment", [None, FROM_ENV])
@pytest.mark.parametrize("stored", [None, STORED])
def test_the_window_resolves_the_key_by_the_pipelines_rule_in_every_combination(
    services: Services,
    memory_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
    session: str | None,
    environment: str | None,
    stored: str | None,
) -> None:
    if environment is None:
        monkeypatch.delenv(ENV_KEY, raising=False)
    else:
        monkeypatch.setenv(ENV_KEY, environment)
    if stored is not None:
        memory_keyring.set_password(SERVICE, "Production", stored)
    target = services.target
    target.set_profile("Production")  # reads the keyring (inline)
    if session is not None:
        target.use_for_this_run("Production", session)
    expected = resolve_key(
        "Production", "production", session_key=session, read_keyring={"Production": stored}.get
    )
    assert target.resolved_key() == expected
    assert target.key() == (session or environment or stored)


@pytest.mark.parametrize("environment", [None, FROM_ENV])
@pytest.mark.parametrize("stored", [None, STORED])
def test_the_window_and_the_cli_send_with_the_same_key(
    services: Services,
    memory_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
    environment: str | None,
    stored: str | None,
) -> None:
    """`flowsery-goal send --profile Production` and the window agree (a terminal has no
    key for this run only, so that case is the window's alone)."""
    from flowsery_gui.cli.target import Target as CliTarget
    from flowsery_gui.cli.target import resolve_api_key

    if environment is None:
        monkeypatch.delenv(ENV_KEY, raising=False)
    else:
        monkeypatch.setenv(ENV_KEY, environment)
    if stored is not None:
        memory_keyring.set_password(SERVICE, "Production", stored)
    services.target.set_profile("Production")
    profile = services.target.profile
    cli = resolve_api_key(
        CliTarget(profile.name, profile.base_url, profile.name, kind=profile.kind)
    )
    window = services.target.resolved_key()
    assert (window.key, window.source) == (cli.key, cli.source)
