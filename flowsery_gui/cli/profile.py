"""`flowsery-goal profile list|add|remove`, and finding a profile by name for the other
commands: the same profiles the window shows."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from flowsery_gui.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    columns,
    fail,
    needs_action,
    one_line,
    shell_word,
    usage_error,
)
from flowsery_gui.i18n import N_, _

if TYPE_CHECKING:
    from flowsery_gui.profiles import Profile, ProfileStore

SANDBOX_WHERE = N_("built-in sandbox (flowsery-sandbox)")


def profile_store() -> ProfileStore:
    """The profiles the window uses; a damaged file is reported (it was moved aside)."""
    from flowsery_gui.profiles import ProfileStore

    store = ProfileStore()
    if store.warning:
        fail(store.warning)
    return store


def find_profile(store: ProfileStore, name: str, command: str, given: str = "") -> Profile | int:
    """The profile of that name (any case), or exit 2 listing the names there are. `given`
    says where the name came from when not from the command line (such as an environment
    variable)."""
    profile = store.get(name)
    if profile is None:
        names = ", ".join(p.name for p in store.list())
        fields = {"name": repr(one_line(name)), "names": names, "given": given}
        fields["command"] = f"{PROG} profile add NAME URL"
        if given:
            said = _(
                "there is no profile named {name} (from {given}) (profiles: {names}). Add one "
                "with `{command}`.",
                **fields,
            )
        else:
            said = _(
                "there is no profile named {name} (profiles: {names}). Add one with `{command}`.",
                **fields,
            )
        return usage_error(command, said)
    return profile


def cmd_profile_list(args: argparse.Namespace) -> int:
    """Every profile: name, kind and base URL, and its test visitor ID when it has one."""
    rows = []
    for p in profile_store().list():
        where = _(SANDBOX_WHERE) if p.kind == "sandbox" else p.base_url
        if p.test_visitor_id:
            where += "  " + _("(test visitor ID {id})", id=p.test_visitor_id)
        rows.append((p.name, p.kind, where))
    for line in columns(rows):
        print(line)
    return EXIT_OK


def cmd_profile_add(args: argparse.Namespace) -> int:
    """Add a custom profile (its key goes in the keyring with `key set`)."""
    from flowsery_gui.profiles import ProfileStoreError

    try:
        profile = profile_store().add(args.name, args.base_url)
    except ValueError as exc:
        return usage_error("profile add", str(exc))
    except ProfileStoreError as exc:
        fail(str(exc))
        return EXIT_FAILED
    print(_("Added profile {profile}: {url}", profile=profile.name, url=profile.base_url))
    command = f"{PROG} key set --profile {shell_word(profile.name)}"
    print(_("Store its key with: {command}", command=command))
    return EXIT_OK


def cmd_profile_remove(args: argparse.Namespace) -> int:
    """Remove a custom profile, and its key from the keyring as the window does."""
    from flowsery_gui.profiles import ProfileStoreError

    store = profile_store()
    found = find_profile(store, args.name, "profile remove")
    if isinstance(found, int):
        return found
    if found.builtin:
        return usage_error(
            "profile remove",
            _("{profile} is a built-in profile and cannot be removed", profile=found.name),
        )
    try:
        store.remove(found.name)
    except ProfileStoreError as exc:
        fail(str(exc))
        return EXIT_FAILED
    print(_("Removed profile {profile}.", profile=found.name))
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    try:
        KeyStore().delete(found.name)
    except KeyStoreError as exc:
        if exc.reason != "no_backend":  # no keyring: no key was stored either
            command = f"{PROG} key delete --profile {shell_word(found.name)}"
            fail(
                _(
                    "note: its key could not be deleted from the keyring: {problem} Retry "
                    "with: {command}",
                    problem=exc.message,
                    command=command,
                )
            )
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add `profile` and its actions to the command line."""
    parser = subparsers.add_parser(
        "profile",
        help=_("list, add, remove profiles or set their test IDs"),
        description=_(
            "Profiles are named targets (a base URL; the key is in the keyring), the same ones "
            "the window shows. Production and Sandbox are built in."
        ),
        epilog=_(
            "exit codes: 0 done, 1 the profiles file could not be saved, 2 invalid name or "
            "URL, unknown profile, or a built-in profile"
        ),
    )
    parser.set_defaults(handler=needs_action(parser))
    actions = parser.add_subparsers(title=_("actions"), metavar="ACTION")
    listing = actions.add_parser("list", help=_("every profile: name, kind, base URL"))
    listing.set_defaults(handler=cmd_profile_list)
    add = actions.add_parser("add", help=_("add a custom profile"))
    add.add_argument("name", metavar="NAME", help=_("a name such as Staging"))
    add.add_argument("base_url", metavar="BASE_URL", help=_("such as https://staging.example.com"))
    add.set_defaults(handler=cmd_profile_add)
    remove = actions.add_parser(
        "remove", help=_("remove a custom profile (and its key from the keyring)")
    )
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_profile_remove)
    from flowsery_gui.cleanup.profile_set import register_profile_set  # no cycle: see there

    register_profile_set(actions)
