"""The command line of cleanups: `cleanup` and `profile set` (a profile's test identity).

`register(subparsers)` adds `cleanup` to `flowsery-goal`; `register_profile_set(subparsers)`
adds `set` to its `profile` group. `main(argv)` runs them alone
(`python -m flowsery_gui.cleanup.commands cleanup ...`), for tests and until they are hooked
in. Exit codes as `send`'s: 0 ok, 1 an HTTP error status, 2 usage or refused before
sending, 3 no response, 4 the keyring could not be used.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from flowsery_gui.cleanup.profile_set import register_profile_set
from flowsery_gui.cleanup.terminal import cmd_cleanup
from flowsery_gui.cli.common import PROG, one_line
from flowsery_gui.i18n import _, format_number

__all__ = ["build_parser", "main", "register", "register_profile_set"]

MAX_IDS = 10_000
_MAX_ID_DIGITS = 19  # history ids are microseconds since 1970: 16 digits today


def cleanup_epilog() -> str:
    """What `cleanup --help` says below its options (made when help is shown)."""
    from flowsery_gui.cli import helptext

    examples = "\n".join(
        [
            "  flowsery-goal profile set Production --new-test-ids",
            "  flowsery-goal cleanup --profile Production --since 2h --dry-run",
            "  flowsery-goal cleanup --profile Production --since 2024-05-01T10:00 --name signup "
            "--yes",
            "  flowsery-goal cleanup --profile Production --ids "
            "1714550400123456,1714550460654321 --yes",
        ]
    )
    return helptext.blocks(
        helptext.paragraph(
            _(
                "Each call deletes one goal name (with the visitor ID the goals were sent with, "
                "if any) in a closed time window around the recorded send times, widened by 5 s "
                "on each side for a difference between this computer's clock and the server's. "
                "A DELETE without both time bounds is never sent, whatever the flags."
            )
        ),
        helptext.paragraph(
            _(
                "Calls with the profile's test visitor ID touch only your test goals; any other "
                "call can delete real visitors' goals of that name in its window and needs "
                "--include-real-visitors. Only sends the server accepted (2xx) are deleted; "
                "sends that got no answer need --include-unanswered, sends with no precise send "
                "time --wide-window (an hour on each side). Each DELETE is recorded in history, "
                'and the sends it cleaned are marked "deleted from analytics" there.'
            )
        ),
        helptext.section(
            _("exit codes:"),
            helptext.entries(
                [
                    ("0", _("done (or nothing to do, or --dry-run)")),
                    ("1", _("the server answered an error status (the rest was not sent)")),
                    (
                        "2",
                        _(
                            "usage or nothing sent (no --yes, a risky call without its flag, "
                            "no key)"
                        ),
                    ),
                    ("3", _("no answer")),
                    ("4", _("the keyring could not be used")),
                ]
            ),
        ),
        helptext.section(_("examples:"), examples),
    )


def record_ids(text: str) -> list[int]:
    """argparse type: history record ids, comma-separated."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise argparse.ArgumentTypeError(_("give at least one history record id"))
    if len(parts) > MAX_IDS:
        raise argparse.ArgumentTypeError(_("at most {count} ids", count=format_number(MAX_IDS)))
    ids = []
    for part in parts:
        if not part.isascii() or not part.isdigit() or len(part) > _MAX_ID_DIGITS:
            said = _("not a history record id: {given}", given=repr(one_line(part[:40])))
            raise argparse.ArgumentTypeError(said)
        ids.append(int(part))
    return ids


def register(subparsers: Any) -> None:
    """Add `cleanup` to the command line."""
    parser = subparsers.add_parser(
        "cleanup",
        help=_("delete test goals sent from here out of the real analytics"),
        description=_(
            "Plan, from history, the DELETE calls that remove exactly the goals this app sent "
            "to a profile, print them with their risks, and send them with --yes (or after "
            "typing the profile's name on a terminal)."
        ),
        epilog=cleanup_epilog,
    )
    parser.add_argument("--profile", required=True, metavar="NAME", help=_("the profile"))
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument(
        "--since",
        metavar="TIME",
        help=_(
            "the sends since TIME: ISO 8601 (local time without an offset) or a duration back "
            "from now such as 30m, 2h, 1d"
        ),
    )
    chosen.add_argument(
        "--ids", type=record_ids, metavar="ID,...", help=_("these history record ids")
    )
    parser.add_argument("--name", metavar="GOAL", help=_("only goals of this name"))
    parser.add_argument(
        "--dry-run", action="store_true", help=_("print the planned calls; send nothing")
    )
    parser.add_argument("--yes", action="store_true", help=_("send without asking"))
    parser.add_argument(
        "--include-real-visitors",
        action="store_true",
        help=_("also send the calls that can delete real visitors' goals (no test visitor ID)"),
    )
    parser.add_argument(
        "--include-unanswered",
        action="store_true",
        help=_("also delete sends that got no answer (they may or may not exist)"),
    )
    parser.add_argument(
        "--wide-window",
        action="store_true",
        help=_("also delete sends with no precise send time, an hour on each side"),
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=_(
            "send the DELETEs here instead of the profile's URL (the Sandbox profile: the URL "
            "of a running flowsery-sandbox)"
        ),
    )
    parser.set_defaults(handler=cmd_cleanup)


def build_parser() -> argparse.ArgumentParser:
    """`cleanup` and `profile set` alone, as `main` runs them."""
    from flowsery_gui.cli import argparse_words, helptext

    argparse_words.install()
    parser = helptext.HelpParser(prog=PROG)
    commands = parser.add_subparsers(dest="command", required=True)
    register(commands)
    profile = commands.add_parser("profile", help=_("profiles"))
    register_profile_set(profile.add_subparsers(dest="profile_command", required=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `cleanup` or `profile set`; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's usage error (2) or --help (0)
        return int(exc.code or 0)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
