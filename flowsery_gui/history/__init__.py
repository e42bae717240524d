"""Every exchange, kept: a SQLite history that survives crashes and two writers at once.

One database file in the user data folder, in WAL mode, with a versioned schema. A record's
id is its start time in microseconds (made unique), so the table's own key order is the
newest-first order: paging and search need no sort, and date filters become key ranges. An
exact count is never needed to show a page. Search uses an FTS5 trigram index over a
lower-cased text of the goal's fields when SQLite has one, else a substring scan of that
text. The API key is never stored: request headers arrive masked, and any key the caller
names is scrubbed from everything before it is written.

The rooms: `schema` (tables, migrations, search index), `model` (the values callers see),
`fields` (an exchange made into a row: scrubbing, goal fields, search words), `database`
(connections, retried writes, errors), `query` (filters, search, pages, counts), `retention`
(how much to keep, stored in the file), `recovery` (integrity checks, setting a damaged file
aside, read-only files), `store` (`History` itself), `export` (JSON Lines, HAR 1.2).

How much to keep (`Retention`) is stored in the file itself, so the window and the CLI
share one setting, and the history applies it itself: when opened for writing and while
appending (see `retention`).

Failures are never silent: every operation raises `HistoryError` with a `kind` and plain
words (never an `sqlite3` error), including a file found damaged after it was opened. Damage
met while running leaves a marker, so the next open runs the whole check and sets the file
aside.

The whole integrity check at open covers only files up to `CHECK_MAX_BYTES` (8 MB, about 10
ms from a warm cache) or a file marked by earlier damage. A larger file is not checked at
open, on purpose: the check reads every byte (about 0.35 s per 100,000 records from a warm
cache, seconds from a cold disk), and every `flowsery-goal` command and the window's first
history count would wait for it. Instead the window runs `History.verify()` once off the GUI
thread after start (it uses its own read-only connection, so sends and the history panel
carry on meanwhile); when it fails, the user is told and the next open sets the file aside.
The short-lived CLI skips it: a damaged page it meets fails that write loudly and marks the
file for the check.
"""

from __future__ import annotations

from flowsery_gui.history.database import BUSY_BUDGET_S
from flowsery_gui.history.errors import ErrorKind, HistoryError
from flowsery_gui.history.export import export_har, export_jsonl, record_to_json
from flowsery_gui.history.fields import (
    MIN_SECRET_LENGTH,
    SOURCES,
    STATUS_CLASSES,
    goal_from_body,
    status_class_of,
)
from flowsery_gui.history.model import Entry, Filters, HistoryRecord, HistoryRow
from flowsery_gui.history.query import SHORT_SEARCH_WINDOW
from flowsery_gui.history.recovery import CHECK_MAX_BYTES, Check
from flowsery_gui.history.retention import PRUNE_EVERY, Retention
from flowsery_gui.history.schema import MIGRATIONS, SCHEMA_VERSION, fts_available
from flowsery_gui.history.store import History

__all__ = [
    "BUSY_BUDGET_S",
    "CHECK_MAX_BYTES",
    "MIGRATIONS",
    "MIN_SECRET_LENGTH",
    "PRUNE_EVERY",
    "SCHEMA_VERSION",
    "SHORT_SEARCH_WINDOW",
    "SOURCES",
    "STATUS_CLASSES",
    "Check",
    "Entry",
    "ErrorKind",
    "Filters",
    "History",
    "HistoryError",
    "HistoryRecord",
    "HistoryRow",
    "Retention",
    "export_har",
    "export_jsonl",
    "fts_available",
    "goal_from_body",
    "record_to_json",
    "status_class_of",
]
