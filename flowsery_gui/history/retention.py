"""How much history to keep: one setting, stored in the history file, applied by every caller.

The setting lives in the database's `meta` table (no second file, no Qt, no schema change:
an older app reading the file ignores it), so the window and `flowsery-goal` read and apply
the same one. The history applies it itself, so no caller can forget to:
- when it is opened for writing, in the opening transaction (when nothing is due this costs
  a walk of the narrowest index: a few ms per 100,000 records);
- in the same transaction as the first append after opening (so a `flowsery-goal send`
  leaves exactly `keep_last` records) and then every PRUNE_EVERY-th append, so a long window
  session or a suite run holds at most PRUNE_EVERY - 1 records over the limit between two
  prunes (a prune that fails fails that append, which raises: nothing is silent);
- on demand with `apply_retention()`, e.g. right after `set_retention` (off the GUI thread:
  the first prune after a lower limit may delete many records).
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from dataclasses import dataclass

from flowsery_gui.history import schema
from flowsery_gui.history.database import Database
from flowsery_gui.history.errors import PRUNE, READ_RETENTION, SAVE_RETENTION
from flowsery_gui.history.model import ID_SCALE, ID_SLACK
from flowsery_gui.history.recovery import Check

RETENTION_KEY = "retention"
PRUNE_EVERY = 100  # appends between two retention checks of an open history
MAX_LIMIT = 1_000_000_000


@dataclass(frozen=True)
class Retention:
    """Keep the newest `keep_last` records and those of the last `keep_days` days; None
    means no limit (the window's boxes show 0 for it: map 0 to None)."""

    keep_last: int | None = None
    keep_days: int | None = None

    def __post_init__(self) -> None:
        for name in ("keep_last", "keep_days"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or not 1 <= value <= MAX_LIMIT):
                raise ValueError(f"{name} must be a whole number from 1 to {MAX_LIMIT:,}, or None")

    @property
    def unlimited(self) -> bool:
        """True when nothing is ever pruned."""
        return self.keep_last is None and self.keep_days is None


def parse_limit(value: object) -> int | None:
    """A limit from an old settings value (int or text): 0, empty or unreadable is None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        return None
    return number if 1 <= number <= MAX_LIMIT else None


def read_retention(conn: sqlite3.Connection) -> Retention | None:
    """The stored setting, or None when it was never set. An unreadable one keeps everything:
    deleting records on a misread setting would be the worse mistake."""
    text = schema.get_meta(conn, RETENTION_KEY)
    if text is None:
        return None
    try:
        data = json.loads(text)
        return Retention(parse_limit(data.get("keep_last")), parse_limit(data.get("keep_days")))
    except (ValueError, AttributeError):
        return Retention()


def write_retention(conn: sqlite3.Connection, retention: Retention) -> None:
    """Store the setting (inside the caller's write transaction)."""
    text = json.dumps({"keep_last": retention.keep_last, "keep_days": retention.keep_days})
    schema.set_meta(conn, RETENTION_KEY, text)


def doomed_ids(
    conn: sqlite3.Connection, keep_last: int | None, keep_days: float | None, now: float
) -> list[int]:
    """Ids beyond the newest `keep_last` or older than `keep_days` days, oldest first."""
    doomed: set[int] = set()
    # Is there a record beyond the first keep_last? Asked in no order, SQLite walks its
    # narrowest index (about 4 ms per 100,000 records; the table itself takes 50).
    over = (
        keep_last is not None
        and conn.execute("SELECT 1 FROM exchanges LIMIT 1 OFFSET ?", (keep_last,)).fetchone()
    )
    if over:
        rows = conn.execute(
            "SELECT id FROM exchanges ORDER BY id DESC LIMIT -1 OFFSET ?", (keep_last,)
        )
        doomed.update(r[0] for r in rows)
    if keep_days is not None:
        cutoff = now - keep_days * 86400
        rows = conn.execute(  # the id range makes this a short walk of the table's key
            "SELECT id FROM exchanges WHERE id < ? AND started_at < ?",
            (math.floor(cutoff * ID_SCALE) + ID_SLACK, cutoff),
        )
        doomed.update(r[0] for r in rows)
    return sorted(doomed)


class Retaining(Database):
    """The retention half of `History`: the stored setting and pruning by it."""

    _appends_to_check = 1  # the first append after opening prunes
    _reclaim_due = False

    def _setup(self, check: Check) -> None:
        super()._setup(check)
        self._reclaim_if_due()

    def _on_open(self, conn: sqlite3.Connection) -> None:
        super()._on_open(conn)
        self._prune_due(conn)

    def _on_append(self, conn: sqlite3.Connection, count: int) -> None:
        """Called in each append's transaction: prunes at the first after opening, then
        every PRUNE_EVERY."""
        self._appends_to_check -= count
        if self._appends_to_check <= 0:
            self._prune_due(conn)
            self._appends_to_check = PRUNE_EVERY

    def _prune_due(self, conn: sqlite3.Connection) -> int:
        """Prune by the stored setting inside the caller's write transaction."""
        setting = read_retention(conn)
        if setting is None or setting.unlimited:
            return 0
        doomed = doomed_ids(conn, setting.keep_last, setting.keep_days, time.time())
        removed = self._delete_ids(conn, doomed)
        self._reclaim_due = self._reclaim_due or removed > 0
        return removed

    def _reclaim_if_due(self) -> None:
        if self._reclaim_due:
            self._reclaim_due = False
            self._reclaim()

    def retention(self) -> Retention:
        """The stored retention setting (keep everything when none was ever set)."""
        return self._reading(READ_RETENTION, read_retention) or Retention()

    def set_retention(self, retention: Retention) -> None:
        """Store the setting for every caller. It applies at the next open and while
        appending (see the module docstring), or at once with `apply_retention()`."""
        self._guard(
            SAVE_RETENTION,
            lambda: self._write(lambda conn: write_retention(conn, retention)),
        )

    def adopt_window_retention(self, keep_last: object, keep_days: object) -> bool:
        """Take over the window's old `history/keep_last` and `history/keep_days` values
        (QSettings text or ints; 0 means no limit) unless the history already has a setting.

        Returns True when they were stored; either way the window can then forget its own."""

        def work(conn: sqlite3.Connection) -> bool:
            if read_retention(conn) is not None:
                return False
            write_retention(conn, Retention(parse_limit(keep_last), parse_limit(keep_days)))
            return True

        return self._guard(SAVE_RETENTION, lambda: self._write(work))

    def apply_retention(
        self,
        keep_last: int | None = None,
        keep_days: float | None = None,
        *,
        now: float | None = None,
    ) -> int:
        """Delete records beyond the newest `keep_last` and older than `keep_days` days;
        with neither given, as the stored setting says. Returns how many were deleted."""
        if keep_last is not None and keep_last < 0:
            raise ValueError("keep_last cannot be negative")
        if keep_days is not None and keep_days < 0:
            raise ValueError("keep_days cannot be negative")
        if keep_last is None and keep_days is None:
            setting = self.retention()
            if setting.unlimited:
                return 0
            keep_last, keep_days = setting.keep_last, setting.keep_days
        when = time.time() if now is None else now

        def work(conn: sqlite3.Connection) -> int:
            return self._delete_ids(conn, doomed_ids(conn, keep_last, keep_days, when))

        count = self._guard(PRUNE, lambda: self._write(work))
        if count:
            self._reclaim()
        return count
