"""The keyring facade, against small in-memory keyring backends installed with set_keyring."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import ClassVar

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
)

from flowsery_gui.keystore import SERVICE, KeyStore, KeyStoreError, describe_backend

KEY = "flow_sk_test_4f8a9c2e7d1b3a5f6e0c9d8b7a6f"
OTHER_KEY = "flow_sk_test_0000111122223333444455556666"

# Negative priorities: keyring never picks these by itself, even in other tests' processes.


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict, as a real one would in the OS."""

    priority = -10

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("Password not found")


class RaisingKeyring(KeyringBackend):
    """A keyring whose every operation raises the given exception."""

    priority = -10

    def __init__(self, exc: BaseException) -> None:
        super().__init__()
        self.exc = exc

    def get_password(self, service: str, username: str) -> str | None:
        raise self.exc

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.exc

    def delete_password(self, service: str, username: str) -> None:
        raise self.exc


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plain-file keyring (judged by its module)."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


class FakeChainer(ChainerBackend):
    """A chainer whose chain is set by the test instead of discovered."""

    priority = -10  # plain attributes: keyring evaluates every registered backend class
    backends: ClassVar[list[KeyringBackend]] = []


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    """Put back whatever keyring (or none yet) the process had before the test."""
    saved = keyring.core._keyring_backend  # private, but the only way to restore "not chosen"
    yield
    keyring.core._keyring_backend = saved


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def test_key_is_stored_under_the_fixed_service_with_the_profile_as_user(
    memory: MemoryKeyring,
) -> None:
    store = KeyStore()
    store.set("Production", KEY)
    assert memory.store == {(SERVICE, "Production"): KEY}
    assert store.get("Production") == KEY
    assert store.get("Sandbox") is None


def test_storing_again_replaces_the_key(memory: MemoryKeyring) -> None:
    store = KeyStore()
    store.set("Production", KEY)
    store.set("Production", OTHER_KEY)
    assert store.get("Production") == OTHER_KEY
    assert len(memory.store) == 1


def test_delete_forgets_the_key_and_is_quiet_when_there_is_none(memory: MemoryKeyring) -> None:
    store = KeyStore()
    store.set("Production", KEY)
    store.delete("Production")
    assert store.get("Production") is None
    store.delete("Production")  # absent: no error
    store.delete("Never stored")


def test_session_key_stays_in_memory_and_never_reaches_the_keyring(memory: MemoryKeyring) -> None:
    store = KeyStore()
    store.set_session("Production", KEY)
    assert store.get("Production") == KEY
    assert memory.store == {}
    assert "set" not in memory.calls
    assert store.known_secrets() == (KEY,)


def test_session_key_wins_until_the_key_is_stored(memory: MemoryKeyring) -> None:
    store = KeyStore()
    store.set("Production", KEY)
    store.set_session("Production", OTHER_KEY)
    assert store.get("Production") == OTHER_KEY
    store.set("Production", OTHER_KEY)
    assert store.state("Production").kind == "stored"
    assert store.known_secrets() == ()


def test_session_key_works_without_any_keyring() -> None:
    keyring.set_keyring(fail.Keyring())
    store = KeyStore()
    store.set_session("Production", KEY)
    assert store.get("Production") == KEY
    state = store.state("Production")
    assert (state.kind, state.label, state.masked) == ("session", "session only", "…" + KEY[-4:])


def test_delete_also_forgets_a_session_key(memory: MemoryKeyring) -> None:
    store = KeyStore()
    store.set_session("Production", KEY)
    store.delete("Production")
    assert store.get("Production") is None


def test_state_says_where_the_key_is_with_the_key_masked(memory: MemoryKeyring) -> None:
    store = KeyStore()
    assert store.state("Production").label == "none"
    store.set("Production", KEY)
    state = store.state("Production")
    assert state.kind == "stored"
    assert state.masked == "…" + KEY[-4:]
    assert state.label == "stored in MemoryKeyring"
    assert KEY not in repr(state)


def test_empty_key_is_refused(memory: MemoryKeyring) -> None:
    store = KeyStore()
    with pytest.raises(ValueError):
        store.set("Production", "")
    with pytest.raises(ValueError):
        store.set_session("Production", "")
    assert memory.store == {}


@pytest.mark.parametrize(
    ("exc", "reason", "in_message", "in_advice"),
    [
        (
            NoKeyringError("No recommended backend"),
            "no_backend",
            "No system keyring",
            "gnome-keyring",
        ),
        (KeyringLocked("Failed to unlock"), "locked", "locked", "nlock your keyring and retry"),
        (InitError("Failed to create the collection"), "init", "dismissed", "session only"),
        (KeyringError("something odd"), "other", "problem", "session only"),
        (RuntimeError("dbus went away"), "other", "problem", "Retry"),
    ],
)
@pytest.mark.parametrize("action", ["get", "set", "delete"])
def test_each_keyring_failure_becomes_one_error_with_plain_words_and_advice(
    exc: BaseException, reason: str, in_message: str, in_advice: str, action: str
) -> None:
    keyring.set_keyring(RaisingKeyring(exc))
    store = KeyStore()
    with pytest.raises(KeyStoreError) as caught:
        if action == "get":
            store.get("Production")
        elif action == "set":
            store.set("Production", KEY)
        else:
            store.delete("Production")
    error = caught.value
    assert error.reason == reason
    assert in_message in error.message
    assert in_advice in error.advice
    assert error.__cause__ is None and error.__suppress_context__


