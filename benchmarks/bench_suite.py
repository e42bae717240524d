"""`flowsery-goal run` on a 100-goal suite, against newman running the same Postman collection.

Both POST the same 100 goals to one in-process sandbox, check each status, and write a
JUnit report, whole process each time (spawn to exit), interleaved round by round in the
same run. Targets: flowsery at most 0.25x newman's median wall time and at most 0.35x its
peak memory. newman comes from the npm registry (`npm install newman@6`, into a folder
under the temp dir, kept between runs).

Run: python benchmarks/bench_suite.py [--runs N] [--newman PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import Row, print_table, time_commands

from flowsery_gui.contract import GOALS_PATH
from flowsery_gui.sandbox import SandboxServer

GOALS = 100
RUNS = 5
WARMUPS = 1
TIME_RATIO = 0.25
MEMORY_RATIO = 0.35
NEWMAN_VERSION = "6"


def write_suite(folder: Path) -> Path:
    """A suite of GOALS goals, each with two metadata keys and a status check."""
    lines = ["suite: bench", "goals:"]
    for i in range(GOALS):
        lines += [
            f"  - name: bench_goal_{i}",
            f"    metadata: {{ plan: pro, step: '{i}' }}",
            "    expect: { status: 200 }",
        ]
    path = folder / "bench.suite.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_collection(folder: Path, url: str) -> Path:
    """The equivalent Postman collection (v2.1): the same POSTs, the same status test."""
    items = []
    for i in range(GOALS):
        body = {"name": f"bench_goal_{i}", "metadata": {"plan": "pro", "step": str(i)}}
        items.append(
            {
                "name": f"bench_goal_{i}",
                "event": [
                    {
                        "listen": "test",
                        "script": {
                            "type": "text/javascript",
                            "exec": ["pm.test('status', () => pm.response.to.have.status(200));"],
                        },
                    }
                ],
                "request": {
                    "method": "POST",
                    "header": [
                        {"key": "Authorization", "value": "Bearer {{apiKey}}"},
                        {"key": "Content-Type", "value": "application/json"},
                    ],
                    "body": {"mode": "raw", "raw": json.dumps(body)},
                    "url": url + GOALS_PATH,
                },
            }
        )
    collection = {
        "info": {
            "name": "bench",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    }
    path = folder / "bench.postman_collection.json"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def find_newman(given: str | None) -> Path | None:
    """newman's script: the one given, else one installed under the temp dir (installed
    there from the npm registry when missing)."""
    if given:
        return Path(given)
    prefix = Path(tempfile.gettempdir()) / "flowsery-bench-newman"
    script = prefix / "node_modules" / "newman" / "bin" / "newman.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        return None
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", f"newman@{NEWMAN_VERSION}"],
        cwd=prefix,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    return script if script.exists() else None


def main() -> None:
    """Print the table of figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--newman", help="path to newman's bin/newman.js")
    args = parser.parse_args()
    node = shutil.which("node")
    newman = find_newman(args.newman)
    with tempfile.TemporaryDirectory() as tmp, SandboxServer() as sandbox:
        folder = Path(tmp)
        suite = write_suite(folder)
        collection = write_collection(folder, sandbox.url)
        env = {
            "FLOWSERY_API_KEY": sandbox.api_key,
            "FLOWSERY_GUI_DATA_DIR": str(folder / "data"),
            "FLOWSERY_GUI_CONFIG_DIR": str(folder / "config"),
            "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        }
        flowsery = [sys.executable, "-m", "flowsery_gui.suites.commands", "run", str(suite)]
        flowsery += ["--base-url", sandbox.url, "--junit", str(folder / "flowsery.xml")]
        commands = {"flowsery-goal run": flowsery}
        if node and newman:
            commands["newman run"] = [
                node,
                str(newman),
                "run",
                str(collection),
                "--env-var",
                f"apiKey={sandbox.api_key}",
                "--reporters",
                "junit",
                "--reporter-junit-export",
                str(folder / "newman.xml"),
            ]
        results = time_commands(commands, runs=args.runs, warmups=WARMUPS, env=env)
    ours = results["flowsery-goal run"]
    rows = [
        Row("flowsery-goal run, 100 goals: wall (median)", ours.median_ms, "ms"),
        Row("flowsery-goal run, 100 goals: peak memory", ours.peak_rss_mb, "MB"),
    ]
    theirs = results.get("newman run")
    if theirs is None:
        print("newman not found (no node or npm): only flowsery's own figures.", file=sys.stderr)
    else:
        rows += [
            Row("newman run, 100 goals: wall (median)", theirs.median_ms, "ms"),
            Row("newman run, 100 goals: peak memory", theirs.peak_rss_mb, "MB"),
            Row(
                "wall time vs newman",
                ours.median_ms / theirs.median_ms,
                "x",
                f"<= {TIME_RATIO}",
                f"newman {theirs.median_ms:.0f} ms",
            ),
            Row(
                "peak memory vs newman",
                ours.peak_rss_mb / theirs.peak_rss_mb,
                "x",
                f"<= {MEMORY_RATIO}",
                f"newman {theirs.peak_rss_mb:.0f} MB",
            ),
        ]
    failed = {label: r.failures for label, r in results.items() if r.failures}
    if failed:
        print(f"runs that exited non-zero: {failed}", file=sys.stderr)
    print_table(rows)


if __name__ == "__main__":
    main()
