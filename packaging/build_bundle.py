"""Build the one-folder app with PyInstaller, check what went in, print its size, smoke-run it.

Usage: python packaging/build_bundle.py DIST [--work DIR] [--xvfb]

Builds `DIST/flowsery-gui/` from packaging/flowsery-goal-tester.spec with this interpreter
(which needs `pip install ".[package]"`), then checks the bundle holds every resource, the
modules the app loads after start-up and the Qt plugins it needs, and none of what the spec
leaves out. Then runs `DIST/flowsery-gui/flowsery-gui --smoke-test` offscreen (and, with
--xvfb, on a virtual X server too). Exits non-zero when the build, a check or a run fails.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "flowsery-goal-tester.spec"
RESOURCES = ROOT / "flowsery_gui" / "resources"
BUNDLE_NAME = "flowsery-gui"
CONTENTS_DIR = "_internal"  # PyInstaller 6's default contents_directory
SIZE_TARGET_MB = 120
BUILD_TIMEOUT_S = 1800
SMOKE_TIMEOUT_S = 120

# Loaded after the first paint or on first use, so a smoke run alone would not notice them
# missing: checked by name in the bundle's archive instead.
REQUIRED_MODULES = (
    "flowsery_gui.ui.app",
    "requests",
    "certifi",
    "keyring.backends.chainer",
    "nh3",
    "platformdirs",
    "sqlite3",
    "zoneinfo",
    # The window opens tracking plans and goal suites, and deletes test goals (issues 11-13).
    "flowsery_gui.plan.engine",
    "flowsery_gui.suites.runner",
    "flowsery_gui.cleanup.runner",
    "jsonschema",
    "ruamel.yaml",
    "re2",
)
REQUIRED_MODULES_BY_OS = {
    "linux": ("keyring.backends.SecretService", "secretstorage", "jeepney"),
    "win32": ("keyring.backends.Windows",),
    "darwin": ("keyring.backends.macOS",),
}
LANGUAGES = ("de", "fr", "es", "pt_BR", "ja")
# Globs under the contents folder, `|` between alternatives. The SVG engine draws every icon;
# the platform plugins are how Qt reaches a screen (an offscreen run proves only that one).
REQUIRED_FILES = (
    "*/plugins/iconengines/*qsvgicon*",
    "*/plugins/imageformats/*qsvg*",
    "*/plugins/platforms/*qoffscreen*",
    "certifi/cacert.pem",
    # flowsery_gui.version() reads the package metadata, from an install or a checkout.
    "flowsery_goal_tester-*.dist-info/METADATA|flowsery_goal_tester.egg-info/PKG-INFO",
    "keyring-*.dist-info/entry_points.txt",  # how keyring finds its backends
    # A tracking plan's schemas are checked against the 2020-12 metaschema (issue 11).
    "jsonschema_specifications/schemas/draft202012/metaschema.json",
    # The app's languages: its own catalogues, and Qt's strings for standard buttons and dialogs.
    *(f"flowsery_gui/i18n/locale/{lang}/LC_MESSAGES/flowsery.mo" for lang in LANGUAGES),
    *(f"*/translations/qtbase_{lang}.qm" for lang in LANGUAGES),
)
REQUIRED_FILES_BY_OS = {
    "linux": ("*/plugins/platforms/*qxcb*", "*/plugins/platforms/*qwayland*"),
    "win32": ("*/plugins/platforms/*qwindows*",),
    "darwin": ("*/plugins/platforms/*qcocoa*",),
}
FORBIDDEN_FILES = (
    "*gtk*",
    "*Qt6Quick*",
    "*Qt6Qml*",
    "*Qt6Network*",
    "*Qt6Pdf*",
    "*WebEngine*",
    "*/plugins/platformthemes/*gtk*",
    "*.dist-info/direct_url.json",  # would carry the build machine's checkout path
)
FORBIDDEN_MODULES = ("tkinter", "_tkinter", "gi", "pytest", "_pytest", "hypothesis")


@dataclass(frozen=True)
class SmokeResult:
    """One `--smoke-test` run of the bundle."""

    returncode: int
    output: str
    wall_s: float


def platform_key() -> str:
    """`linux`, `win32` or `darwin`: the keys of the per-OS tables."""
    return "linux" if sys.platform.startswith("linux") else sys.platform


def executable(bundle: Path) -> Path:
    """The app's executable inside a one-folder bundle."""
    return bundle / (f"{BUNDLE_NAME}.exe" if sys.platform == "win32" else BUNDLE_NAME)


def build(dist: Path, work: Path | None = None) -> Path:
    """Run PyInstaller on the spec; returns the bundle folder. Raises CalledProcessError."""
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pyinstaller-work-") as scratch:
        command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
        command += ["--distpath", str(dist), "--workpath", str(work or scratch), str(SPEC)]
        # Not run from the checkout: its own folder would come first on sys.path, and the
        # package metadata would be read from a stale in-tree *.egg-info over the install's.
        subprocess.run(command, check=True, cwd=scratch, timeout=BUILD_TIMEOUT_S)
    return dist / BUNDLE_NAME


