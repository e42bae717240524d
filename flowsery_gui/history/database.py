"""The history's connections: WAL mode, short write transactions retried while busy, reads
that never wait for a writer, and every SQLite error turned into a plain `HistoryError`."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from flowsery_gui.history import recovery, schema
from flowsery_gui.history.errors import (
    OPEN,
    READ,
    damaged_words,
    failed,
    history_error,
    is_busy,
)
from flowsery_gui.history.model import chunks
from flowsery_gui.history.recovery import Check
from flowsery_gui.i18n import _

BUSY_BUDGET_S = 5.0  # how long a write keeps retrying a busy database before giving up

T = TypeVar("T")


class Database:
    """An open history file: the plumbing under `History` (connections, locks, retries)."""

    def __init__(
        self,
        path: Path | str,
        *,
        secrets: Callable[[], Iterable[str]] | None = None,
        check: Check = "auto",
        busy_seconds: float = BUSY_BUDGET_S,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._secrets = secrets
        self._busy_seconds = busy_seconds
        self._lock = threading.RLock()
        self._read_lock = threading.Lock()
        self._fts = False
        self._fts_stale_marked = False
        if not read_only and os.path.exists(self.path) and not os.access(self.path, os.W_OK):
            words = _("the history file {path} is read-only", path=self.path)
            raise failed(OPEN, "readonly", words)
        try:
            self._conn = self._connect(read_only)
        except sqlite3.Error as exc:
            raise history_error(OPEN, exc) from None
        try:
            self._guard(OPEN, lambda: self._setup(check))
            # Reads get their own connection: in WAL mode they never wait for a writer, so
            # the window's reads are not held up by a write (ours or another's) in progress.
            self._read_conn = self._guard(OPEN, lambda: self._connect(True))
        except BaseException:
            self._conn.close()
            raise

    def _connect(self, query_only: bool) -> sqlite3.Connection:
        if self.read_only:  # the file itself is opened read-only: never created or changed
            target, uri = recovery.read_only_uri(self.path), True
        else:
            target, uri = str(self.path), False
        conn = sqlite3.connect(
            target,
            uri=uri,
            timeout=self._busy_seconds,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_seconds * 1000)}")
        if query_only:
            conn.execute("PRAGMA query_only = ON")
        return conn

    def _setup(self, check: Check) -> None:
        conn = self._conn
        if not self.read_only:
            # Only takes effect on a brand-new file, before any table exists: lets deleted
            # records give their space back without a full VACUUM.
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")
        version = schema.user_version(conn)
        if version > schema.SCHEMA_VERSION:
            words = _("{path} was written by a newer version of this app", path=self.path)
            raise failed(OPEN, "newer", words)
        checked = version > 0 and recovery.resolve_check(check, self.path)
        if checked and not recovery.quick_check(conn):
            raise failed(OPEN, "damaged", damaged_words())
        if self.read_only:
            if version < schema.SCHEMA_VERSION:
                words = _("the history file is empty or too old to read without changing it")
                raise failed(READ, "readonly", words)
            self._fts = schema.search_index_usable(conn)
            return
        if version < schema.SCHEMA_VERSION:
            self._write(schema.migrate)
        self._write(self._on_open)

    def _on_open(self, conn: sqlite3.Connection) -> None:
        """The opening write transaction: proves the file writable, readies the index."""
        self._fts = schema.ensure_search_index(conn)

    def close(self) -> None:
        """Close the connections (the last one out folds the WAL back into the file)."""
        with self._lock:
            self._conn.close()
        read_conn = getattr(self, "_read_conn", None)
        if read_conn is not None:
            with self._read_lock:
                read_conn.close()

    # -- transactions ------------------------------------------------------------------------

    def _retry(self, action: Callable[[], T]) -> T:
        """Run `action` under the lock, retrying while another process holds the database."""
        deadline = time.monotonic() + self._busy_seconds
        delay = 0.005
        while True:
            with self._lock:
                try:
                    return action()
                except sqlite3.OperationalError as exc:
                    if not is_busy(exc) or time.monotonic() >= deadline:
                        raise
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.1)

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one short write transaction (BEGIN IMMEDIATE: waits its turn)."""
        conn = self._conn

        def attempt() -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        return self._retry(attempt)

    def _guard(self, doing: str, action: Callable[[], T]) -> T:
        """Run `action`, turning any SQLite error into a HistoryError saying `doing` (one of
        the sentences in `errors`, such as `errors.SAVE`) failed."""
        try:
            return action()
        except sqlite3.Error as exc:
            error = history_error(doing, exc)
        if error.kind == "damaged":  # the next start runs the whole integrity check
            recovery.ask_for_full_check(self.path)
        raise error

    def _reading(self, doing: str, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run `action` on the read connection (it never waits for a writer)."""

        def read() -> T:
            with self._read_lock:
                return action(self._read_conn)

        return self._guard(doing, read)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._reading(READ, lambda c: c.execute(sql, params).fetchall())

    # -- shared write steps ------------------------------------------------------------------

    def _mark_fts_stale(self, conn: sqlite3.Connection) -> None:
        if self._fts or self._fts_stale_marked:
            return
        schema.mark_search_index_stale(conn)
        self._fts_stale_marked = True

    def _delete_ids(self, conn: sqlite3.Connection, ids: Sequence[int]) -> int:
        """Delete these records and their index entries (inside a write transaction)."""
        removed = 0
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            if self._fts:
                conn.execute(
                    "INSERT INTO exchanges_fts (exchanges_fts, rowid, search_text) "
                    f"SELECT 'delete', id, search_text FROM exchanges WHERE id IN ({marks})",
                    chunk,
                )
            else:
                self._mark_fts_stale(conn)
            conn.execute(f"DELETE FROM exchange_bodies WHERE id IN ({marks})", chunk)
            removed += conn.execute(f"DELETE FROM exchanges WHERE id IN ({marks})", chunk).rowcount
        return removed

    def _reclaim(self) -> None:
        """Give freed pages back to the file system (best effort: nothing is lost if not)."""
        with contextlib.suppress(sqlite3.Error):
            self._retry(lambda: self._conn.execute("PRAGMA incremental_vacuum").fetchall())
