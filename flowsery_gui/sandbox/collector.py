"""The local collector: every request the sandbox received, with its answer and a verdict.

Each record is kept as compact JSON (so a page is written without re-encoding it and its size
is exact), in a log bounded by count and characters, oldest dropped first. The key is never
stored: Authorization-like headers keep `…` and their last 4 characters, and the sandbox's
key and the presented key are masked wherever else they appear.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flowsery_gui import contract
from flowsery_gui.exchange import mask_authorization, mask_key
from flowsery_gui.sandbox.store import BoundedLog, Page
from flowsery_gui.sandbox.wire import (
    MAX_BODY_BYTES,
    MAX_STORED_CHARS,
    MAX_STORED_REQUESTS,
    iso_time,
    json_bytes,
)

#: A record keeps at most this much of a request body and of an answer body (then says so).
RECORD_BODY_CHARS = MAX_BODY_BYTES
RECORD_ANSWER_CHARS = 16 * 1024
#: Headers whose whole value is a secret: kept as `…` and the last 4 characters.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key"})
_MIN_MASKED_SECRET = 8  # shorter presented "keys" are not hunted for in the rest of the text

#: What a plan check (or any extra check) returns: dicts with path, code, severity, message
#: (and optionally fix), about the goal body it was given. A checker with a `name` (a
#: plan's name, as `plan.LivePlan`) is named in each verdict (`"plan": NAME`) and its
#: findings get their own part of the log line.
Checker = Callable[[dict[str, Any]], Iterable[Mapping[str, Any]]]
Listener = Callable[[dict[str, Any]], None]


@dataclass
class Received:
    """What the handler gathered about one request, before it becomes a stored record."""

    time: datetime
    client: str
    method: str = ""
    path: str = ""
    query: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    body_bytes: int | None = None  # what Content-Length declared, or what was read
    fault: str | None = None
    status: int | None = None
    answer: bytes = b""
    outcome: str = "answered"  # answered | dropped | reset | cut short
    parsed: tuple[contract.ParsedBody, contract.Report] | None = None
    goal_id: int | None = None
    deleted: dict[str, Any] | None = None
    checks_goal: bool = False  # a POST to the goals route: the verdict applies


def finding_dict(finding: contract.Finding, source: str = "api") -> dict[str, Any]:
    """A finding as the collector stores it (the shape the checker returns, plus its source)."""
    return finding.as_json(source)


def verdict(
    body: bytes, parsed: tuple[contract.ParsedBody, contract.Report] | None, checker: Checker | None
) -> dict[str, Any]:
    """The API rules' findings about a goal body, plus the checker's; `ok` when no error."""
    if parsed is None:
        try:
            value = contract.parse_body(body)
        except contract.NotJSON as exc:
            finding = contract.Finding("", "body.not_json", str(exc))
            return {"ok": False, "findings": [finding_dict(finding)]}
        parsed = value, contract.check_body(value.value, value.duplicate_keys)
    value, report = parsed
    findings = [finding_dict(f) for f in report.findings]
    result: dict[str, Any] = {}
    if checker is not None and isinstance(value.value, dict):
        findings += _checked(checker, value.value)
        name = getattr(checker, "name", None)
        if isinstance(name, str) and name:
            result["plan"] = name
    ok = not any(f["severity"] == contract.ERROR for f in findings)
    return {"ok": ok, "findings": findings, **result}


def _guarded_verdict(
    body: bytes, parsed: tuple[contract.ParsedBody, contract.Report] | None, checker: Checker | None
) -> dict[str, Any]:
    try:
        return verdict(body, parsed, checker)
    except Exception:  # a rule-set bug must not lose the record (nor the answer after it)
        traceback.print_exc(file=sys.stderr)
        failed = contract.Finding(
            "",
            "sandbox.check_failed",
            "The sandbox could not check this body (a bug; see its log).",
        )
        return {"ok": False, "findings": [finding_dict(failed)]}


def _checked(checker: Checker, goal: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        return [_plan_finding(item) for item in checker(goal)]
    except Exception as exc:  # a plug-in boundary: a failing check must not fail the request
        traceback.print_exc(file=sys.stderr)
        failed = contract.Finding("", "plan.check_failed", f"The plan check failed: {exc!r}.")
        return [finding_dict(failed, "plan")]


def _plan_finding(item: Mapping[str, Any]) -> dict[str, Any]:
    severity = str(item.get("severity", contract.WARNING))
    fix = item.get("fix")
    return {
        "path": str(item.get("path", "")),
        "code": str(item.get("code", "plan")),
        "severity": severity if severity in (contract.ERROR, contract.WARNING) else "error",
        "message": str(item.get("message", "")),
        "fix": None if fix is None else str(fix),
        "source": "plan",
    }


def verdict_summary(record_verdict: dict[str, Any] | None) -> str:
    """The verdict for a log line: ` · body: 1 error: name.pattern`, and when a plan checked
    the goal, ` · plan acme: 1 warning: plan.bad_value` (or ` · plan acme: ok`)."""
    if not record_verdict:
        return ""
    findings = record_verdict["findings"]
    checked = "plan" in record_verdict
    api = [f for f in findings if not (checked and f.get("source") == "plan")]
    text = f" · body: {_counted(api) if api else 'valid'}"
    if checked:
        planned = [f for f in findings if f.get("source") == "plan"]
        text += f" · plan {record_verdict['plan']}: {_counted(planned) if planned else 'ok'}"
    return text


def _counted(findings: list[dict[str, Any]]) -> str:
    errors = sum(f["severity"] == contract.ERROR for f in findings)
    warnings = len(findings) - errors
    counts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((errors, "error"), (warnings, "warning"))
        if n
    ]
    codes = ", ".join(dict.fromkeys(f["code"] for f in findings))
    return f"{', '.join(counts)}: {codes}"


class Masker:
    """Masks every secret a request carried: secret headers whole, known keys anywhere."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted(
            {s for s in secrets if len(s) >= _MIN_MASKED_SECRET}, key=len, reverse=True
        )

    def text(self, text: str) -> str:
        """The text with each known key replaced by its masked form."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, mask_key(secret))
        return text

    def value(self, value: Any) -> Any:
        """A JSON-like value with every string in it masked (dicts and lists copied)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value

    def header(self, name: str, value: str) -> str:
        """A header value as stored: secret headers masked whole, others searched for keys."""
        if name.lower() in SECRET_HEADERS:
            return mask_authorization(value) if " " in value.strip() else mask_key(value.strip())
        return self.text(value)


