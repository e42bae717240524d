"""Append N records to a history as fast as it can, printing each committed id.

Run as a separate process by tests/test_history_processes.py (crash, concurrency and
full-disk tests):
    python tests/history_writer.py DB_PATH N [TAG] [MAX_FILE_BYTES]
An id is printed (and flushed) only after its transaction has committed. With
MAX_FILE_BYTES, once the history is open no file may grow past that size (RLIMIT_FSIZE):
the disk is "full" for this process. A history error ends the run with exit 1 and
`KIND: message` on stderr.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from flowsery_gui.exchange import Exchange, ReceivedResponse, SentRequest
from flowsery_gui.history import History, HistoryError


def exchange_for(tag: str, number: int) -> tuple[Exchange, dict[str, object]]:
    """A small successful goal exchange, named after the writer and its counter."""
    goal: dict[str, object] = {"name": f"{tag}_{number}", "metadata": {"writer": tag}}
    request = SentRequest(
        "POST",
        "http://127.0.0.1:9/api/v1/goals",
        (("Authorization", "Bearer …abcd"), ("Content-Type", "application/json")),
        json.dumps(goal),
    )
    body = '{"status":"success","data":[{"message":"Goal created successfully"}]}'
    response = ReceivedResponse(200, "OK", (("Content-Type", "application/json"),), body, len(body))
    return Exchange(request, time.time(), 1.0, response), goal


def main() -> int:
    """Open, append, print; exit 1 with the plain message on a history error."""
    path, count = sys.argv[1], int(sys.argv[2])
    tag = sys.argv[3] if len(sys.argv) > 3 else "writer"
    try:
        history = History(path)
        if len(sys.argv) > 4:  # Python ignores SIGXFSZ, so a write past it fails with EFBIG
            limit = int(sys.argv[4])
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        for number in range(count):
            exchange, goal = exchange_for(tag, number)
            record_id = history.append(exchange, profile=tag, source="cli", goal=goal)
            print(record_id, flush=True)
        history.close()
    except HistoryError as exc:
        print(f"{exc.kind}: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
