"""Figures for the history: append time, search time and memory with 100,000 records.

Run: python benchmarks/bench_history.py [RECORDS]. Prints `name<TAB>value<TAB>unit<TAB>target`
lines for the benchmarks table. Builds its database in a temporary folder and removes it.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flowsery_gui.exchange import Exchange, Failure, FailureKind, ReceivedResponse, SentRequest
from flowsery_gui.history import Entry, Filters, History, Retention, fts_available

GOALS_URL = "https://analytics.flowsery.com/api/v1/goals"
NAMES = [f"{w}_{i}" for i in range(30) for w in ("signup", "purchase", "newsletter", "trial")]
PLANS = ("free", "pro", "team", "enterprise")


def make_exchange(rng: random.Random, started_at: float) -> tuple[Exchange, dict[str, object]]:
    """A realistic goal exchange: body, masked headers, a response or a failure."""
    goal: dict[str, object] = {
        "name": rng.choice(NAMES),
        "visitorUid": str(uuid.UUID(int=rng.getrandbits(128))),
        "sessionUid": str(uuid.UUID(int=rng.getrandbits(128))),
        "timezone": "Europe/Paris",
        "metadata": {
            "plan": rng.choice(PLANS),
            "campaign": f"spring-{rng.randint(1, 500)}",
            "email": f"user{rng.randint(1, 99_999)}@example.com",
        },
    }
    request = SentRequest(
        "POST",
        GOALS_URL,
        (
            ("Authorization", "Bearer …abcd"),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            ("User-Agent", "flowsery-goal-tester/0.1.0"),
        ),
        json.dumps(goal),
    )
    roll = rng.random()
    response = failure = None
    if roll < 0.05:
        failure = Failure(FailureKind.READ_TIMEOUT, "The server did not answer in time.")
    else:
        status = 200 if roll < 0.85 else rng.choice((400, 401, 429, 500))
        body = '{"status":"success","data":[{"message":"Goal created successfully"}]}'
        response = ReceivedResponse(
            status, "OK", (("Content-Type", "application/json"), ("Server", "x")), body, len(body)
        )
    exchange = Exchange(request, started_at, rng.uniform(40, 400), response, failure)
    return exchange, goal


def rss_mb() -> float:
    """Peak resident memory so far, in MB (Linux reports kB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def timed_ms(action: Callable[[], object], repeat: int = 15) -> float:
    """Median wall time of `action` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def emit(name: str, value: float, unit: str, target: str = "") -> None:
    """One line of the table."""
    print(f"{name}\t{value:.2f}\t{unit}\t{target}", flush=True)


def build(path: Path, records: int) -> None:
    """Fill a history with `records` realistic exchanges, one second apart, in big batches."""
    rng = random.Random(7)
    start = time.time() - records
    built = time.perf_counter()
    history = History(path)
    batch: list[Entry] = []
    for i in range(records):
        exchange, goal = make_exchange(rng, start + i)
        batch.append((exchange, "Production" if i % 3 else "Sandbox", "window", goal))
        if len(batch) == 5000:
            history.append_many(batch)
            batch.clear()
    if batch:
        history.append_many(batch)
    history.close()
    emit("build_records", records, "records")
    emit("build_time", time.perf_counter() - built, "s")
    emit("db_size", sum(p.stat().st_size for p in path.parent.iterdir()) / 1e6, "MB")


def measure(path: Path) -> None:
    """Open the built history in this fresh process and time what the window and CLI do."""
    rng = random.Random(11)
    emit("fts5_trigram", 1.0 if fts_available() else 0.0, "bool")
    rss_before = rss_mb()
    opened = time.perf_counter()
    history = History(path)
    emit("open_default", (time.perf_counter() - opened) * 1000, "ms")
    emit("first_page_unfiltered", timed_ms(lambda: history.page(Filters(), 0, 100)), "ms")
    emit("count_unfiltered", timed_ms(lambda: history.count()), "ms")

    sample = history.page(Filters(), 500, 1)[0]
    record = history.get(sample.id)
    assert record is not None
    searches = {
        "goal_name_common": "signup",
        "goal_name_exact": "purchase_17",
        "visitor_uid_full": record.visitor_uid or "",
        "visitor_uid_part": (record.visitor_uid or "")[:8],
        "metadata_value": "spring-42",
        "status": "429",
        "two_words": "trial pro",
        "no_match": "zzqqxx",
        "short_word_common": "pr",
        "short_word_no_match": "zq",
    }
    for label, text in searches.items():
        filters = Filters(text=text)
        emit(f"search_{label}_page", timed_ms(partial(history.page, filters, 0, 100)), "ms", "< 30")
        emit(f"search_{label}_count", timed_ms(partial(history.count, filters)), "ms")
        emit(
            f"search_{label}_count_cap_1000",
            timed_ms(partial(history.count, filters, cap=1000)),
            "ms",
        )
    emit(
        "filter_profile_status_page",
        timed_ms(lambda: history.page(Filters(profile="Sandbox", status_class="4xx"), 0, 100)),
        "ms",
        "< 30",
    )
    emit("page_deep_before_id", timed_ms(lambda: history.page(before_id=sample.id)), "ms")
    emit("get_record", timed_ms(lambda: history.get(sample.id)), "ms")
    emit("rss_growth_open_and_search", rss_mb() - rss_before, "MB", "< 20")

    samples = []
    for _ in range(300):
        exchange, goal = make_exchange(rng, time.time())
        began = time.perf_counter()
        history.append(exchange, profile="Production", source="cli", goal=goal)
        samples.append((time.perf_counter() - began) * 1000)
    emit("append_median", statistics.median(samples), "ms", "< 2")
    emit("append_p95", sorted(samples)[int(len(samples) * 0.95)], "ms")
    checked = time.perf_counter()
    history.verify()
    emit("full_integrity_check", (time.perf_counter() - checked) * 1000, "ms")
    # A limit above the record count: opening walks every id and finds nothing to prune.
    history.set_retention(Retention(keep_last=1_000_000))
    history.close()
    emit("open_with_keep_last_nothing_due", timed_ms(lambda: History(path).close(), 5), "ms")


def main() -> int:
    """Build the database in a child process, then measure in this one (clean memory peak)."""
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        build(Path(sys.argv[2]), int(sys.argv[3]))
        return 0
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        subprocess.run([sys.executable, __file__, "--build", str(path), str(records)], check=True)
        measure(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
