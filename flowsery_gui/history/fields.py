"""How an exchange becomes a stored record: secrets scrubbed, goal fields and search words.

Everything here runs before the write transaction begins, so the database is held only
for the inserts themselves, and an exchange that cannot be stored fails before any write.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flowsery_gui import masking
from flowsery_gui.exchange import Exchange, mask_authorization, status_class
from flowsery_gui.history.model import ID_SCALE
from flowsery_gui.sending.drafts import goal_of_body

SOURCES = ("window", "cli")
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "failure")
MIN_SECRET_LENGTH = 6  # shorter "secrets" would mangle ordinary text when scrubbed


def scrub_text(text: str, secrets: Sequence[str]) -> str:
    """`text` with every spelling of every secret (as typed, JSON-escaped, percent-encoded)
    replaced by its masked form: the one place history masks."""
    return masking.scrub(text, secrets)


def scrub(value: Any, secrets: Sequence[str]) -> Any:
    """`value` (text, or JSON-like lists and dicts of it) with every secret masked."""
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, dict):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v, secrets) for v in value]
    return value


def safe_headers(headers: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """Headers with Authorization masked, even if a record somehow held it in clear."""
    safe = []
    for name, value in headers:
        if name.lower() in ("authorization", "proxy-authorization"):
            _, _, secret = value.partition(" ")
            if not (secret or value).strip().startswith("…"):
                value = mask_authorization(value)
        safe.append((name, value))
    return safe


status_class_of = status_class  # the core defines status classes once


def goal_from_body(exchange: Exchange) -> dict[str, Any] | None:
    """The goal object a request sent, read from its JSON body (None when there is none)."""
    return goal_of_body(exchange.request.body or None)


def as_text(value: Any) -> str | None:
    """A goal field as stored text: strings as they are, anything else as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def search_text(fields: Sequence[Any], metadata: Any) -> str:
    """The lower-cased words the search box looks in: goal fields, status, metadata."""
    words = [str(f) for f in fields if f not in (None, "")]
    if isinstance(metadata, dict):
        for key, value in metadata.items():
            words.append(str(key))
            words.append(as_text(value) or "")
    elif metadata is not None:
        words.append(as_text(metadata) or "")
    return " ".join(w for w in words if w).lower()


@dataclass(frozen=True)
class NewRow:
    """One exchange made ready to insert, already scrubbed: the `exchanges` table's columns
    by name (all but the id) and the whole exchange as compact JSON."""

    columns: dict[str, Any]
    exchange: str


def make_row(
    exchange: Exchange,
    profile: str,
    source: str,
    goal: dict[str, Any] | None,
    secrets: Sequence[str],
) -> NewRow:
    """The row for an exchange. Raises ValueError, TypeError or RecursionError for a value
    JSON cannot hold (the caller turns those into a HistoryError)."""
    data = scrub(exchange.to_dict(), secrets)
    data["request"]["headers"] = safe_headers(data["request"]["headers"])
    if goal is None:
        goal = goal_from_body(exchange)
    goal = scrub(goal, secrets) if goal is not None else {}
    metadata = goal.get("metadata")
    status = exchange.status
    status_class = status_class_of(status)
    failure_kind = exchange.failure.kind.value if exchange.failure else None
    reason = exchange.response.reason if exchange.response else None
    name, visitor, session, zone = (
        as_text(goal.get(k)) for k in ("name", "visitorUid", "sessionUid", "timezone")
    )
    words = (name, visitor, session, zone, status, reason, status_class, failure_kind)
    columns = {
        "started_at": exchange.started_at,
        "elapsed_ms": exchange.elapsed_ms,
        "profile": scrub(profile, secrets),
        "source": source,
        "method": data["request"]["method"],
        "url": data["request"]["url"],
        "goal_name": name,
        "visitor_uid": visitor,
        "session_uid": session,
        "timezone": zone,
        "metadata": None if metadata is None else json.dumps(metadata, ensure_ascii=False),
        "status": status,
        "status_class": status_class,
        "failure_kind": failure_kind,
        "search_text": search_text(words, metadata),
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return NewRow(columns, body)


def insert_row(conn: sqlite3.Connection, row: NewRow, fts: bool) -> int:
    """Insert a row (and its search index entry when `fts`) and return its new id."""
    record_id = math.floor(row.columns["started_at"] * ID_SCALE)
    while conn.execute("SELECT 1 FROM exchanges WHERE id = ?", (record_id,)).fetchone():
        record_id += 1
    names = ", ".join(row.columns)
    marks = ", ".join("?" * (len(row.columns) + 1))
    conn.execute(
        f"INSERT INTO exchanges (id, {names}) VALUES ({marks})",
        (record_id, *row.columns.values()),
    )
    conn.execute(
        "INSERT INTO exchange_bodies (id, exchange) VALUES (?, ?)", (record_id, row.exchange)
    )
    if fts:
        conn.execute(
            "INSERT INTO exchanges_fts (rowid, search_text) VALUES (?, ?)",
            (record_id, row.columns["search_text"]),
        )
    return record_id
