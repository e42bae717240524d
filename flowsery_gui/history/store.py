"""`History`: the one object callers hold. Opens safely, appends, deletes, clears, verifies.

Its reading half is `query.Queries`, its retention half `retention.Retaining`, its plumbing
(connections, retries, errors) `database.Database`. Every failure of a write is raised as a
`HistoryError` with a kind and plain words, never an `sqlite3` error and never swallowed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from flowsery_gui.exchange import Exchange
from flowsery_gui.history import recovery
from flowsery_gui.history.errors import (
    CHECK,
    CLEAR,
    DELETE,
    SAVE,
    SAVE_REQUEST,
    HistoryError,
    failed,
)
from flowsery_gui.history.fields import MIN_SECRET_LENGTH, SOURCES, NewRow, insert_row, make_row
from flowsery_gui.history.model import Entry
from flowsery_gui.history.query import Queries
from flowsery_gui.history.recovery import Check
from flowsery_gui.history.retention import Retaining
from flowsery_gui.i18n import _


class History(Retaining, Queries):
    """The history database: append exchanges, page and search them, export and prune."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        secrets: Callable[[], Iterable[str]] | None = None,
        check: Check = "auto",
        read_only: bool = False,
    ) -> tuple[History | None, str | None]:
        """Open or create the history; never raises for file trouble.

        Returns the history (None when history is off) and a message for the user (None when
        all is well): a damaged file is moved aside and a fresh one started; a folder or file
        that cannot be written turns history off while sending keeps working. The integrity
        check ("auto") runs when the file is small or when the last session met damage.
        `read_only` opens an existing file for reading only (`flowsery-goal history`): it
        works on a file the user cannot write, and never creates, moves, prunes or writes it.
        """

        def opener(where: Path, how: Check) -> History:
            return cls(where, secrets=secrets, check=how, read_only=read_only)

        return recovery.open_history(Path(path), opener, check=check, read_only=read_only)

    def verify(self) -> bool:
        """Check the whole file: False when it is damaged (then the next open sets it aside).

        About 0.35 s per 100,000 records from a warm cache, far more from a cold disk: run
        it off the GUI thread. It reads through a connection of its own, so sends and the
        history panel go on meanwhile. Raises HistoryError when the file cannot be read."""
        try:
            sound = self._guard(CHECK, lambda: recovery.check_file(self.path, self._busy_seconds))
        except HistoryError as exc:
            if exc.kind != "damaged":
                raise
            sound = False
        if not sound:
            recovery.ask_for_full_check(self.path)
        return sound

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------

    def _secret_list(self, extra: Iterable[str]) -> list[str]:
        found = list(extra)
        if self._secrets is not None:
            found.extend(self._secrets())
        unique = {s for s in found if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH}
        return sorted(unique, key=len, reverse=True)  # longest first: no partial masking

    def _make_rows(
        self, doing: str, entries: Sequence[Entry], extra: Iterable[str]
    ) -> list[NewRow]:
        """Rows for the entries, built before the write begins. ValueError for a bad source
        (a caller's mistake); HistoryError "data" for an exchange that cannot be stored."""
        for entry in entries:
            source = entry[2]
            if source not in SOURCES:
                raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        secrets = self._secret_list(extra)
        try:
            return [make_row(ex, prof, src, goal, secrets) for ex, prof, src, goal in entries]
        except (ValueError, TypeError, RecursionError):  # the text may hold a secret: not kept
            words = _("it holds a value that cannot be stored (too deep, or a number too long)")
            raise failed(doing, "data", words) from None

    def _insert_all(self, doing: str, rows: Sequence[NewRow]) -> list[int]:
        def work(conn: sqlite3.Connection) -> list[int]:
            ids = [insert_row(conn, row, self._fts) for row in rows]
            if not self._fts:
                self._mark_fts_stale(conn)
            self._on_append(conn, len(rows))
            return ids

        ids = self._guard(doing, lambda: self._write(work))
        self._reclaim_if_due()
        return ids

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
        its masked form before anything is written. Raises HistoryError (with a kind and
        plain words) for every failure to store it, and ValueError for an unknown source.
        """
        rows = self._make_rows(SAVE_REQUEST, [(exchange, profile, source, goal)], secrets)
        return self._insert_all(SAVE_REQUEST, rows)[0]

    def append_many(self, entries: Iterable[Entry], *, secrets: Iterable[str] = ()) -> list[int]:
        """Store many exchanges in one transaction (imports, benchmarks)."""
        return self._insert_all(SAVE, self._make_rows(SAVE, list(entries), secrets))

    # -- deleting ----------------------------------------------------------------------------

    def delete(self, ids: Iterable[int]) -> int:
        """Delete these records; returns how many were there."""
        wanted = sorted({int(i) for i in ids})
        count = self._guard(DELETE, lambda: self._write(lambda c: self._delete_ids(c, wanted)))
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

        count = self._guard(CLEAR, lambda: self._write(work))
        self._reclaim()
        return count
