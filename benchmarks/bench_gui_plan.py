"""The window's keystroke figure with a tracking plan open, beside the same window without one.

The plan: 200 goals, each with 10 keys of every kind of constraint (enums, patterns, lengths,
a const); the form holds 10 metadata rows. Each figure is 500 timed keystrokes (after 100
untimed), a letter then a backspace, each followed by the validation, the marks and the
repaint; medians and p99 in ms. Every run in its own process, all in the same run.

- no plan: the goal name `goal_100` (the existing figure's keystrokes). Target p99 < 4.
- plan open, typing a goal name the plan does not know (`goal_1000`, `goal_1000a`): on every
  keystroke the plan's "did you mean" search runs over the 200 names and the warning's words
  change. Target p99 < 4.
- plan open, a planned goal (`goal_100`), typing its visitor ID: on every keystroke the goal's
  10 keys are checked against the plan. Target p99 < 4.
- a keystroke that makes a warning appear or disappear at the goal name: with the plan
  (`goal_100` planned, `goal_100a` not) and, for comparison, without one (`goal_100`,
  `goal_100A`, the API's own error). The form's layout moves under the message either way;
  context, not a target of the plan's.

Run: python benchmarks/bench_gui_plan.py   (or through benchmarks/run.py)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row

GOALS = 200

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
settings_file, plan_file, name, field, letter = sys.argv[1:6]
ctx = AppContext(QSettings(settings_file, QSettings.Format.IniFormat))
w = MainWindow(ctx); w.resize(1180, 760); w.show(); w._after_show()
if plan_file != "-":
    ctx.plans.open(plan_file)
    deadline = time.time() + 30
    while ctx.plans.plan is None and time.time() < deadline:
        app.processEvents(); time.sleep(0.005)
    assert ctx.plans.plan is not None, "the plan did not load"
rows = tuple((f"key_{i}", "pro" if i == 0 else f"value number {i}") for i in range(10))
draft = Draft(name=name, visitor_uid="visitor-1", timezone="Europe/Paris", metadata=rows)
w.form.load(draft, touched=True)
for _ in range(20):
    app.processEvents()
edit = w.form_panel.edits[field]
edit.setFocus()
edit.end(False)
samples = []
for i in range(600):
    t = time.perf_counter_ns()
    if i % 2 == 0:
        QTest.keyClicks(edit, letter)
    else:
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
    app.processEvents()  # the validation, the marks and the repaint
    samples.append(time.perf_counter_ns() - t)
plan_findings = sum(f.code.startswith("plan.") for f in w.form.report.findings)
samples = sorted(samples[100:])
print(statistics.median(samples) / 1e6, samples[int(len(samples) * 0.99) - 1] / 1e6, plan_findings)
w.close()
"""


def plan_text(goals: int = GOALS) -> str:
    """A plan of `goals` goals, each with 10 keys of every kind of constraint."""
    lines = ["plan: bench-site", "goals:"]
    for number in range(goals):
        lines += [
            f"  goal_{number}:",
            f"    description: Goal number {number}, fired by the bench site.",
            "    metadata:",
            "      key_0: { required: true, enum: [free, pro, team] }",
            "      key_1: { required: true, pattern: '^value number [0-9]+$' }",
            "      key_2: { minLength: 3, maxLength: 40 }",
            "      key_3: { enum: [value number 3, other] }",
            "      key_4: { pattern: '^[a-z ]+[0-9]$' }",
            "      key_5: { maxLength: 255 }",
            "      key_6: { const: value number 6 }",
            "      key_7: { minLength: 1 }",
            "      key_8: { pattern: '^value' }",
            "      key_9: { personal: true }",
        ]
    return "\n".join(lines) + "\n"


def _child(tmp: str, plan: str, name: str, field: str = "name", letter: str = "a") -> list[float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["FLOWSERY_GUI_DATA_DIR"] = os.path.join(tmp, "data")
    env["FLOWSERY_GUI_CONFIG_DIR"] = os.path.join(tmp, "config")
    env.pop("FLOWSERY_API_KEY", None)
    settings = os.path.join(tmp, f"bench-{time.monotonic_ns()}.ini")  # no plan remembered
    done = subprocess.run(
        [sys.executable, "-c", KEYSTROKES, settings, plan, name, field, letter],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return [float(x) for x in done.stdout.split()]


def rows() -> list[Row]:
    """Keystrokes with and without the plan, in the same run."""
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "bench.plan.yaml"
        plan.write_text(plan_text(), encoding="utf-8")
        bare = _child(tmp, "-", "goal_100")
        unknown = _child(tmp, str(plan), "goal_1000")
        planned = _child(tmp, str(plan), "goal_100", "visitorUid", "x")
        toggle_plan = _child(tmp, str(plan), "goal_100")
        toggle_api = _child(tmp, "-", "goal_100", "name", "A")
    return [
        Row("keystroke, no plan, median", bare[0], "ms"),
        Row("keystroke, no plan, p99", bare[1], "ms", target="< 4"),
        Row(
            "keystroke, 200-goal plan, a goal name it does not know, median",
            unknown[0],
            "ms",
            baseline=f"no plan {bare[0]:.2f} ms",
        ),
        Row(
            "keystroke, 200-goal plan, a goal name it does not know, p99",
            unknown[1],
            "ms",
            target="< 4",
            baseline=f"no plan {bare[1]:.2f} ms; did-you-mean over 200 names each time",
        ),
        Row("keystroke, 200-goal plan, a planned goal's visitor ID, median", planned[0], "ms"),
        Row(
            "keystroke, 200-goal plan, a planned goal's visitor ID, p99",
            planned[1],
            "ms",
            target="< 4",
            baseline=f"10 keys checked each time; {planned[2]:.0f} plan findings",
        ),
        Row(
            "keystroke that shows or hides the name's warning, plan, median",
            toggle_plan[0],
            "ms",
            baseline=f"same with the API's error, no plan: {toggle_api[0]:.2f} ms",
        ),
        Row(
            "keystroke that shows or hides the name's warning, plan, p99",
            toggle_plan[1],
            "ms",
            baseline=f"same with the API's error, no plan: {toggle_api[1]:.2f} ms",
        ),
    ]


if __name__ == "__main__":
    from common import print_table

    print_table(rows())
