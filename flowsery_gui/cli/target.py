"""Where `flowsery-goal send` goes and with which key.

The CLI never picks a server by itself: the command line (`--profile`, `--base-url`) or the
environment (`$FLOWSERY_PROFILE`, `$FLOWSERY_BASE_URL`) must name one, so that a stray
`$FLOWSERY_API_KEY` never sends a test goal to Production unasked. The base URL is checked
once, here, before anything touches the network or the keyring.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowsery_gui.cli.common import (
    API_KEY_ENV,
    BASE_URL_ENV,
    CUSTOM_PROFILE,
    EXIT_USAGE,
    PROFILE_ENV,
    PROG,
    fail,
    one_line,
    shell_word,
    usage_error,
)
from flowsery_gui.cli.key import keyring_failed
from flowsery_gui.cli.profile import find_profile, profile_store

if TYPE_CHECKING:
    from flowsery_gui.sending import ResolvedKey
    from flowsery_gui.sending import Target as SendTarget

COMMAND_LINE = "the command line"

NO_TARGET = (
    "no target named, so nothing was sent (the CLI never picks a server by itself). "
    "Name one in any of these three ways:\n"
    f"  --profile NAME   a profile from `{PROG} profile list`, such as --profile Production\n"
    "  --base-url URL   a server, such as http://127.0.0.1:8765 for a local flowsery-sandbox\n"
    f"  {PROFILE_ENV}=NAME or {BASE_URL_ENV}=URL in the environment (for CI jobs)"
)
SANDBOX_REFUSAL = (
    "the Sandbox profile is the window's built-in sandbox; a one-shot command has none. "
    "Start one with `flowsery-sandbox` (it prints its URL and key), then send with "
    f"--base-url URL (or {BASE_URL_ENV}) and its key in {API_KEY_ENV}."
)
URL_EXAMPLE = (
    "Give a base URL such as https://staging.example.com, or http://127.0.0.1:8765 for a "
    "local sandbox."
)


@dataclass(frozen=True)
class Target:
    """Where `send` goes: the profile recorded in history, the checked base URL, whose
    keyring entry holds the key, and what named this target (for the line before sending)."""

    profile: str
    base_url: str
    keyring_profile: str | None  # None: the key can only come from the environment
    named_by: str = COMMAND_LINE
    kind: str = "custom"  # "production" | "sandbox" | "custom", as the profile's

    def for_sending(self) -> SendTarget:
        """The target as the send pipeline plans it."""
        from flowsery_gui.sending import Target as PipelineTarget

        return PipelineTarget(self.profile, self.kind, self.base_url)

    @property
    def host(self) -> str:
        """The host (and port) the goal goes to, as a person recognises it."""
        from urllib.parse import urlsplit  # only a send needs it: `validate` starts without

        return urlsplit(self.base_url).netloc

    def announcement(self) -> str:
        """The line printed before every send, naming the target."""
        via = "" if self.named_by == COMMAND_LINE else f", named by {self.named_by}"
        return one_line(f"Sending to {self.profile} ({self.host}{via})…")


def _named(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str | None, str | None, str]:
    """The profile name and base URL the user gave, and what gave them. The command line
    wins as a whole over the environment; empty variables count as unset."""
    if args.profile is not None or args.base_url is not None:
        return args.profile, args.base_url, COMMAND_LINE
    profile = env.get(PROFILE_ENV, "").strip() or None
    url = env.get(BASE_URL_ENV, "").strip() or None
    names = [f"${name}" for name, value in ((PROFILE_ENV, profile), (BASE_URL_ENV, url)) if value]
    return profile, url, " and ".join(names)


def resolve_target(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Target | int:
    """The target the user named: a profile (its URL unless a base URL is also given), or a
    base URL alone under the profile "custom". Returns exit 2 after saying why when no target
    is named, the profile is unknown, the Sandbox profile has no URL (no sandbox runs inside a
    one-shot command) or the base URL is not acceptable."""
    profile_name, url, named_by = _named(args, os.environ if env is None else env)
    if profile_name is None and url is None:
        return usage_error("send", NO_TARGET)
    keyring_profile: str | None = None
    name, kind = CUSTOM_PROFILE, "custom"
    url_from = "--base-url" if named_by == COMMAND_LINE else f"${BASE_URL_ENV}"
    if profile_name is not None:
        given = "" if named_by == COMMAND_LINE else f"${PROFILE_ENV}"
        profile = find_profile(profile_store(), profile_name, "send", given)
        if isinstance(profile, int):
            return profile
        name, kind = profile.name, profile.kind
        if profile.kind == "sandbox":
            if url is None:
                return usage_error("send", SANDBOX_REFUSAL)
        else:
            keyring_profile = profile.name
            if url is None:
                url, url_from = profile.base_url, f"the URL of profile {profile.name}"
    from flowsery_gui.profiles import validate_base_url

    try:
        checked = validate_base_url(url or "")
    except ValueError as exc:
        return usage_error("send", one_line(f"{url_from}: {exc} {URL_EXAMPLE}"))
    return Target(name, checked, keyring_profile, named_by, kind)


def resolve_api_key(target: Target, env: Mapping[str, str] | None = None) -> ResolvedKey:
    """The key for this target by the one rule every caller follows (`sending.resolve_key`;
    a terminal has no session key): $FLOWSERY_API_KEY, else the profile's keyring entry,
    else none. For the Sandbox profile the key of the sandbox the user started comes in
    $FLOWSERY_API_KEY too. Keyring trouble comes back in `.error`, never raised."""
    from flowsery_gui.sending import resolve_key

    environ = os.environ if env is None else env

    def read_keyring(profile: str) -> str | None:
        from flowsery_gui.keystore import KeyStore

        return KeyStore().get(profile)

    return resolve_key(
        target.profile,
        target.kind,
        environ=environ,
        read_keyring=read_keyring if target.keyring_profile is not None else None,
        sandbox_key=environ.get(API_KEY_ENV),
    )


def no_key(target: Target, resolved: ResolvedKey) -> int:
    """Say why there is no key and how to give one: exit 4 for keyring trouble, else 2."""
    if resolved.error is not None:
        return keyring_failed(resolved.error)
    if target.keyring_profile is None:
        fail(
            f"no API key: set the {API_KEY_ENV} environment variable to your Flowsery "
            "API key (it starts with flow_)."
        )
        return EXIT_USAGE
    name = shell_word(target.keyring_profile)
    fail(
        f"no API key for profile {target.keyring_profile}: store one with "
        f"`{PROG} key set --profile {name}` (it reads the key from stdin), or set the "
        f"{API_KEY_ENV} environment variable."
    )
    return EXIT_USAGE
