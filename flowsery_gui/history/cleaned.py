"""Which sends were deleted from analytics, and the DELETE exchanges that did it.

A cleanup (`flowsery_gui.cleanup`) deletes test goals from the real analytics with
`DELETE /api/v1/goals`. Each DELETE exchange is stored as an ordinary record (method
DELETE, its query in the URL, the server's answer in the exchange), and the sends it
cleaned are marked in a small table of their own, `deleted_from_analytics`, in the same
transaction. That transaction first looks for marks another run made meanwhile, so two
windows (or a window and `flowsery-goal cleanup`) cleaning the same sends never both record
the deletion as theirs: the second learns "already cleaned by another run".

The table is created when first needed, inside the write that needs it (`CREATE ... IF
NOT EXISTS`), and leaves the history's schema version alone, as the suites' run log does:
an older app still opens the file, and a trigger created with the table drops a send's mark
when the send's record is deleted (by hand, by `clear`, or by retention), whichever app
version deletes it. The lead may fold `TABLES` into `schema.MIGRATIONS` as it stands.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowsery_gui.exchange import Exchange
from flowsery_gui.history.fields import insert_row
from flowsery_gui.history.model import chunks

if TYPE_CHECKING:
    from flowsery_gui.history.store import History

TABLE = "deleted_from_analytics"
TABLES = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        exchange_id INTEGER PRIMARY KEY,  -- the send's record (exchanges.id)
        delete_id INTEGER NOT NULL,       -- the record of the DELETE exchange that cleaned it
        cleaned_at REAL NOT NULL          -- seconds since the epoch, UTC
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_delete_id ON {TABLE}(delete_id)",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_follows_exchanges AFTER DELETE ON exchanges
        BEGIN DELETE FROM {TABLE} WHERE exchange_id = old.id; END""",
)

#: A cleanup looks at this many sends at most ("since" a time long ago on a busy history).
MAX_SENDS = 10_000

_SENT_COLUMNS = (
    "e.id, e.started_at, e.elapsed_ms, e.profile, e.source, e.method, e.url, e.goal_name, "
    "e.visitor_uid, e.session_uid, e.status, e.failure_kind, d.delete_id, d.cleaned_at"
)


@dataclass(frozen=True)
class SentRecord:
    """A history record as a cleanup sees it: what was sent where and when, what came back,
    and whether it was deleted from analytics already."""

    id: int
    started_at: float  # this computer's clock, seconds since the epoch (UTC)
    elapsed_ms: float
    profile: str
    source: str
    method: str
    url: str
    goal_name: str | None
    visitor_uid: str | None
    session_uid: str | None
    status: int | None
    failure_kind: str | None
    cleaned_by: int | None = None  # the DELETE exchange's record, once cleaned
    cleaned_at: float | None = None

    @property
    def cleaned(self) -> bool:
        """True once a cleanup deleted it from analytics (the server said so)."""
        return self.cleaned_at is not None


@dataclass(frozen=True)
class DeleteRecorded:
    """What storing one DELETE exchange did: its record, and the sends it marked."""

    record_id: int
    marked: tuple[int, ...]  # the sends this run marked as deleted from analytics
    already: tuple[int, ...]  # the sends another run had marked first
    missing: tuple[int, ...] = ()  # the sends no longer in history (deleted meanwhile)


def _has_table(conn: sqlite3.Connection) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    return found is not None


def _select_sent(
    conn: sqlite3.Connection, where: str, params: Sequence[object]
) -> list[SentRecord]:
    if _has_table(conn):
        joined = f"exchanges e LEFT JOIN {TABLE} d ON d.exchange_id = e.id"
        columns = _SENT_COLUMNS
    else:  # no cleanup ever ran on this file
        joined = "exchanges e"
        columns = _SENT_COLUMNS.replace("d.delete_id, d.cleaned_at", "NULL, NULL")
    rows = conn.execute(f"SELECT {columns} FROM {joined} WHERE {where}", list(params))
    return [SentRecord(*row) for row in rows]


