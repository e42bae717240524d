"""Every exchange, kept: a SQLite history that survives crashes and two writers at once.

One database file in the user data folder, in WAL mode, with a versioned schema. A record's
id is its start time in microseconds (made unique), so the table's own key order is the
newest-first order: paging and search need no sort, and date filters become key ranges. An
exact count is never needed to show a page. Search uses an
FTS5 trigram index over a lower-cased text of the goal's fields when SQLite has one, else a
substring scan of that text. The API key is never stored: request headers arrive masked, and
any key the caller names is scrubbed from everything before it is written.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from flowsery_gui import settings_store
from flowsery_gui.exchange import Exchange, mask_key

SOURCES = ("window", "cli")
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "failure")
# On open, SQLite's quick_check reads the whole file (about 2.5 ms per MB): run it when the
# file is small, or when the last session met damage; `History.verify()` runs it on demand.
CHECK_MAX_BYTES = 8_000_000
BUSY_BUDGET_S = 5.0  # how long a write keeps retrying a busy database before giving up
#: A search made only of 1-2 character words cannot use the trigram index and scans; it
#: looks at this many of the newest records, so it answers quickly however big the history.
SHORT_SEARCH_WINDOW = 10_000
MIN_SECRET_LENGTH = 6  # shorter "secrets" would mangle ordinary text when scrubbed
_ID_SCALE = 1_000_000  # ids are start times in microseconds
_ID_SLACK = 10_000  # ids bumped past a collision stay within this many microseconds
_CHUNK = 400  # ids per `IN (...)` statement, well under SQLite's variable limit

T = TypeVar("T")
ErrorKind = Literal["busy", "full", "readonly", "damaged", "io", "newer", "other"]
Check = Literal["auto", "full", "none"]

# -- schema -------------------------------------------------------------------------------------

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
_ROW_COLUMNS = (
    "e.id, e.started_at, e.profile, e.goal_name, e.status, e.status_class, e.failure_kind, "
    "e.elapsed_ms, e.method, e.url, e.source"
)
_RECORD_COLUMNS = (
    "e.id, e.started_at, e.elapsed_ms, e.profile, e.source, e.method, e.url, e.goal_name, "
    "e.visitor_uid, e.session_uid, e.timezone, e.metadata, e.status, e.status_class, "
    "e.failure_kind, b.exchange"
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


# -- values -------------------------------------------------------------------------------------


class HistoryError(Exception):
    """A history operation failed; `message` says so in plain words (never a key)."""

    def __init__(self, message: str, kind: ErrorKind = "other") -> None:
        super().__init__(message)
        self.message = message
        self.kind: ErrorKind = kind


@dataclass(frozen=True)
class Filters:
    """What the history panel or `flowsery-goal history` asks for. Times in epoch seconds."""

    text: str = ""
    profile: str | None = None
    status_class: str | None = None
    since: float | None = None
    until: float | None = None
    goal_name: str | None = None


@dataclass(frozen=True)
class HistoryRow:
    """A light row for the history table: no bodies, cheap to page through."""

    id: int
    started_at: float
    profile: str
    goal_name: str | None
    status: int | None
    status_class: str
    failure_kind: str | None
    elapsed_ms: float
    method: str = "POST"
    url: str = ""
    source: str = "window"


@dataclass(frozen=True)
class HistoryRecord:
    """A whole stored record, with its exchange, for the detail view and exports."""

    id: int
    started_at: float
    elapsed_ms: float
    profile: str
    source: str
    method: str
    url: str
    goal_name: str | None
    visitor_uid: str | None
    session_uid: str | None
    timezone: str | None
    metadata: Any  # the goal's metadata as sent (normally a dict), or None
    status: int | None
    status_class: str
    failure_kind: str | None
    exchange: Exchange


@dataclass(frozen=True)
class _Query:
    from_sql: str
    where: str
    params: list[Any]
    key: str  # the driving table's id column, for ordering and id ranges
    fts_only: bool  # the FTS match is the only condition


Entry = tuple[Exchange, str, str, "dict[str, Any] | None"]  # exchange, profile, source, goal

# -- helpers ------------------------------------------------------------------------------------


def _scrub(value: Any, secrets: Sequence[str]) -> Any:
    """`value` with every occurrence of each secret replaced by its masked form."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, mask_key(secret))
        return value
    if isinstance(value, dict):
        return {_scrub(k, secrets): _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v, secrets) for v in value]
    return value


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def status_class_of(status: int | None) -> str:
    """'2xx'-style class of a status, or 'failure' when no response came."""
    return "failure" if status is None else f"{status // 100}xx"


