"""Figures for the sandbox as a collector: goals per second from 8 clients, and peak memory.

Run: python benchmarks/bench_collector.py [--goals N] [--big N]. The sandbox runs as its own
process (`python -m flowsery_gui.sandbox`, as in CI), so its peak resident memory is its own;
8 client processes each keep one `http.client` connection alive and POST goals back to back.

- throughput: 8 x N/8 small goals (a name, IDs, two metadata values); goals per second from
  the first request to the last answer, every answer a 200 and every request recorded.
- memory: 20,000 goals of about 60 KB each (a 60 KB visitor ID), then the whole collector
  (`/sandbox/requests?limit=10000`) and every stored goal (`/sandbox/goals?limit=10000`) read
  back; the sandbox's peak resident memory (VmHWM) must stay bounded by its stores' limits
  (100 MB of text each) instead of growing with what arrived.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, Row, print_table

KEY = "flow_sandbox_bench_collector_key"
CLIENTS = 8
GOALS = 16_000
BIG_GOALS = 20_000
BIG_BYTES = 60_000
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}

_notes: list[str] = []


def _client(port: int, count: int, big: bool, index: int, results: multiprocessing.Queue) -> None:
    """POST `count` goals over one kept-alive connection; put (ok, failed) on the queue."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    padding = "v" * BIG_BYTES if big else ""
    ok = failed = 0
    for number in range(count):
        goal = {
            "name": "bench_goal",
            "visitorUid": padding or f"visitor-{index}-{number}",
            "sessionUid": f"session-{index}",
            "metadata": {"plan": "pro", "source": f"client-{index}"},
        }
        connection.request("POST", "/api/v1/goals", body=json.dumps(goal), headers=HEADERS)
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            ok += 1
        else:
            failed += 1
    connection.close()
    results.put((ok, failed))


def _fire(port: int, total: int, big: bool) -> tuple[int, int, float]:
    """8 client processes share `total` goals; (ok, failed, seconds from start to last answer)."""
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    results = context.Queue()
    share = total // CLIENTS
    workers = [
        context.Process(target=_client, args=(port, share, big, index, results))
        for index in range(CLIENTS)
    ]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join(60)
    return sum(c[0] for c in counts), sum(c[1] for c in counts), elapsed


class Sandbox:
    """A `flowsery-sandbox` process on a free loopback port, quiet."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flowsery_gui.sandbox", "--quiet", "--api-key", KEY],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        self.port = int(line.rsplit(":", 1)[1])

    def get(self, path: str, method: str = "GET") -> bytes:
        """GET (or another method) a path; the whole body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(method, path)
        body = connection.getresponse().read()
        connection.close()
        return body

    def rss_mb(self, field: str = "VmHWM") -> float:
        """The process's peak (VmHWM) or current (VmRSS) resident memory in MB (Linux)."""
        status = Path(f"/proc/{self.proc.pid}/status")
        if not status.exists():
            return float("nan")
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        """Terminate and reap it."""
        self.proc.terminate()
        self.proc.wait(30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def rows(goals: int = GOALS, big: int = BIG_GOALS) -> list[Row]:
    """Goals per second from 8 kept-alive clients, and peak memory under 60 KB goals."""
    _notes.clear()
    result: list[Row] = []
    sandbox = Sandbox()
    try:
        _fire(sandbox.port, CLIENTS * 50, big=False)  # warm-up
        sandbox.get("/sandbox/reset", "POST")
        ok, failed, seconds = _fire(sandbox.port, goals, big=False)
        counts = json.loads(sandbox.get("/sandbox/requests?limit=1"))
        result.append(
            Row(
                "collector_goals_per_second_8_clients",
                ok / seconds,
                "goals/s",
                ">= 1000",
                f"{ok} goals in {seconds:.1f} s, {failed} refused",
            )
        )
        _notes.append(
            f"collector: {counts['stored'] + counts['dropped']} requests recorded "
            f"(stored {counts['stored']}, dropped {counts['dropped']}; the warm-up was reset)"
        )
    finally:
        sandbox.stop()

    sandbox = Sandbox()
    try:
        idle = sandbox.rss_mb("VmRSS")
        ok, failed, seconds = _fire(sandbox.port, big, big=True)
        after_posts = sandbox.rss_mb()
        requests_bytes = len(sandbox.get("/sandbox/requests?limit=10000"))
        goals_bytes = len(sandbox.get("/sandbox/goals?limit=10000"))
        counts = json.loads(sandbox.get("/sandbox/requests?limit=1"))
        peak = sandbox.rss_mb()
        result += [
            Row("collector_idle_rss", idle, "MB", "", "before any request"),
            Row(
                "collector_peak_rss_20000_goals_of_60kb",
                after_posts,
                "MB",
                "< 400",
                f"{ok} accepted, {failed} refused, {ok / seconds:.0f} goals/s",
            ),
            Row(
                "collector_peak_rss_after_reading_everything_back",
                peak,
                "MB",
                "< 400",
                f"{requests_bytes / 1e6:.0f} MB of requests, {goals_bytes / 1e6:.0f} MB of goals",
            ),
        ]
        _notes.append(
            f"collector: with 60 KB goals it kept {counts['stored']} requests and dropped "
            f"{counts['dropped']} (the 100 MB bound); before the bounds and paging, one "
            "GET /sandbox/goals of 10,000 such goals peaked at about 1.8 GB (issue 11)"
        )
    finally:
        sandbox.stop()
    return result


def notes() -> list[str]:
    """What the last rows() call found worth saying beside the table."""
    return list(_notes)


def main() -> int:
    """Print the table and the notes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--goals", type=int, default=GOALS, help="small goals for the rate")
    parser.add_argument("--big", type=int, default=BIG_GOALS, help="60 KB goals for memory")
    args = parser.parse_args()
    print_table(rows(args.goals, args.big))
    for note in notes():
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
