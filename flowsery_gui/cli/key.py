"""`flowsery-goal key set|status|delete`: each profile's API key in the system keyring, and
how keyring trouble is told on a terminal. A key is never read from the command line."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from flowsery_gui.cli.common import (
    API_KEY_ENV,
    EXIT_KEYRING,
    EXIT_OK,
    PROG,
    columns,
    fail,
    needs_action,
    shell_word,
    usage_error,
)
from flowsery_gui.cli.profile import find_profile, profile_store
from flowsery_gui.contract import KEY_PREFIX
from flowsery_gui.i18n import N_, _, sentences
from flowsery_gui.masking import mask_key

if TYPE_CHECKING:
    from flowsery_gui.keystore import KeyStoreError

HEADLESS_ADVICE = N_(
    "For headless use (CI, scripts), skip the keyring: put the key in the FLOWSERY_API_KEY "
    "environment variable instead."
)
MAX_KEY_CHARS = 4096  # a key is tens of characters; stdin is read no further than this


def keyring_advice(exc: KeyStoreError) -> str:
    """The keystore's advice for a terminal: no "session only" (a one-shot command has no
    session), and the environment variable as the headless way instead."""
    from flowsery_gui.keystore import SESSION_ONLY_ADVICE

    first = {
        "no_backend": exc.advice.replace(_(SESSION_ONLY_ADVICE), "").strip(),
        "locked": exc.advice,
        "init": _("Retry and accept the keyring's prompt."),
        "other": _("Retry; if it keeps failing, check the keyring application."),
    }[exc.reason]
    return sentences(first, _(HEADLESS_ADVICE))


def keyring_failed(exc: KeyStoreError) -> int:
    """Say what went wrong with the keyring and what to do; exit 4."""
    fail(exc.message)
    print(keyring_advice(exc), file=sys.stderr)
    if exc.detail:
        print("  " + _("(the keyring said: {detail})", detail=exc.detail), file=sys.stderr)
    return EXIT_KEYRING


class _KeyInputError(Exception):
    """The key on stdin cannot be used; the message says why."""


def _read_key(profile: str) -> str:
    """The key from stdin: a hidden prompt on a terminal, else one line ("" when none).
    Raises _KeyInputError when stdin is unreadable or its line is too long for a key."""
    stream = sys.stdin
    if stream is None:
        return ""
    try:
        if stream.isatty():
            import getpass

            prompt = _("API key for profile {profile} (input hidden): ", profile=profile)
            return getpass.getpass(prompt).strip()
        line = stream.readline(MAX_KEY_CHARS + 1)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return ""
    except (UnicodeDecodeError, OSError):
        raise _KeyInputError(_("the key on stdin is not readable text")) from None
    if len(line) > MAX_KEY_CHARS:
        raise _KeyInputError(
            _(
                "the line on stdin is longer than {limit} characters: that is not an API key. "
                "Give the key alone on one line.",
                limit=MAX_KEY_CHARS,
            )
        )
    return line.strip()


def cmd_key_set(args: argparse.Namespace) -> int:
    """Store a profile's key in the keyring, read from stdin (never from the command line)."""
    store = profile_store()
    profile = find_profile(store, args.profile, "key set")
    if isinstance(profile, int):
        return profile
    if profile.kind == "sandbox":
        return usage_error(
            "key set", _("the Sandbox profile uses the key its sandbox makes; nothing to store")
        )
    try:
        key = _read_key(profile.name)
    except _KeyInputError as exc:
        return usage_error("key set", str(exc))
    if not key:
        command = f"{PROG} key set --profile {shell_word(profile.name)} < key.txt"
        return usage_error(
            "key set",
            _("no key on stdin: type it when asked, or pipe it in (`{command}`)", command=command),
        )
    if not key.startswith(KEY_PREFIX):
        fail(
            _(
                "warning: Flowsery API keys start with {prefix}; this one does not (the server "
                "will likely reject it). Stored anyway.",
                prefix=KEY_PREFIX,
            )
        )
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    keys = KeyStore()
    try:
        keys.set(profile.name, key)
    except KeyStoreError as exc:
        return keyring_failed(exc)
    print(
        _(
            "Stored the key {key} for profile {profile} in {keyring}.",
            key=mask_key(key),
            profile=profile.name,
            keyring=keys.backend_name(),
        )
    )
    if os.environ.get(API_KEY_ENV):
        print(
            _(
                "note: {variable} is set and wins over the keyring when sending.",
                variable=API_KEY_ENV,
            ),
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_key_status(args: argparse.Namespace) -> int:
    """Where each profile's key is, masked. Exit 4 when the keyring could not be asked."""
    from flowsery_gui.keystore import KeyStore

    store = profile_store()
    if args.profile is not None:
        found = find_profile(store, args.profile, "key status")
        if isinstance(found, int):
            return found
        profiles = [found]
    else:
        profiles = store.list()
    env_key = os.environ.get(API_KEY_ENV, "").strip()
    keys = KeyStore()
    problem: KeyStoreError | None = None
    rows: list[tuple[str, str, str]] = []
    for profile in profiles:
        if profile.kind == "sandbox":
            rows.append(
                (profile.name, _("its own, made by the built-in sandbox (flowsery-sandbox)"), "")
            )
            continue
        state = keys.state(profile.name)
        problem = problem or state.problem
        stored = state.label if state.kind == "stored" else ""
        if env_key:
            where = _("from ${variable}", variable=API_KEY_ENV)
            if stored:
                where = _(
                    "from ${variable} (wins over the key {where}, {masked})",
                    variable=API_KEY_ENV,
                    where=stored,
                    masked=state.masked,
                )
            rows.append((profile.name, where, mask_key(env_key)))
        elif state.problem is not None:
            rows.append((profile.name, _("unknown: keyring unavailable"), ""))
        else:
            rows.append((profile.name, state.label, state.masked))
    for line in columns(rows):
        print(line)
    if problem is not None:
        return keyring_failed(problem)
    return EXIT_OK


def cmd_key_delete(args: argparse.Namespace) -> int:
    """Forget a profile's key (also the key of a profile removed since)."""
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    found = profile_store().get(args.profile)
    name = found.name if found is not None else args.profile.strip()
    keys = KeyStore()
    try:
        had = keys.get(name) is not None
        keys.delete(name)
    except KeyStoreError as exc:
        return keyring_failed(exc)
    if had:
        print(
            _(
                "Deleted the key of profile {profile} from {keyring}.",
                profile=name,
                keyring=keys.backend_name(),
            )
        )
    else:
        print(_("No key was stored for profile {profile}.", profile=name))
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add `key` and its actions to the command line."""
    parser = subparsers.add_parser(
        "key",
        help=_("store, show or delete a profile's API key in the system keyring"),
        description=_(
            "Keep each profile's API key in the system keyring (Secret Service, macOS "
            "Keychain, Windows Credential Manager): never in a file, never on the command "
            "line. For headless use without a keyring, set ${variable} instead.",
            variable=API_KEY_ENV,
        ),
        epilog=_(
            "exit codes: 0 done, 2 unknown profile or no key given, 4 the keyring could not "
            "be used (the message says why and what to do)"
        ),
    )
    parser.set_defaults(handler=needs_action(parser))
    actions = parser.add_subparsers(title=_("actions"), metavar="ACTION")
    set_parser = actions.add_parser(
        "set",
        help=_("store a key, read from stdin"),
        description=_(
            "Store the profile's key in the keyring, replacing any. The key is read from "
            "stdin: typed at a hidden prompt on a terminal, or one line from a pipe or file. "
            "It is never taken from the command line (it would stay in your shell history)."
        ),
        epilog=_("exit codes: 0 stored, 2 unknown profile or no key, 4 keyring unavailable"),
    )
    set_parser.add_argument("--profile", required=True, metavar="NAME", help=_("the profile"))
    set_parser.set_defaults(handler=cmd_key_set)
    status = actions.add_parser(
        "status",
        help=_("where each profile's key is (masked)"),
        description=_(
            "For each profile: where its key comes from (the keyring, none, or ${variable}, "
            "which wins when set) and its last 4 characters. Never the key.",
            variable=API_KEY_ENV,
        ),
        epilog=_("exit codes: 0 done, 2 unknown profile, 4 keyring unavailable"),
    )
    status.add_argument("--profile", metavar="NAME", help=_("only this profile (default: all)"))
    status.set_defaults(handler=cmd_key_status)
    delete = actions.add_parser(
        "delete",
        help=_("forget a profile's key"),
        description=_("Delete the profile's key from the keyring (no error when none is stored)."),
        epilog=_("exit codes: 0 done, 4 keyring unavailable"),
    )
    delete.add_argument("--profile", required=True, metavar="NAME", help=_("the profile"))
    delete.set_defaults(handler=cmd_key_delete)
