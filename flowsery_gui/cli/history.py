"""`flowsery-goal history`, and recording each send of the CLI in the history the window
shows. History trouble never breaks a send: it costs one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from flowsery_gui import i18n  # its formatters load when first used
from flowsery_gui.cli.common import CUSTOM_PROFILE, EXIT_FAILED, EXIT_OK, columns, fail, limit
from flowsery_gui.i18n import _, sentences

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import HistoryRow

STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "failure")  # as history.STATUS_CLASSES


def _history_off(reason: str) -> None:
    fail(_("history is off: {reason}", reason=reason))


def record_exchange(exchange: Exchange, profile: str, goal: dict[str, Any], key: str) -> None:
    """Append the exchange to history (key scrubbed), or say in one line why it was not."""
    import sqlite3

    from flowsery_gui import paths
    from flowsery_gui.history import History, HistoryError

    path = paths.history_path()
    try:
        history, message = History.open(path, secrets=lambda: (key,))
    except (HistoryError, sqlite3.Error, OSError) as exc:  # open() should say, not raise
        _history_off(sentences(str(exc).rstrip(".") + ".", _("Sending still works.")))
        return
    if history is None:
        # History.open says "History is off: {reason}. …": said here after the program's name
        head = _("History is off: {reason}. Sending still works.").split("{reason}")[0]
        _history_off((message or "").removeprefix(head))
        return
    if message:  # a damaged file was moved aside and a fresh one started
        fail(message)
    try:
        with history:
            history.append(exchange, profile=profile, source="cli", goal=goal, secrets=(key,))
    except HistoryError as exc:
        _history_off(exc.message)
    except (sqlite3.Error, OSError) as exc:
        _history_off(_("the history could not be written ({reason}).", reason=exc))


# --- reading ----------------------------------------------------------------------------------


def _history_line(row: HistoryRow) -> tuple[str, ...]:
    status = (
        str(row.status)
        if row.status is not None
        else _("no response ({kind})", kind=row.failure_kind)
    )
    return (
        i18n.format_datetime(row.started_at),  # local time, as the window's history list
        row.profile,
        row.goal_name or "-",
        status,
        i18n.format_duration(row.elapsed_ms),
    )


def cmd_history(args: argparse.Namespace) -> int:
    """Past exchanges, newest first: one line each, or one JSON object per line."""
    from flowsery_gui import paths
    from flowsery_gui.history import Filters, History, HistoryError, record_to_json

    path = paths.history_path()
    if not path.exists():  # reading must not create an empty database
        if not args.json:
            print(_("No history yet."), file=sys.stderr)
        return EXIT_OK
    filters = Filters(text=args.search or "", profile=args.profile, status_class=args.status)
    # Read-only: works on a history this user cannot write, and never creates, moves or
    # changes the file.
    history, message = History.open(path, read_only=True)
    if history is None:
        fail(message or _("the history {path} could not be read.", path=path))
        return EXIT_FAILED
    with history:
        try:
            limit_ = args.limit if args.limit > 0 else max(1, history.count(filters))
            rows = history.page(filters, limit=limit_)
            if args.json:
                for record in history.iter_records(ids=[row.id for row in rows]):
                    print(json.dumps(record_to_json(record), ensure_ascii=False))
            elif rows:
                for line in columns([_history_line(row) for row in rows]):
                    print(line)
            else:
                empty = filters == Filters() or history.count() == 0
                said = _("No history yet.") if empty else _("No matching exchanges.")
                print(said, file=sys.stderr)
        except HistoryError as exc:
            fail(exc.message)
            return EXIT_FAILED
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add `history` to the command line."""
    parser = subparsers.add_parser(
        "history",
        help=_("print past exchanges, newest first"),
        description=_(
            "Print the exchanges kept in history (the window's and the CLI's), newest first: "
            "one line each (local time, profile, goal, status or `{no_response}`, elapsed), or "
            "with --json one JSON object per line. It only reads: the history is never "
            "created, moved or changed, so a read-only history file can be read too.",
            no_response=_("no response ({kind})", kind="kind"),
        ),
        epilog=_("exit codes: 0 done (also when nothing matches), 1 the history could not be read"),
    )
    parser.add_argument(
        "--limit", type=limit, default=20, metavar="N", help=_("at most N (default 20; 0: all)")
    )
    parser.add_argument(
        "--json", action="store_true", help=_("JSON Lines: one object per exchange")
    )
    parser.add_argument(
        "--search", metavar="TEXT", help=_("goal name, IDs, metadata values or status")
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help=_("only this profile (or '{custom}')", custom=CUSTOM_PROFILE),
    )
    parser.add_argument(
        "--status", choices=STATUS_CLASSES, help=_("only this status class, or failures")
    )
    parser.set_defaults(handler=cmd_history)
