"""What can go wrong with the history, in plain words: one error type, a kind for each cause.

Nothing in the history package lets an `sqlite3` error out: each becomes a `HistoryError`
whose `kind` a caller can act on and whose `message` a person can read.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

#: busy: another process held the database past the retry budget; full: no room on disk;
#: readonly: the file (or its folder) cannot be written; damaged: the file is corrupt;
#: io: the operating system could not read or write it; newer: a newer app's schema;
#: data: this exchange could not be turned into a record; closed: used after close().
ErrorKind = Literal["busy", "full", "readonly", "damaged", "io", "newer", "data", "closed", "other"]

BUSY_WORDS = "another copy of the app kept the history busy for too long"
DAMAGED_WORDS = (
    "the history file is damaged (it is set aside and a fresh one started the next time "
    "the app or the command line opens it)"
)
IO_WORDS = "the history file could not be read or written (the disk may be full or failing)"


class HistoryError(Exception):
    """A history operation failed; `message` says so in plain words (never a key).

    `reason` is the cause alone, in words that read well after "History is off:".
    """

    def __init__(self, message: str, kind: ErrorKind = "other", reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind: ErrorKind = kind
        self.reason = reason or message


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: sqlite3.Error) -> bool:
    """True when SQLite says another connection holds the database (worth a retry)."""
    code = _code(exc)
    if code is not None:
        return code in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def classify(exc: sqlite3.Error) -> tuple[ErrorKind, str]:
    """A kind and plain words for an SQLite error."""
    code = _code(exc)
    text = str(exc).lower()
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in text:
        return "closed", "the history was already closed"
    if is_busy(exc):
        return "busy", BUSY_WORDS
    if code == 13 or "disk is full" in text:
        return "full", "the disk is full"
    if code == 8 or "readonly" in text or "read-only" in text:
        return "readonly", "the history file or its folder is read-only"
    if code in (11, 26) or "malformed" in text or "not a database" in text:
        return "damaged", DAMAGED_WORDS
    if code in (10, 14) or "disk i/o" in text or "unable to open" in text:
        return "io", IO_WORDS
    return "other", f"the database reported: {exc}"


def history_error(doing: str, exc: sqlite3.Error) -> HistoryError:
    """The `HistoryError` for an SQLite error met while `doing` something ("save ...")."""
    kind, words = classify(exc)
    return HistoryError(f"Could not {doing}: {words}.", kind, words)
