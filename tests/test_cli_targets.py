"""Where `flowsery-goal send` goes: never to Production unless the command line or the
environment names it, and every send names its target on stderr first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowsery_gui.cli import EXIT_USAGE, Target, build_parser, resolve_target
from flowsery_gui.cli.target import COMMAND_LINE
from flowsery_gui.contract import DEFAULT_BASE_URL
from flowsery_gui.profiles import ProfileStore
from flowsery_gui.sandbox import SandboxServer
from tests.cli_helpers import (
    KEY,
    Place,
    cli,
    keyed_sandbox_fixture,  # noqa: F401  (provides the `sandbox` fixture)
    place_fixture,  # noqa: F401  (provides the `place` fixture)
    stored_goals,
)

LOCAL = "http://127.0.0.1:8765"


# --- the rule, in-process --------------------------------------------------------------------


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProfileStore:
    """A profiles file of this test's own, holding a custom profile "Local"."""
    monkeypatch.setenv("FLOWSERY_GUI_CONFIG_DIR", str(tmp_path))
    store = ProfileStore(tmp_path / "profiles.json")
    store.add("Local", LOCAL)
    return store


def target_of(*words: str, **env: str) -> Target | int:
    args = build_parser().parse_args(["send", "--name", "x", *words])
    return resolve_target(args, env)


@pytest.mark.parametrize(
    ("words", "env", "expected"),
    [
        (
            ("--profile", "Production"),
            {},
            Target("Production", DEFAULT_BASE_URL, "Production", COMMAND_LINE, "production"),
        ),
        (
            (),
            {"FLOWSERY_PROFILE": "production"},
            Target("Production", DEFAULT_BASE_URL, "Production", "$FLOWSERY_PROFILE", "production"),
        ),
        (
            (),
            {"FLOWSERY_BASE_URL": LOCAL + "/"},
            Target("custom", LOCAL, None, "$FLOWSERY_BASE_URL"),
        ),
        (
            (),
            {"FLOWSERY_PROFILE": "local", "FLOWSERY_BASE_URL": "http://127.0.0.1:9"},
            Target(
                "Local", "http://127.0.0.1:9", "Local", "$FLOWSERY_PROFILE and $FLOWSERY_BASE_URL"
            ),
        ),
        (
            ("--profile", "Local", "--base-url", "http://[::1]:9"),
            {},
            Target("Local", "http://[::1]:9", "Local", COMMAND_LINE),
        ),
        (
            ("--base-url", "http://localhost:1"),
            {"FLOWSERY_PROFILE": "Production", "FLOWSERY_BASE_URL": DEFAULT_BASE_URL},
            Target("custom", "http://localhost:1", None, COMMAND_LINE),
        ),
    ],
    ids=[
        "--profile Production",
        "FLOWSERY_PROFILE",
        "FLOWSERY_BASE_URL",
        "both variables",
        "--profile with --base-url",
        "the command line wins",
    ],
)
def test_a_named_target_is_the_one_used(
    profiles: ProfileStore, words: tuple[str, ...], env: dict[str, str], expected: Target
) -> None:
    assert target_of(*words, **env) == expected


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"FLOWSERY_API_KEY": "flow_sk_fake_0123456789"},
        {"FLOWSERY_PROFILE": "  ", "FLOWSERY_BASE_URL": ""},
    ],
    ids=["nothing", "only a key", "empty variables"],
)
def test_with_no_target_named_nothing_is_chosen_and_the_three_ways_are_shown(
    profiles: ProfileStore, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert target_of(**env) == EXIT_USAGE
    said = capsys.readouterr().err
    assert "no target named, so nothing was sent" in said
    for way in ("--profile NAME", "--profile Production", "--base-url URL"):
        assert way in said
    assert "FLOWSERY_PROFILE=NAME or FLOWSERY_BASE_URL=URL in the environment" in said


def test_the_announcement_names_the_profile_the_host_and_what_named_it() -> None:
    production = Target("Production", DEFAULT_BASE_URL, "Production")
    assert production.announcement() == "Sending to Production (analytics.flowsery.com)…"
    from_env = Target("custom", "http://[::1]:8765", None, "$FLOWSERY_BASE_URL")
    assert from_env.announcement() == "Sending to custom ([::1]:8765, named by $FLOWSERY_BASE_URL)…"


# --- the whole command ------------------------------------------------------------------------


def netloc(server: SandboxServer) -> str:
    return server.url.removeprefix("http://")


def history_profiles(place: Place) -> list[str]:
    result = cli(place, "history", "--json")
    return [json.loads(line)["profile"] for line in result.stdout.splitlines()]


@pytest.mark.slow
def test_a_send_with_only_an_api_key_is_refused_and_nothing_is_recorded(place: Place) -> None:
    result = cli(place, "send", "--name", "qa_probe", FLOWSERY_API_KEY=KEY)
    assert result.returncode == 2
    assert "no target named" in result.stderr and "--profile Production" in result.stderr
    assert "Sending to" not in result.stderr and result.stdout == ""
    assert not place.data.exists()


@pytest.mark.slow
def test_every_send_names_its_target_on_stderr_before_the_answer(
    place: Place, sandbox: SandboxServer
) -> None:
    result = cli(place, "send", "--name", "signup", "--base-url", sandbox.url, FLOWSERY_API_KEY=KEY)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"Sending to custom ({netloc(sandbox)})…"]


