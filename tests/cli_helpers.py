"""Shared helpers for tests that run `flowsery-goal` as a real subprocess.

`Place` gives one test its own data and config folders and a test-only file keyring in a
third folder (tests/file_keyring_for_tests.py, chosen with PYTHON_KEYRING_BACKEND), so the
keyring file is the one place a key may be written, and everything else can be searched for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui.keystore import SERVICE
from flowsery_gui.sandbox import SandboxServer
from tests.sandbox_helpers import running_sandbox

REPO = Path(__file__).resolve().parents[1]
TEST_BACKEND = "tests.file_keyring_for_tests.Keyring"
NO_KEYRING = "keyring.backends.fail.Keyring"
KEY = "flow_sk_cli_history_5e1d9a7c3b"  # the sandbox's key in the Place tests
OTHER_KEY = "flow_sk_cli_wrong_0f2e4d6c8a"


@dataclass
class Place:
    """Where one test's CLI keeps its files, and the environment that says so."""

    data: Path
    config: Path
    keyring_file: Path

    def env(self, backend: str = TEST_BACKEND, **extra: str) -> dict[str, str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("FLOWSERY_")}
        environment.update(
            PYTHONPATH=str(REPO),
            PYTHONIOENCODING="utf-8",
            FLOWSERY_GUI_DATA_DIR=str(self.data),
            FLOWSERY_GUI_CONFIG_DIR=str(self.config),
            FLOWSERY_TEST_KEYRING_FILE=str(self.keyring_file),
            PYTHON_KEYRING_BACKEND=backend,
        )
        environment.update(extra)
        return environment

    def stored_keys(self) -> dict[str, str]:
        if not self.keyring_file.exists():
            return {}
        data: dict[str, dict[str, str]] = json.loads(self.keyring_file.read_text("utf-8"))
        return data.get(SERVICE, {})


def new_place(tmp_path: Path) -> Place:
    """Folders for one test, none of them created yet."""
    return Place(tmp_path / "data", tmp_path / "config", tmp_path / "keyring" / "keys.json")


def cli(
    place: Place,
    *args: str,
    stdin: str | bytes = "",
    backend: str = TEST_BACKEND,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m flowsery_gui.cli ARGS` in the test's place; the key never in argv.
    Fails the test when a key or a traceback shows up in the output."""
    binary = isinstance(stdin, bytes)
    done = subprocess.run(
        [sys.executable, "-m", "flowsery_gui.cli", *args],
        input=stdin,
        capture_output=True,
        text=not binary,
        encoding=None if binary else "utf-8",
        env=place.env(backend, **extra),
        cwd=REPO,
        timeout=60,
    )
    result = (
        subprocess.CompletedProcess(
            done.args,
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )
        if binary
        else done
    )
    for key in (KEY, OTHER_KEY):
        assert key not in result.stdout + result.stderr, f"{args}: a key was printed"
    assert "Traceback" not in result.stderr, result.stderr
    return result


def closed_port_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def stored_goals(server: Any) -> list[dict[str, Any]]:
    """What the sandbox stored, oldest first."""
    with urllib.request.urlopen(server.url + "/sandbox/goals", timeout=5) as answer:
        goals: list[dict[str, Any]] = json.loads(answer.read())
    return goals


def files_under(*folders: Path) -> list[Path]:
    """Every file below the folders."""
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder read-only for this process, also as root (which ignores the
    permission bits: then the file is marked immutable), or skip the test when neither works."""
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = False
    try:
        if os.access(path, os.W_OK):  # root
            try:
                done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
                immutable = done.returncode == 0
            except OSError:  # no chattr
                immutable = False
            if not immutable or os.access(path, os.W_OK):
                pytest.skip("cannot make a read-only file here (root without chattr)")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)
        path.chmod(mode)


@pytest.fixture(name="place")
def place_fixture(tmp_path: Path) -> Place:
    """This test's own folders; import this function to get a `place` fixture."""
    return new_place(tmp_path)


@pytest.fixture(name="sandbox")
def keyed_sandbox_fixture() -> Iterator[SandboxServer]:
    """A fresh sandbox that takes KEY; import this function to get a `sandbox` fixture."""
    with running_sandbox(api_key=KEY) as server:
        yield server


def add_local_profile(place: Place, url: str, key: str = KEY) -> None:
    """A custom profile "Local" at the URL, its key in the test keyring."""
    assert cli(place, "profile", "add", "Local", url).returncode == 0
    assert cli(place, "key", "set", "--profile", "Local", stdin=key + "\n").returncode == 0
