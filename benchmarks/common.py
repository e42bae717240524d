"""Shared helpers for the benchmark scripts: timing, peak memory of a child, the table.

Benchmarks print figures; they are never run by pytest and assert nothing.
"""

from __future__ import annotations

import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py` from anywhere, no install needed
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Row:
    """One figure of the benchmarks table."""

    name: str
    value: float
    unit: str
    target: str = ""  # e.g. "< 50" or "<= 0.6"; empty when the figure is context only
    baseline: str = ""  # what to compare it with, e.g. "httpie 412 ms"
    verdict: str = ""  # left empty to have it worked out from the target

    def judged(self) -> Row:
        """This row with its verdict worked out from the target when none was given."""
        if self.verdict or not self.target:
            return self
        return Row(self.name, self.value, self.unit, self.target, self.baseline, judge(self))


_TARGET = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([-+0-9.eE]+)\s*$")


def judge(row: Row) -> str:
    """`ok` or `MISS` for a target such as `< 50`; empty when the target is not a comparison."""
    match = _TARGET.match(row.target)
    if not match or math.isnan(row.value):
        return ""
    op, limit = match.group(1), float(match.group(2))
    passed = {
        "<": row.value < limit,
        "<=": row.value <= limit,
        "≤": row.value <= limit,
        ">": row.value > limit,
        ">=": row.value >= limit,
        "≥": row.value >= limit,
    }[op]
    return "ok" if passed else "MISS"


@dataclass(frozen=True)
class Timing:
    """Repeated timings of one callable, in nanoseconds."""

    samples_ns: tuple[int, ...]

    @property
    def median_us(self) -> float:
        """Median in microseconds."""
        return statistics.median(self.samples_ns) / 1000

    @property
    def p99_us(self) -> float:
        """99th percentile in microseconds (nearest rank)."""
        ordered = sorted(self.samples_ns)
        rank = max(0, math.ceil(0.99 * len(ordered)) - 1)
        return ordered[rank] / 1000


def time_callable(action: Callable[[], object], repeat: int = 5000, warmup: int = 500) -> Timing:
    """Time `action` once per sample with perf_counter_ns, after a warm-up."""
    for _ in range(warmup):
        action()
    clock = time.perf_counter_ns
    samples = []
    for _ in range(repeat):
        began = clock()
        action()
        samples.append(clock() - began)
    return Timing(tuple(samples))


@dataclass(frozen=True)
class Run:
    """One whole process run: wall time and exit status."""

    wall_s: float
    returncode: int


def run_once(
    argv: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Run:
    """Run a command to its end with its output discarded; wall time from spawn to reaped."""
    began = time.perf_counter()
    done = subprocess.run(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        check=False,
    )
    return Run(time.perf_counter() - began, done.returncode)


GNU_TIME = "/usr/bin/time"
# Fallback when GNU time is missing: a small Python parent that reaps the child with os.wait4.
# A child's ru_maxrss includes the memory of the process it was forked from (until exec), so
# the parent must be small: never the benchmark process itself. This one adds ~10 MB at most.
_WAIT4_WRAPPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss_kb(argv: Sequence[str], env: Mapping[str, str] | None = None) -> int:
    """Peak resident memory (kB) of one run of a command, measured by a tiny parent process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "maxrss"
        if Path(GNU_TIME).exists():
            wrapper = [GNU_TIME, "-f", "%M", "-o", str(out)]
        else:
            wrapper = [sys.executable, "-c", _WAIT4_WRAPPER, str(out)]
        run_once([*wrapper, *argv], env)
        # GNU time may write "Command exited with non-zero status N" before the figure.
        return int(out.read_text(encoding="utf-8").split()[-1])


@dataclass
class CommandTimes:
    """All runs of one command, and its peak memory."""

    label: str
    runs: list[Run] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        """Median wall time in milliseconds."""
        return statistics.median(r.wall_s for r in self.runs) * 1000

    @property
    def min_ms(self) -> float:
        """Fastest run in milliseconds."""
        return min(r.wall_s for r in self.runs) * 1000

    @property
    def peak_rss_mb(self) -> float:
        """Median of the measured peaks of resident memory, in MB."""
        return statistics.median(self.rss_kb) / 1024 if self.rss_kb else float("nan")

    @property
    def failures(self) -> int:
        """Runs that exited non-zero."""
        return sum(1 for r in self.runs if r.returncode != 0)


def time_commands(
    commands: Mapping[str, Sequence[str]],
    runs: int = 15,
    warmups: int = 2,
    env: Mapping[str, str] | None = None,
    rss_runs: int = 3,
) -> dict[str, CommandTimes]:
    """Run every command `runs` times, interleaved round by round so drift hits them alike.

    Peak memory is taken from `rss_runs` separate runs, so the wrapper that measures it adds
    nothing to the timed runs.
    """
    labels = list(commands)
    for _ in range(warmups):
        for label in labels:
            run_once(commands[label], env)
    results = {label: CommandTimes(label) for label in labels}
    for round_index in range(runs):
        shift = round_index % len(labels)  # rotate the order: no command always goes first
        for label in labels[shift:] + labels[:shift]:
            results[label].runs.append(run_once(commands[label], env))
    for _ in range(rss_runs):
        for label in labels:
            results[label].rss_kb.append(peak_rss_kb(commands[label], env))
    return results


def format_value(value: float) -> str:
    """A figure with sensible precision."""
    if math.isnan(value):
        return "n/a"
    if value == 0 or abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table, usable in a terminal and in a README alike."""
    header = ("name", "value", "unit", "target", "baseline", "verdict")
    body = [
        (r.name, format_value(r.value), r.unit, r.target, r.baseline, r.judged().verdict)
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = {1}  # numbers line up on the right

    def line(cells: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(b) for b in body)])


def print_table(rows: Sequence[Row]) -> None:
    """Print the rows as one table."""
    print(format_table(rows), flush=True)
