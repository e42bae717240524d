"""Run every benchmark of the project and print one table of figures.

Usage: python benchmarks/run.py [NAME ...]     e.g. `python benchmarks/run.py validate cli_send`

Each `benchmarks/bench_NAME.py` either exposes `rows() -> list[Row]` (and optionally
`notes() -> list[str]`), or prints `name<TAB>value<TAB>unit[<TAB>target]` lines when run as a
script; both kinds land in the same table. Figures are never pass/fail tests: the exit status
is 1 only when a benchmark itself crashed.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from common import ROOT, Row, print_table

HERE = Path(__file__).resolve().parent
PRINTED_TIMEOUT_S = 1800


def discover() -> dict[str, Path]:
    """Every benchmark script, by short name (`bench_validate.py` -> `validate`)."""
    return {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}


def has_rows_function(path: Path) -> bool:
    """True when the script defines a top-level `rows()`; read, not imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return any(isinstance(node, ast.FunctionDef) and node.name == "rows" for node in tree.body)


def parse_printed(short: str, text: str) -> tuple[list[Row], list[str]]:
    """Rows from `name<TAB>value<TAB>unit[<TAB>target]` lines; other lines become notes."""
    rows: list[Row] = []
    notes: list[str] = []
    for line in text.splitlines():
        parts = line.split("\t")
        try:
            value = float(parts[1]) if len(parts) >= 3 else None
        except ValueError:
            value = None
        if value is None:
            if line.strip():
                notes.append(f"{short}: {line}")
            continue
        name = parts[0].strip()
        if not name.startswith(short):
            name = f"{short}_{name}"
        target = parts[3].strip() if len(parts) > 3 else ""
        rows.append(Row(name, value, parts[2].strip(), target))
    return rows, notes


def run_printed(short: str, path: Path) -> tuple[list[Row], list[str]]:
    """Run a print-only benchmark as a script and read its lines."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    done = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=PRINTED_TIMEOUT_S,
        check=False,
    )
    rows, notes = parse_printed(short, done.stdout)
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    return rows, notes


def run_module(short: str, path: Path) -> tuple[list[Row], list[str]]:
    """Import a benchmark that exposes rows() and call it."""
    module = importlib.import_module(path.stem)
    rows = list(module.rows())
    notes = [f"{short}: {note}" for note in getattr(module, "notes", list)()]
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default) and print one table."""
    found = discover()
    parser = argparse.ArgumentParser(description="Run the project's benchmarks; print one table.")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (of: {', '.join(found)})")
    args = parser.parse_args(argv)
    wanted = [name.removeprefix("bench_").removesuffix(".py") for name in args.names] or list(found)
    unknown = [name for name in wanted if name not in found]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(found)}")

    all_rows: list[Row] = []
    all_notes: list[str] = []
    crashed = False
    for short in wanted:
        path = found[short]
        began = time.perf_counter()
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        try:
            if has_rows_function(path):
                rows, notes = run_module(short, path)
            else:
                rows, notes = run_printed(short, path)
        except (
            Exception
        ) as exc:  # last-resort boundary: one broken benchmark must not hide the rest
            crashed = True
            traceback.print_exc(file=sys.stderr)
            rows, notes = (
                [Row(f"{short}_crashed", float("nan"), "", "", "", "ERROR")],
                [f"{short}: {type(exc).__name__}: {exc}"],
            )
        print(f"  {path.name}: {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
        all_rows += rows
        all_notes += notes

    print_table(all_rows)
    for note in all_notes:
        print(note)
    misses = [row.name for row in all_rows if row.judged().verdict == "MISS"]
    if misses:
        print(f"{len(misses)} figure(s) miss their target: {', '.join(misses)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
