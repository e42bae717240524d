"""Where goals go right now: the active profile, its key (in memory), and the embedded sandbox.

Keyring reads happen on the task runner (a Secret Service call can block on a prompt); the
key, once read, is kept in memory only, for this run. A service: no widget in here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Signal

from flowsery_gui.i18n import _, sentences
from flowsery_gui.profiles import Profile, ProfileStore
from flowsery_gui.sending.keys import KEY_ENV_VAR, KeySource, ResolvedKey, resolve_key
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.keystore import KeyStore
    from flowsery_gui.sandbox.server import SandboxServer


# A NamedTuple: defined at start-up, where a dataclass takes three times as long.
class KeyInfo(NamedTuple):
    """What the window says about the active profile's key."""

    source: str  # "sandbox" | "stored" | "session" | "environment" | "none" | "loading" | "error"
    text: str  # e.g. "Key: stored in Secret Service ✓"
    detail: str = ""  # tooltip / advice


class TargetService(QObject):
    """The active profile, its key and the embedded sandbox, for one run of the window."""

    changed = Signal()  # the active profile, its key or the sandbox changed
    profiles_changed = Signal()  # a profile was added or removed
    sandbox_started = Signal(str)
    sandbox_failed = Signal(str)

    def __init__(
        self,
        profiles: ProfileStore,
        keystore: KeyStore | None,
        tasks: TaskRunner,
        parent: QObject | None = None,
        hold_until_shown: bool = True,
    ) -> None:
        super().__init__(parent)
        self.profiles = profiles
        self._keystore = keystore
        self.tasks = tasks
        # The built-in sandbox until one is chosen: nothing points at production by default.
        self.profile: Profile = next(p for p in profiles.list() if p.kind == "sandbox")
        self.sandbox: SandboxServer | None = None
        self._keys: dict[str, str | None] = {}  # profile name -> key read this run
        self._key_errors: dict[str, Any] = {}
        self._loading: set[str] = set()
        self._confirmed_production: set[str] = set()
        self._sandbox_starting = False
        self._servers: list[SandboxServer] = []
        # Until the window has been shown, keyring reads and the sandbox wait (start-up time).
        self._held = hold_until_shown

    @property
    def keystore(self) -> KeyStore:
        """The keyring facade, made on first use."""
        if self._keystore is None:
            # Deferred: the sandbox profile shows its first window without the keyring (~6 ms).
            from flowsery_gui.keystore import KeyStore

            self._keystore = KeyStore()
        return self._keystore

    def known_secrets(self) -> tuple[str, ...]:
        """The keys held in memory this run, for scrubbing; safe from any thread."""
        keystore = self._keystore
        return keystore.known_secrets() if keystore is not None else ()

    def _session_key(self, name: str) -> str | None:
        # No keystore made yet means no key was put in memory yet.
        return self._keystore.session_key(name) if self._keystore is not None else None

    # Profiles -----------------------------------------------------------------------------
    def set_profile(self, name: str) -> None:
        """Make another profile active (starting the sandbox or reading its key as needed)."""
        profile = self.profiles.get(name)
        if profile is None:
            return
        self.profile = profile
        if profile.kind == "sandbox":
            self.start_sandbox_soon()
        else:
            self.load_key()
        self.changed.emit()

    def is_production(self) -> bool:
        """True for the vendor's real API: goals sent there count in real analytics."""
        return self.profile.kind == "production"

    def needs_production_confirmation(self) -> bool:
        """The first production send of a run asks first."""
        return self.is_production() and self.profile.name not in self._confirmed_production

    def confirm_production(self) -> None:
        """The person said yes to sending to production for this run."""
        self._confirmed_production.add(self.profile.name)

    def base_url(self) -> str:
        """Where the active profile's requests go ("" until the sandbox is up)."""
        if self.profile.kind == "sandbox":
            return self.sandbox.url if self.sandbox is not None else ""
        return self.profile.base_url

    # Sandbox ------------------------------------------------------------------------------
    def resume(self) -> None:
        """The window is up: do the start-up work held back until now."""
        self._held = False
        if self.profile.kind == "sandbox":
            self.start_sandbox_soon()
        else:
            self.load_key()

    def start_sandbox_soon(self) -> None:
        """Start the sandbox off the GUI thread (it imports the HTTP server and binds a port)."""
        if self.sandbox is not None or self._sandbox_starting or self._held:
            return
        self._sandbox_starting = True

        def start() -> SandboxServer:
            from flowsery_gui.sandbox.server import SandboxServer

            server = SandboxServer(host="127.0.0.1", port=0).start()
            self._servers.append(server)  # so stop() reaches it even if `done` never runs
            return server

        def done(server: SandboxServer) -> None:
            self._sandbox_starting = False
            if not server.running:  # the window closed (stop() ran) while it was starting
                return
            if self.sandbox is None:
                self.sandbox = server
                self.sandbox_started.emit(server.url)
                self.changed.emit()
            else:  # ensure_sandbox() won the race: keep one
                self._servers.remove(server)
                server.stop()

        def failed(text: str) -> None:
            self._sandbox_starting = False
            self.sandbox_failed.emit(text.strip().splitlines()[-1] if text.strip() else "")

        self.tasks.run(start, done, failed)

    def ensure_sandbox(self) -> SandboxServer:
        """Start the embedded sandbox on a free loopback port once; returns it."""
        if self.sandbox is None:
            from flowsery_gui.sandbox.server import SandboxServer

            server = SandboxServer(host="127.0.0.1", port=0)
            server.start()
            self._servers.append(server)
            self.sandbox = server
            self.sandbox_started.emit(server.url)
            self.changed.emit()
        return self.sandbox

    def stop(self) -> None:
        """Stop the embedded sandbox (window closing)."""
        servers, self._servers = self._servers, []
        if self.sandbox is not None and self.sandbox not in servers:
            servers.append(self.sandbox)
        self.sandbox = None
        for server in servers:
            server.stop()

    # Keys ---------------------------------------------------------------------------------
    def resolved_key(self) -> ResolvedKey:
        """The active profile's key by the one key rule (`sending.keys`): the sandbox's own
        key; else a key for this session only, `$FLOWSERY_API_KEY`, the keyring; else none.
        From memory only: the keyring was read off the GUI thread (`load_key`)."""
        profile = self.profile
        sandbox = self.sandbox
        return resolve_key(
            profile.name,
            profile.kind,
            session_key=self._session_key(profile.name),
            read_keyring=self._keyring_read,
            sandbox_key=sandbox.api_key if sandbox is not None else None,
        )

    def _keyring_read(self, name: str) -> str | None:
        """What the last keyring read found for a profile (its trouble raised again)."""
        error = self._key_errors.get(name)
        if error is not None:
            raise error
        return self._keys.get(name)

    def key(self) -> str | None:
        """The key to send with (see `resolved_key`)."""
        return self.resolved_key().key

    def has_stored_key(self) -> bool:
        """True when the keyring holds a key for the active profile (whichever key wins)."""
        return bool(self._keys.get(self.profile.name))

    def key_info(self) -> KeyInfo:
        """What to show about the active profile's key."""
        name = self.profile.name
        resolved = self.resolved_key()
        source = resolved.source
        if self.profile.kind == "sandbox":
            if source is not KeySource.SANDBOX:
                return KeyInfo("sandbox", _("Key: sandbox (starting…)"))
            return KeyInfo("sandbox", _("Key: built-in sandbox key ✓"), _("Made for this run only"))
        if source is KeySource.SESSION:
            return KeyInfo("session", _("Key: session only"), _("Kept in memory until you quit"))
        if source is KeySource.ENVIRONMENT:
            return KeyInfo(
                "environment",
                # Translators: {variable} is the environment variable's name ($FLOWSERY_API_KEY).
                _("Key: from {variable}", variable="$" + KEY_ENV_VAR),
                _("Set in the environment; it comes before a key in the keyring"),
            )
        if source is KeySource.KEYRING:
            backend = self.keystore.backend_name()
            # Translators: {keyring} names the keyring ("Secret Service", "macOS Keychain").
            stored = _("Key: stored in {keyring} ✓", keyring=backend)
            return KeyInfo("stored", stored, _("Kept in your keyring"))
        if name in self._loading:
            return KeyInfo("loading", _("Key: reading keyring…"))
        error = resolved.error
        if error is not None:
            return KeyInfo(
                "error",
                _("Key: keyring unavailable ⚠"),
                sentences(error.message, error.advice),
            )
        # Translators: "API Key…" is the Profile menu's entry (use its translation), Ctrl+K
        # its shortcut.
        add_one = _("Use API Key… (Ctrl+K) to add one")
        return KeyInfo("none", _("Key: none — set one"), add_one)

    def load_key(self, force: bool = False) -> None:
        """Read the active profile's key from the keyring off the GUI thread."""
        name = self.profile.name
        if self.profile.kind == "sandbox" or name in self._loading or self._held:
            return
        if name in self._keys and not force:
            return
        self._loading.add(name)
        keystore = self.keystore  # made here, on the GUI thread

        def read() -> tuple[str | None, Any]:
            from flowsery_gui.keystore import KeyStoreError

            try:
                return keystore.stored(name), None
            except KeyStoreError as exc:
                return None, exc

        def done(result: tuple[str | None, Any]) -> None:
            self._loading.discard(name)
            key, error = result
            self._keys[name] = key
            if error is None:
                self._key_errors.pop(name, None)
            else:
                self._key_errors[name] = error
            self.changed.emit()

        self.tasks.run(read, done, lambda _text: done((None, None)))

    def remember_key(self, profile: str, key: str | None) -> None:
        """The key dialog stored, replaced or forgot a key: keep memory in step."""
        self._keys[profile] = key
        self._key_errors.pop(profile, None)
        self.changed.emit()

    def use_for_this_run(self, profile: str, key: str) -> None:
        """Keep a key in memory only, until the app quits."""
        self.keystore.set_session(profile, key)
        self.changed.emit()

    def profiles_edited(self) -> None:
        """Profiles were added or removed: leave a removed active one for the sandbox."""
        if self.profiles.get(self.profile.name) is None:
            sandbox = next(p.name for p in self.profiles.list() if p.kind == "sandbox")
            self.set_profile(sandbox)
        self.profiles_changed.emit()
