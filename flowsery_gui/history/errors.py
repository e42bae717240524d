"""What can go wrong with the history, in plain words: one error type, a kind for each cause.

Nothing in the history package lets an `sqlite3` error out: each becomes a `HistoryError`
whose `kind` a caller can act on and whose `message` a person can read.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from flowsery_gui.i18n import N_, _

#: busy: another process held the database past the retry budget; full: no room on disk;
#: readonly: the file (or its folder) cannot be written; damaged: the file is corrupt;
#: io: the operating system could not read or write it; newer: a newer app's schema;
#: data: this exchange could not be turned into a record; closed: used after close().
ErrorKind = Literal["busy", "full", "readonly", "damaged", "io", "newer", "data", "closed", "other"]

# What failed, as sentences with the cause in {reason} (msgids: `history_error` and the
# callers translate them). Causes are clauses that also read after "History is off:".
OPEN = N_("Could not open the history: {reason}.")
READ = N_("Could not read the history: {reason}.")
CHECK = N_("Could not check the history: {reason}.")
SAVE_REQUEST = N_("Could not save this request to history: {reason}.")
SAVE = N_("Could not save to history: {reason}.")
DELETE = N_("Could not delete from history: {reason}.")
CLEAR = N_("Could not clear the history: {reason}.")
PRUNE = N_("Could not prune the history: {reason}.")
READ_RETENTION = N_("Could not read the retention setting: {reason}.")
SAVE_RETENTION = N_("Could not save the retention setting: {reason}.")


class HistoryError(Exception):
    """A history operation failed; `message` says so in plain words (never a key).

    `reason` is the cause alone, in words that read well after "History is off:".
    """

    def __init__(self, message: str, kind: ErrorKind = "other", reason: str | None = None) -> None:
        """`message`: the whole sentence; `reason`: the cause alone (default: `message`)."""
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


def damaged_words() -> str:
    """Why a damaged file cannot be used, and what happens to it."""
    return _(
        "the history file is damaged (it is set aside and a fresh one started the next time "
        "the app or the command line opens it)"
    )


def classify(exc: sqlite3.Error) -> tuple[ErrorKind, str]:
    """A kind and plain words for an SQLite error."""
    code = _code(exc)
    text = str(exc).lower()
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in text:
        return "closed", _("the history was already closed")
    if is_busy(exc):
        return "busy", _("another copy of the app kept the history busy for too long")
    if code == 13 or "disk is full" in text:
        return "full", _("the disk is full")
    if code == 8 or "readonly" in text or "read-only" in text:
        return "readonly", _("the history file or its folder is read-only")
    if code in (11, 26) or "malformed" in text or "not a database" in text:
        return "damaged", damaged_words()
    if code in (10, 14) or "disk i/o" in text or "unable to open" in text:
        return "io", _(
            "the history file could not be read or written (the disk may be full or failing)"
        )
    # Translators: {error} is SQLite's own English message.
    return "other", _("the database reported: {error}", error=exc)


def failed(doing: str, kind: ErrorKind, reason: str) -> HistoryError:
    """The `HistoryError` saying that `doing` (one of the sentences above) failed for
    `reason`."""
    return HistoryError(_(doing, reason=reason), kind, reason)


def history_error(doing: str, exc: sqlite3.Error) -> HistoryError:
    """The `HistoryError` for an SQLite error met while `doing` something (`SAVE`, ...)."""
    kind, words = classify(exc)
    return failed(doing, kind, words)
