"""The wheel and sdist ship every resource, and an installed wheel runs from its own copy.

The package is built from a copy of the checkout in a temp dir (setuptools writes `build/`
and `*.egg-info` next to the sources), installed into a fresh venv outside the checkout, and
its three commands are run from there with a working directory that is not the checkout.
"""

from __future__ import annotations

import ast
import email
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project runs on 3.11; 3.10 only needs the stdlib-less path
    tomllib = pytest.importorskip("tomli")

pytestmark = [pytest.mark.slow, pytest.mark.packaging]

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "flowsery_gui"
RESOURCES = ROOT / PACKAGE / "resources"
SPEC = ROOT / "packaging" / "flowsery-goal-tester.spec"
BUILD_TIMEOUT_S = 600  # fetching the build backend may go to the network
RUN_TIMEOUT_S = 120
# What a build needs from the checkout; the rest (tests, caches, venvs) stays behind.
SOURCE_FILES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "setup.py", "setup.cfg")


@dataclass(frozen=True)
class Built:
    """The wheel and sdist built from one copy of the sources."""

    wheel: Path
    sdist: Path
    version: str


@dataclass(frozen=True)
class Installed:
    """A venv outside the checkout with the wheel installed, and where to run it from."""

    root: Path
    cwd: Path
    env: dict[str, str]

    def bin(self, name: str) -> Path:
        """A console or GUI script the install put in the venv."""
        folder = "Scripts" if sys.platform == "win32" else "bin"
        suffix = ".exe" if sys.platform == "win32" else ""
        return self.root / folder / f"{name}{suffix}"

    def run(self, *argv: str | Path) -> subprocess.CompletedProcess[str]:
        """Run a command from the venv, in the temp working dir, output captured."""
        return subprocess.run(
            [str(arg) for arg in argv],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.cwd,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a build or install step; fail the test with its output when it fails."""
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False, **kwargs
    )  # type: ignore[call-overload]
    assert done.returncode == 0, f"{argv[:4]} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _source_resources() -> set[str]:
    """Every resource file in the checkout, as `flowsery_gui/resources/...` paths."""
    files = {p.relative_to(ROOT).as_posix() for p in RESOURCES.rglob("*") if p.is_file()}
    assert files, "no resource files found in the checkout"
    return files


def _copy_sources(target: Path) -> Path:
    """The files a build reads, copied so the build writes nothing into the checkout."""
    target.mkdir()
    for name in SOURCE_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, target / name)
    shutil.copytree(
        ROOT / PACKAGE, target / PACKAGE, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    return target


def _requirements_closure(requirements: list[str]) -> list[metadata.Distribution] | None:
    """The installed distributions meeting `requirements` and theirs; None when one is missing."""
    environment = {k: str(v) for k, v in default_environment().items()}
    found: dict[str, metadata.Distribution] = {}
    pending = [Requirement(text) for text in requirements]
    while pending:  # bounded: each distribution is visited once
        requirement = pending.pop()
        if requirement.marker and not requirement.marker.evaluate({**environment, "extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            return None
        if not requirement.specifier.contains(dist.version, prereleases=True):
            return None
        found[name] = dist
        pending += [Requirement(text) for text in dist.requires or []]
    return list(found.values())


def _site_packages(venv: Path) -> Path:
    """The venv's own site-packages folder."""
    done = _run(
        [str(_venv_python(venv)), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    )
    return Path(done.stdout.strip())


def _venv_python(venv: Path) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The wheel (through pip) and the sdist (through the declared backend) of a source copy."""
    work = tmp_path_factory.mktemp("build")
    sources = _copy_sources(work / "src")
    # The declared build backend, fetched once (setuptools >= 69 may be newer than this
    # interpreter's) and used for both builds, so pip needs no isolated env of its own.
    backend = work / "backend"
    _run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--target", str(backend), *_pyproject()["build-system"]["requires"]),
        ]
    )
    env = {**os.environ, "PYTHONPATH": str(backend)}
    wheels = work / "wheels"
    _run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
            *("--quiet", "--disable-pip-version-check", "-w", str(wheels), str(sources)),
        ],
        env=env,
        cwd=work,
    )
    sdists = work / "sdists"
    script = "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])"
    _run([sys.executable, "-c", script, str(sdists)], env=env, cwd=sources)
    (wheel,) = wheels.glob("*.whl")
    (sdist,) = sdists.glob("*.tar.gz")
    return Built(wheel, sdist, _pyproject()["project"]["version"])


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel installed into a fresh venv in a temp dir.

    When this interpreter already has every dependency, the venv reaches them through a .pth
    file listing the folders they live in, and the wheel goes in with --no-deps: no download
    of PySide6 per run. Not `--system-site-packages`: from inside a venv (as in CI) that
    exposes the base interpreter instead, and it would also run this interpreter's .pth files,
    among them the editable install's finder, which could hand out the checkout's copy.
    Listed folders' .pth files are not run, so the venv's own copy is the only one reachable.
    """
    root = tmp_path_factory.mktemp("venv")
    assert not root.resolve().is_relative_to(ROOT), "the venv must be outside the checkout"
    _run([sys.executable, "-m", "venv", "--without-pip", str(root)])
    with zipfile.ZipFile(built.wheel) as wheel:
        info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(wheel.read(info))
    deps = _requirements_closure(meta.get_all("Requires-Dist") or [])
    pip = [sys.executable, "-m", "pip", "--python", str(_venv_python(root)), "install"]
    pip += ["--quiet", "--disable-pip-version-check"]
    if deps is None:  # a normal install, dependencies from the index
        _run([*pip, str(built.wheel)])
    else:
        _run([*pip, "--no-deps", str(built.wheel)])
        folders = sorted({str(Path(str(dist.locate_file(""))).resolve()) for dist in deps})
        (_site_packages(root) / "_parent_dependencies.pth").write_text(
            "\n".join(folders) + "\n", encoding="utf-8"
        )
    cwd = tmp_path_factory.mktemp("cwd")
    data = tmp_path_factory.mktemp("app-data")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        FLOWSERY_GUI_DATA_DIR=str(data / "data"),
        FLOWSERY_GUI_CONFIG_DIR=str(data / "config"),
        VIRTUAL_ENV=str(root),
    )
    return Installed(root, cwd, env)


def test_wheel_carries_every_resource_file_of_the_source_tree(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        shipped = {n for n in wheel.namelist() if n.startswith(f"{PACKAGE}/resources/")}
    assert sorted(_source_resources() - shipped) == []


def test_sdist_carries_every_resource_file_of_the_source_tree(built: Built) -> None:
    with tarfile.open(built.sdist) as sdist:
        top = f"flowsery_goal_tester-{built.version}/"
        shipped = {m.name.removeprefix(top) for m in sdist.getmembers() if m.isfile()}
    assert sorted(_source_resources() - shipped) == []


def test_installed_wheel_opens_the_window_in_smoke_test(installed: Installed) -> None:
    done = installed.run(installed.bin("flowsery-gui"), "--smoke-test")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("first show: ")


def test_installed_wheel_imports_package_and_resources_from_the_venv(
    installed: Installed,
) -> None:
    script = textwrap.dedent(
        """
        import flowsery_gui
        from flowsery_gui.ui.icons import resource_path
        print(flowsery_gui.__file__)
        print(resource_path("app-icon.svg"))
        """
    )
    done = installed.run(_venv_python(installed.root), "-c", script)
    assert done.returncode == 0, done.stderr[-3000:]
    module_file, icon_file = (Path(line).resolve() for line in done.stdout.splitlines())
    venv = installed.root.resolve()
    assert module_file.is_relative_to(venv), f"{module_file} is not the venv's copy"
    assert icon_file.is_relative_to(venv) and icon_file.is_file()


def test_installed_goal_cli_reports_the_package_version(installed: Installed, built: Built) -> None:
    done = installed.run(installed.bin("flowsery-goal"), "--version")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["flowsery-goal", built.version]


def test_installed_sandbox_cli_prints_its_help(installed: Installed) -> None:
    done = installed.run(installed.bin("flowsery-sandbox"), "--help")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("usage: flowsery-sandbox")


def _spec_definitions(*names: str) -> dict[str, object]:
    """Named top-level assignments and functions of the PyInstaller spec, run on their own."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    wanted: list[ast.stmt] = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name in names)
        or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
        )
    ]
    namespace: dict[str, object] = {"Path": Path}
    exec(compile(ast.Module(wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def test_spec_writes_a_windows_version_file_pyinstaller_can_load(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason="the `package` extra is not installed")
    spec = _spec_definitions("APP_NAME", "EXE_NAME", "windows_version_file")
    version = _pyproject()["project"]["version"]
    path = spec["windows_version_file"](version, tmp_path / "version_info.txt")  # type: ignore[operator]
    # PyInstaller's version-info module imports pefile and pywin32, which only Windows installs
    # have and which only reading and writing .exe files need: stub both for the text loader.
    check = textwrap.dedent(
        """
        import sys, types
        import PyInstaller.compat
        sys.modules.setdefault("pefile", types.ModuleType("pefile"))
        if not hasattr(PyInstaller.compat, "win32api"):
            PyInstaller.compat.win32api = None
        from PyInstaller.utils.win32.versioninfo import load_version_info_from_text_file
        info = load_version_info_from_text_file(sys.argv[1])
        info.toRaw()
        strings = {s.name: s.val for s in info.kids[0].kids[0].kids}
        print(strings["ProductVersion"], strings["OriginalFilename"], info.ffi.fileVersionMS)
        """
    )
    done = _run([sys.executable, "-c", check, str(path)])
    major, minor = (int(part) for part in version.split(".")[:2])
    assert done.stdout.split() == [version, "flowsery-gui.exe", str(major << 16 | minor)]