def test_no_backend_advice_names_what_to_install_and_the_session_only_way() -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyStoreError) as caught:
        KeyStore().set("Production", KEY)
    advice = caught.value.advice
    assert "GNOME Keyring" in advice and "KWallet" in advice and "D-Bus" in advice
    assert "this session only" in advice


def test_a_key_in_the_backends_error_text_is_masked_in_the_error() -> None:
    keyring.set_keyring(RaisingKeyring(KeyringError(f"could not store {KEY}")))
    with pytest.raises(KeyStoreError) as caught:
        KeyStore().set("Production", KEY)
    error = caught.value
    for text in (str(error), repr(error), error.message, error.advice, error.detail):
        assert KEY not in text
    assert "…" + KEY[-4:] in error.detail


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_backends_that_store_nothing_count_as_no_keyring(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    store = KeyStore()
    assert not store.available()
    assert store.backend_name() == "no keyring"
    with pytest.raises(KeyStoreError) as caught:
        store.set("Production", KEY)
    assert caught.value.reason == "no_backend"
    state = store.state("Production")
    assert state.kind == "none" and state.problem is not None


def test_a_plaintext_keyring_is_refused_and_nothing_is_written() -> None:
    plain = PlaintextKeyring()
    keyring.set_keyring(plain)
    store = KeyStore()
    assert not store.available()
    with pytest.raises(KeyStoreError) as caught:
        store.set("Production", KEY)
    assert caught.value.reason == "no_backend"
    assert "plain file" in caught.value.message
    assert plain.store == {} and plain.calls == []


def test_a_chain_skips_its_plaintext_backend_for_a_safe_one() -> None:
    plain, safe = PlaintextKeyring(), MemoryKeyring()
    FakeChainer.backends = [plain, safe]
    keyring.set_keyring(FakeChainer())
    store = KeyStore()
    store.set("Production", KEY)
    assert safe.store == {(SERVICE, "Production"): KEY}
    assert plain.store == {} and plain.calls == []
    assert store.get("Production") == KEY


def test_a_chain_of_only_plaintext_backends_is_refused() -> None:
    plain = PlaintextKeyring()
    FakeChainer.backends = [plain]
    keyring.set_keyring(FakeChainer())
    with pytest.raises(KeyStoreError) as caught:
        KeyStore().set("Production", KEY)
    assert "plain file" in caught.value.message
    assert plain.store == {}


def test_an_empty_chain_is_no_keyring() -> None:
    FakeChainer.backends = []
    keyring.set_keyring(FakeChainer())
    assert not KeyStore().available()


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("keyring.backends.SecretService", "Secret Service"),
        ("keyring.backends.libsecret", "Secret Service"),
        ("keyring.backends.macOS", "macOS Keychain"),
        ("keyring.backends.Windows", "Windows Credential Manager"),
        ("keyring.backends.kwallet", "KWallet"),
    ],
)
def test_backends_get_names_people_know(module: str, name: str) -> None:
    fake = type("Keyring", (), {"__module__": module})()
    assert describe_backend(fake) == name


def test_an_unknown_backend_is_named_by_its_class() -> None:
    assert describe_backend(MemoryKeyring()) == "MemoryKeyring"


def test_importing_the_keystore_does_not_import_keyring() -> None:
    code = "import sys, flowsery_gui.keystore; print('keyring' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.strip() == "False"


def test_stored_reads_the_keyring_only_and_feeds_the_key_rule(memory: MemoryKeyring) -> None:
    from flowsery_gui.sending import KeySource, resolve_key

    store = KeyStore()
    store.set("Staging", KEY)
    store.set_session("Staging", "flow_session_only_9999")
    assert store.stored("Staging") == KEY  # not the session key
    resolved = resolve_key(
        "Staging",
        "custom",
        session_key=store.session_key("Staging"),
        environ={},
        read_keyring=store.stored,
    )
    assert resolved.source is KeySource.SESSION
    store.clear_session("Staging")
    resolved = resolve_key("Staging", "custom", environ={}, read_keyring=store.stored)
    assert (resolved.key, resolved.source) == (KEY, KeySource.KEYRING)


def test_a_locked_keyring_reaches_the_key_rule_as_data() -> None:
    from flowsery_gui.sending import resolve_key

    keyring.set_keyring(RaisingKeyring(KeyringLocked("locked")))
    resolved = resolve_key("Staging", "custom", environ={}, read_keyring=KeyStore().stored)
    assert resolved.key is None
    assert resolved.error is not None and resolved.error.reason == "locked"
