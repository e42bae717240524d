"""The window's services built on their own, on a task runner that runs inline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from flowsery_gui.profiles import ProfileStore
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.send_owner import SendOwner
from flowsery_gui.ui.target import TargetService
from flowsery_gui.ui.tasks import TaskRunner


@dataclass
class Services:
    """One run's services, wired as the window wires them, with no window."""

    tasks: TaskRunner
    settings: QSettings
    profiles: ProfileStore
    target: TargetService
    history: HistoryService
    owner: SendOwner
    form: GoalFormModel

    def stop(self) -> None:
        """Stop the sandbox and close history."""
        self.target.stop()
        self.history.close()


def make_services(folder: Path, tasks: TaskRunner) -> Services:
    """Services over files in `folder` (set FLOWSERY_GUI_DATA_DIR there for history)."""
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    profiles = ProfileStore(folder / "profiles.json")
    target = TargetService(profiles, None, tasks, hold_until_shown=False)
    history = HistoryService(settings, tasks, target.known_secrets)
    owner = SendOwner(target, history, tasks, read_timeout=10.0)
    return Services(tasks, settings, profiles, target, history, owner, GoalFormModel())