def _text(data: bytes, cap: int) -> tuple[str, bool]:
    text = data.decode("utf-8", "replace")
    return (text[:cap], True) if len(text) > cap else (text, False)


def build_record(got: Received, masker: Masker, checker: Checker | None) -> dict[str, Any]:
    """The record of one request as stored (no id yet), with every secret masked."""
    body_text = answer_text = None
    cut = answer_cut = False
    if got.body is not None:
        body_text, cut = _text(got.body, RECORD_BODY_CHARS)
    answer_text, answer_cut = _text(got.answer, RECORD_ANSWER_CHARS)
    return {
        "time": iso_time(got.time),
        "client": got.client,
        "method": got.method,
        "path": masker.text(got.path),
        "query": masker.text(got.query),
        "headers": [[name, masker.header(name, value)] for name, value in got.headers],
        "body": None if body_text is None else masker.text(body_text),
        "bodyBytes": got.body_bytes,
        "bodyTruncated": cut,
        "fault": got.fault,
        "answer": {
            "status": got.status,
            "body": masker.text(answer_text),
            "bodyTruncated": answer_cut,
            "outcome": got.outcome,
        },
        "verdict": (
            _guarded_verdict(got.body, got.parsed, checker)
            if got.checks_goal and got.body is not None
            else None
        ),
        "goalId": got.goal_id,
        "deleted": None if got.deleted is None else masker.value(got.deleted),
    }


class Collector:
    """The bounded, paged log of received requests, with listeners for in-process viewers."""

    def __init__(
        self,
        max_requests: int = MAX_STORED_REQUESTS,
        max_chars: int = MAX_STORED_CHARS,
        checker: Checker | None = None,
    ) -> None:
        self.log: BoundedLog[bytes] = BoundedLog(max_requests, max_chars)
        self.checker = checker
        self._listeners: list[Listener] = []
        self._reset_listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._busy = 0

    def store(self, got: Received, masker: Masker) -> tuple[bytes, dict[str, Any]]:
        """Keep the record of a request; return its JSON and its verdict (None when none)."""
        record = build_record(got, masker, self.checker)
        rest = json_bytes(record)[1:]  # encoded outside the log's lock; the id goes in front

        def make(record_id: int) -> tuple[bytes, float, int]:
            data = b'{"id":%d,' % record_id + rest
            return data, got.time.timestamp(), len(data)

        return self.log.append(make), record["verdict"]

    def notify(self, data: bytes) -> None:
        """Tell each listener about a stored record (a fresh dict each); never raise."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            _call(listener, json.loads(data))

    def page(self, after: int = 0, limit: int = 1000, since: float | None = None) -> Page[bytes]:
        """A page of records as JSON, oldest first (see BoundedLog.page)."""
        return self.log.page(after, limit, since)

    def received(
        self, since_id: int = 0, limit: int = 1000, since: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Up to `limit` records with an id above `since_id`, oldest first, as new dicts."""
        page = self.log.page(since_id, limit, None if since is None else since.timestamp())
        return [json.loads(data) for data in page.items]

    def counts(self) -> dict[str, int]:
        """How many records are stored, dropped to stay in bounds, and refused as busy."""
        stored, dropped = self.log.counts()
        with self._lock:
            return {"stored": stored, "dropped": dropped, "busy": self._busy}

    def count_busy(self) -> None:
        """Count a connection answered 503 because every slot was taken (its request unread)."""
        with self._lock:
            self._busy += 1

    def clear(self) -> int:
        """Forget every record and the counts; tell the reset listeners; return how many."""
        removed = self.log.clear()
        with self._lock:
            self._busy = 0
            listeners = list(self._reset_listeners)
        for listener in listeners:
            _call(listener)
        return removed

    def on_received(self, callback: Listener) -> Callable[[], None]:
        """Call `callback(record)` after each stored request; returns a function to stop."""
        return self._register(self._listeners, callback)

    def on_reset(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback()` after the log was cleared; returns a function to stop."""
        return self._register(self._reset_listeners, callback)

    def _register(self, group: list[Any], callback: Any) -> Callable[[], None]:
        with self._lock:
            group.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in group:
                    group.remove(callback)

        return remove


def _call(listener: Callable[..., None], *args: Any) -> None:
    try:
        listener(*args)
    except Exception:  # a listener's bug must not fail the request or the other listeners
        traceback.print_exc(file=sys.stderr)
