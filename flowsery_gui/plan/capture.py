"""Requests that reached a server, read from wherever they were captured, one at a time.

Three sources, one shape (`Received`): the sandbox's collector (`collector.py`), a HAR 1.2
file from a browser or a proxy (`har.py`), and the app's own JSON Lines history export
(`flowsery-goal history --json`, the History panel's export), read here. Every reader is
bounded: it holds one request at a time, and refuses an oversized one in plain words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from flowsery_gui.contract import GOALS_PATH
from flowsery_gui.i18n import _

MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSON Lines record
HAR_SUFFIXES = (".har",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


class CaptureError(ValueError):
    """A capture cannot be read (missing, not UTF-8, not a HAR, nothing listening...)."""


@dataclass(frozen=True)
class Received:
    """One request as a collector or a capture saw it, with the answer it got."""

    ref: str  # where it was found: "#12" (sandbox id), "entry 4" (HAR), "line 5" (JSONL)
    method: str
    path: str  # the URL path, without the query
    body: str | None
    status: int | None = None  # None: no answer was recorded
    time: str = ""  # ISO 8601, as recorded
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    response: str = ""  # the answer's body text, as recorded
    elapsed_ms: float = 0.0

    @property
    def is_goal(self) -> bool:
        """True for a goal creation: POST to /api/v1/goals."""
        return self.method.upper() == "POST" and self.path.rstrip("/").endswith(GOALS_PATH)


@dataclass
class Tally:
    """What a reader saw, for the summary: goal requests, other requests, losses."""

    goals: int = 0
    other: int = 0
    dropped: int = 0  # requests the collector had already forgotten (its store is bounded)
    before_since: int = 0  # requests older than --since, left out
    busy: int = 0  # connections the collector turned away (503) while every slot was busy
    notes: list[str] = field(default_factory=list)


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (`2024-05-01T10:00:00Z`, an offset, or none: then UTC).

    Raises ValueError in plain words.
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _(
                "{given} is not a time: write it as 2024-05-01T10:00:00Z (ISO 8601).",
                given=repr(text),
            )
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def is_before(recorded: str, since: datetime | None) -> bool:
    """True when a recorded time is known and earlier than `since`."""
    if since is None or not recorded:
        return False
    try:
        return parse_time(recorded) < since
    except ValueError:
        return False


def url_path(url: str) -> str:
    """The path of a URL (or of a bare path), without its query."""
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return url


def header_pairs(headers: Any) -> tuple[tuple[str, str], ...]:
    """Headers as (name, value) pairs from [[k, v], ...], [{"name", "value"}] or a mapping."""
    if isinstance(headers, dict):
        return tuple((str(k), str(v)) for k, v in headers.items())
    pairs = []
    if isinstance(headers, list):
        for item in headers:
            if isinstance(item, dict) and "name" in item:
                pairs.append((str(item["name"]), str(item.get("value", ""))))
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                pairs.append((str(item[0]), str(item[1])))
    return tuple(pairs)


def positive_int(value: Any) -> int | None:
    """An HTTP status as recorded: a whole number above 0, else None (no answer)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def from_history_record(record: dict[str, Any], ref: str) -> Received | None:
    """One line of the app's JSON Lines export (`history.record_to_json`), or None."""
    request = record.get("request")
    if not isinstance(request, dict):
        return None
    response = record.get("response")
    status = positive_int(record.get("status"))
    answer = ""
    if isinstance(response, dict):
        status = status or positive_int(response.get("status"))
        answer = str(response.get("body") or "")
    elif isinstance(record.get("failure"), dict):
        answer = str(record["failure"].get("message") or "")
    url = str(request.get("url") or "")
    body = request.get("body")
    return Received(
        ref=ref,
        method=str(request.get("method") or ""),
        path=url_path(url),
        body=body if isinstance(body, str) else None,
        status=status,
        time=str(record.get("time") or ""),
        url=url,
        headers=header_pairs(request.get("headers")),
        response=answer,
        elapsed_ms=float(record.get("elapsed_ms") or 0.0),
    )


