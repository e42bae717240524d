"""`flowsery-goal history`, and recording each send of the CLI in the history the window
shows. History trouble never breaks a send: it costs one line on stderr."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowsery_gui.cli.common import CUSTOM_PROFILE, EXIT_FAILED, EXIT_OK, columns, fail, limit

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import History, HistoryRow

STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "failure")  # as history.STATUS_CLASSES
_OFF_PREFIX = "History is off: "


def _read_only_file(path: Path) -> bool:
    """True when the history file exists in a writable folder but cannot itself be written
    (the history's own message then wrongly blames the folder)."""
    return path.exists() and os.access(path.parent, os.W_OK) and not os.access(path, os.W_OK)


def _history_off(reason: str) -> None:
    fail(f"history is off: {reason}")


def record_exchange(exchange: Exchange, profile: str, goal: dict[str, Any], key: str) -> None:
    """Append the exchange to history (key scrubbed), or say in one line why it was not."""
    import sqlite3

    from flowsery_gui import paths
    from flowsery_gui.history import History, HistoryError

    path = paths.history_path()
    try:
        history, message = History.open(path, secrets=lambda: (key,))
    except (HistoryError, sqlite3.Error, OSError) as exc:  # open() should say, not raise
        _history_off(str(exc).rstrip(".") + ". Sending still works.")
        return
    if history is None:
        if _read_only_file(path):
            message = f"the history file {path} is read-only. Sending still works."
        _history_off((message or "").removeprefix(_OFF_PREFIX))
        return
    if message:  # a damaged file was moved aside and a fresh one started
        fail(message)
    try:
        with history:
            history.append(exchange, profile=profile, source="cli", goal=goal, secrets=(key,))
    except HistoryError as exc:
        _history_off(exc.message)
    except (sqlite3.Error, OSError) as exc:
        _history_off(f"the history could not be written ({exc}).")


# --- reading ----------------------------------------------------------------------------------


def _copy_for_reading(path: Path, copy: Path) -> None:
    """Copy a history that cannot be written here (a read-only file or folder), so it can be
    read without changing it. Raises sqlite3.Error when it cannot be read."""
    import sqlite3

    source_uri = path.resolve().as_uri()
    last: Exception | None = None
    # "mode=ro" sees a write-ahead log in progress; "immutable=1" also reads a file whose
    # folder forbids the log's lock file.
    for options in ("mode=ro", "immutable=1"):
        try:
            source = sqlite3.connect(f"{source_uri}?{options}", uri=True)
            try:
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
            return
        except sqlite3.Error as exc:
            last = exc
            copy.unlink(missing_ok=True)
    assert last is not None
    raise last


@contextlib.contextmanager
def _open_for_reading(path: Path) -> Iterator[History | None]:
    """The history to read, or None after saying why it cannot be read. A history that
    cannot be written here is read from a private copy, which is deleted afterwards."""
    import sqlite3
    import tempfile

    from flowsery_gui.history import History, HistoryError

    history, message = History.open(path)
    if history is not None:
        if message:  # a damaged file was moved aside and a fresh one started
            fail(message)
        with history:
            yield history
        return
    with tempfile.TemporaryDirectory(prefix="flowsery-history-") as scratch:
        copy = Path(scratch) / path.name
        snapshot: History | None = None
        try:
            _copy_for_reading(path, copy)
            snapshot = History(copy, check="auto")
        except HistoryError as exc:  # such as a file from a newer version of the app
            fail(f"the history could not be read: {exc.message.replace(str(copy), str(path))}.")
        except (sqlite3.Error, OSError) as exc:
            fail(f"the history file {path} could not be read ({exc}).")
        if snapshot is None:
            yield None
            return
        with snapshot:
            yield snapshot


def _history_line(row: HistoryRow) -> tuple[str, ...]:
    from datetime import datetime, timezone

    when = datetime.fromtimestamp(row.started_at, tz=timezone.utc)
    status = str(row.status) if row.status is not None else f"no response ({row.failure_kind})"
    return (
        when.isoformat(timespec="seconds"),
        row.profile,
        row.goal_name or "-",
        status,
        f"{row.elapsed_ms:.0f} ms",
    )


def cmd_history(args: argparse.Namespace) -> int:
    """Past exchanges, newest first: one line each, or one JSON object per line."""
    from flowsery_gui import paths
    from flowsery_gui.history import Filters, HistoryError, record_to_json

    path = paths.history_path()
    if not path.exists():  # reading must not create an empty database
        if not args.json:
            print("No history yet.", file=sys.stderr)
        return EXIT_OK
    filters = Filters(text=args.search or "", profile=args.profile, status_class=args.status)
    with _open_for_reading(path) as history:
        if history is None:
            return EXIT_FAILED
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
                print("No history yet." if empty else "No matching exchanges.", file=sys.stderr)
        except HistoryError as exc:
            fail(exc.message)
            return EXIT_FAILED
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add `history` to the command line."""
    parser = subparsers.add_parser(
        "history",
        help="print past exchanges, newest first",
        description="Print the exchanges kept in history (the window's and the CLI's), newest "
        "first: one line each (time UTC, profile, goal, status or `no response (kind)`, "
        "elapsed), or with --json one JSON object per line. A history that cannot be written "
        "here (a read-only file or folder) is read as it is.",
        epilog="exit codes: 0 done (also when nothing matches), 1 the history could not be read",
    )
    parser.add_argument(
        "--limit", type=limit, default=20, metavar="N", help="at most N (default 20; 0: all)"
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines: one object per exchange")
    parser.add_argument(
        "--search", metavar="TEXT", help="goal name, IDs, metadata values or status"
    )
    parser.add_argument(
        "--profile", metavar="NAME", help=f"only this profile (or {CUSTOM_PROFILE!r})"
    )
    parser.add_argument(
        "--status", choices=STATUS_CLASSES, help="only this status class, or failures"
    )
    parser.set_defaults(handler=cmd_history)
