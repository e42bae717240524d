"""The window's figures, against plain PySide6 windows measured in the same run.

- start to first shown window: `flowsery-gui --smoke-test` vs a hand-written window of the
  same shape with no app code (`same_shape_window.py`: the same menus, shortcuts, toolbar,
  form, table, tabs and status bar), target within 1.25x; the bare window, and the
  same-shape one without shortcuts, run in the same rounds for context;
- idle memory: peak RSS after the window is up and its deferred start-up work is done, vs the
  bare window (target: within 30 MB);
- keystroke to rendered validation with 10 metadata rows (target: p99 under 4 ms);
- the longest event-loop stall while the sandbox delays a response by 10 s (target: < 50 ms).

Run: python benchmarks/bench_gui.py   (or through benchmarks/run.py)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row, time_commands

HERE = Path(__file__).resolve().parent

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1180, 760); w.show()
idle_ms = int(sys.argv[1]) if len(sys.argv) > 1 else 0
def shown():
    print(f"first show (at {time.time():.3f})", flush=True)
    QTimer.singleShot(idle_ms, lambda: app.exit(0))
QTimer.singleShot(0, shown)
app.exec()
"""


def _spawn_to_show_ms(argv: list[str], env: dict[str, str]) -> float:
    """Milliseconds from spawning the process to its first shown window (it prints when)."""
    began = time.time()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=True)
    shown = float(done.stdout.rsplit("(at ", 1)[1].split(")", 1)[0])
    return (shown - began) * 1000


