"""What the sandbox keeps: a bounded, paged log (oldest dropped first) and the goal store."""

from __future__ import annotations

import bisect
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs

from flowsery_gui.sandbox.wire import (
    MAX_STORED_CHARS,
    MAX_STORED_GOALS,
    UTC_ZONE,
    iso_time,
    json_bytes,
    parse_iso_time,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a log, oldest first, and what a reader needs to know about the rest."""

    items: list[T]
    next: int | None  # pass as `after` for the next page; None when nothing more is stored now
    stored: int  # how many items the log holds now
    dropped: int  # how many older items were dropped to stay within bounds (since the reset)


class BoundedLog(Generic[T]):
    """Items with increasing ids, oldest first, at most `max_items` and `max_chars` in size.

    The oldest items are dropped first to make room, and counted. Safe to share between
    threads; ids are never reused, not even after `clear()`, so `after=ID` stays a cursor.
    """

    def __init__(self, max_items: int, max_chars: int) -> None:
        if max_items < 1 or max_chars < 1:
            raise ValueError("A log holds at least one item and one character.")
        self.max_items = max_items
        self.max_chars = max_chars
        self._ids: deque[int] = deque()
        self._stamps: deque[float] = deque()
        self._items: deque[T] = deque()
        self._sizes: deque[int] = deque()
        self._chars = 0
        self._dropped = 0
        self._next_id = 1
        self._lock = threading.Lock()

    def append(self, make: Callable[[int], tuple[T, float, int]]) -> T:
        """Store `make(new_id)` → (item, time stamp, size in characters); return the item."""
        with self._lock:
            item_id = self._next_id
            self._next_id += 1
            item, stamp, size = make(item_id)
            self._ids.append(item_id)
            self._stamps.append(stamp)
            self._items.append(item)
            self._sizes.append(size)
            self._chars += size
            while len(self._ids) > 1 and (
                len(self._ids) > self.max_items or self._chars > self.max_chars
            ):
                self._pop_oldest()
            return item

    def _pop_oldest(self) -> None:
        self._ids.popleft()
        self._stamps.popleft()
        self._items.popleft()
        self._chars -= self._sizes.popleft()
        self._dropped += 1

    def page(self, after: int = 0, limit: int = 1000, since: float | None = None) -> Page[T]:
        """Up to `limit` items with an id above `after` (and a stamp at or after `since`)."""
        with self._lock:
            start = bisect.bisect_right(self._ids, after)
            found: list[T] = []
            last_id = None
            for index in range(start, len(self._ids)):
                if since is not None and self._stamps[index] < since:
                    continue
                if len(found) == limit:
                    return Page(found, last_id, len(self._ids), self._dropped)
                found.append(self._items[index])
                last_id = self._ids[index]
            return Page(found, None, len(self._ids), self._dropped)

    def items(self) -> list[T]:
        """Every item, oldest first (a new list; the items themselves are shared)."""
        with self._lock:
            return list(self._items)

    def counts(self) -> tuple[int, int]:
        """(how many are stored, how many were dropped since the last clear)."""
        with self._lock:
            return len(self._ids), self._dropped

    def clear(self) -> int:
        """Forget every item and the dropped count; return how many items were removed."""
        with self._lock:
            count = len(self._ids)
            for queue in (self._ids, self._stamps, self._items, self._sizes):
                queue.clear()
            self._chars = self._dropped = 0
            return count

    def remove(self, keep: Callable[[T], bool]) -> list[T]:
        """Remove the items for which `keep` is False; return them, oldest first."""
        with self._lock:
            entries = list(zip(self._ids, self._stamps, self._items, self._sizes, strict=True))
            kept, removed = [], []
            for entry in entries:
                if keep(entry[2]):
                    kept.append(entry)
                else:
                    removed.append(entry[2])
            if removed:
                self._ids = deque(entry[0] for entry in kept)
                self._stamps = deque(entry[1] for entry in kept)
                self._items = deque(entry[2] for entry in kept)
                self._sizes = deque(entry[3] for entry in kept)
                self._chars = sum(self._sizes)
            return removed


class GoalStore:
    """The goals the sandbox accepted, oldest first, capped; safe to share between threads."""

    def __init__(self, capacity: int = MAX_STORED_GOALS, max_chars: int = MAX_STORED_CHARS) -> None:
        self.log: BoundedLog[dict[str, Any]] = BoundedLog(capacity, max_chars)

    def add(self, goal: dict[str, Any], received: datetime | None = None) -> dict[str, Any]:
        """Keep a goal (with an id and receivedAt added); return what was stored."""
        moment = received or datetime.now(UTC_ZONE)
        received_at = iso_time(moment)
        size = len(json_bytes(goal)) + len(received_at) + 40  # + the id and receivedAt keys

        def make(goal_id: int) -> tuple[dict[str, Any], float, int]:
            stored = {"id": goal_id, "receivedAt": received_at, **goal}
            return stored, moment.timestamp(), size

        return dict(self.log.append(make))

    def all(self) -> list[dict[str, Any]]:
        """Copies of every stored goal, oldest first."""
        return [dict(goal) for goal in self.log.items()]

    def page(self, after: int = 0, limit: int = 1000) -> Page[dict[str, Any]]:
        """A page of stored goals, oldest first (the goals are shared: do not change them)."""
        return self.log.page(after, limit)

    def clear(self) -> int:
        """Forget everything; return how many goals were removed."""
        return self.log.clear()

    def delete(self, keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Remove the goals for which `keep` is False; return them, oldest first."""
        return self.log.remove(keep)


_DELETE_FILTERS = ("name", "visitorId", "startAt", "endAt")


def delete_filter(query: str) -> Callable[[dict[str, Any]], bool]:
    """A `keep` predicate from DELETE /api/v1/goals query parameters; ValueError in plain words."""
    params = parse_qs(query, keep_blank_values=True)
    given: dict[str, str] = {}
    for name in _DELETE_FILTERS:
        values = [v for v in params.get(name, []) if v.strip()]
        if len(values) > 1:
            raise ValueError(f"Give {name} at most once.")
        if values:
            given[name] = values[0]
    if not given:
        raise ValueError(
            "Give at least one filter: name, visitorId, startAt or endAt "
            "(without one, every goal would be deleted)."
        )
    bounds: dict[str, datetime] = {}
    for name in ("startAt", "endAt"):
        if name in given:
            try:
                bounds[name] = parse_iso_time(given[name])
            except ValueError:
                raise ValueError(
                    f"{name} is not an ISO 8601 time (e.g. 2024-05-01T00:00:00Z)."
                ) from None
    start, end = bounds.get("startAt"), bounds.get("endAt")
    if start and end and start > end:
        raise ValueError("startAt is after endAt.")

    def matches(goal: dict[str, Any]) -> bool:
        if "name" in given and goal.get("name") != given["name"]:
            return False
        if "visitorId" in given and goal.get("visitorUid") != given["visitorId"]:
            return False
        received = parse_iso_time(goal["receivedAt"])
        return not ((start and received < start) or (end and received > end))

    return lambda goal: not matches(goal)
