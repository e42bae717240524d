"""The one key rule: sandbox key; else session > $FLOWSERY_API_KEY > keyring > none."""

from __future__ import annotations

import itertools

import pytest

from flowsery_gui.keystore import KeyStoreError
from flowsery_gui.sending import KEY_ENV_VAR, KeySource, resolve_key

SESSION, ENV, STORED = "flow_session_0001", "flow_environ_0002", "flow_keyring_0003"


def read_from(store: dict[str, str], calls: list[str] | None = None):  # type: ignore[no-untyped-def]
    def read(profile: str) -> str | None:
        if calls is not None:
            calls.append(profile)
        return store.get(profile)

    return read


@pytest.mark.parametrize(
    ("session", "env", "stored"),
    list(itertools.product([None, SESSION], [None, ENV], [None, STORED])),
)
def test_the_most_recently_and_explicitly_given_key_wins_in_every_combination(
    session: str | None, env: str | None, stored: str | None
) -> None:
    environ = {KEY_ENV_VAR: env} if env else {}
    keyring = {"Staging": stored} if stored else {}
    resolved = resolve_key(
        "Staging", "custom", session_key=session, environ=environ, read_keyring=read_from(keyring)
    )
    expected = next(
        (
            (key, source)
            for key, source in (
                (session, KeySource.SESSION),
                (env, KeySource.ENVIRONMENT),
                (stored, KeySource.KEYRING),
            )
            if key
        ),
        (None, KeySource.NONE),
    )
    assert (resolved.key, resolved.source) == expected
    assert resolved.error is None


def test_the_keyring_is_not_asked_when_a_session_or_environment_key_wins() -> None:
    calls: list[str] = []
    resolve_key("P", "custom", environ={KEY_ENV_VAR: ENV}, read_keyring=read_from({}, calls))
    resolve_key("P", "custom", session_key=SESSION, environ={}, read_keyring=read_from({}, calls))
    assert calls == []
    resolve_key("P", "custom", environ={}, read_keyring=read_from({}, calls))
    assert calls == ["P"]


def test_keyring_trouble_comes_back_as_data_never_raised() -> None:
    def locked(_profile: str) -> str | None:
        raise KeyStoreError("locked", "The system keyring is locked.", "Unlock it.")

    resolved = resolve_key("P", "production", environ={}, read_keyring=locked)
    assert resolved.key is None and resolved.source is KeySource.NONE
    assert resolved.error is not None and resolved.error.reason == "locked"


def test_an_unexpected_keyring_exception_is_data_too_and_never_quotes_its_text() -> None:
    def broken(_profile: str) -> str | None:
        raise RuntimeError(f"backend exploded holding {STORED}")

    resolved = resolve_key("P", "custom", environ={}, read_keyring=broken)
    assert resolved.error is not None
    assert STORED not in str(resolved.error) + resolved.error.detail


def test_blank_and_padded_keys_count_as_absent_or_trimmed() -> None:
    resolved = resolve_key(
        "P", "custom", session_key="  ", environ={KEY_ENV_VAR: f" {ENV}\r\n"}, read_keyring=None
    )
    assert (resolved.key, resolved.source) == (ENV, KeySource.ENVIRONMENT)
    assert resolve_key("P", "custom", environ={KEY_ENV_VAR: ""}).source is KeySource.NONE


def test_the_sandbox_profile_without_a_running_sandbox_has_no_key() -> None:
    resolved = resolve_key("Sandbox", "sandbox", environ={KEY_ENV_VAR: ENV})
    assert resolved.key is None and resolved.source is KeySource.NONE


def test_a_resolved_key_never_shows_itself() -> None:
    resolved = resolve_key("P", "custom", session_key=SESSION)
    assert SESSION not in repr(resolved) and SESSION not in resolved.describe()
    assert resolved.describe() == "kept for this session only (…0001)"


def test_the_variable_name_is_one_constant_wherever_it_is_imported() -> None:
    from flowsery_gui import request_model

    assert request_model.KEY_ENV_VAR is KEY_ENV_VAR


def test_the_key_rule_and_the_package_load_without_requests_keyring_qt_or_the_planner() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from flowsery_gui.sending.keys import KEY_ENV_VAR, resolve_key\n"
        "print('plan' , 'flowsery_gui.sending.plan' in sys.modules)\n"
        "from flowsery_gui.sending import plan_goal, Target, send\n"
        "heavy = [m for m in ('requests', 'keyring', 'PySide6', 'urllib3') if m in sys.modules]\n"
        "print('heavy', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == ["plan False", "heavy []"]
