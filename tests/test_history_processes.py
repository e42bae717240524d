"""The history under real processes: a kill -9 mid-burst, two writers at once, a full disk."""

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


def start_writer(
    db: Path, count: int, tag: str, max_file_bytes: int | None = None
) -> subprocess.Popen[str]:
    """Run tests/history_writer.py as its own process (its files capped at `max_file_bytes`)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cap = [] if max_file_bytes is None else [str(max_file_bytes)]
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(count), tag, *cap],
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


def kill_9_after(writer: subprocess.Popen[str], ids: int) -> list[int]:
    """Let the writer commit `ids` records, kill -9 it mid-burst, and return every id it
    printed (each one committed before it was printed)."""
    printed: list[int] = []
    try:
        lines = lines_of(writer.stdout)
        deadline = time.monotonic() + 60
        while len(printed) < ids:
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
    return printed


def test_kill_9_mid_burst_loses_no_committed_record(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs kill -9")
    db = tmp_path / "history.sqlite3"
    printed = kill_9_after(start_writer(db, 1_000_000, "crash"), 200)

    assert integrity(db) == "ok"
    with History(db, check="full") as reopened:
        stored = set(reopened.ids())
        assert set(printed) <= stored
        assert reopened.get(printed[-1]) is not None


def test_an_instance_killed_mid_write_does_not_stop_another_from_writing(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs kill -9")
    db = tmp_path / "history.sqlite3"
    History(db).close()
    survivor = start_writer(db, 2000, "survivor")
    try:
        printed = kill_9_after(start_writer(db, 1_000_000, "crash"), 100)
        out, err = survivor.communicate(timeout=120)
    finally:
        if survivor.poll() is None:
            survivor.kill()
            survivor.wait(timeout=10)
    assert survivor.returncode == 0, err  # the dead writer's lock did not outlive it
    saved = [int(line) for line in out.split()]
    assert len(saved) == 2000
    assert max(saved) > max(printed)  # ids are start times: it went on after the kill
    assert integrity(db) == "ok"
    with History(db, check="full") as reopened:
        assert set(printed) <= set(reopened.ids())
        assert reopened.count(Filters(profile="survivor")) == 2000


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


def test_a_full_disk_fails_the_write_loudly_and_loses_no_committed_record(tmp_path: Path) -> None:
    if not hasattr(signal, "SIGXFSZ"):
        pytest.skip("needs a file size limit (RLIMIT_FSIZE)")
    db = tmp_path / "history.sqlite3"
    History(db).close()
    before = start_writer(db, 5, "before")  # earlier sends, made while there was room
    out, err = before.communicate(timeout=120)
    assert before.returncode == 0, err
    writer = start_writer(db, 10_000, "full", max_file_bytes=256 * 1024)
    try:
        out, err = writer.communicate(timeout=120)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(timeout=10)
    assert writer.returncode == 1  # stopped by the error, not by a signal or a traceback
    kind, _, message = err.strip().partition(": ")
    assert kind in ("full", "io"), err
    assert message.startswith("Could not save this request to history: "), err
    assert "Traceback" not in err and "sqlite" not in err.lower()
    saved = [int(line) for line in out.split()]
    assert 0 < len(saved) < 10_000
    assert integrity(db) == "ok"
    with History(db) as reopened:
        assert set(saved) <= set(reopened.ids())
        assert reopened.count(Filters(profile="before")) == 5
        assert reopened.count(Filters(profile="full")) == len(saved)
