"""`flowsery-goal send` as a whole process, against httpie and curl doing the same POST.

All three POST `{"name": "bench_goal"}` to an in-process sandbox, interleaved round by round,
in the same run. The target: flowsery at most 0.6x httpie's median wall time; curl is the
floor. When the target is missed, `python -X importtime` shows where start-up time goes.

Run: python benchmarks/bench_cli_send.py [--runs N] (or through benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from common import ROOT, CommandTimes, Row, print_table, time_commands

from flowsery_gui.contract import GOALS_PATH
from flowsery_gui.exchange import mask_key
from flowsery_gui.sandbox import SandboxServer

TARGET_RATIO = 0.6
RUNS = 15
WARMUPS = 2
IMPORT_RUNS = 5
GOAL_NAME = "bench_goal"

_notes: list[str] = []


def _sibling_script(name: str) -> str | None:
    """A console script installed beside this interpreter (not a pyenv shim, which adds ~50 ms)."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else None


def commands(url: str, key: str) -> dict[str, list[str]]:
    """The commands to compare, each doing the same POST."""
    goals = url + GOALS_PATH
    python = sys.executable
    found: dict[str, list[str]] = {
        "flowsery": [
            python,
            "-m",
            "flowsery_gui.cli",
            "send",
            "--name",
            GOAL_NAME,
            "--base-url",
            url,
        ],
    }
    script = _sibling_script("flowsery-goal")
    if script:
        found["flowsery_script"] = [script, "send", "--name", GOAL_NAME, "--base-url", url]
    http = _sibling_script("http")
    httpie = [http] if http else [python, "-m", "httpie"]
    found["httpie"] = [
        *httpie,
        "--ignore-stdin",
        "--check-status",
        "POST",
        goals,
        f"Authorization:Bearer {key}",
        f"name={GOAL_NAME}",
    ]
    curl = shutil.which("curl")
    if curl:
        found["curl"] = [
            curl,
            "-sS",
            "-f",
            "-o",
            os.devnull,
            "-H",
            f"Authorization: Bearer {key}",
            "-H",
            "Content-Type: application/json",
            "--data",
            f'{{"name": "{GOAL_NAME}"}}',
            goals,
        ]
    found["python_startup"] = [python, "-c", "pass"]
    return found


def _masked(text: str, key: str) -> str:
    return text.replace(key, mask_key(key))


def _check_works(label: str, argv: Sequence[str], env: Mapping[str, str], key: str) -> None:
    """Run a command once with its output kept: a figure of a failing command is meaningless."""
    done = subprocess.run(
        list(argv), env=dict(env), capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{label} failed (exit {done.returncode}):\n"
            f"{_masked(done.stdout, key)}\n{_masked(done.stderr, key)}"
        )