def from_collector_item(item: dict[str, Any], ref: str) -> Received | None:
    """One request as the sandbox's collector lists it (`GET /sandbox/requests`), or None.

    Its shape: `{"id", "time", "method", "path", "query", "headers": [[name, value]],
    "body", "answer": {"status", "body", ...}, "verdict", ...}`, the key already masked.
    """
    method, path = item.get("method"), item.get("path")
    if not isinstance(method, str) or not isinstance(path, str):
        return None
    body = item.get("body")
    answer = item.get("answer")
    if not isinstance(answer, dict):
        answer = {}
    status = positive_int(answer.get("status", item.get("status")))
    response = answer.get("body")
    query = item.get("query")
    url = f"{path}?{query}" if isinstance(query, str) and query else path
    return Received(
        ref=ref,
        method=method,
        path=url_path(path),
        body=body if isinstance(body, str) else None,
        status=status,
        time=str(item.get("time") or ""),
        url=url,
        headers=header_pairs(item.get("headers")),
        response=response if isinstance(response, str) else "",
        elapsed_ms=float(item.get("elapsed_ms") or 0.0),
    )


def read_jsonl(path: Path, tally: Tally) -> Iterator[Received]:
    """The records of a JSON Lines file, one line in memory at a time."""
    with open_capture(path) as handle:
        number = 0
        while True:
            try:
                line = handle.readline(MAX_LINE_BYTES + 1)
            except UnicodeDecodeError:
                said = _("{file}: line {line} is not UTF-8 text.", file=path, line=number + 1)
                raise CaptureError(said) from None
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise CaptureError(
                    _(
                        "{file}: line {line} is over {mb} MB; is this a JSON Lines export?",
                        file=path,
                        line=number,
                        mb=MAX_LINE_BYTES // (1024 * 1024),
                    )
                )
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                raise CaptureError(
                    _(
                        "{file}: line {line} is not JSON; a JSON Lines export holds one JSON "
                        "object per line.",
                        file=path,
                        line=number,
                    )
                ) from None
            received = None
            if isinstance(record, dict):
                received = from_history_record(record, f"line {number}")
                if received is None:
                    received = from_collector_item(record, f"line {number}")
            if received is None:
                note = _("Line {line} is not a recorded request; it was skipped.", line=number)
                tally.notes.append(note)
                continue
            yield received


def open_capture(path: Path) -> TextIO:
    """The capture file opened as UTF-8 text (a BOM dropped); CaptureError in plain words."""
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CaptureError(open_error(path, exc)) from None


def open_error(path: Path, exc: OSError) -> str:
    """Why a capture file cannot be opened, in plain words."""
    if isinstance(exc, FileNotFoundError):
        return _("{file}: there is no such file.", file=path)
    if isinstance(exc, IsADirectoryError):
        return _("{file} is a folder, not a capture file.", file=path)
    if isinstance(exc, PermissionError):
        return _("{file} cannot be read: permission denied.", file=path)
    return _(
        "{file} cannot be read: {reason}.", file=path, reason=exc.strerror or type(exc).__name__
    )


def capture_kind(path: Path) -> str:
    """`har` or `jsonl`, by the file's suffix or, failing that, its first bytes."""
    name = path.name.lower()
    if name.endswith(HAR_SUFFIXES):
        return "har"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise CaptureError(open_error(path, exc)) from None
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("{") and '"log"' in text.split("\n", 1)[0][:200]:
        return "har"
    if text.startswith("{") and "\n" in text and '"request"' in text.split("\n", 1)[0]:
        return "jsonl"
    if text.startswith("{") and '"log"' in text:
        return "har"
    if text.startswith("{"):
        return "jsonl"
    raise CaptureError(
        _(
            "{file} is neither a HAR file nor a JSON Lines export (name it .har or .jsonl if it "
            "is one).",
            file=path,
        )
    )


def read_capture(path: Path | str, tally: Tally) -> Iterator[Received]:
    """Every request in a HAR or JSON Lines file, in file order, one at a time."""
    from flowsery_gui.plan.har import read_har

    path = Path(path)
    if capture_kind(path) == "har":
        return read_har(path, tally)
    return read_jsonl(path, tally)
