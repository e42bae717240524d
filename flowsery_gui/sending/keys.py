"""Which API key a send uses: one rule for the window, the CLI, suites and cleanup.

The rule, in order:

1. the built-in Sandbox profile uses the running sandbox's own key (made for this run), and
   nothing else: a real key never goes to the sandbox, the sandbox key never leaves it;
2. otherwise a key given for this session only (typed in the window, kept in memory);
3. then the `FLOWSERY_API_KEY` environment variable;
4. then the profile's key in the OS keyring;
5. else none.

Why: the most recently and explicitly given key wins, as in the gh, aws and stripe CLIs. A
key typed a moment ago beats one exported when the shell started, which beats one stored
weeks ago. Keyring trouble is returned as data (`ResolvedKey.error`), never raised, so the
caller can say what happened and still offer the session-only way. The keyring is read
through an injected callable: the window calls it on a worker thread (a Secret Service
prompt can block), tests pass a dict's `get`.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from flowsery_gui.i18n import N_, _
from flowsery_gui.masking import mask_key

if TYPE_CHECKING:
    from flowsery_gui.keystore import KeyStoreError

__all__ = [
    "KEY_ENV_VAR",
    "KeySource",
    "ResolvedKey",
    "key_text_problem",
    "resolve_key",
]

#: The environment variable holding an API key for headless use (CI, scripts).
KEY_ENV_VAR = "FLOWSERY_API_KEY"

#: Reads one profile's key from the keyring: the key, None when none is stored, or raises
#: `KeyStoreError` (as `KeyStore.stored` does).
KeyringReader = Callable[[str], "str | None"]


class KeySource(str, enum.Enum):
    """Where a resolved key came from. Values are stable words for logs and JSON output."""

    SESSION = "session"
    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SANDBOX = "sandbox"
    NONE = "none"


_SOURCE_WORDS = {
    KeySource.SESSION: N_("kept for this session only"),
    KeySource.ENVIRONMENT: N_("from ${variable}"),
    KeySource.KEYRING: N_("from the keyring"),
    KeySource.SANDBOX: N_("the built-in sandbox's own key"),
    KeySource.NONE: N_("no key"),
}


class ResolvedKey(NamedTuple):  # a NamedTuple: the CLI's start-up pays a tenth of a dataclass
    """The key a send will use and where it came from; its repr never shows the key."""

    key: str | None
    source: KeySource
    error: KeyStoreError | None = None  # the keyring could not be asked (key is then None)

    @property
    def present(self) -> bool:
        """True when there is a key to send."""
        return bool(self.key)

    @property
    def masked(self) -> str:
        """The key as people may see it (`…abcd`), or "" without one."""
        return mask_key(self.key) if self.key else ""

    def describe(self) -> str:
        """Where the key came from, in words: "from $FLOWSERY_API_KEY (…abcd)"."""
        words = _(_SOURCE_WORDS[self.source], variable=KEY_ENV_VAR)
        return f"{words} ({self.masked})" if self.key else words

    def __repr__(self) -> str:  # also str(): a tuple has no __str__ of its own
        return f"ResolvedKey({self.masked!r}, {self.source.value!r}, error={self.error!r})"


def _clean(key: str | None) -> str | None:
    """A key without surrounding spaces and line breaks (a CRLF .env file), or None."""
    key = (key or "").strip()
    return key or None


def _as_keystore_error(exc: Exception) -> KeyStoreError:
    from flowsery_gui.keystore import KeyStoreError

    if isinstance(exc, KeyStoreError):
        return exc
    # Not the documented kind of trouble: keep the type only (its text could quote a key).
    return KeyStoreError(
        "other",
        _("The system keyring reported a problem."),
        _("Retry, or use the key for this session only."),
        type(exc).__name__,
    )


def resolve_key(
    profile: str,
    kind: str,
    *,
    session_key: str | None = None,
    environ: Mapping[str, str] | None = None,
    read_keyring: KeyringReader | None = None,
    sandbox_key: str | None = None,
) -> ResolvedKey:
    """The key for a send to `profile` (of `kind` "production", "sandbox" or "custom").

    `session_key`: the key typed for this session only; `environ`: the environment (default
    `os.environ`); `read_keyring`: reads the profile's stored key (not called when a session
    or environment key wins; None: no keyring is consulted); `sandbox_key`: the running
    sandbox's key (None while it is not running). Never raises.
    """
    if kind == "sandbox":
        key = _clean(sandbox_key)
        return ResolvedKey(key, KeySource.SANDBOX if key else KeySource.NONE)
    key = _clean(session_key)
    if key:
        return ResolvedKey(key, KeySource.SESSION)
    key = _clean((os.environ if environ is None else environ).get(KEY_ENV_VAR))
    if key:
        return ResolvedKey(key, KeySource.ENVIRONMENT)
    if read_keyring is None:
        return ResolvedKey(None, KeySource.NONE)
    try:
        key = _clean(read_keyring(profile))
    except Exception as exc:  # the boundary: trouble becomes data (KeyStore raises one type)
        return ResolvedKey(None, KeySource.NONE, _as_keystore_error(exc))
    return ResolvedKey(key, KeySource.KEYRING) if key else ResolvedKey(None, KeySource.NONE)


def key_text_problem(key: str) -> str | None:
    """Why a key cannot go in a header (a space or control character inside it), or None."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in key):
        return _(
            "Not sent: the API key contains a space, tab, line break or other control "
            "character. Copy the key again and paste it without them."
        )
    try:
        key.encode("latin-1")
    except UnicodeEncodeError:
        return _(
            "Not sent: the API key contains a character that cannot be sent in an HTTP header. "
            "Copy the key again from your Flowsery website settings."
        )
    return None
