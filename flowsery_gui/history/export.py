"""Exports of history records: JSON Lines (also `flowsery-goal history --json`) and HAR 1.2.

Authorization headers are masked again on the way out, even if a record somehow held one
in clear, so an export can be shared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flowsery_gui import APP_NAME, version
from flowsery_gui.history.fields import safe_headers
from flowsery_gui.history.model import HistoryRecord
from flowsery_gui.i18n import _


def iso_time(epoch: float) -> str:
    """An epoch time as ISO 8601 in UTC with milliseconds (what HAR and the exports use)."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="milliseconds")


def record_to_json(record: HistoryRecord) -> dict[str, Any]:
    """One record as a JSON-ready object (JSON Lines export, `history --json`)."""
    ex = record.exchange
    failure = None
    if ex.failure is not None:
        failure = {
            "kind": ex.failure.kind.value,
            "message": ex.failure.message,
            "detail": ex.failure.detail,
        }
    response = None
    if ex.response is not None:
        response = {
            "status": ex.response.status,
            "reason": ex.response.reason,
            "headers": [list(h) for h in safe_headers(ex.response.headers)],
            "body": ex.response.body,
            "body_bytes": ex.response.body_bytes,
            "truncated": ex.response.truncated,
        }
    return {
        "id": record.id,
        "time": iso_time(record.started_at),
        "started_at": record.started_at,
        "profile": record.profile,
        "source": record.source,
        "goal_name": record.goal_name,
        "visitor_uid": record.visitor_uid,
        "session_uid": record.session_uid,
        "timezone": record.timezone,
        "metadata": record.metadata,
        "status": record.status,
        "status_class": record.status_class,
        "failure": failure,
        "elapsed_ms": record.elapsed_ms,
        "request": {
            "method": ex.request.method,
            "url": ex.request.url,
            "headers": [list(h) for h in safe_headers(ex.request.headers)],
            "body": ex.request.body,
        },
        "response": response,
    }


def export_jsonl(records: Iterable[HistoryRecord], fileobj: Any) -> int:
    """Write one JSON object per line to a text file object; returns how many."""
    count = 0
    for record in records:
        fileobj.write(json.dumps(record_to_json(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def _pairs(headers: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in headers]


def _har_entry(record: HistoryRecord) -> dict[str, Any]:
    ex = record.exchange
    req_headers = safe_headers(ex.request.headers)
    request: dict[str, Any] = {
        "method": ex.request.method,
        "url": ex.request.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _pairs(req_headers),
        "queryString": _pairs(parse_qsl(urlsplit(ex.request.url).query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": len(ex.request.body.encode("utf-8")) if ex.request.body else 0,
    }
    if ex.request.body is not None:
        request["postData"] = {
            "mimeType": ex.request.header("Content-Type") or "application/json",
            "text": ex.request.body,
        }
    if ex.response is not None:
        r = ex.response
        content: dict[str, Any] = {
            "size": r.body_bytes,
            "mimeType": r.header("Content-Type") or "",
            "text": r.body,
        }
        if r.truncated:
            content["comment"] = "body truncated when recorded"
        response: dict[str, Any] = {
            "status": r.status,
            "statusText": r.reason,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _pairs(safe_headers(r.headers)),
            "content": content,
            "redirectURL": r.header("Location") or "",
            "headersSize": -1,
            "bodySize": r.body_bytes,
        }
    else:
        message = ex.failure.message if ex.failure else _("No response was received.")
        response = {
            "status": 0,
            "statusText": "",
            "httpVersion": "",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_error": message,
        }
    elapsed = max(0.0, record.elapsed_ms)
    return {
        "startedDateTime": iso_time(record.started_at),
        "time": elapsed,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
        "_profile": record.profile,
        "_goalName": record.goal_name,
    }


def export_har(records: Iterable[HistoryRecord], fileobj: Any) -> int:
    """Write a HAR 1.2 document to a text file object; returns how many entries."""
    entries = [_har_entry(r) for r in records]
    entries.sort(key=lambda e: e["startedDateTime"])  # HAR viewers expect time order
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": APP_NAME, "version": version()},
            "pages": [],
            "entries": entries,
        }
    }
    json.dump(har, fileobj, ensure_ascii=False, indent=2)
    fileobj.write("\n")
    return len(entries)