def _start_times(commands: dict[str, list[str]], env: dict[str, str], runs: int = 15):  # type: ignore[no-untyped-def]
    """Interleaved spawn-to-first-show medians of each command, by name (order rotates)."""
    for _ in range(2):
        for argv in commands.values():
            _spawn_to_show_ms(argv, env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_index in range(runs):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(_spawn_to_show_ms(commands[name], env))
    return {name: statistics.median(values) for name, values in samples.items()}


# Runs inside a child process: the window with 10 rows, keystrokes into the goal name.
KEYSTROKES = """
import os, statistics, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from flowsery_gui.contract import Draft
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.main_window import MainWindow
ctx = AppContext(QSettings(sys.argv[1], QSettings.Format.IniFormat))
w = MainWindow(ctx); w.resize(1180, 760); w.show(); w._after_show()
rows = tuple((f"key_{i}", f"value number {i}") for i in range(10))
w.form.load(Draft(name="newsletter_signup", timezone="Europe/Paris", metadata=rows), touched=True)
for _ in range(20):
    app.processEvents()
edit = w.form_panel.name_edit
edit.setFocus()
samples = []
for i in range(600):
    key = Qt.Key.Key_A if i % 2 == 0 else Qt.Key.Key_Backspace
    t = time.perf_counter_ns()
    QTest.keyClick(edit, key)
    app.processEvents()  # the validation, the marks and the repaint
    samples.append(time.perf_counter_ns() - t)
samples = sorted(samples[100:])
print(statistics.median(samples) / 1e6, samples[int(len(samples) * 0.99) - 1] / 1e6)
w.close()
"""

# Runs inside a child process: a heartbeat timer while a send waits 10 s on the sandbox.
STALL = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from flowsery_gui.contract import Draft
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.main_window import MainWindow
ctx = AppContext(QSettings(sys.argv[1], QSettings.Format.IniFormat))
w = MainWindow(ctx); w.resize(1180, 760)
ctx.target.set_profile("Sandbox")
w.show(); w._after_show()
w.form.load(Draft(name="slow_goal"), touched=True)
gaps = []
last = [time.perf_counter()]
def beat():
    now = time.perf_counter(); gaps.append(now - last[0]); last[0] = now
timer = QTimer(); timer.setInterval(5); timer.timeout.connect(beat); timer.start()
def go():
    w.sending.set_fault("delay=10")
    last[0] = time.perf_counter()
    gaps.clear()
    w.send_flow.send()
def check():
    if w.sending.busy:
        QTimer.singleShot(100, check)
    else:
        app.exit(0)
QTimer.singleShot(500, go)
QTimer.singleShot(800, check)
app.exec()
timer.stop()
print(max(gaps) * 1000 - 5, len(gaps))
w.close()
"""


def _env(tmp: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["FLOWSERY_GUI_DATA_DIR"] = os.path.join(tmp, "data")
    env["FLOWSERY_GUI_CONFIG_DIR"] = os.path.join(tmp, "config")
    env.pop("FLOWSERY_API_KEY", None)
    # As installed apps run: with cached bytecode (this environment may switch it off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(code: str, tmp: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", code, os.path.join(tmp, "bench.ini")],
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [float(x) for x in done.stdout.split()]


def rows() -> list[Row]:
    """Measure everything; the baselines run in the same rounds as the app."""
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp)
        bare = Path(tmp) / "bare_window.py"
        bare.write_text(BARE_WINDOW, encoding="utf-8")
        same_shape = [sys.executable, str(HERE / "same_shape_window.py")]
        starts = _start_times(
            {
                "app": [sys.executable, "-m", "flowsery_gui", "--smoke-test"],
                "bare": [sys.executable, str(bare)],
                "same": same_shape,
                "same_no_shortcuts": [*same_shape, "--no-shortcuts"],
            },
            env,
        )
        app_ms, bare_ms = starts["app"], starts["bare"]
        idle = time_commands(
            {
                "app": [sys.executable, "-m", "flowsery_gui", "--smoke-test", "--idle-ms", "1500"],
                "bare": [sys.executable, str(bare), "1500"],
                "same": [*same_shape, "1500"],
            },
            runs=1,
            warmups=0,
            env=env,
            rss_runs=3,
        )
        app_mb, bare_mb = idle["app"].peak_rss_mb, idle["bare"].peak_rss_mb
        key_median, key_p99 = _child(KEYSTROKES, tmp)
        stall_ms, beats = _child(STALL, tmp)
        big_start, big_idle = _with_big_history(tmp, bare)
    return [
        Row(
            "spawn to first shown window",
            app_ms,
            "ms",
            baseline=f"bare QMainWindow {bare_ms:.0f} ms",
        ),
        Row(
            "start ratio app / same-shape plain window",
            app_ms / starts["same"],
            "x",
            target="<= 1.25",
            baseline=f"same-shape {starts['same']:.0f} ms, measured in the same rounds",
        ),
        Row("start ratio app / bare window", app_ms / bare_ms, "x"),
        Row(
            "start ratio same-shape plain window / bare",
            starts["same"] / bare_ms,
            "x",
            baseline=f"{starts['same']:.0f} ms; no app code (same_shape_window.py)",
        ),
        Row(
            "start ratio same-shape plain window, no shortcuts / bare",
            starts["same_no_shortcuts"] / bare_ms,
            "x",
            baseline=f"{starts['same_no_shortcuts']:.0f} ms",
        ),
        Row("idle memory (peak RSS)", app_mb, "MB", baseline=f"bare QMainWindow {bare_mb:.0f} MB"),
        Row("idle memory over bare window", app_mb - bare_mb, "MB", target="< 30"),
        Row(
            "idle memory of the same-shape plain window over bare",
            idle["same"].peak_rss_mb - bare_mb,
            "MB",
        ),
        Row("keystroke to rendered validation, median", key_median, "ms"),
        Row("keystroke to rendered validation, p99 (10 rows)", key_p99, "ms", target="< 4"),
        Row(
            "longest event-loop stall during a 10 s wait",
            stall_ms,
            "ms",
            target="< 50",
            baseline=f"{beats:.0f} heartbeats of 5 ms",
        ),
        Row(
            "start with 100,000 history records over empty",
            big_start,
            "ms",
            target="< 50",
        ),
        Row(
            "idle memory with 100,000 history records over empty",
            big_idle,
            "MB",
            target="< 20",
        ),
    ]


def _with_big_history(tmp: str, bare: Path) -> tuple[float, float]:
    """The window on an empty history and on a 100,000-record one, same run."""
    from bench_history import build

    big_data = Path(tmp) / "big-data"
    big_data.mkdir()
    from flowsery_gui import paths

    build(big_data / paths.HISTORY_FILE_NAME, 100_000)
    empty_env = _env(os.path.join(tmp, "empty"))
    big_env = dict(empty_env, FLOWSERY_GUI_DATA_DIR=str(big_data))
    smoke = [sys.executable, "-m", "flowsery_gui", "--smoke-test"]
    idle = [*smoke, "--idle-ms", "1500"]
    from common import peak_rss_kb, run_once

    empty_ms, big_ms, empty_kb, big_kb = [], [], [], []
    for _ in range(2):  # warm-up: bytecode and page cache
        run_once(smoke, empty_env)
        run_once(smoke, big_env)
    for _ in range(11):
        empty_ms.append(run_once(smoke, empty_env).wall_s * 1000)
        big_ms.append(run_once(smoke, big_env).wall_s * 1000)
    for _ in range(3):
        empty_kb.append(peak_rss_kb(idle, empty_env))
        big_kb.append(peak_rss_kb(idle, big_env))
    start_delta = statistics.median(big_ms) - statistics.median(empty_ms)
    idle_delta = (statistics.median(big_kb) - statistics.median(empty_kb)) / 1024
    return start_delta, idle_delta


if __name__ == "__main__":
    from common import print_table

    print_table(rows())