def sent_records(history: History, ids: Iterable[int]) -> list[SentRecord]:
    """These records (those still in history), newest first, with their cleanup marks."""
    wanted = sorted({int(i) for i in ids}, reverse=True)[: MAX_SENDS + 1]

    def read(conn: sqlite3.Connection) -> list[SentRecord]:
        found: list[SentRecord] = []
        for chunk in chunks(wanted):
            marks = ",".join("?" * len(chunk))
            found += _select_sent(conn, f"e.id IN ({marks})", chunk)
        return sorted(found, key=lambda r: r.id, reverse=True)

    return history._reading("read the history", read)


def sent_since(
    history: History, profile: str, since: float, name: str | None = None
) -> list[SentRecord]:
    """The goals sent (POSTs) to `profile` at or after `since` (epoch seconds), newest
    first, optionally only those named `name`: at most MAX_SENDS + 1 (one more than a
    cleanup takes, so the caller can say there are too many)."""
    where = "e.profile = ? AND e.method = 'POST' AND e.started_at >= ?"
    params: list[object] = [profile, since]
    if name is not None:
        where += " AND e.goal_name = ?"
        params.append(name)
    where += " ORDER BY e.id DESC LIMIT ?"
    params.append(MAX_SENDS + 1)
    return history._reading("read the history", lambda c: _select_sent(c, where, params))


def cleaned_marks(history: History, ids: Iterable[int]) -> dict[int, int]:
    """{send id: DELETE record id} for those of `ids` already deleted from analytics."""
    wanted = sorted({int(i) for i in ids})

    def read(conn: sqlite3.Connection) -> dict[int, int]:
        if not _has_table(conn):
            return {}
        marked: dict[int, int] = {}
        for chunk in chunks(wanted):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT exchange_id, delete_id FROM {TABLE} WHERE exchange_id IN ({marks})",
                chunk,
            )
            marked.update((int(a), int(b)) for a, b in rows)
        return marked

    return history._reading("read the history", read)


def record_delete(
    history: History,
    exchange: Exchange,
    *,
    profile: str,
    source: str,
    cleans: Iterable[int] = (),
    mark: bool = True,
    secrets: Iterable[str] = (),
) -> DeleteRecorded:
    """Store a DELETE exchange and, in the same transaction, mark the sends it cleaned
    (`cleans`). A send already marked (by another run, meanwhile) keeps its mark and is
    returned in `already`; with `mark=False` the sends are only looked up (the server deleted
    none of them). Raises HistoryError (plain words, a kind) when it cannot be written, like
    `History.append`."""
    doing = "save the deletion to history"
    rows = history._make_rows(doing, [(exchange, profile, source, None)], secrets)
    wanted = sorted({int(i) for i in cleans})

    def work(conn: sqlite3.Connection) -> DeleteRecorded:
        for statement in TABLES:
            conn.execute(statement)
        record_id = insert_row(conn, rows[0], history._fts)
        if not history._fts:
            history._mark_fts_stale(conn)
        marked: list[int] = []
        already: list[int] = []
        missing: list[int] = []
        now = time.time()
        for send_id in wanted:
            if conn.execute(f"SELECT 1 FROM {TABLE} WHERE exchange_id = ?", (send_id,)).fetchone():
                already.append(send_id)
            elif not conn.execute("SELECT 1 FROM exchanges WHERE id = ?", (send_id,)).fetchone():
                missing.append(send_id)
            elif mark:
                conn.execute(
                    f"INSERT INTO {TABLE} (exchange_id, delete_id, cleaned_at) VALUES (?, ?, ?)",
                    (send_id, record_id, now),
                )
                marked.append(send_id)
        history._on_append(conn, 1)  # retention, as for every append (after the marks)
        return DeleteRecorded(record_id, tuple(marked), tuple(already), tuple(missing))

    recorded = history._guard(doing, lambda: history._write(work))
    history._reclaim_if_due()
    return recorded
