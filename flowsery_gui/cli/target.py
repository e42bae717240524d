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
from flowsery_gui.i18n import N_, _, sentences

if TYPE_CHECKING:
    from flowsery_gui.sending import ResolvedKey
    from flowsery_gui.sending import Target as SendTarget

COMMAND_LINE = "the command line"  # a marker: the announcement then names no source


def no_target_text() -> str:
    """Why nothing was sent when no target is named, and the three ways to name one."""
    listing = f"{PROG} profile list"
    return "\n".join(
        [
            _(
                "no target named, so nothing was sent (the CLI never picks a server by "
                "itself). Name one in any of these three ways:"
            ),
            "  --profile NAME   "
            + _("a profile from `{command}`, such as --profile Production", command=listing),
            "  --base-url URL   "
            + _("a server, such as http://127.0.0.1:8765 for a local flowsery-sandbox"),
            "  "
            + _(
                "{profile_variable}=NAME or {url_variable}=URL in the environment (for CI jobs)",
                profile_variable=PROFILE_ENV,
                url_variable=BASE_URL_ENV,
            ),
        ]
    )


SANDBOX_REFUSAL = N_(
    "the Sandbox profile is the window's built-in sandbox; a one-shot command has none. "
    "Start one with `flowsery-sandbox` (it prints its URL and key), then send with "
    "--base-url URL (or FLOWSERY_BASE_URL) and its key in FLOWSERY_API_KEY."
)
URL_EXAMPLE = N_(
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
        if self.named_by == COMMAND_LINE:
            said = _("Sending to {profile} ({host})…", profile=self.profile, host=self.host)
        else:
            said = _(
                "Sending to {profile} ({host}, named by {source})…",
                profile=self.profile,
                host=self.host,
                source=self.named_by,
            )
        return one_line(said)


def _named(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str | None, str | None, str]:
    """The profile name and base URL the user gave, and what gave them. The command line
    wins as a whole over the environment; empty variables count as unset."""
    if args.profile is not None or args.base_url is not None:
        return args.profile, args.base_url, COMMAND_LINE
    profile = env.get(PROFILE_ENV, "").strip() or None
    url = env.get(BASE_URL_ENV, "").strip() or None
    names = [f"${name}" for name, value in ((PROFILE_ENV, profile), (BASE_URL_ENV, url)) if value]
    if len(names) == 2:
        return profile, url, _("{first} and {second}", first=names[0], second=names[1])
    return profile, url, names[0] if names else ""


def resolve_target(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Target | int:
    """The target the user named: a profile (its URL unless a base URL is also given), or a
    base URL alone under the profile "custom". Returns exit 2 after saying why when no target
    is named, the profile is unknown, the Sandbox profile has no URL (no sandbox runs inside a
    one-shot command) or the base URL is not acceptable."""
    profile_name, url, named_by = _named(args, os.environ if env is None else env)
    if profile_name is None and url is None:
        return usage_error("send", no_target_text())
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
                return usage_error("send", _(SANDBOX_REFUSAL))
        else:
            keyring_profile = profile.name
            if url is None:
                url = profile.base_url
                url_from = _("the URL of profile {profile}", profile=profile.name)
    from flowsery_gui.profile_model import validate_base_url

    try:
        checked = validate_base_url(url or "")
    except ValueError as exc:
        said = _(
            "{source}: {problem}", source=url_from, problem=sentences(str(exc), _(URL_EXAMPLE))
        )
        return usage_error("send", one_line(said))
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
            _(
                "no API key: set the {variable} environment variable to your Flowsery API key "
                "(it starts with flow_).",
                variable=API_KEY_ENV,
            )
        )
        return EXIT_USAGE
    command = f"{PROG} key set --profile {shell_word(target.keyring_profile)}"
    fail(
        _(
            "no API key for profile {profile}: store one with `{command}` (it reads the key "
            "from stdin), or set the {variable} environment variable.",
            profile=target.keyring_profile,
            command=command,
            variable=API_KEY_ENV,
        )
    )
    return EXIT_USAGE
