"""The history's values: what callers ask for (Filters) and what they get back (rows, records)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flowsery_gui.exchange import Exchange

ID_SCALE = 1_000_000  # ids are start times in microseconds
ID_SLACK = 10_000  # ids bumped past a collision stay within this many microseconds
CHUNK = 400  # ids per `IN (...)` statement, well under SQLite's variable limit

Entry = tuple[Exchange, str, str, "dict[str, Any] | None"]  # exchange, profile, source, goal


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


# The SELECT lists that fill a HistoryRow and a HistoryRecord, in field order.
ROW_COLUMNS = (
    "e.id, e.started_at, e.profile, e.goal_name, e.status, e.status_class, e.failure_kind, "
    "e.elapsed_ms, e.method, e.url, e.source"
)
RECORD_COLUMNS = (
    "e.id, e.started_at, e.elapsed_ms, e.profile, e.source, e.method, e.url, e.goal_name, "
    "e.visitor_uid, e.session_uid, e.timezone, e.metadata, e.status, e.status_class, "
    "e.failure_kind, b.exchange"
)


def record_from_row(row: Sequence[Any]) -> HistoryRecord:
    """A HistoryRecord from a row selected with RECORD_COLUMNS."""
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


def chunks(items: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    """`items` in slices of at most `size` (one `IN (...)` statement each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