def _goal_from_body(exchange: Exchange) -> dict[str, Any] | None:
    body = exchange.request.body
    if not body:
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _search_text(fields: Sequence[Any], metadata: Any) -> str:
    words = [str(f) for f in fields if f not in (None, "")]
    if isinstance(metadata, dict):
        for key, value in metadata.items():
            words.append(str(key))
            words.append(_as_text(value) or "")
    elif metadata is not None:
        words.append(_as_text(metadata) or "")
    return " ".join(w for w in words if w).lower()


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(exc: sqlite3.Error) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _classify(exc: sqlite3.Error) -> tuple[ErrorKind, str]:
    """A kind and plain words for an SQLite error."""
    code = _code(exc)
    text = str(exc).lower()
    if _is_busy(exc):
        return "busy", "another copy of the app kept the history busy for too long"
    if code == 13 or "disk is full" in text:
        return "full", "the disk is full"
    if code == 8 or "readonly" in text or "read-only" in text:
        return "readonly", "the history file or its folder is read-only"
    if code in (11, 26) or "malformed" in text or "not a database" in text:
        return "damaged", "the history file is damaged (restart the app to start a fresh one)"
    if code in (10, 14) or "disk i/o" in text or "unable to open" in text:
        return "io", "the history file could not be read or written"
    return "other", f"the database reported: {exc}"


def _iso(epoch: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="milliseconds")