@pytest.mark.slow
def test_flowsery_profile_sends_with_that_profiles_url_and_key_and_says_so(
    place: Place, sandbox: SandboxServer
) -> None:
    assert cli(place, "profile", "add", "Local", sandbox.url).returncode == 0
    assert cli(place, "key", "set", "--profile", "Local", stdin=KEY).returncode == 0
    result = cli(place, "send", "--name", "signup", FLOWSERY_PROFILE="local")
    assert result.returncode == 0, result.stderr
    assert (
        f"Sending to Local ({netloc(sandbox)}, named by $FLOWSERY_PROFILE)…"
        in result.stderr.splitlines()
    )
    assert [goal["name"] for goal in stored_goals(sandbox)] == ["signup"]
    assert history_profiles(place) == ["Local"]


@pytest.mark.slow
def test_flowsery_profile_production_with_a_base_url_is_recorded_as_production(
    place: Place, sandbox: SandboxServer
) -> None:
    result = cli(
        place, "send", "--name", "signup",
        FLOWSERY_API_KEY=KEY, FLOWSERY_PROFILE="Production", FLOWSERY_BASE_URL=sandbox.url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Sending to Production ({netloc(sandbox)}, "
        "named by $FLOWSERY_PROFILE and $FLOWSERY_BASE_URL)…"
    ]
    assert history_profiles(place) == ["Production"]


@pytest.mark.slow
def test_profile_production_on_the_command_line_looks_for_productions_key(place: Place) -> None:
    result = cli(place, "send", "--profile", "Production", "--name", "signup")
    assert result.returncode == 2
    assert "no API key for profile Production" in result.stderr
    assert "Sending to" not in result.stderr


@pytest.mark.slow
def test_the_command_line_wins_over_the_environment(place: Place, sandbox: SandboxServer) -> None:
    result = cli(
        place, "send", "--name", "signup", "--base-url", sandbox.url,
        FLOWSERY_API_KEY=KEY, FLOWSERY_PROFILE="Nope", FLOWSERY_BASE_URL="http://[::1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert history_profiles(place) == ["custom"]


@pytest.mark.slow
def test_an_unknown_flowsery_profile_exits_2_naming_the_variable(place: Place) -> None:
    result = cli(place, "send", "--name", "signup", FLOWSERY_API_KEY=KEY, FLOWSERY_PROFILE="Nope")
    assert result.returncode == 2
    assert "no profile named 'Nope' (from $FLOWSERY_PROFILE)" in result.stderr


@pytest.mark.slow
def test_the_sandbox_profile_from_the_environment_still_needs_a_base_url(place: Place) -> None:
    result = cli(place, "send", "--name", "x", FLOWSERY_API_KEY=KEY, FLOWSERY_PROFILE="Sandbox")
    assert result.returncode == 2
    assert "flowsery-sandbox" in result.stderr and "FLOWSERY_BASE_URL" in result.stderr