def import_breakdown(
    argv: Sequence[str], env: Mapping[str, str], top: int = 8
) -> list[tuple[str, float]]:
    """Median cumulative import time (ms) of the app's own modules and of every package root.

    Nested imports overlap (`flowsery_gui.client` includes `requests`): each figure answers
    "what would not loading this save".
    """
    per_module: dict[str, list[float]] = defaultdict(list)
    for _ in range(IMPORT_RUNS):
        done = subprocess.run(
            [argv[0], "-X", "importtime", *argv[1:]],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, raw_name = line[len("import time:") :].split("|")
            name = raw_name.strip()
            own = name.startswith("flowsery_gui.")
            if (own or "." not in name) and not name.startswith(("_", "encodings")):
                per_module[name].append(int(cumulative) / 1000)
    medians = {
        name: statistics.median(times + [0.0] * (IMPORT_RUNS - len(times)))
        for name, times in per_module.items()
    }
    return sorted(medians.items(), key=lambda item: item[1], reverse=True)[:top]


def rows(runs: int = RUNS) -> list[Row]:
    """Median wall time and peak memory of each command, and the flowsery/httpie ratio."""
    _notes.clear()
    sandbox = SandboxServer().start()
    scratch = tempfile.TemporaryDirectory(prefix="flowsery-bench-")
    try:
        env = {
            **os.environ,
            "FLOWSERY_API_KEY": sandbox.api_key,
            "PYTHONPATH": str(ROOT),
            # Whatever the CLI records (history, settings) goes to a scratch folder, never
            # into the real user's data.
            "FLOWSERY_GUI_DATA_DIR": os.path.join(scratch.name, "data"),
            "FLOWSERY_GUI_CONFIG_DIR": os.path.join(scratch.name, "config"),
            "XDG_CONFIG_HOME": os.path.join(scratch.name, "xdg-config"),
            "XDG_DATA_HOME": os.path.join(scratch.name, "xdg-data"),
        }
        env.pop("FLOWSERY_BASE_URL", None)
        cmds = commands(sandbox.url, sandbox.api_key)
        for label, argv in cmds.items():
            _check_works(label, argv, env, sandbox.api_key)
        times = time_commands(cmds, runs=runs, warmups=WARMUPS, env=env)
        breakdown = import_breakdown(cmds["flowsery"], env)
    finally:
        sandbox.stop()
        scratch.cleanup()
    return _rows_from(times, breakdown, runs)


def _rows_from(
    times: dict[str, CommandTimes], breakdown: list[tuple[str, float]], runs: int
) -> list[Row]:
    httpie = times["httpie"].median_ms
    curl = times["curl"].median_ms if "curl" in times else float("nan")
    flowsery = times["flowsery"].median_ms
    ratio = flowsery / httpie
    context = f"httpie {httpie:.0f} ms, curl {curl:.0f} ms"
    result = [
        Row("cli_send_flowsery_median", flowsery, "ms", "", context),
    ]
    if "flowsery_script" in times:
        result.append(
            Row("cli_send_flowsery_console_script_median", times["flowsery_script"].median_ms, "ms")
        )
    result += [
        Row("cli_send_httpie_median", httpie, "ms"),
        Row("cli_send_curl_median", curl, "ms", "", "the floor"),
        Row("python_startup_median", times["python_startup"].median_ms, "ms", "", "python -c pass"),
        Row(
            "cli_send_ratio_flowsery_to_httpie",
            ratio,
            "x",
            f"<= {TARGET_RATIO}",
            f"{runs} runs each",
        ),
        Row(
            "cli_send_ratio_fastest_runs",
            times["flowsery"].min_ms / times["httpie"].min_ms,
            "x",
            "",
            "less sensitive to load",
        ),
        Row("cli_send_flowsery_peak_rss", times["flowsery"].peak_rss_mb, "MB"),
        Row("cli_send_httpie_peak_rss", times["httpie"].peak_rss_mb, "MB"),
    ]
    if "curl" in times:
        result.append(Row("cli_send_curl_peak_rss", times["curl"].peak_rss_mb, "MB"))
    for package, ms in breakdown[:5]:
        label = package.replace(".", "_")
        result.append(Row(f"cli_send_import_{label}", ms, "ms", "", "python -X importtime"))
    failed = {label: t.failures for label, t in times.items() if t.failures}
    if failed:
        _notes.append(f"Some timed runs exited non-zero: {failed}; their times are still counted.")
    if ratio > TARGET_RATIO:
        slow = ", ".join(f"{p} {ms:.0f} ms" for p, ms in breakdown)
        _notes.append(
            f"MISS: flowsery-goal send takes {flowsery:.0f} ms, "
            f"{ratio:.2f}x httpie's {httpie:.0f} ms "
            f"(target <= {TARGET_RATIO}). Import times, cumulative (nested ones overlap): {slow}."
        )
    return result


def notes() -> list[str]:
    """What the last rows() call found worth saying beside the table."""
    return list(_notes)


def main() -> int:
    """Print the table (and the import breakdown when the target is missed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per command")
    args = parser.parse_args()
    print_table(rows(args.runs))
    for note in notes():
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
