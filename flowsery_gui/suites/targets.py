"""Where `flowsery-goal run` sends: the command line, then the environment, then the suite.

Production is reached only when one of them names it: with none of them naming a target,
the run is refused and the message says how to name one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flowsery_gui.i18n import N_, _
from flowsery_gui.sending import Target
from flowsery_gui.suites.model import Suite
from flowsery_gui.suites.runner import is_production

PROFILE_ENV = "FLOWSERY_PROFILE"
BASE_URL_ENV = "FLOWSERY_BASE_URL"
CUSTOM_PROFILE = "custom"  # the history's profile for a base URL given alone
NO_TARGET = N_(
    "no target named. Give --base-url URL (for a sandbox started with flowsery-sandbox, the "
    "URL it prints), --profile NAME, FLOWSERY_BASE_URL or FLOWSERY_PROFILE in the "
    "environment, or `profile:` in the suite."
)
SANDBOX_NEEDS_URL = N_(
    "the Sandbox profile is the window's built-in sandbox; a command-line run has none. "
    "Start one with `flowsery-sandbox` (it prints its URL and key), then run with "
    "--base-url URL and its key in FLOWSERY_API_KEY."
)


class TargetError(ValueError):
    """No usable target; the message says what to give instead."""


@dataclass(frozen=True)
class Chosen:
    """The target and the profile whose keyring entry holds its key (None: only the env)."""

    target: Target
    keyring_profile: str | None
    named_by: str  # "the command line", "the environment" or "the suite"


def choose_target(
    profile: str | None,
    base_url: str | None,
    suites: Sequence[Suite],
    environ: Mapping[str, str] | None = None,
) -> Chosen:
    """The target of a run; raise TargetError in plain words."""
    env = os.environ if environ is None else environ
    if profile or base_url:
        return _resolve(profile, base_url, "the command line")
    env_profile = env.get(PROFILE_ENV, "").strip() or None
    env_url = env.get(BASE_URL_ENV, "").strip() or None
    if env_profile or env_url:
        return _resolve(env_profile, env_url, "the environment")
    named = sorted({s.profile for s in suites if s.profile})
    if len(named) > 1:
        raise TargetError(
            _(
                "the suites name different profiles ({profiles}): choose one with --profile.",
                profiles=", ".join(named),
            )
        )
    if named:
        return _resolve(named[0], None, "the suite")
    raise TargetError(_(NO_TARGET))


def _resolve(profile_name: str | None, base_url: str | None, named_by: str) -> Chosen:
    from flowsery_gui.profile_model import PRODUCTION, validate_base_url
    from flowsery_gui.profiles import ProfileStore

    url = None
    if base_url:
        try:
            url = validate_base_url(base_url)
        except ValueError as exc:
            raise TargetError(_("--base-url {url}: {problem}", url=base_url, problem=exc)) from None
    if profile_name is None:
        assert url is not None
        target = Target(profile=CUSTOM_PROFILE, kind="custom", base_url=url)
        if is_production(target):  # the vendor's own host is Production, whatever its name
            target = Target(profile=PRODUCTION.name, kind="production", base_url=url)
        return Chosen(target, target.profile if target.kind == "production" else None, named_by)
    store = ProfileStore()
    found = store.get(profile_name)
    if found is None:
        names = ", ".join(p.name for p in store.list())
        raise TargetError(
            _(
                "there is no profile named {name} (profiles: {names}).",
                name=repr(profile_name),
                names=names,
            )
        )
    if found.kind == "sandbox":
        if url is None:
            raise TargetError(_(SANDBOX_NEEDS_URL))
        return Chosen(Target(profile=found.name, kind="sandbox", base_url=url), None, named_by)
    target = Target(profile=found.name, kind=found.kind, base_url=url or found.base_url)
    return Chosen(target, found.name, named_by)
