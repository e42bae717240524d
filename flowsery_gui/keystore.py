"""The API key in the operating system's keyring, and nowhere else.

A facade over `keyring`: one fixed service name, one entry per profile. Every kind of keyring
trouble becomes one `KeyStoreError` with a plain message and advice, never the key itself.
There is no plaintext fallback: a backend that would write the key to a plain file is refused.
`keyring` is imported on first use, because importing it costs about 300 ms at start-up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from flowsery_gui.i18n import N_, _, sentences
from flowsery_gui.masking import mask_key, scrub

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "flowsery-goal-tester"

Reason = Literal["no_backend", "locked", "init", "other"]
KeyKind = Literal["stored", "session", "none"]

#: The last sentence of the advice when no keyring can be used (a msgid: show it as
#: `_(SESSION_ONLY_ADVICE)`, which is also how it appears inside a translated advice).
SESSION_ONLY_ADVICE = N_(
    "You can still use the key for this session only: it is then kept in memory."
)
_INSTALL_ADVICE = N_(
    "On Linux, install and run a Secret Service provider such as GNOME Keyring "
    "(the `gnome-keyring` package) or KWallet, and make sure a D-Bus session is running; "
    "then try again."
)


def no_backend_advice() -> str:
    """What to do when no keyring can store the key, in the active language."""
    return sentences(_(_INSTALL_ADVICE), _(SESSION_ONLY_ADVICE))


# Human names of the backends `keyring` ships, by module.
_BACKEND_NAMES = {
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.kwallet": "KWallet",
}
# Backends that store nothing at all, or only raise.
_NON_STORING = {"keyring.backends.fail", "keyring.backends.null"}
_PLAINTEXT_PREFIX = "keyrings.alt"


class KeyStoreError(Exception):
    """Any keyring trouble, in plain words, with what to do next. Never carries the key."""

    def __init__(self, reason: Reason, message: str, advice: str, detail: str = "") -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message
        self.advice = advice
        self.detail = detail  # the backend's own words, with any key scrubbed out

    def __str__(self) -> str:
        return sentences(self.message, self.advice)


@dataclass(frozen=True)
class KeyState:
    """What the window shows about a profile's key: where it lives, masked."""

    kind: KeyKind
    backend: str
    masked: str = ""
    problem: KeyStoreError | None = None  # set when the keyring could not be asked

    @property
    def label(self) -> str:
        """A short phrase for the toolbar: "stored in Secret Service", "session only", "none"."""
        if self.kind == "stored":
            return _("stored in {keyring}", keyring=self.backend)
        if self.kind == "session":
            return _("session only")
        return _("none")


def _module(backend: object) -> str:
    return type(backend).__module__ or ""


def _is_plaintext(backend: object) -> bool:
    return _module(backend).startswith(_PLAINTEXT_PREFIX)


def _is_non_storing(backend: object) -> bool:
    return _module(backend) in _NON_STORING


def _is_chainer(backend: object) -> bool:
    from keyring.backends.chainer import ChainerBackend

    return isinstance(backend, ChainerBackend)


def describe_backend(backend: object) -> str:
    """A person's name for a keyring backend ("Secret Service", "macOS Keychain", ...)."""
    module = _module(backend)
    for prefix, name in _BACKEND_NAMES.items():
        if module == prefix or module.startswith(prefix + "."):
            return name
    cls_name = type(backend).__name__
    if cls_name == "Keyring":  # most backends are called that: the module says more
        return _("{name} keyring", name=module.rsplit(".", 1)[-1])
    return cls_name


def _plaintext_error(backend: object) -> KeyStoreError:
    return KeyStoreError(
        "no_backend",
        _(
            "The only keyring available ({keyring} from keyrings.alt) would store the key in a "
            "plain file, which this app refuses to do.",
            keyring=describe_backend(backend),
        ),
        no_backend_advice(),
    )


def _no_backend_error(detail: str = "") -> KeyStoreError:
    return KeyStoreError(
        "no_backend",
        _("No system keyring is available to store the key."),
        no_backend_advice(),
        detail,
    )


def _translate(exc: BaseException, secrets: tuple[str, ...]) -> KeyStoreError:
    """Turn anything a keyring backend raised into a KeyStoreError."""
    from keyring import errors

    detail = scrub(str(exc), secrets)
    if isinstance(exc, errors.NoKeyringError):
        return _no_backend_error(detail)
    if isinstance(exc, errors.KeyringLocked):
        return KeyStoreError(
            "locked",
            _("The system keyring is locked."),
            _("Unlock your keyring and retry (it usually asks for your login password)."),
            detail,
        )
    if isinstance(exc, errors.InitError):
        return KeyStoreError(
            "init",
            _("The keyring prompt was dismissed or could not open."),
            _("Retry and accept the keyring's prompt, or use the key for this session only."),
            detail,
        )
    return KeyStoreError(
        "other",
        _("The system keyring reported a problem."),
        _(
            "Retry; if it keeps failing, check the keyring application, or use the key for "
            "this session only."
        ),
        detail,
    )


