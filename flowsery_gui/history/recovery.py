"""Opening a history whatever state its file is in: checked, set aside when damaged, or off.

A damaged file is renamed `<name>.corrupt-<timestamp>` (with its WAL and SHM files) and a
fresh history started; a folder or file that cannot be written turns history off while
sending keeps working. A marker file beside the database asks the next start to run the
whole integrity check: it is left when damage was met while running, or `verify()` failed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from flowsery_gui import settings_store
from flowsery_gui.history.errors import HistoryError
from flowsery_gui.i18n import _

# On open, SQLite's quick_check reads the whole file (about 1.3 ms per MB when cached, far
# more from a cold disk): run it when the file is this small or the last session met damage.
CHECK_MAX_BYTES = 8_000_000

Check = Literal["auto", "full", "none"]
H = TypeVar("H")


def check_marker(path: Path) -> Path:
    """A file whose presence asks the next start to check the whole database."""
    return path.with_name(path.name + ".check")


def ask_for_full_check(path: Path) -> None:
    """Leave the marker (best effort: a folder that cannot be written has bigger news)."""
    with contextlib.suppress(OSError):
        check_marker(path).touch()


def file_bytes(path: Path) -> int:
    """The size of the database and its WAL, the bytes a full check reads."""
    total = 0
    for name in (path.name, path.name + "-wal"):
        with contextlib.suppress(OSError):
            total += path.with_name(name).stat().st_size
    return total


def resolve_check(check: Check, path: Path) -> bool:
    """Whether opening runs the whole integrity check: "auto" means small files only."""
    if check == "auto":
        return file_bytes(path) <= CHECK_MAX_BYTES
    return check == "full"


def quick_check(conn: sqlite3.Connection) -> bool:
    """SQLite's quick_check: True when the file is sound."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    return [tuple(r) for r in result] == [("ok",)]


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens `path` for reading only (it is never created or written)."""
    uri = path.resolve().as_uri()
    # A folder this user cannot write has no room for the WAL index (-shm): read the file as
    # it is (nobody can be writing it there).
    shm = path.with_name(path.name + "-shm")
    if not os.access(path.parent, os.W_OK) and not shm.exists():
        return uri + "?immutable=1"
    return uri + "?mode=ro"


def check_file(path: Path, timeout: float) -> bool:
    """Run quick_check on a connection of its own: in WAL mode it reads a snapshot and
    neither waits for nor holds up the history's writes and reads. Raises sqlite3.Error."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)
    try:
        return quick_check(conn)
    finally:
        conn.close()


def writable(path: Path) -> bool:
    """True when the folder, and the file if it exists, can be written."""
    folder_ok = os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def move_aside(path: Path) -> Path:
    """Rename the database and its WAL/SHM files to `<name>.corrupt-<timestamp>`."""
    target = settings_store.move_aside(path)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
    return target


def _off(reason: str) -> str:
    return _("History is off: {reason}. Sending still works.", reason=reason)


def open_history(
    path: Path, opener: Callable[[Path, Check], H], *, check: Check, read_only: bool
) -> tuple[H | None, str | None]:
    """Open with `opener(path, check)`, recovering from file trouble; never raises for it.

    Returns the history (None when history is off) and a message for the user (None when
    all is well). Read-only opening never creates, moves or writes the database (damage it
    meets still leaves the marker, for the next writable open).
    """
    if read_only:
        if not os.path.exists(path):
            return None, _(
                "History could not be read: there is no history at {path} yet.", path=path
            )
        try:
            return opener(path, check), None
        except HistoryError as exc:
            return None, _("History could not be read: {reason}.", reason=exc.reason)
    folder = path.parent
    off = _off(_("the data folder {folder} is not writable", folder=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None, off
    if not os.access(folder, os.W_OK):
        return None, off
    marker = check_marker(path)
    if marker.exists():
        check = "full"
    try:
        history = opener(path, check)
    except HistoryError as exc:
        if exc.kind == "readonly":
            return None, _off(exc.reason)
        unreadable = exc.kind == "io" and path.exists() and writable(path)
        if exc.kind != "damaged" and not unreadable:
            return None, _off(exc.reason)
        # Damaged, or it exists in a writable folder but cannot be opened: set it aside.
    else:
        with contextlib.suppress(OSError):
            marker.unlink(missing_ok=True)
        return history, None
    try:
        aside = move_aside(path)
    except OSError:
        words = _("the history file {path} is damaged and could not be moved aside", path=path)
        return None, _off(words)
    with contextlib.suppress(OSError):
        marker.unlink(missing_ok=True)
    try:
        fresh = opener(path, "none")
    except HistoryError:
        return None, _off(_("a new history could not be created in {folder}", folder=folder))
    return fresh, _(
        "History was damaged and has been moved aside to {path}; a new history was started.",
        path=aside,
    )
