"""The history's tables: the versioned schema, its migrations and the FTS5 search index.

The `meta` table holds small key/value facts about the file itself: that the search index
is stale, and the retention setting (so it travels with the history and needs no Qt).
"""

from __future__ import annotations

import functools
import sqlite3

# Each entry moves the schema up one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # v1
        """CREATE TABLE exchanges (
            id INTEGER PRIMARY KEY,       -- start time in microseconds, made unique
            started_at REAL NOT NULL,     -- seconds since the epoch, UTC
            elapsed_ms REAL NOT NULL,
            profile TEXT NOT NULL,
            source TEXT NOT NULL,         -- 'window' or 'cli'
            method TEXT NOT NULL,
            url TEXT NOT NULL,
            goal_name TEXT,
            visitor_uid TEXT,
            session_uid TEXT,
            timezone TEXT,
            metadata TEXT,                -- JSON, as sent
            status INTEGER,               -- NULL when no response came
            status_class TEXT NOT NULL,   -- '2xx' .. '5xx' or 'failure'
            failure_kind TEXT,
            search_text TEXT NOT NULL     -- lower-cased words the search box looks in
        )""",
        # The full exchange lives apart so scans of the narrow table stay fast.
        "CREATE TABLE exchange_bodies (id INTEGER PRIMARY KEY, exchange TEXT NOT NULL)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE INDEX exchanges_goal_name ON exchanges(goal_name)",
        "CREATE INDEX exchanges_profile ON exchanges(profile)",
        "CREATE INDEX exchanges_status_class ON exchanges(status_class)",
        "CREATE INDEX exchanges_started_at ON exchanges(started_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_FTS_CREATE = (
    "CREATE VIRTUAL TABLE exchanges_fts USING fts5(search_text, content='exchanges', "
    "content_rowid='id', tokenize='trigram')"
)


@functools.cache
def fts_available() -> bool:
    """True when this SQLite has FTS5 with the trigram tokenizer (SQLite 3.34 or newer)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return True


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version the file says it has (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])  # NOTADB shows up here


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION (inside the caller's write transaction)."""
    version = user_version(conn)  # re-read under the write lock
    for number in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[number]:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number + 1}")


def _has_fts_table(conn: sqlite3.Connection) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exchanges_fts'"
    ).fetchone()
    return found is not None


def ensure_search_index(conn: sqlite3.Connection) -> bool:
    """Use the FTS5 index when this SQLite can; (re)build it when missing or stale.

    Returns whether searches may use it. Without FTS5, writes mark an existing index stale
    (`mark_search_index_stale`) so an SQLite that has it rebuilds it later.
    """
    if not fts_available():
        return False
    has_table = _has_fts_table(conn)
    stale = get_meta(conn, "fts_stale") is not None
    if not has_table:
        conn.execute(_FTS_CREATE)
    if not has_table or stale:
        conn.execute("INSERT INTO exchanges_fts(exchanges_fts) VALUES ('rebuild')")
        conn.execute("DELETE FROM meta WHERE key = 'fts_stale'")
    return True


def search_index_usable(conn: sqlite3.Connection) -> bool:
    """Whether a read-only reader may search with the index as it is (no rebuild)."""
    return fts_available() and _has_fts_table(conn) and get_meta(conn, "fts_stale") is None


def mark_search_index_stale(conn: sqlite3.Connection) -> None:
    """Note that rows changed without the index, so the next FTS-capable open rebuilds it."""
    if _has_fts_table(conn):
        set_meta(conn, "fts_stale", "1")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value from the `meta` table, or None."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a value in the `meta` table (inside the caller's write transaction)."""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