class KeyStore:
    """The keys of all profiles: in the keyring, or in memory for this session only."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- the backend ---------------------------------------------------------------------------

    def _backend(self) -> KeyringBackend:
        """The backend to use, refusing the ones that store nothing or store in plain text."""
        import keyring

        active = keyring.get_keyring()
        if _is_chainer(active):
            # Use the first safe backend directly: the chainer could hand a key to a
            # plaintext backend further down its list.
            chain: list[Any] = list(getattr(active, "backends", ()))
            safe = [b for b in chain if not _is_plaintext(b) and not _is_non_storing(b)]
            if safe:
                return safe[0]
            plain = [b for b in chain if _is_plaintext(b)]
            raise _plaintext_error(plain[0]) if plain else _no_backend_error()
        if _is_plaintext(active):
            raise _plaintext_error(active)
        if _is_non_storing(active):
            raise _no_backend_error()
        return active

    def _call(self, action: str, profile: str, *args: str) -> Any:
        try:
            backend = self._backend()
            return getattr(backend, action)(self.service, profile, *args)
        except KeyStoreError:
            raise
        except Exception as exc:  # last-resort boundary: backends raise D-Bus/OS types too
            raise _translate(exc, tuple(args)) from None

    def backend_name(self) -> str:
        """The keyring's name for people ("Secret Service"), or why there is none."""
        try:
            return describe_backend(self._backend())
        except KeyStoreError:
            return _("no keyring")

    def available(self) -> bool:
        """True when a keyring that really stores secrets (not in plain text) is there."""
        try:
            self._backend()
        except KeyStoreError:
            return False
        return True

    # -- keys ------------------------------------------------------------------------------------

    def get(self, profile: str) -> str | None:
        """The profile's key: the session key first, else the keyring's, else None."""
        with self._lock:
            session = self._session.get(profile)
        if session is not None:
            return session
        value = self._call("get_password", profile)
        return str(value) if value is not None else None

    def stored(self, profile: str) -> str | None:
        """The profile's key in the keyring only (no session key), or None. Raises
        KeyStoreError. The keyring reader `sending.resolve_key` takes; it can block on a
        prompt, so the window calls it on a worker thread."""
        value = self._call("get_password", profile)
        return str(value) if value is not None else None

    def set(self, profile: str, key: str) -> None:
        """Store the key in the keyring (replacing any), and drop a session key for it."""
        if not key:
            raise ValueError(_("The key is empty."))
        self._call("set_password", profile, key)
        with self._lock:
            self._session.pop(profile, None)

    def delete(self, profile: str) -> None:
        """Forget the profile's key, in the keyring and in memory. No error when absent."""
        from keyring.errors import PasswordDeleteError

        with self._lock:
            self._session.pop(profile, None)
        try:
            backend = self._backend()
            backend.delete_password(self.service, profile)
        except KeyStoreError:
            raise
        except PasswordDeleteError as exc:
            # Most backends say "not found" this way; make sure it really is gone.
            if self._call("get_password", profile) is not None:
                raise _translate(exc, ()) from None
        except Exception as exc:  # last-resort boundary: backends raise D-Bus/OS types too
            raise _translate(exc, ()) from None

    def set_session(self, profile: str, key: str) -> None:
        """Keep the key in memory only, until the app quits (no keyring, no disk)."""
        if not key:
            raise ValueError(_("The key is empty."))
        with self._lock:
            self._session[profile] = key

    def session_key(self, profile: str) -> str | None:
        """The session-only key held in memory for the profile, if any (no keyring call)."""
        with self._lock:
            return self._session.get(profile)

    def clear_session(self, profile: str) -> None:
        """Forget a session-only key."""
        with self._lock:
            self._session.pop(profile, None)

    def known_secrets(self) -> tuple[str, ...]:
        """The keys held in memory this session, for scrubbing them from anything written."""
        with self._lock:
            return tuple(self._session.values())

    def state(self, profile: str) -> KeyState:
        """Where the profile's key is, for the window's label. Never raises."""
        with self._lock:
            session = self._session.get(profile)
        if session is not None:
            return KeyState("session", self.backend_name(), mask_key(session))
        try:
            backend = describe_backend(self._backend())
        except KeyStoreError as exc:
            return KeyState("none", _("no keyring"), "", exc)
        try:
            stored = self._call("get_password", profile)
        except KeyStoreError as exc:
            return KeyState("none", backend, "", exc)
        if stored is None:
            return KeyState("none", backend)
        return KeyState("stored", backend, mask_key(str(stored)))
