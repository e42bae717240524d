"""One context object, built in one place, that carries the app's parts to every window piece."""

from __future__ import annotations

import functools
import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFrame, QScrollArea

from flowsery_gui.profiles import ProfileStore
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.session import TargetSession
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.keystore import KeyStore
    from flowsery_gui.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class AppContext(QObject):
    """Settings, task runner, profiles, keys, history and the form model for one run."""

    def __init__(
        self,
        settings: QSettings,
        tasks: TaskRunner | None = None,
        keystore: KeyStore | None = None,
        profiles: ProfileStore | None = None,
    ) -> None:
        super().__init__()
        from flowsery_gui.keystore import KeyStore

        self.settings = settings
        self.tasks = tasks or TaskRunner(self)
        self.keystore = keystore or KeyStore()
        self.profiles = profiles or ProfileStore()
        self.form = GoalFormModel(self)
        self.session = TargetSession(self.profiles, self.keystore, self.tasks, self)
        self.history_panel: Any = None
        self.history_tab: Any = None
        self.window: MainWindow | None = None
        self.history: Any = None
        self.history_message: str | None = None
        self._history_opened = False
        self._history_lock = threading.Lock()

    @functools.cached_property
    def user_agent(self) -> str:
        """The User-Agent the client sends (read from package metadata on first use)."""
        from flowsery_gui.client import default_user_agent

        return default_user_agent()

    # History ------------------------------------------------------------------------------
    def open_history(self) -> None:
        """Open (or create) the history database once; any thread, any number of times."""
        with self._history_lock:
            if self._history_opened:
                return
            from flowsery_gui import paths
            from flowsery_gui.history import History

            self.history, self.history_message = History.open(
                paths.history_path(), secrets=self.keystore.known_secrets
            )
            self._history_opened = True

    def record(
        self, exchange: Exchange, profile: str, goal: dict[str, Any] | None, key: str | None
    ) -> None:
        """Append an exchange to history off the GUI thread; failures become a status message."""
        secrets = (key,) if key else ()

        def write() -> int | None:
            self.open_history()
            history = self.history
            if history is None:
                return None
            history.append(exchange, profile=profile, source="window", goal=goal, secrets=secrets)
            return int(history.count())

        def done(count: int | None) -> None:
            if count is not None and self.window is not None:
                self.window.show_history_count(f"{count:,}", count)
            if self.history_panel is not None:
                self.history_panel.refresh()

        self.tasks.run(write, done, lambda text: log.error("history write failed: %s", text))

    def record_now(
        self, exchange: Exchange, profile: str, goal: dict[str, Any] | None, key: str | None
    ) -> None:
        """Append an exchange on this thread (the window is closing: no event loop to come)."""
        try:
            self.open_history()
            if self.history is not None:
                self.history.append(
                    exchange,
                    profile=profile,
                    source="window",
                    goal=goal,
                    secrets=(key,) if key else (),
                )
        except Exception as exc:  # closing must not fail over history; never log the text
            log.error("history write at close failed: %s", type(exc).__name__)

    def show_history(self, window: MainWindow) -> None:
        """The history tab, built the first time it is shown."""
        from flowsery_gui.ui.history_panel import HistoryPanel

        if self.history_panel is None:
            self.open_history()
            self.history_panel = HistoryPanel(self, window)
            # In a scroll area, so a narrow window scrolls the panel instead of growing.
            holder = QScrollArea()
            holder.setObjectName("history_scroll")
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(self.history_panel)
            self.history_tab = holder
            index = window.tabs.indexOf(window.history_placeholder)
            window.tabs.blockSignals(True)
            window.tabs.removeTab(index)
            window.tabs.insertTab(index, holder, "History")
            window.tabs.blockSignals(False)
        window.tabs.setCurrentWidget(self.history_tab)

    def apply_retention(self, then: Any = None) -> None:
        """Prune history as the retention setting says (0 or unset means keep everything)."""
        keep_last = int(self.settings.value("history/keep_last", 0) or 0) or None
        keep_days = int(self.settings.value("history/keep_days", 0) or 0) or None
        if self.history is None or (keep_last is None and keep_days is None):
            return
        history = self.history
        self.tasks.run(
            lambda: history.apply_retention(keep_last=keep_last, keep_days=keep_days),
            lambda removed: then(removed) if then else None,
        )

    # Keys and profiles --------------------------------------------------------------------
    def manage_key(self, window: MainWindow) -> None:
        """Open the key dialog for the active profile."""
        from flowsery_gui.ui.key_dialog import KeyDialog

        KeyDialog(self, window).exec()
        window.render_profile()

    def manage_profiles(self, window: MainWindow) -> None:
        """Open the profiles dialog."""
        from flowsery_gui.ui.profiles_dialog import ProfilesDialog

        ProfilesDialog(self, window).exec()
        window.refresh_profiles()

    # Lifecycle ----------------------------------------------------------------------------
    def after_show(self, window: MainWindow) -> None:
        """Deferred start-up work: open history in the background and count its records."""

        def open_and_count() -> tuple[int | None, str | None]:
            self.open_history()
            if self.history is None:
                return None, self.history_message
            return self.history.count(), self.history_message

        def done(result: tuple[int | None, str | None]) -> None:
            count, message = result
            self.apply_retention()
            if count is None:
                window.history_label.setText("History: off")
                window.history_label.setToolTip(tooltip(message or ""))
            else:
                window.show_history_count(f"{count:,}", count)
            if message:
                window.statusBar().showMessage(message, 15000)

        self.tasks.run(open_and_count, done)

    def shutdown(self) -> None:
        """Stop the sandbox and let background work finish (bounded)."""
        self.tasks.drain(3000)
        self.session.stop()
        history, self.history = self.history, None
        if history is not None:
            history.close()
