"""The history under real processes: a kill -9 mid-burst, and two writers at once."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flowsery_gui.history import Filters, History

pytestmark = pytest.mark.slow

WRITER = Path(__file__).with_name("history_writer.py")
REPO = WRITER.parent.parent


def start_writer(db: Path, count: int, tag: str) -> subprocess.Popen[str]:
    """Run tests/history_writer.py as its own process."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(count), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def lines_of(stream: object) -> queue.Queue[str]:
    """The stream's lines, read by a thread so that every wait can be bounded."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as raw:
        return str(raw.execute("PRAGMA integrity_check").fetchone()[0])


def test_kill_9_mid_burst_loses_no_committed_record(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs kill -9")
    db = tmp_path / "history.sqlite3"
    writer = start_writer(db, 1_000_000, "crash")
    printed: list[int] = []
    try:
        lines = lines_of(writer.stdout)
        deadline = time.monotonic() + 60
        while len(printed) < 200:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"only {len(printed)} ids in 60 s"
            try:
                printed.append(int(lines.get(timeout=remaining)))
            except queue.Empty:
                pytest.fail(f"writer went quiet after {len(printed)} ids")
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        while not lines.empty():  # ids that were printed before the kill landed
            line = lines.get_nowait().strip()
            if line:
                printed.append(int(line))
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL

    assert integrity(db) == "ok"
    with History(db, check="full") as reopened:
        stored = set(reopened.ids())
        assert set(printed) <= stored
        assert reopened.get(printed[-1]) is not None


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    History(db).close()  # created first, as the window would have done
    writers = [start_writer(db, 300, tag) for tag in ("first", "second")]
    outcomes = []
    try:
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            outcomes.append((writer.returncode, out, err))
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait(timeout=10)
    for returncode, out, err in outcomes:
        assert returncode == 0, err
        assert "locked" not in err.lower()
        assert len(out.split()) == 300
    with History(db) as reopened:
        assert reopened.count() == 600
        assert reopened.count(Filters(profile="first")) == 300
        assert reopened.count(Filters(profile="second")) == 300
    assert integrity(db) == "ok"
