"""The built-in sandbox as a collector with the window open and its Received view updating.

Run: python benchmarks/bench_received.py [--goals N]. The window (Sandbox profile, a tracking
plan open, so every goal is also checked against the plan; the Received tab in front) runs
in this process with its event loop; 8 client processes each keep one `http.client`
connection to the window's sandbox and POST goals back to back, all starting at the same
moment. A 5 ms heartbeat timer on the GUI thread records every gap.

- throughput: goals per second from the first request to the last answer (every answer a
  200). Target: at least 1,000 per second.
- the longest event-loop stall while the goals arrive and the Received view takes them in
  (heartbeat gap minus its 5 ms). Target: under 50 ms.
- the same burst with the Received tab not in front (the goals still collected, not drawn),
  in a process of its own: the floor this machine allows, for comparison.
- and that the view caught up: rows shown (the sandbox keeps the newest 10,000; the view
  says how many older ones it dropped).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row, print_table

CLIENTS = 8
GOALS = 16_000
HEARTBEAT_MS = 5

CLIENT = """
import http.client, json, sys, time
port, key, count, index = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
start = float(sys.argv[5])
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
time.sleep(max(0.0, start - time.time()))
first = time.time()
ok = failed = 0
for number in range(count):
    goal = {
        "name": "newsletter_signup",
        "visitorUid": f"visitor-{index}-{number}",
        "metadata": {"plan": "pro" if number % 10 else "Pro", "source": "footer"},
    }
    connection.request("POST", "/api/v1/goals", body=json.dumps(goal), headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status == 200:
        ok += 1
    else:
        failed += 1
print(first, time.time(), ok, failed)
"""

PLAN = """\
plan: bench-site
goals:
  newsletter_signup:
    description: A visitor subscribed.
    metadata:
      plan:   { required: true, enum: [free, pro, team] }
      source: { enum: [footer, popup] }
"""


def measure(total: int, shown: bool = True) -> dict[str, float]:
    """Run the window, the clients and the heartbeat; the figures. `shown`: the Received
    tab in front (else the Response tab: the goals are still collected, not drawn)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = tempfile.mkdtemp(prefix="bench-received-")
    os.environ["FLOWSERY_GUI_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["FLOWSERY_GUI_CONFIG_DIR"] = os.path.join(tmp, "config")
    os.environ.pop("FLOWSERY_API_KEY", None)
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow

    ctx = AppContext(QSettings(os.path.join(tmp, "bench.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    window.resize(1400, 1000)
    ctx.target.set_profile("Sandbox")
    window.show()
    window._after_show()
    plan = Path(tmp) / "bench.plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    ctx.plans.open(str(plan))
    deadline = time.time() + 30
    while (ctx.plans.plan is None or ctx.received.server is None) and time.time() < deadline:
        app.processEvents()
        time.sleep(0.005)
    server = ctx.target.sandbox
    assert server is not None and ctx.plans.plan is not None, "the sandbox or plan is not up"
    panel = window.plan_flow.received_panel()
    if shown:
        window.plan_flow.show_received()
    port = server.address[1]
    share = total // CLIENTS
    start = time.time() + 1.0
    clients = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CLIENT,
                str(port),
                server.api_key,
                str(share),
                str(i),
                str(start),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(CLIENTS)
    ]
    gaps: list[float] = []
    last = [time.perf_counter()]
    measuring = [False]

    def beat() -> None:
        now = time.perf_counter()
        if measuring[0]:
            gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    expected = share * CLIENTS
    model = ctx.received.model

    def check() -> None:
        if not measuring[0] and time.time() >= start:
            measuring[0] = True
            last[0] = time.perf_counter()
        done = all(client.poll() is not None for client in clients)
        if done and model.rowCount() + model.dropped >= expected:  # every goal accounted for
            app.exit(0)

    watcher = QTimer()
    watcher.setInterval(20)
    watcher.timeout.connect(check)
    watcher.start()
    QTimer.singleShot(300_000, lambda: app.exit(1))  # never hang a benchmark run
    app.exec()
    heartbeat.stop()
    watcher.stop()
    outputs = [client.communicate()[0].split() for client in clients]
    firsts = [float(o[0]) for o in outputs]
    lasts = [float(o[1]) for o in outputs]
    ok = sum(int(o[2]) for o in outputs)
    failed = sum(int(o[3]) for o in outputs)
    span = max(lasts) - min(firsts)
    ctx.received.drain()
    summary = panel.summary.text()
    rows = ctx.received.model.rowCount()
    window.close()
    print(f"# {'shown' if shown else 'not shown'}: {summary}", file=sys.stderr)
    return {
        "rate": ok / span if span > 0 else float("nan"),
        "ok": ok,
        "failed": failed,
        "stall": (max(gaps) * 1000 - HEARTBEAT_MS) if gaps else float("nan"),
        "beats": len(gaps),
        "rows": rows,
        "dropped": ctx.received.model.dropped,
    }


def rows(total: int = GOALS) -> list[Row]:
    """The figures, as rows of the benchmarks table."""
    got = measure(total)
    hidden = _in_child(total)
    return [
        Row(
            "collector with the window open, 8 clients, goals per second",
            got["rate"],
            "goals/s",
            target=">= 1000",
            baseline=f"{got['ok']:.0f} answered 200, {got['failed']:.0f} not; plan checked",
        ),
        Row(
            "longest event-loop stall while the Received view updates",
            got["stall"],
            "ms",
            target="< 50",
            baseline=f"{got['beats']:.0f} heartbeats of {HEARTBEAT_MS} ms",
        ),
        Row(
            "longest event-loop stall, same burst, Received view not in front",
            hidden["stall"],
            "ms",
            baseline=f"{hidden['rate']:.0f} goals/s; the floor on this machine, for comparison",
        ),
        Row(
            "rows in the Received view at the end",
            got["rows"],
            "rows",
            baseline=f"the sandbox keeps 10,000; {got['dropped']:.0f} older ones dropped, said",
        ),
    ]


def _in_child(total: int) -> dict[str, float]:
    """`measure(total, shown=False)` in a fresh process (one QApplication per process)."""
    import json

    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_received as b; "
        "print(json.dumps(b.measure(int(sys.argv[2]), shown=False)))"
    )
    here = str(Path(__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-c", code, here, str(total)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=GOALS)
    print_table(rows(parser.parse_args().goals))
