"""The inspection routes' reading side: their query parameters and their paged JSON answers.

  GET /sandbox/goals?after=ID&limit=N
      a JSON array of stored goals, oldest first; headers say what else there is:
      X-Sandbox-Next (pass as after=; absent on the last page), Link rel="next",
      X-Sandbox-Stored, X-Sandbox-Dropped
  GET /sandbox/requests?after=ID&since=ISO&limit=N
      {"requests": [...], "next": ID or null, "stored": N, "dropped": N, "busy": N}

Answers are written a record at a time (chunked), so memory stays bounded whatever the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from flowsery_gui.sandbox.store import Page
from flowsery_gui.sandbox.wire import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    bounded_int,
    json_bytes,
    parse_iso_time,
)

_CHUNK_BYTES = 64 * 1024  # records are gathered into writes of about this size


@dataclass(frozen=True)
class PageQuery:
    """What one inspection request asked for."""

    after: int = 0
    limit: int = DEFAULT_PAGE_SIZE
    since: float | None = None  # a POSIX time stamp


def page_query(query: str, allowed: tuple[str, ...]) -> PageQuery:
    """Read after=, limit= (and since= when allowed); ValueError in plain words."""
    try:
        params = parse_qs(query, keep_blank_values=True, strict_parsing=False, max_num_fields=20)
    except ValueError:
        raise ValueError("Too many query parameters.") from None
    for name, values in params.items():
        if name not in allowed:
            raise ValueError(f"Unknown query parameter {name[:40]!r}: use {', '.join(allowed)}.")
        if len(values) > 1:
            raise ValueError(f"Give {name} at most once.")
    given = {name: values[0] for name, values in params.items()}
    after = bounded_int(given.get("after", "0"), 10**18)
    if after is None:
        raise ValueError("after is the id of the last item you have: a whole number, 0 or more.")
    limit = bounded_int(given.get("limit", str(DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
    if limit is None or limit < 1:
        raise ValueError(f"limit is a whole number from 1 to {MAX_PAGE_SIZE}.")
    since = None
    if "since" in given:
        try:
            since = parse_iso_time(given["since"]).timestamp()
        except (ValueError, OverflowError):
            raise ValueError("since is not an ISO 8601 time (e.g. 2024-05-01T12:00:00Z).") from None
    return PageQuery(after, limit, since)


def goals_headers(page: Page[Any], path: str, limit: int) -> list[tuple[str, str]]:
    """The paging headers of a /sandbox/goals answer."""
    headers = [("X-Sandbox-Stored", str(page.stored)), ("X-Sandbox-Dropped", str(page.dropped))]
    if page.next is not None:
        headers.append(("X-Sandbox-Next", str(page.next)))
        headers.append(("Link", f'<{path}?after={page.next}&limit={limit}>; rel="next"'))
    return headers


def goals_array(goals: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A JSON array of goals, a piece at a time."""
    return _gathered(_array(json_bytes(goal) for goal in goals))


def requests_object(page: Page[bytes], busy: int) -> Iterator[bytes]:
    """The /sandbox/requests answer, a piece at a time (records are stored as JSON already)."""
    counts = {"next": page.next, "stored": page.stored, "dropped": page.dropped, "busy": busy}
    tail = json_bytes(counts)

    def pieces() -> Iterator[bytes]:
        yield b'{"requests":'
        yield from _array(page.items)
        yield b"," + tail[1:]

    return _gathered(pieces())


def _array(items: Iterable[bytes]) -> Iterator[bytes]:
    yield b"["
    for index, item in enumerate(items):
        yield b"," + item if index else item
    yield b"]"


def _gathered(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Pieces joined into writes of about _CHUNK_BYTES (fewer system calls)."""
    batch: list[bytes] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _CHUNK_BYTES:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)
