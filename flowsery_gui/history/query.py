"""Finding records: filters and search words turned into SQL, pages, counts and lookups.

A record's id is its start time in microseconds, so the table's own key order is the
newest-first order: paging and search need no sort, and date filters become key ranges.
Words of 3+ characters go to the FTS5 trigram index when there is one; shorter words (and
every word without the index) are a substring scan of the record's lower-cased search text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flowsery_gui.history.database import Database
from flowsery_gui.history.errors import READ, failed
from flowsery_gui.history.model import (
    ID_SCALE,
    ID_SLACK,
    RECORD_COLUMNS,
    ROW_COLUMNS,
    Filters,
    HistoryRecord,
    HistoryRow,
    chunks,
    record_from_row,
)
from flowsery_gui.i18n import _

#: A search made only of 1-2 character words cannot use the trigram index and scans; it
#: looks at this many of the newest records, so it answers quickly however big the history.
SHORT_SEARCH_WINDOW = 10_000


@dataclass(frozen=True)
class Query:
    """The SQL pieces for a set of filters."""

    from_sql: str
    where: str
    params: list[Any]
    key: str  # the driving table's id column, for ordering and id ranges
    fts_only: bool  # the FTS match is the only condition


def is_windowed(filters: Filters, fts: bool) -> bool:
    """True when a search only looks at the newest SHORT_SEARCH_WINDOW records."""
    words = filters.text.split()
    return bool(words) and fts and all(len(w) < 3 for w in words)


def build_query(filters: Filters, fts: bool) -> Query:
    """The SQL pieces for these filters: words of 3+ characters go to the FTS index."""
    words = filters.text.lower().split()
    long_words = [w for w in words if len(w) >= 3] if fts else []
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
    if is_windowed(filters, fts):
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
        params += [math.floor(filters.since * ID_SCALE), filters.since]
    if filters.until is not None:
        clauses.append(f"{key} <= ? AND e.started_at <= ?")
        params += [math.floor(filters.until * ID_SCALE) + ID_SLACK, filters.until]
    fts_only = fts_only and len(clauses) == 1
    return Query(from_sql, " AND ".join(clauses) or "1", params, key, fts_only)


class Queries(Database):
    """The reading half of `History`: pages, counts, ids and whole records."""

    def search_is_windowed(self, filters: Filters) -> bool:
        """True when this search only looks at the newest SHORT_SEARCH_WINDOW records
        (its words are all shorter than 3 characters, so the index cannot help)."""
        return is_windowed(filters, self._fts)

    def count(self, filters: Filters | None = None, *, cap: int | None = None) -> int:
        """How many records match; with `cap`, stops counting there ("1,000+" is enough
        for a search box, and counting a common word over a huge history takes time)."""
        q = build_query(filters or Filters(), self._fts)
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
        q = build_query(filters or Filters(), self._fts)
        where, params = q.where, list(q.params)
        if before_id is not None:
            where += f" AND {q.key} < ?"
            params.append(before_id)
        rows = self._read(
            f"SELECT {ROW_COLUMNS} FROM {q.from_sql} WHERE {where} "
            f"ORDER BY {q.key} DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [HistoryRow(*row) for row in rows]

    def ids(self, filters: Filters | None = None) -> list[int]:
        """Every matching id, newest first (for exports and bulk actions)."""
        q = build_query(filters or Filters(), self._fts)
        sql = f"SELECT {q.key} FROM {q.from_sql} WHERE {q.where} ORDER BY {q.key} DESC"
        return [r[0] for r in self._read(sql, q.params)]

    def _records(self, ids: Sequence[int]) -> list[HistoryRecord]:
        marks = ",".join("?" * len(ids))
        rows = self._read(
            f"SELECT {RECORD_COLUMNS} FROM exchanges e JOIN exchange_bodies b ON b.id = e.id "
            f"WHERE e.id IN ({marks}) ORDER BY e.id DESC",
            list(ids),
        )
        try:
            return [record_from_row(row) for row in rows]
        except (ValueError, KeyError, TypeError) as exc:  # written by something else
            words = _("a stored record could not be read back")
            raise failed(READ, "data", words) from exc

    def get(self, record_id: int) -> HistoryRecord | None:
        """The whole record, or None when it is gone (deleted, perhaps by another window)."""
        found = self._records([record_id])
        return found[0] if found else None

    def iter_records(
        self, ids: Iterable[int] | None = None, filters: Filters | None = None
    ) -> Iterator[HistoryRecord]:
        """Records by id or by filters, newest first, read in small batches (for exports)."""
        wanted = sorted(set(ids), reverse=True) if ids is not None else self.ids(filters)
        for chunk in chunks(wanted, 200):
            yield from self._records(chunk)
