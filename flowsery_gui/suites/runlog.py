"""The list of past suite runs, kept in the history database beside the exchanges.

Two tables of their own (created when missing, never touching the history's schema
version), so the window can list runs (when, target, passed/failed, duration) and open
each goal's exchange by its history id. Runs follow the history's retention: a run goes
when it is older than the retention's days, or when history no longer keeps any of the
goals it sent. The lead may fold `SCHEMA` into the history's migrations as it stands.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flowsery_gui.exchange import mask_key
from flowsery_gui.i18n import _
from flowsery_gui.suites.results import Outcome, RunResult

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS suite_runs (
        id TEXT PRIMARY KEY,            -- the run id (12 hex digits)
        started_at REAL NOT NULL,       -- seconds since the epoch, UTC
        finished_at REAL NOT NULL,
        profile TEXT NOT NULL,          -- the target's profile name
        base_url TEXT NOT NULL,
        suites TEXT NOT NULL,           -- JSON list of {"name": .., "path": ..}
        passed INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        not_run INTEGER NOT NULL,
        stopped TEXT NOT NULL           -- why it ended early, '' when it did not
    )""",
    "CREATE INDEX IF NOT EXISTS suite_runs_started_at ON suite_runs(started_at)",
    """CREATE TABLE IF NOT EXISTS suite_run_goals (
        run_id TEXT NOT NULL,           -- suite_runs.id
        position INTEGER NOT NULL,      -- 0, 1, .. in run order
        suite TEXT NOT NULL,            -- the suite's name
        label TEXT NOT NULL,            -- the goal's title, or name (row N)
        outcome TEXT NOT NULL,          -- passed | failed | not_run
        reason TEXT NOT NULL,           -- why it failed or was not run
        exchange_id INTEGER,            -- exchanges.id of the sent goal, when history kept it
        PRIMARY KEY (run_id, position)
    )""",
    "CREATE INDEX IF NOT EXISTS suite_run_goals_exchange ON suite_run_goals(exchange_id)",
)
BUSY_SECONDS = 5.0


class RunLogError(Exception):
    """The run log could not be read or written; the message says so in plain words."""


@dataclass(frozen=True)
class RunSummary:
    """One past run as the list of runs shows it."""

    run_id: str
    started_at: float
    finished_at: float
    profile: str
    base_url: str
    suites: tuple[str, ...]
    passed: int
    failed: int
    not_run: int
    stopped: str

    @property
    def duration_ms(self) -> float:
        """Wall time of the run."""
        return max(0.0, (self.finished_at - self.started_at) * 1000.0)


@dataclass(frozen=True)
class RunGoal:
    """One goal of a past run: its outcome and the history record of its exchange."""

    position: int
    suite: str
    label: str
    outcome: Outcome
    reason: str
    exchange_id: int | None


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, mask_key(secret))
    return text