def files_in(bundle: Path) -> Iterator[Path]:
    """Every regular file of the bundle; symlinks are not followed nor counted."""
    for folder, _dirs, names in os.walk(bundle):
        for name in names:
            path = Path(folder, name)
            if not path.is_symlink():
                yield path


def size_bytes(bundle: Path) -> int:
    """The bundle's size: the sum of its files' sizes, as an archive of it would hold."""
    return sum(path.stat().st_size for path in files_in(bundle))


def size_mb(bundle: Path) -> float:
    """The bundle's size in MB (10^6 bytes)."""
    return size_bytes(bundle) / 1e6


def archived_modules(bundle: Path) -> set[str]:
    """Module names in the executable's embedded archives (PYZ and the PKG around it)."""
    from PyInstaller.archive.readers import pkg_archive_contents

    return set(pkg_archive_contents(str(executable(bundle))))


def check_contents(bundle: Path) -> list[str]:
    """What is missing from the bundle or should not be there, in plain words; empty if fine."""
    contents = bundle / CONTENTS_DIR
    shipped = {path.relative_to(contents).as_posix() for path in files_in(contents)}
    problems = []
    for path in sorted(RESOURCES.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if path.is_file() and relative not in shipped:
            problems.append(f"missing resource {relative}")
    key = platform_key()
    for alternatives in (*REQUIRED_FILES, *REQUIRED_FILES_BY_OS.get(key, ())):
        if not any(fnmatch.filter(shipped, glob) for glob in alternatives.split("|")):
            problems.append(f"missing file {alternatives}")
    for pattern in FORBIDDEN_FILES:
        found = fnmatch.filter(shipped, pattern)
        problems += [f"left-out part is in the bundle: {name}" for name in found]
    modules = archived_modules(bundle) | {
        name.split("/")[0] for name in shipped if name.endswith((".so", ".pyd"))
    }
    for name in (*REQUIRED_MODULES, *REQUIRED_MODULES_BY_OS.get(key, ())):
        if name not in modules:
            problems.append(f"missing module {name}")
    for name in FORBIDDEN_MODULES:
        if name in modules:
            problems.append(f"left-out module is in the bundle: {name}")
    return problems


def smoke_environment(scratch: Path, platform: str = "offscreen") -> dict[str, str]:
    """This environment for a smoke run: a given Qt platform, settings and history in scratch."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        QT_QPA_PLATFORM=platform,
        FLOWSERY_GUI_DATA_DIR=str(scratch / "data"),
        FLOWSERY_GUI_CONFIG_DIR=str(scratch / "config"),
    )
    env.pop("FLOWSERY_API_KEY", None)
    return env


def smoke(
    argv: list[str], env: Mapping[str, str], cwd: Path, timeout_s: float = SMOKE_TIMEOUT_S
) -> SmokeResult:
    """Run a `--smoke-test` command once; output is stdout and stderr together."""
    began = time.perf_counter()
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(env),
            cwd=cwd,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return SmokeResult(-1, f"no exit after {timeout_s:.0f} s", time.perf_counter() - began)
    return SmokeResult(done.returncode, done.stdout.strip(), time.perf_counter() - began)


def smoke_runs(bundle: Path, xvfb: bool) -> list[tuple[str, SmokeResult]]:
    """The bundle's smoke test offscreen, and on a virtual X server when asked."""
    command = [str(executable(bundle)), "--smoke-test"]
    results = []
    with tempfile.TemporaryDirectory(prefix="flowsery-smoke-") as scratch:
        where = Path(scratch)
        results.append(("offscreen", smoke(command, smoke_environment(where), where)))
        if xvfb:
            wrapper = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"]
            result = smoke([*wrapper, *command], smoke_environment(where, "xcb"), where)
            results.append(("xcb on Xvfb", result))
    return results


def main(argv: list[str] | None = None) -> int:
    """Build, check, measure and smoke-run the bundle; 0 only when all of it worked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="folder to build into (gets flowsery-gui/)")
    parser.add_argument("--work", type=Path, help="PyInstaller work folder (default: a temp one)")
    parser.add_argument(
        "--xvfb", action="store_true", help="also smoke-run with the xcb plugin under xvfb-run"
    )
    args = parser.parse_args(argv)
    if args.xvfb and shutil.which("xvfb-run") is None:
        parser.error("--xvfb needs xvfb-run (Debian: xvfb xauth)")

    began = time.perf_counter()
    try:
        bundle = build(args.dist.resolve(), args.work)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"build: {time.perf_counter() - began:.0f} s")

    mb = size_mb(bundle)
    verdict = "ok" if mb < SIZE_TARGET_MB else "over target"
    print(f"bundle size: {mb:.1f} MB ({verdict}: target < {SIZE_TARGET_MB} MB) at {bundle}")

    failed = False
    problems = check_contents(bundle)
    for problem in problems:
        print(f"contents: {problem}", file=sys.stderr)
    failed |= bool(problems)
    print("contents: " + ("FAILED" if problems else "ok"))

    for label, result in smoke_runs(bundle, args.xvfb):
        print(f"smoke test ({label}): exit {result.returncode}, {result.wall_s:.2f} s")
        if result.output:
            print("  " + result.output.replace("\n", "\n  "))
        failed |= result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
