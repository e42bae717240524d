"""The PyInstaller bundle: its size, and its `--smoke-test` start against the venv's.

Builds the bundle into `build/bundle/` (git-ignored) when it is missing or older than the
package sources or the spec, then times `flowsery-gui --smoke-test` from the bundle and
`python -m flowsery_gui --smoke-test` from this interpreter, interleaved round by round in the
same run, offscreen, with settings and history in a temp dir. Targets: size < 120 MB,
bundle median at most 1.2x the venv's.

Run: python benchmarks/bench_bundle.py [--runs N] [--rebuild] (or through benchmarks/run.py).
Needs PyInstaller (`pip install -e ".[package]"`).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from common import ROOT, Row, print_table, time_commands

SIZE_TARGET = "< 120"
RATIO_TARGET = "<= 1.2"
RUNS = 11
WARMUPS = 2
DIST = ROOT / "build" / "bundle"

_notes: list[str] = []


def _build_bundle_module() -> ModuleType:
    """packaging/build_bundle.py, loaded by path (`packaging` is also a PyPI package's name)."""
    name = "flowsery_build_bundle"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / "build_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _newest_source_mtime() -> float:
    """When the package sources or the packaging files last changed."""
    sources = [*(ROOT / "flowsery_gui").rglob("*"), *(ROOT / "packaging").glob("*.spec")]
    return max(
        path.stat().st_mtime
        for path in sources
        if path.is_file() and "__pycache__" not in path.parts
    )


def ensure_bundle(rebuild: bool = False) -> Path:
    """The bundle folder, built first when missing, stale or asked for."""
    bb = _build_bundle_module()
    bundle = DIST / bb.BUNDLE_NAME
    exe = bb.executable(bundle)
    stale = not exe.exists() or exe.stat().st_mtime < _newest_source_mtime()
    if rebuild or stale:
        print(f"building the bundle into {DIST} ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        bb.build(DIST)
        _notes.append(f"bundle built in this run: {time.perf_counter() - began:.0f} s")
    return bundle


def measure(runs: int = RUNS, rebuild: bool = False) -> list[Row]:
    """Size and smoke-test start of the bundle against the venv, same run."""
    bb = _build_bundle_module()
    bundle = ensure_bundle(rebuild)
    size = bb.size_mb(bundle)
    with tempfile.TemporaryDirectory(prefix="flowsery-bench-bundle-") as scratch:
        env = bb.smoke_environment(Path(scratch))
        times = time_commands(
            {
                "bundle": [str(bb.executable(bundle)), "--smoke-test"],
                "venv": [sys.executable, "-m", "flowsery_gui", "--smoke-test"],
            },
            runs=runs,
            warmups=WARMUPS,
            env=env,
        )
    bundle_ms, venv_ms = times["bundle"].median_ms, times["venv"].median_ms
    for label, result in times.items():
        if result.failures:
            _notes.append(f"{label}: {result.failures} of {len(result.runs)} runs exited non-zero")
    failed = any(result.failures for result in times.values())
    ratio = float("nan") if failed else bundle_ms / venv_ms
    _notes.append(
        f"medians of {runs} interleaved runs each, offscreen; bundle at {bundle}; "
        f"size = sum of file sizes, 10^6 bytes per MB"
    )
    return [
        Row("bundle_size", size, "MB", SIZE_TARGET),
        Row("bundle_smoke_start", bundle_ms, "ms", "", f"venv {venv_ms:.0f} ms"),
        Row("bundle_venv_smoke_start", venv_ms, "ms"),
        Row("bundle_smoke_ratio", ratio, "x", RATIO_TARGET, "python -m flowsery_gui"),
        Row(
            "bundle_smoke_peak_rss",
            times["bundle"].peak_rss_mb,
            "MB",
            "",
            f"venv {times['venv'].peak_rss_mb:.0f} MB",
        ),
    ]


def rows() -> list[Row]:
    """The figures for benchmarks/run.py."""
    return measure()


def notes() -> list[str]:
    """Remarks printed under the table."""
    return list(_notes)


def main(argv: list[str] | None = None) -> int:
    """Print the figures as a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per command ({RUNS})")
    parser.add_argument("--rebuild", action="store_true", help="build the bundle even if fresh")
    args = parser.parse_args(argv)
    print_table(measure(args.runs, args.rebuild))
    for note in _notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
