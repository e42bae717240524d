"""The keystore against a real Secret Service (GNOME Keyring in a private D-Bus session).

Skipped unless the freshly chosen keyring is the Secret Service one. `.ci/run` runs it as:
dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock --components=secrets
>/dev/null; XDG_DATA_HOME=<temp dir> python -m pytest -m integration ...'
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import keyring
import keyring.core
import pytest

from flowsery_gui.keystore import SERVICE, KeyStore

pytestmark = pytest.mark.integration


@pytest.fixture
def secret_service() -> Iterator[None]:
    """Choose the keyring afresh as the app would; skip unless it is the Secret Service."""
    saved = keyring.core._keyring_backend  # private, but the only way to restore "not chosen"
    keyring.core.init_backend()
    backend = keyring.get_keyring()
    # keyring may wrap a lone Secret Service in its chainer (they tie on priority).
    chosen = list(getattr(backend, "backends", ())) or [backend]
    try:
        if not any(type(b).__module__ == "keyring.backends.SecretService" for b in chosen):
            pytest.skip(f"needs a Secret Service keyring; this session has {type(backend)!r}")
        yield
    finally:
        keyring.core._keyring_backend = saved


@pytest.fixture
def profile() -> Iterator[str]:
    """A profile name no real user has, removed again afterwards."""
    name = f"pytest-{uuid.uuid4().hex[:12]}"
    yield name
    KeyStore().delete(name)


def test_key_round_trip_through_the_real_secret_service(secret_service: None, profile: str) -> None:
    store = KeyStore()
    assert store.available()
    assert store.backend_name() == "Secret Service"
    first = "flow_sk_test_" + uuid.uuid4().hex
    second = "flow_sk_test_" + uuid.uuid4().hex

    store.set(profile, first)
    assert keyring.get_password(SERVICE, profile) == first  # really in the keyring
    assert KeyStore().get(profile) == first  # a new instance (another start) reads it
    state = store.state(profile)
    assert (state.label, state.masked) == ("stored in Secret Service", "…" + first[-4:])

    store.set(profile, second)
    assert KeyStore().get(profile) == second

    store.delete(profile)
    assert KeyStore().get(profile) is None
    assert keyring.get_password(SERVICE, profile) is None
    store.delete(profile)  # deleting again is not an error
    assert store.state(profile).kind == "none"


def test_session_key_does_not_reach_the_secret_service(secret_service: None, profile: str) -> None:
    store = KeyStore()
    store.set_session(profile, "flow_sk_test_" + uuid.uuid4().hex)
    assert keyring.get_password(SERVICE, profile) is None
    assert store.state(profile).kind == "session"