def _chunks(items: Sequence[int], size: int = _CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- the store ----------------------------------------------------------------------------------


class History:
    """The history database: append exchanges, page and search them, export and prune."""

    def __init__(
        self,
        path: Path | str,
        *,
        secrets: Callable[[], Iterable[str]] | None = None,
        check: Check = "auto",
        busy_seconds: float = BUSY_BUDGET_S,
    ) -> None:
        self.path = Path(path)
        self._secrets = secrets
        self._busy_seconds = busy_seconds
        self._lock = threading.RLock()
        self._fts = False
        self._fts_stale_marked = False
        self._conn = sqlite3.connect(
            self.path, timeout=busy_seconds, isolation_level=None, check_same_thread=False
        )
        try:
            self._setup(check)
        except BaseException:
            self._conn.close()
            raise
        # Reads get their own connection: in WAL mode they never wait for a writer, so the
        # window's reads are not held up by a write (ours or another instance's) in progress.
        self._read_lock = threading.Lock()
        self._read_conn = sqlite3.connect(
            self.path, timeout=busy_seconds, isolation_level=None, check_same_thread=False
        )
        self._read_conn.execute("PRAGMA query_only = ON")

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        secrets: Callable[[], Iterable[str]] | None = None,
        check: Check = "auto",
    ) -> tuple[History | None, str | None]:
        """Open or create the history; never raises for file trouble.

        Returns the history (None when history is off) and a message for the user (None when
        all is well): a damaged file is moved aside and a fresh one started; a folder that
        cannot be written turns history off while sending keeps working. The integrity check
        ("auto") runs when the file is small or when the last session met damage.
        """
        path = Path(path)
        folder = path.parent
        off = f"History is off: the data folder {folder} is not writable. Sending still works."
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None, off
        if not os.access(folder, os.W_OK):
            return None, off
        marker = _check_marker(path)
        if marker.exists():
            check = "full"
        try:
            history = cls(path, secrets=secrets, check=check)
            with contextlib.suppress(OSError):
                marker.unlink(missing_ok=True)
            return history, None
        except HistoryError as exc:
            if exc.kind != "damaged":
                return None, f"History is off: {exc.message}. Sending still works."
        except sqlite3.OperationalError as exc:
            kind, words = _classify(exc)
            if kind == "readonly" or not _writable(path):
                return None, off
            if kind != "io" or not path.exists():
                return None, f"History is off: {words}. Sending still works."
            # The file exists in a writable folder but cannot be opened: set it aside.
        except sqlite3.DatabaseError:
            pass  # not a database, or damaged: set it aside below
        try:
            aside = _move_aside(path)
        except OSError:
            return None, (
                f"History is off: the history file {path} is damaged and could not be moved "
                "aside. Sending still works."
            )
        with contextlib.suppress(OSError):
            marker.unlink(missing_ok=True)
        try:
            fresh = cls(path, secrets=secrets, check="none")
        except (HistoryError, sqlite3.Error):
            return None, f"History is off: a new history could not be created in {folder}."
        return fresh, (
            f"History was damaged and has been moved aside to {aside}; a new history was started."
        )

    def _setup(self, check: Check) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_seconds * 1000)}")
        # Only takes effect on a brand-new file, before any table exists: lets deleted
        # records give their space back without a full VACUUM.
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
        conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # NOTADB shows up here
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"{self.path} was written by a newer version of this app", kind="newer"
            )
        if check == "auto":
            check = "full" if _file_bytes(self.path) <= CHECK_MAX_BYTES else "none"
        if version > 0 and check == "full" and not self._quick_check():
            raise HistoryError("the history file failed its integrity check", "damaged")
        if version < SCHEMA_VERSION:
            self._write(self._migrate)
        self._write(self._ensure_search_index)

    def _quick_check(self) -> bool:
        """SQLite's quick_check: True when the file is sound."""
        result = self._conn.execute("PRAGMA quick_check").fetchall()
        return [tuple(r) for r in result] == [("ok",)]

    def verify(self) -> bool:
        """Check the whole file (about 0.6 s per 100,000 records: not on the GUI thread).

        When it fails, the next `History.open` moves the file aside and starts afresh."""
        try:
            sound = self._guard("check the history", lambda: self._retry(self._quick_check))
        except HistoryError as exc:
            if exc.kind != "damaged":
                raise
            sound = False
        if not sound:
            with contextlib.suppress(OSError):
                _check_marker(self.path).touch()
        return sound

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # re-read under the lock
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")

    def _ensure_search_index(self, conn: sqlite3.Connection) -> None:
        """Use the FTS5 index when this SQLite can; (re)build it when missing or stale."""
        if not fts_available():
            self._fts = False  # writes then mark an existing index stale (_mark_fts_stale)
            return
        has_table = (
            conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exchanges_fts'"
            ).fetchone()
            is not None
        )
        stale = conn.execute("SELECT 1 FROM meta WHERE key = 'fts_stale'").fetchone()
        if not has_table:
            conn.execute(_FTS_CREATE)
        if not has_table or stale:
            conn.execute("INSERT INTO exchanges_fts(exchanges_fts) VALUES ('rebuild')")
            conn.execute("DELETE FROM meta WHERE key = 'fts_stale'")
        self._fts = True

    def _mark_fts_stale(self, conn: sqlite3.Connection) -> None:
        if self._fts or self._fts_stale_marked:
            return
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'exchanges_fts'"
        ).fetchone()
        if has_table:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_stale', '1')")
        self._fts_stale_marked = True

    def close(self) -> None:
        """Close the connection (the last one out folds the WAL back into the file)."""
        with self._lock:
            self._conn.close()
        read_conn = getattr(self, "_read_conn", None)
        if read_conn is not None:
            with self._read_lock:
                read_conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
                    if not _is_busy(exc) or time.monotonic() >= deadline:
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
        try:
            return action()
        except sqlite3.Error as exc:
            kind, words = _classify(exc)
            if kind == "damaged":  # the next start runs the whole integrity check
                with contextlib.suppress(OSError):
                    _check_marker(self.path).touch()
            raise HistoryError(f"Could not {doing}: {words}.", kind) from None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        def read() -> list[Any]:
            with self._read_lock:
                return self._read_conn.execute(sql, params).fetchall()

        return self._guard("read the history", read)

    # -- writing -----------------------------------------------------------------------------

    def _secret_list(self, extra: Iterable[str]) -> list[str]:
        found = list(extra)
        if self._secrets is not None:
            found.extend(self._secrets())
        unique = {s for s in found if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH}
        return sorted(unique, key=len, reverse=True)  # longest first: no partial masking

    def _insert(
        self,
        conn: sqlite3.Connection,
        exchange: Exchange,
        profile: str,
        source: str,
        goal: dict[str, Any] | None,
        secrets: Sequence[str],
    ) -> int:
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        data = _scrub(exchange.to_dict(), secrets)
        data["request"]["headers"] = _safe_headers(data["request"]["headers"])
        if goal is None:
            goal = _goal_from_body(exchange)
        goal = _scrub(goal, secrets) if goal is not None else {}
        profile = _scrub(profile, secrets)
        metadata = goal.get("metadata")
        status = exchange.status
        status_class = status_class_of(status)
        failure_kind = exchange.failure.kind.value if exchange.failure else None
        reason = exchange.response.reason if exchange.response else None
        name, visitor, session, zone = (
            _as_text(goal.get(k)) for k in ("name", "visitorUid", "sessionUid", "timezone")
        )
        search = _search_text(
            (name, visitor, session, zone, status, reason, status_class, failure_kind), metadata
        )
        record_id = math.floor(exchange.started_at * _ID_SCALE)
        while conn.execute("SELECT 1 FROM exchanges WHERE id = ?", (record_id,)).fetchone():
            record_id += 1
        conn.execute(
            "INSERT INTO exchanges (id, started_at, elapsed_ms, profile, source, method, url, "
            "goal_name, visitor_uid, session_uid, timezone, metadata, status, status_class, "
            "failure_kind, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record_id,
                exchange.started_at,
                exchange.elapsed_ms,
                profile,
                source,
                data["request"]["method"],
                data["request"]["url"],
                name,
                visitor,
                session,
                zone,
                None if metadata is None else json.dumps(metadata, ensure_ascii=False),
                status,
                status_class,
                failure_kind,
                search,
            ),
        )
        conn.execute(
            "INSERT INTO exchange_bodies (id, exchange) VALUES (?, ?)",
            (record_id, json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
        )
        if self._fts:
            conn.execute(
                "INSERT INTO exchanges_fts (rowid, search_text) VALUES (?, ?)", (record_id, search)
            )
        else:
            self._mark_fts_stale(conn)
        return record_id

    def append(
        self,
        exchange: Exchange,
        *,
        profile: str,
        source: str,
        goal: dict[str, Any] | None = None,
        secrets: Iterable[str] = (),
    ) -> int:
        """Store one exchange in one short transaction and return its id.

        `goal` is the JSON body's object (taken from the request body when None). Every
        occurrence of a secret (given here or by the constructor's callable) is replaced by
        its masked form before anything is written. Raises HistoryError in plain words.
        """
        found = self._secret_list(secrets)
        return self._guard(
            "save this request to history",
            lambda: self._write(
                lambda conn: self._insert(conn, exchange, profile, source, goal, found)
            ),
        )

    def append_many(self, entries: Iterable[Entry], *, secrets: Iterable[str] = ()) -> list[int]:
        """Store many exchanges in one transaction (imports, benchmarks)."""
        found = self._secret_list(secrets)
        items = list(entries)

        def work(conn: sqlite3.Connection) -> list[int]:
            return [self._insert(conn, ex, prof, src, goal, found) for ex, prof, src, goal in items]

        return self._guard("save to history", lambda: self._write(work))

    def _delete_ids(self, conn: sqlite3.Connection, ids: Sequence[int]) -> int:
        removed = 0
        for chunk in _chunks(ids):
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
        with contextlib.suppress(sqlite3.OperationalError):
            self._retry(lambda: self._conn.execute("PRAGMA incremental_vacuum").fetchall())

    def delete(self, ids: Iterable[int]) -> int:
        """Delete these records; returns how many were there."""
        wanted = sorted({int(i) for i in ids})
        count = self._guard(
            "delete from history", lambda: self._write(lambda c: self._delete_ids(c, wanted))
        )
        self._reclaim()
        return count

    def clear(self) -> int:
        """Delete every record; returns how many there were."""

        def work(conn: sqlite3.Connection) -> int:
            count = int(conn.execute("SELECT count(*) FROM exchanges").fetchone()[0])
            if self._fts:
                conn.execute("INSERT INTO exchanges_fts (exchanges_fts) VALUES ('delete-all')")
            else:
                self._mark_fts_stale(conn)
            conn.execute("DELETE FROM exchange_bodies")
            conn.execute("DELETE FROM exchanges")
            return count

        count = self._guard("clear the history", lambda: self._write(work))
        self._reclaim()
        return count

    def apply_retention(
        self,
        keep_last: int | None = None,
        keep_days: float | None = None,
        *,
        now: float | None = None,
    ) -> int:
        """Delete records beyond the newest `keep_last` and older than `keep_days` days."""
        if keep_last is not None and keep_last < 0:
            raise ValueError("keep_last cannot be negative")
        if keep_days is not None and keep_days < 0:
            raise ValueError("keep_days cannot be negative")

        def work(conn: sqlite3.Connection) -> int:
            doomed: set[int] = set()
            if keep_last is not None:
                rows = conn.execute(
                    "SELECT id FROM exchanges ORDER BY id DESC LIMIT -1 OFFSET ?", (keep_last,)
                )
                doomed.update(r[0] for r in rows)
            if keep_days is not None:
                cutoff = (time.time() if now is None else now) - keep_days * 86400
                rows = conn.execute("SELECT id FROM exchanges WHERE started_at < ?", (cutoff,))
                doomed.update(r[0] for r in rows)
            return self._delete_ids(conn, sorted(doomed))

        if keep_last is None and keep_days is None:
            return 0
        count = self._guard("prune the history", lambda: self._write(work))
        if count:
            self._reclaim()
        return count

    # -- reading -----------------------------------------------------------------------------

    def search_is_windowed(self, filters: Filters) -> bool:
        """True when this search only looks at the newest SHORT_SEARCH_WINDOW records
        (its words are all shorter than 3 characters, so the index cannot help)."""
        words = filters.text.split()
        return bool(words) and self._fts and all(len(w) < 3 for w in words)

    def _query(self, filters: Filters) -> _Query:
        """The SQL pieces for these filters: words of 3+ characters go to the FTS index."""
        words = filters.text.lower().split()
        long_words = [w for w in words if len(w) >= 3] if self._fts else []
        short_words = [w for w in words if w not in long_words]
        clauses: list[str] = []
        params: list[Any] = []
        if long_words:
            from_sql = "exchanges_fts JOIN exchanges e ON e.id = exchanges_fts.rowid"
            key = "exchanges_fts.rowid"  # FTS5 hands rows out in this order: no sort needed
            clauses.append("exchanges_fts MATCH ?")
            params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long_words))
        else:
            from_sql, key = "exchanges e", "e.id"
        fts_only = bool(long_words)
        for word in short_words:
            clauses.append("instr(e.search_text, ?) > 0")
            params.append(word)
        if self.search_is_windowed(filters):
            clauses.append(
                "e.id >= coalesce((SELECT id FROM exchanges ORDER BY id DESC LIMIT 1 OFFSET ?), 0)"
            )
            params.append(SHORT_SEARCH_WINDOW - 1)
        for column, value in (
            ("profile", filters.profile),
            ("status_class", filters.status_class),
            ("goal_name", filters.goal_name),
        ):
            if value is not None:
                clauses.append(f"e.{column} = ?")
                params.append(value)
        if filters.since is not None:
            clauses.append(f"{key} >= ? AND e.started_at >= ?")
            params += [math.floor(filters.since * _ID_SCALE), filters.since]
        if filters.until is not None:
            clauses.append(f"{key} <= ? AND e.started_at <= ?")
            params += [math.floor(filters.until * _ID_SCALE) + _ID_SLACK, filters.until]
        fts_only = fts_only and len(clauses) == 1
        return _Query(from_sql, " AND ".join(clauses) or "1", params, key, fts_only)

    def count(self, filters: Filters | None = None, *, cap: int | None = None) -> int:
        """How many records match; with `cap`, stops counting there ("1,000+" is enough
        for a search box, and counting a common word over a huge history takes time)."""
        q = self._query(filters or Filters())
        from_sql = "exchanges_fts" if q.fts_only else q.from_sql  # no join needed to count
        sql = f"SELECT 1 FROM {from_sql} WHERE {q.where}"
        if cap is None:
            return int(self._read(f"SELECT count(*) FROM ({sql})", q.params)[0][0])
        return int(self._read(f"SELECT count(*) FROM ({sql} LIMIT ?)", [*q.params, cap])[0][0])

    def page(
        self,
        filters: Filters | None = None,
        offset: int = 0,
        limit: int = 100,
        *,
        before_id: int | None = None,
    ) -> list[HistoryRow]:
        """Up to `limit` matching rows, newest first, skipping `offset` (or those from
        `before_id` on: cheaper than a large offset for the next page)."""
        q = self._query(filters or Filters())
        where, params = q.where, list(q.params)
        if before_id is not None:
            where += f" AND {q.key} < ?"
            params.append(before_id)
        rows = self._read(
            f"SELECT {_ROW_COLUMNS} FROM {q.from_sql} WHERE {where} "
            f"ORDER BY {q.key} DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [HistoryRow(*row) for row in rows]

    def ids(self, filters: Filters | None = None) -> list[int]:
        """Every matching id, newest first (for exports and bulk actions)."""
        q = self._query(filters or Filters())
        sql = f"SELECT {q.key} FROM {q.from_sql} WHERE {q.where} ORDER BY {q.key} DESC"
        return [r[0] for r in self._read(sql, q.params)]

    def _records(self, ids: Sequence[int]) -> list[HistoryRecord]:
        marks = ",".join("?" * len(ids))
        rows = self._read(
            f"SELECT {_RECORD_COLUMNS} FROM exchanges e JOIN exchange_bodies b ON b.id = e.id "
            f"WHERE e.id IN ({marks}) ORDER BY e.id DESC",
            list(ids),
        )
        return [_record(row) for row in rows]

    def get(self, record_id: int) -> HistoryRecord | None:
        """The whole record, or None when it is gone (deleted, perhaps by another window)."""
        found = self._records([record_id])
        return found[0] if found else None

    def iter_records(
        self, ids: Iterable[int] | None = None, filters: Filters | None = None
    ) -> Iterator[HistoryRecord]:
        """Records by id or by filters, newest first, read in small batches (for exports)."""
        wanted = sorted(set(ids), reverse=True) if ids is not None else self.ids(filters)
        for chunk in _chunks(wanted, 200):
            yield from self._records(chunk)


def _record(row: Sequence[Any]) -> HistoryRecord:
    (rid, started, elapsed, profile, source, method, url, name, visitor, session, zone) = row[:11]
    metadata, status, status_class, failure_kind, exchange = row[11:16]
    return HistoryRecord(
        id=rid,
        started_at=started,
        elapsed_ms=elapsed,
        profile=profile,
        source=source,
        method=method,
        url=url,
        goal_name=name,
        visitor_uid=visitor,
        session_uid=session,
        timezone=zone,
        metadata=json.loads(metadata) if metadata is not None else None,
        status=status,
        status_class=status_class,
        failure_kind=failure_kind,
        exchange=Exchange.from_dict(json.loads(exchange)),
    )


def _file_bytes(path: Path) -> int:
    total = 0
    for name in (path.name, path.name + "-wal"):
        with contextlib.suppress(OSError):
            total += path.with_name(name).stat().st_size
    return total


def _check_marker(path: Path) -> Path:
    """A file whose presence asks the next start to check the whole database."""
    return path.with_name(path.name + ".check")


def _writable(path: Path) -> bool:
    folder_ok = os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _move_aside(path: Path) -> Path:
    """Rename the database and its WAL/SHM files to `<name>.corrupt-<timestamp>`."""
    target = settings_store.move_aside(path)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
    return target


# -- exports ------------------------------------------------------------------------------------


def _safe_headers(headers: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """Headers with Authorization masked, even if a record somehow held it in clear."""
    from flowsery_gui.exchange import mask_authorization

    safe = []
    for name, value in headers:
        if name.lower() in ("authorization", "proxy-authorization"):
            _, _, secret = value.partition(" ")
            if not (secret or value).strip().startswith("…"):
                value = mask_authorization(value)
        safe.append((name, value))
    return safe


def record_to_json(record: HistoryRecord) -> dict[str, Any]:
    """One record as a JSON-ready object (JSON Lines export, `history --json`)."""
    ex = record.exchange
    failure = None
    if ex.failure is not None:
        failure = {
            "kind": ex.failure.kind.value,
            "message": ex.failure.message,
            "detail": ex.failure.detail,
        }
    response = None
    if ex.response is not None:
        response = {
            "status": ex.response.status,
            "reason": ex.response.reason,
            "headers": [list(h) for h in _safe_headers(ex.response.headers)],
            "body": ex.response.body,
            "body_bytes": ex.response.body_bytes,
            "truncated": ex.response.truncated,
        }
    return {
        "id": record.id,
        "time": _iso(record.started_at),
        "started_at": record.started_at,
        "profile": record.profile,
        "source": record.source,
        "goal_name": record.goal_name,
        "visitor_uid": record.visitor_uid,
        "session_uid": record.session_uid,
        "timezone": record.timezone,
        "metadata": record.metadata,
        "status": record.status,
        "status_class": record.status_class,
        "failure": failure,
        "elapsed_ms": record.elapsed_ms,
        "request": {
            "method": ex.request.method,
            "url": ex.request.url,
            "headers": [list(h) for h in _safe_headers(ex.request.headers)],
            "body": ex.request.body,
        },
        "response": response,
    }


def export_jsonl(records: Iterable[HistoryRecord], fileobj: Any) -> int:
    """Write one JSON object per line to a text file object; returns how many."""
    count = 0
    for record in records:
        fileobj.write(json.dumps(record_to_json(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def _pairs(headers: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in headers]


def _har_entry(record: HistoryRecord) -> dict[str, Any]:
    from urllib.parse import parse_qsl, urlsplit

    ex = record.exchange
    req_headers = _safe_headers(ex.request.headers)
    request: dict[str, Any] = {
        "method": ex.request.method,
        "url": ex.request.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _pairs(req_headers),
        "queryString": _pairs(parse_qsl(urlsplit(ex.request.url).query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": len(ex.request.body.encode("utf-8")) if ex.request.body else 0,
    }
    if ex.request.body is not None:
        request["postData"] = {
            "mimeType": ex.request.header("Content-Type") or "application/json",
            "text": ex.request.body,
        }
    if ex.response is not None:
        r = ex.response
        content: dict[str, Any] = {
            "size": r.body_bytes,
            "mimeType": r.header("Content-Type") or "",
            "text": r.body,
        }
        if r.truncated:
            content["comment"] = "body truncated when recorded"
        response: dict[str, Any] = {
            "status": r.status,
            "statusText": r.reason,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _pairs(_safe_headers(r.headers)),
            "content": content,
            "redirectURL": r.header("Location") or "",
            "headersSize": -1,
            "bodySize": r.body_bytes,
        }
    else:
        message = ex.failure.message if ex.failure else "No response was received."
        response = {
            "status": 0,
            "statusText": "",
            "httpVersion": "",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_error": message,
        }
    elapsed = max(0.0, record.elapsed_ms)
    return {
        "startedDateTime": _iso(record.started_at),
        "time": elapsed,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
        "_profile": record.profile,
        "_goalName": record.goal_name,
    }


def export_har(records: Iterable[HistoryRecord], fileobj: Any) -> int:
    """Write a HAR 1.2 document to a text file object; returns how many entries."""
    from flowsery_gui import APP_NAME, version

    entries = [_har_entry(r) for r in records]
    entries.sort(key=lambda e: e["startedDateTime"])  # HAR viewers expect time order
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": APP_NAME, "version": version()},
            "pages": [],
            "entries": entries,
        }
    }
    json.dump(har, fileobj, ensure_ascii=False, indent=2)
    fileobj.write("\n")
    return len(entries)
