"""Starting the window: the smoke test CI and packaging rely on, the start profile, and the
memory that start-up must not keep."""

from __future__ import annotations

import linecache
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui.ui.app import choose_start_profile, parse_args


def _start(
    tmp_path: Path, *args: str, key: str | None = None, python_path: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if python_path is not None:
        env["PYTHONPATH"] = python_path
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["FLOWSERY_GUI_DATA_DIR"] = str(tmp_path / "data")
    env["FLOWSERY_GUI_CONFIG_DIR"] = str(tmp_path / "config")
    env.pop("FLOWSERY_API_KEY", None)
    if key is not None:
        env["FLOWSERY_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "flowsery_gui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_smoke_test_shows_the_window_draws_text_and_exits_0(tmp_path: Path) -> None:
    done = _start(tmp_path, "--smoke-test")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("first show: ")
    assert "smoke test failed" not in done.stderr


def test_smoke_test_fails_when_the_history_cannot_be_opened(tmp_path: Path) -> None:
    """A bundle whose SQLite is missing or broken must not pass: the smoke test opens,
    writes, reads and closes a history in a temp folder."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "sqlite3.py").write_text(
        'raise ImportError("libsqlite3.so.0: cannot open shared object file")\n',
        encoding="utf-8",
    )
    done = _start(tmp_path, "--smoke-test", python_path=str(broken))
    assert done.returncode == 1, done.stderr
    assert "smoke test failed: history" in done.stderr
    assert "libsqlite3" in done.stderr


def test_idle_run_does_the_deferred_start_up_work(tmp_path: Path) -> None:
    """With --idle-ms the window stays up while history opens (the benchmarks' idle state)."""
    done = _start(tmp_path, "--smoke-test", "--idle-ms", "1500")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data").is_dir() and any((tmp_path / "data").iterdir())


def test_no_display_without_smoke_test_says_so_and_points_at_the_cli(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the no-display check is for X11/Wayland systems")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["FLOWSERY_GUI_CONFIG_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "flowsery_gui"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "no display found" in done.stderr and "flowsery-goal" in done.stderr


@pytest.mark.parametrize(
    ("argv", "env_key", "stored", "expected"),
    [
        ([], None, None, "Sandbox"),
        ([], "flow_sk_test_abc123", None, "Sandbox"),  # a key in the environment is only a key
        ([], "flow_sk_test_abc123", "Production", "Production"),
        ([], "flow_sk_test_abc123", "Nowhere", "Sandbox"),
        (["--sandbox"], "flow_sk_test_abc123", "Production", "Sandbox"),
        (["--profile", "Production"], None, None, "Production"),
        ([], None, "Production", "Production"),
        (["--profile", "Nowhere"], None, None, "Sandbox"),
    ],
)
def test_start_profile(
    make_window: Any,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env_key: str | None,
    stored: str | None,
    expected: str,
) -> None:
    """--sandbox, then --profile, then the last one used, else the sandbox: never Production
    because FLOWSERY_API_KEY is set."""
    window = make_window()
    if env_key is None:
        monkeypatch.delenv("FLOWSERY_API_KEY", raising=False)
    else:
        monkeypatch.setenv("FLOWSERY_API_KEY", env_key)
    if stored is not None:
        window.ctx.settings.setValue("profile", stored)
    choose_start_profile(window.ctx, parse_args(argv))
    assert window.target.profile.name == expected


def test_module_source_read_at_import_is_not_kept(make_window: Any, qtbot: Any) -> None:
    """PySide6 reads each imported module's source; the app drops it once imports are done."""
    window = make_window()
    linecache.getlines(__file__)  # as the import hook does, for a module imported just now
    assert linecache.cache
    window.ctx.tasks.run(lambda: __import__("flowsery_gui.codegen"))
    qtbot.waitUntil(lambda: not linecache.cache, timeout=5000)


def test_module_source_is_kept_while_another_task_may_be_importing(
    make_window: Any, qtbot: Any
) -> None:
    """linecache is not safe against a clear mid-read: no clearing while a task still runs."""
    window = make_window()
    tasks = window.ctx.tasks
    tasks.drain(5000)  # the start-up tasks (sandbox, history) have finished...
    qtbot.waitUntil(lambda: tasks.pending() == 0, timeout=5000)  # ...and been delivered
    release = threading.Event()
    tasks.run(lambda: release.wait(5))
    linecache.getlines(__file__)
    done: list[int] = []
    tasks.run(lambda: None, lambda _: done.append(1))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert linecache.cache  # kept: the waiting task could be in the middle of an import
    release.set()
    qtbot.waitUntil(lambda: not linecache.cache, timeout=5000)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--smoke-test"],
        ["--sandbox"],
        ["--profile", "Staging"],
        ["--smoke-test", "--idle-ms", "1500"],
        ["--profile", "Production", "--sandbox"],
    ],
)
def test_the_usual_command_lines_read_the_same_without_the_full_parser(argv: list[str]) -> None:
    from flowsery_gui.ui.app import _plain_args, full_parser

    plain = _plain_args(argv)
    assert plain is not None
    assert vars(plain) == vars(full_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["--profile"],
        ["--profile", "--sandbox"],
        ["--idle-ms", "x"],
        ["--profile=Staging"],
        ["--sandboxes"],
        ["file.json"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    from flowsery_gui.ui.app import _plain_args

    assert _plain_args(argv) is None