class RunLog:
    """The run log of one history file (its own SQLite connection)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            self._conn.execute("PRAGMA journal_mode = WAL").fetchone()
            with self._conn:
                for statement in SCHEMA:
                    self._conn.execute(statement)
        except sqlite3.Error as exc:
            with contextlib.suppress(Exception):
                self._conn.close()
            raise RunLogError(
                _("the list of suite runs could not be opened ({reason})", reason=exc)
            ) from None

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, run: RunResult, *, secrets: Iterable[str] = ()) -> None:
        """Keep a finished run and each of its goals (any secret named is masked first)."""
        hidden = [s for s in secrets if s]
        results = run.results
        suites = [{"name": s.name, "path": s.path} for s in run.suites]
        rows = [
            (
                run.run_id,
                position,
                _scrub(r.case.suite, hidden),
                _scrub(r.case.label, hidden),
                r.outcome.value,
                _scrub(r.reason, hidden),
                r.history_id,
            )
            for position, r in enumerate(results)
        ]
        try:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute(
                    "INSERT OR REPLACE INTO suite_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run.run_id,
                        run.started_at,
                        run.finished_at,
                        _scrub(run.profile, hidden),
                        _scrub(run.base_url, hidden),
                        _scrub(json.dumps(suites, ensure_ascii=False), hidden),
                        run.count(Outcome.PASSED),
                        run.count(Outcome.FAILED),
                        run.count(Outcome.NOT_RUN),
                        _scrub(run.stopped, hidden),
                    ),
                )
                self._conn.execute("DELETE FROM suite_run_goals WHERE run_id = ?", (run.run_id,))
                self._conn.executemany(
                    "INSERT INTO suite_run_goals VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                )
        except sqlite3.Error as exc:
            raise RunLogError(_("the suite run could not be kept ({reason})", reason=exc)) from None
        self.apply_retention()

    def runs(self, limit: int = 100) -> list[RunSummary]:
        """The newest runs first."""
        sql = (
            "SELECT id, started_at, finished_at, profile, base_url, suites, passed, failed, "
            "not_run, stopped FROM suite_runs ORDER BY started_at DESC LIMIT ?"
        )
        try:
            rows = self._conn.execute(sql, (limit,)).fetchall()
        except sqlite3.Error as exc:
            raise RunLogError(
                _("the suite runs could not be read ({reason})", reason=exc)
            ) from None
        return [_summary(row) for row in rows]

    def goals(self, run_id: str) -> list[RunGoal]:
        """The goals of one run, in run order."""
        sql = (
            "SELECT position, suite, label, outcome, reason, exchange_id FROM suite_run_goals "
            "WHERE run_id = ? ORDER BY position"
        )
        try:
            rows = self._conn.execute(sql, (run_id,)).fetchall()
        except sqlite3.Error as exc:
            raise RunLogError(_("the suite run could not be read ({reason})", reason=exc)) from None
        return [RunGoal(p, s, lbl, Outcome(o), r, e) for p, s, lbl, o, r, e in rows]

    def run_of(self, exchange_id: int) -> tuple[str, str] | None:
        """(run id, suite name) of the run that sent this history record, or None."""
        row = self._conn.execute(
            "SELECT run_id, suite FROM suite_run_goals WHERE exchange_id = ? LIMIT 1",
            (exchange_id,),
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def apply_retention(self, keep_days: float | None = None, *, now: float | None = None) -> int:
        """Forget runs older than `keep_days` days (default: the history's own retention
        setting), and runs none of whose sent goals the history still keeps. Returns how many.
        `add` runs it after keeping each run."""
        if keep_days is None:
            keep_days = self._history_keep_days()
        clauses: list[str] = []
        params: list[float] = []
        if keep_days is not None:
            clauses.append("started_at < ?")
            params.append((time.time() if now is None else now) - keep_days * 86400)
        if self._has_exchanges_table():
            clauses.append(
                "(EXISTS (SELECT 1 FROM suite_run_goals g WHERE g.run_id = suite_runs.id "
                "AND g.exchange_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM "
                "suite_run_goals g JOIN exchanges e ON e.id = g.exchange_id "
                "WHERE g.run_id = suite_runs.id))"
            )
        if not clauses:
            return 0
        where = " OR ".join(clauses)
        try:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                doomed = [
                    r[0]
                    for r in self._conn.execute(f"SELECT id FROM suite_runs WHERE {where}", params)
                ]
                for run_id in doomed:
                    self._conn.execute("DELETE FROM suite_run_goals WHERE run_id = ?", (run_id,))
                    self._conn.execute("DELETE FROM suite_runs WHERE id = ?", (run_id,))
        except sqlite3.Error as exc:
            raise RunLogError(
                _("old suite runs could not be removed ({reason})", reason=exc)
            ) from None
        return len(doomed)

    def _history_keep_days(self) -> float | None:
        """The history's `keep_days` from its retention setting (the `meta` table's
        "retention" entry), or None when there is none or it cannot be read."""
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'retention'").fetchone()
            days = json.loads(row[0]).get("keep_days") if row else None
        except (sqlite3.Error, ValueError, AttributeError, TypeError):
            return None
        return float(days) if isinstance(days, int | float) and days > 0 else None

    def _has_exchanges_table(self) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exchanges'"
        ).fetchone()
        return row is not None


def _summary(row: tuple[object, ...]) -> RunSummary:
    run_id, started, finished, profile, base_url, suites, passed, failed, not_run, stopped = row
    try:
        names = tuple(str(s.get("name", "")) for s in json.loads(str(suites)))
    except (ValueError, AttributeError):
        names = ()
    return RunSummary(
        str(run_id),
        float(started),  # type: ignore[arg-type]
        float(finished),  # type: ignore[arg-type]
        str(profile),
        str(base_url),
        names,
        int(passed),  # type: ignore[call-overload]
        int(failed),  # type: ignore[call-overload]
        int(not_run),  # type: ignore[call-overload]
        str(stopped),
    )
