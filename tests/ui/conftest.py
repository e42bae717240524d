"""Fixtures for window tests: a real window on real parts, with files in a temp dir."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings

from flowsery_gui import paths
from flowsery_gui.profiles import ProfileStore
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.main_window import MainWindow
from tests.ui.fakes import HeldTaskRunner, InlineTaskRunner, ScriptedInteraction
from tests.ui.services import Services, make_services


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict, for tests only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture()
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring for the duration of a test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture()
def make_window(
    qtbot: Any, tmp_path: Any, memory_keyring: MemoryKeyring
) -> Iterator[Callable[..., MainWindow]]:
    """Build a shown main window with its own settings, profiles and data folder."""
    made: list[MainWindow] = []

    def make(profile: str = "Sandbox") -> MainWindow:
        settings = QSettings(
            str(tmp_path / f"settings-{len(made)}.ini"), QSettings.Format.IniFormat
        )
        ctx = AppContext(settings, profiles=ProfileStore(tmp_path / "profiles.json"))
        window = MainWindow(ctx, ask=ScriptedInteraction())
        qtbot.addWidget(window)
        window.resize(1180, 760)
        ctx.target.set_profile(profile)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)
        window.focus_name()
        window._after_show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


def _services(tasks: Any, tmp_path: Any, monkeypatch: Any) -> Iterator[Services]:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.delenv("FLOWSERY_API_KEY", raising=False)
    made = make_services(tmp_path, tasks)
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture()
def services(
    qapp: Any, tmp_path: Any, monkeypatch: Any, memory_keyring: MemoryKeyring
) -> Iterator[Services]:
    """The window's services with no window, on a task runner that runs inline."""
    yield from _services(InlineTaskRunner(), tmp_path, monkeypatch)


@pytest.fixture()
def held_services(
    qapp: Any, tmp_path: Any, monkeypatch: Any, memory_keyring: MemoryKeyring
) -> Iterator[Services]:
    """The same services on a task runner that holds tasks until told (`tasks.release()`)."""
    yield from _services(HeldTaskRunner(), tmp_path, monkeypatch)
