"""`flowsery-goal profile set NAME`: a profile's test visitor ID (and session ID).

Apart from `commands` so that `cli.profile` can add it to its group without loading the
cleanup machinery (nor importing itself back): only `cli.common` is imported here.
"""

from __future__ import annotations

import argparse
from typing import Any

from flowsery_gui.cli.common import EXIT_FAILED, EXIT_OK, fail, one_line, usage_error
from flowsery_gui.i18n import _


def register_profile_set(profile_subparsers: Any) -> None:
    """Add `set` to the `profile` group: a profile's test visitor and session IDs."""
    parser = profile_subparsers.add_parser(
        "set",
        help=_("set a profile's test visitor ID (and session ID)"),
        description=_(
            "Goals sent to this profile with an empty visitor (or session) ID get the profile's "
            "test IDs, so a cleanup can later delete them by visitor ID without touching a real "
            "visitor's goals. `send --no-test-ids` sends without them."
        ),
    )
    parser.add_argument("name", help=_("the profile (Production, Sandbox or a custom one)"))
    ids = parser.add_mutually_exclusive_group(required=True)
    ids.add_argument("--test-visitor", metavar="ID", help=_("the test visitor ID"))
    ids.add_argument("--new-test-ids", action="store_true", help=_("make fresh test IDs"))
    ids.add_argument("--clear-test-ids", action="store_true", help=_("remove the test IDs"))
    parser.add_argument("--test-session", metavar="ID", help=_("the test session ID"))
    parser.set_defaults(handler=cmd_profile_set)


def cmd_profile_set(args: argparse.Namespace) -> int:
    """Store a profile's test identity in the profiles file."""
    from flowsery_gui.cleanup.identity import new_identity
    from flowsery_gui.cli.profile import profile_store
    from flowsery_gui.profiles import ProfileStoreError

    if args.test_session is not None and args.test_visitor is None:
        return usage_error("profile set", _("--test-session goes with --test-visitor"))
    store = profile_store()
    if args.clear_test_ids:
        visitor, session = "", ""
    elif args.new_test_ids:
        visitor, session = new_identity()
    else:
        visitor, session = args.test_visitor, args.test_session or ""
    try:
        profile = store.set_test_identity(args.name, visitor, session)
    except ValueError as exc:
        return usage_error("profile set", one_line(str(exc)))
    except ProfileStoreError as exc:
        fail(one_line(str(exc)))
        return EXIT_FAILED
    if not profile.has_test_identity:
        said = _(
            "Profile {profile}: no test IDs; goals go with the IDs you give.", profile=profile.name
        )
        print(one_line(said))
        return EXIT_OK
    if profile.test_session_id:
        said = _(
            "Profile {profile}: test visitor ID {visitor}, test session ID {session}.",
            profile=profile.name,
            visitor=profile.test_visitor_id,
            session=profile.test_session_id,
        )
    else:
        said = _(
            "Profile {profile}: test visitor ID {visitor}.",
            profile=profile.name,
            visitor=profile.test_visitor_id,
        )
    print(one_line(said))
    print(_("Goals sent to it with empty IDs get these (send --no-test-ids sends without)."))
    return EXIT_OK
