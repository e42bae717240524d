"""What the history tests share: made-up goal exchanges and ways to damage or lock a file."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from flowsery_gui.exchange import (
    Exchange,
    Failure,
    FailureKind,
    ReceivedResponse,
    SentRequest,
)
from flowsery_gui.history import History

KEY = "flow_sk_test_Zx9Qw8Er7Ty6Ui5Op4As3Df2"
GOALS_URL = "http://127.0.0.1:8765/api/v1/goals"
T0 = 1_750_000_000.0  # a fixed start time: records are `T0 + n` seconds
OK_BODY = '{"status":"success","data":[{"message":"Goal created successfully"}]}'


def goal_exchange(
    name: str = "newsletter_signup",
    *,
    started_at: float = T0,
    status: int | None = 200,
    visitor: str = "",
    session: str = "",
    metadata: dict[str, Any] | None = None,
    timezone: str = "",
    failure: FailureKind = FailureKind.READ_TIMEOUT,
    authorization: str = "Bearer …abcd",
    url: str = GOALS_URL,
) -> tuple[Exchange, dict[str, Any]]:
    """An exchange and the goal body it sent."""
    goal: dict[str, Any] = {"name": name}
    if visitor:
        goal["visitorUid"] = visitor
    if session:
        goal["sessionUid"] = session
    if metadata:
        goal["metadata"] = metadata
    if timezone:
        goal["timezone"] = timezone
    request = SentRequest(
        "POST",
        url,
        (
            ("Authorization", authorization),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ),
        json.dumps(goal),
    )
    if status is None:
        return (
            Exchange(request, started_at, 5000.0, failure=Failure(failure, "No answer in time.")),
            goal,
        )
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 500: "Server Error"}[status]
    body = OK_BODY if status == 200 else f'{{"status":"error","error":{{"code":{status}}}}}'
    response = ReceivedResponse(
        status, reason, (("Content-Type", "application/json"),), body, len(body)
    )
    return Exchange(request, started_at, 120.5, response), goal


def add(history: History, name: str = "newsletter_signup", **kwargs: Any) -> int:
    """Append one goal exchange from the window under the Production profile."""
    profile = kwargs.pop("profile", "Production")
    source = kwargs.pop("source", "window")
    exchange, goal = goal_exchange(name, **kwargs)
    return history.append(exchange, profile=profile, source=source, goal=goal)


def break_pages(db: Path, first_page: int = 1) -> None:
    """Scribble over the header of every page from `first_page` on: structure damage."""
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        for offset in range(4096 * first_page, size, 4096):
            handle.seek(offset)
            handle.write(b"\xa5" * 12)


def hold_write_lock(db: Path, seconds: float, ready: threading.Event) -> None:
    """Another process's long write transaction, played by a second connection."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    other.execute("ROLLBACK")
    other.close()
