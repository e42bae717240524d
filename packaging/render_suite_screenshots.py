"""Render the Suites tab (issue 12) to PNG: idle, in the middle of a run, finished with failures.

    python packaging/render_suite_screenshots.py [OUT_DIR]

Called by `render_screenshots.py` with its window; run alone, it makes its own (an untouched
form). Each state is written at 800x600 and 1400x1000 (`suites-idle-800.png`, …), the past
runs at 1400x1000. The run goes to the embedded sandbox; it is held halfway while the middle
of the run is pictured, then Goal > Sandbox Fault > 500 makes the rest fail.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = ((800, 600), (1400, 1000))
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

SUITE = """\
# The checks QA runs before each campaign (rendered for the README).
suite: campaign checks
plan: acme.plan.yaml
ids: fresh
goals:
  - title: newsletter signup from the footer
    name: newsletter_signup
    metadata: { plan: pro, source: footer }
  - title: newsletter signup from the popup
    name: newsletter_signup
    metadata: { plan: team, source: popup }
    expect: { status: 200, message: created }
  - title: checkout with each currency
    name: checkout_completed
    metadata: { value: "49.00" }
    rows: checkout-rows.csv
  - title: an unknown plan is caught by the tracking plan
    name: newsletter_signup
    metadata: { plan: enterprise }
    expect: { plan: violations }
  - title: an uppercase name is refused before sending
    name: Newsletter Signup
    expect: { refused: true }
  - title: the server rejects a non-string value
    body: '{"name": "raw_case", "metadata": {"n": 1}}'
    expect: { status: 400, message: metadata }
  - title: demo requested from the contact page
    name: demo_requested
    metadata: { company: Acme Corp, page: "https://acme.example/contact" }
  - title: demo requested from the pricing page
    name: demo_requested
    metadata: { company: Globex, page: "https://acme.example/pricing" }
  - title: a checkout without a currency is caught
    name: checkout_completed
    metadata: { value: "12.00" }
    expect: { plan: violations }
  - title: a request without a goal name is a client error
    body: '{"metadata": {"plan": "pro"}}'
    expect: { status: 4xx }
"""

HOLD_AT = 6  # goals done when the middle of the run is pictured


def write_suite(folder: Path) -> Path:
    """The suite the pictures show, beside copies of the example plan and CSV rows."""
    for name in ("acme.plan.yaml", "checkout-rows.csv"):
        shutil.copy(EXAMPLES / name, folder / name)
    path = folder / "campaign.suite.yaml"
    path.write_text(SUITE, encoding="utf-8")
    return path


def render(window: Any, out: Path, settle: Callable[[int], None], suffix: str = "") -> list[Path]:
    """Open the suite in `window`, run it, and write the pictures; returns their paths."""
    written: list[Path] = []
    folder = Path(tempfile.mkdtemp(prefix="flowsery-suite-shots-"))
    suite = write_suite(folder)
    ctx = window.ctx

    def wait(condition: Callable[[], bool], limit_ms: int = 20000) -> None:
        waited = 0
        while not condition() and waited < limit_ms:
            settle(50)
            waited += 50

    def shots(state: str, before: Callable[[], None] | None = None, sizes: Any = SIZES) -> None:
        for width, height in sizes:
            window.resize(width, height)
            if before is not None:
                before()
            settle(250)
            path = out / f"suites-{state}-{width}{suffix}.png"
            window.grab().save(str(path))
            written.append(path)
            print(path)

    window.suite_flow.open_paths([str(suite)])
    wait(lambda: bool(ctx.suites.files.suites))
    panel = window.tabs.show_lazy_tab("Suites")
    wait(lambda: panel.model.rowCount() > 0)
    shots("idle")

    # The run is held on its worker after HOLD_AT goals while the middle of it is pictured
    # (the sandbox answers in a few ms: unheld, the run is over before a picture is taken).
    runs, hold = ctx.suites.runs, threading.Event()
    post = runs._post

    def held_post(progress: Any) -> None:
        post(progress)
        if progress.done == HOLD_AT:
            hold.wait(30)

    runs._post = held_post
    try:
        panel.run_all()
        wait(lambda: panel.bar.progress.value() >= HOLD_AT)
        panel.table.selectRow(1)
        shots("running")
        window.fault_menu.chosen.emit("status=500")  # Goal > Sandbox Fault > 500 Server error
    finally:
        hold.set()
        runs._post = post
    wait(lambda: not runs.running, 60000)
    window.fault_menu.chosen.emit("")
    panel.failed_first.setChecked(True)
    panel.table.selectRow(0)
    shots("failures", lambda: panel.table.selectRow(0))
    panel.inner.setCurrentWidget(panel.past)
    wait(lambda: panel.past.runs.rowCount() > 0)
    panel.past.runs_table.selectRow(0)
    wait(lambda: panel.past.goals.rowCount() > 0)
    panel.past.goals_table.selectRow(7)
    shots("past-runs", sizes=SIZES[-1:])
    panel.inner.setCurrentIndex(0)
    shutil.rmtree(folder, ignore_errors=True)
    return written


def main(argv: list[str]) -> int:
    """Render the Suites tab in a window of its own."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = tempfile.mkdtemp(prefix="flowsery-shots-")
    os.environ["FLOWSERY_GUI_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["FLOWSERY_GUI_CONFIG_DIR"] = os.path.join(tmp, "config")
    out = Path(argv[0]) if argv else Path(__file__).parent / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")  # type: ignore[attr-defined]

    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow

    ctx = AppContext(QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    ctx.target.set_profile("Sandbox")
    window.resize(*SIZES[-1])
    window.show()
    window._after_show()

    def settle(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    settle(300)
    render(window, out, settle)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
