"""One context object, built in one place, that carries the app's services to every window piece.

Services only: settings, the task runner, profiles, keys, the active target, history and the
form's view model. Never a widget: panels that need the window raise intents (signals) that
the main window connects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings

from flowsery_gui.profiles import ProfileStore
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.history_service import HistoryService
from flowsery_gui.ui.target import TargetService
from flowsery_gui.ui.tasks import TaskRunner
from flowsery_gui.ui.test_identity import TestIdentityService

if TYPE_CHECKING:
    from flowsery_gui.keystore import KeyStore
    from flowsery_gui.ui.suite_service import SuiteService


class AppContext(QObject):
    """Settings, task runner, profiles, keys, target, history, suites and the form model."""

    def __init__(
        self,
        settings: QSettings,
        tasks: TaskRunner | None = None,
        keystore: KeyStore | None = None,
        profiles: ProfileStore | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.tasks = tasks or TaskRunner(self)
        self.profiles = profiles or ProfileStore()
        self.form = GoalFormModel(self)
        self.target = TargetService(self.profiles, keystore, self.tasks, self)
        self.history = HistoryService(settings, self.tasks, self.target.known_secrets, self)
        self._suites: SuiteService | None = None
        self.test_ids = TestIdentityService(self.profiles, self)  # the profiles' test IDs

    @property
    def keystore(self) -> KeyStore:
        """The keyring facade (made on first use, by the target service)."""
        return self.target.keystore

    @property
    def suites(self) -> SuiteService:
        """Goal suites: the open suite files, the run in flight, past runs (made on first use)."""
        if self._suites is None:
            # Deferred: after the first paint (the suite services cost ~6 ms of start-up).
            from flowsery_gui.ui.suite_service import SuiteService

            self._suites = SuiteService(self.settings, self.tasks, self.history, self)
        return self._suites

    def shutdown(self) -> None:
        """Let background work finish (bounded), stop the sandbox, close history."""
        suites = self._suites
        if suites is not None:
            suites.shutdown()  # a suite run in flight stops first
        self.tasks.drain(3000)
        self.target.stop()
        if suites is not None:
            suites.close()
        self.history.close()
