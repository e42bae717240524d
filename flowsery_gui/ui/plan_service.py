"""The window's tracking plan: opened off the GUI thread, followed on disk, remembered per profile.

The plan package costs about 140 ms to import and a big plan takes a while to read, so both
happen on the task runner, after the first paint. Once open, the file is polled (`LivePlan`)
on a QTimer, one poll at a time, also off the GUI thread: a changed plan is reloaded; one
that no longer loads, or a file deleted or made unreadable, keeps the last good plan and
says why. Each profile remembers its recent plans and the plan it had open. A service: no
widget in here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from flowsery_gui.i18n import _, format_number, ngettext, sentences
from flowsery_gui.jsonread import loads_or_none
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from flowsery_gui.plan import LivePlan, Plan, PlanError, PlanEvent

RECENT_KEY = "plans/recent"  # JSON: {profile: [path, ...]} newest first
OPEN_KEY = "plans/open"  # JSON: {profile: path}, "" when the profile's plan was closed
MAX_RECENT = 8
POLL_MS = 1000


def _open_live(path: str) -> LivePlan | PlanError:
    """Read a plan file into a LivePlan (on a worker); the refusal as a value, not raised."""
    from flowsery_gui.plan import LivePlan, PlanError

    try:
        return LivePlan(path)
    except PlanError as exc:
        return exc


def _poll(live: LivePlan) -> PlanEvent | None:
    return live.poll()


class PlanService(QObject):
    """The open tracking plan (or none), kept current with its file, and the recent plans."""

    changed = Signal()  # a plan was opened, reloaded or closed, or its file's state changed
    notice = Signal(str)  # words for the status bar
    refused = Signal(str, object)  # a plan could not be opened: its path and the PlanError

    def __init__(
        self, settings: QSettings, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.tasks = tasks
        self.poll_ms = POLL_MS
        self._live: LivePlan | None = None
        # The plan as of the last `changed`: a poll reloads the live plan on a worker (the
        # sandbox's checker follows it at once); the window's views follow the signal.
        self._plan: Plan | None = None
        self._profile = ""
        self._held = True  # until the window is shown: nothing is read
        self._opening = 0  # which open() is current: a slower, older one is dropped
        self._polling = False
        self._timer: QTimer | None = None
        #: Why the file on disk is not the plan in use (refused or gone); "" when in step.
        self.problem = ""

    # What is open -------------------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        """The plan goals are checked against, or None."""
        return self._plan

    @property
    def path(self) -> str:
        """The open plan's file, or ""."""
        return self._live.path if self._live is not None else ""

    def checker(self) -> Callable[[dict[str, Any]], Any] | None:
        """The sandbox's `checker`: the live plan (it follows the reloads), or None."""
        return self._live

    def describe(self) -> str:
        """`acme-website (3 goals)`, or "" with no plan."""
        plan = self.plan
        if plan is None:
            return ""
        goals = len(plan.goals)
        return ngettext(
            "{name} ({count} goal)",
            "{name} ({count} goals)",
            goals,
            name=plan.name,
            count=format_number(goals),
        )

    # Opening and closing ------------------------------------------------------------------
    def open(self, path: str, *, quiet: bool = False) -> None:
        """Read the plan off the GUI thread; it replaces the open one only once it loaded. A
        refused plan is `refused` (or, `quiet`, said in the status bar); nothing is lost."""
        self._opening += 1
        ticket = self._opening

        def done(result: LivePlan | PlanError) -> None:
            if ticket != self._opening:
                return  # another plan was opened (or this one closed) meanwhile
            from flowsery_gui.plan import PlanError

            if isinstance(result, PlanError):
                if quiet:
                    words = _(
                        "The tracking plan {path} was not opened: {reason}",
                        path=path,
                        reason=str(result),
                    )
                    self.notice.emit(words)
                else:
                    self.refused.emit(path, result)
                return
            self._live, self._plan, self.problem = result, result.plan, ""
            self._remember(path)
            self._follow()
            words = _("Tracking plan {plan} opened from {path}.", plan=self.describe(), path=path)
            self.notice.emit(words)
            self.changed.emit()

        def failed(kind: str) -> None:
            if ticket == self._opening:
                words = _(
                    "The tracking plan {path} could not be read ({error}).", path=path, error=kind
                )
                self.notice.emit(words)

        self.tasks.run(lambda: _open_live(path), done, failed)

    def close(self) -> None:
        """Stop using the plan (this profile remembers it had none)."""
        self._opening += 1
        if self._live is None:
            return
        self._live, self._plan, self.problem = None, None, ""
        if self._timer is not None:
            self._timer.stop()
        self._write_open("")
        self.changed.emit()

    # Profiles and start-up ----------------------------------------------------------------
    def resume(self, profile: str) -> None:
        """The window is shown: reopen the plan this profile had open last time."""
        self._held = False
        self._profile = ""
        self.set_profile(profile)

    def set_profile(self, profile: str) -> None:
        """Another profile is active: use the plan it had open (a profile that never had one
        keeps the plan open now; one whose plan was closed closes it)."""
        if profile == self._profile:
            return
        self._profile = profile
        if self._held:
            return
        wanted = self._read(OPEN_KEY).get(profile)
        if not isinstance(wanted, str):
            if self._live is not None:
                self._remember(self._live.path)
        elif not wanted:
            self.close()
        elif wanted != self.path:
            self.open(wanted, quiet=True)

    def recent(self) -> list[str]:
        """The active profile's recent plans, newest first."""
        found = self._read(RECENT_KEY).get(self._profile)
        return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []

    def forget_recent(self) -> None:
        """Empty the active profile's recent list."""
        recent = self._read(RECENT_KEY)
        recent.pop(self._profile, None)
        self.settings.setValue(RECENT_KEY, json.dumps(recent))

    def _remember(self, path: str) -> None:
        recent = self._read(RECENT_KEY)
        mine = [p for p in self.recent() if p != path]
        recent[self._profile] = [path, *mine][:MAX_RECENT]
        self.settings.setValue(RECENT_KEY, json.dumps(recent))
        self._write_open(path)

    def _write_open(self, path: str) -> None:
        opened = self._read(OPEN_KEY)
        opened[self._profile] = path
        self.settings.setValue(OPEN_KEY, json.dumps(opened))

    def _read(self, key: str) -> dict[str, Any]:
        value = loads_or_none(self.settings.value(key))
        return value if isinstance(value, dict) else {}

    # Following the file -------------------------------------------------------------------
    def _follow(self) -> None:
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.timeout.connect(self.poll)
        self._timer.setInterval(self.poll_ms)
        self._timer.start()

    def poll(self) -> None:
        """Look at the plan file once, off the GUI thread (the timer calls it)."""
        live = self._live
        if live is None or self._polling:
            return
        self._polling = True

        def done(event: PlanEvent | None) -> None:
            self._polling = False
            if event is None or live is not self._live:
                return
            from flowsery_gui.plan.live import RELOADED

            self._plan = live.plan
            if event.kind == RELOADED:
                self.problem = ""
                self.notice.emit(event.lines[0])
            else:
                self.problem = "\n".join(event.lines)
                self.notice.emit(sentences(*event.lines[:2]))
            self.changed.emit()

        def failed(kind: str) -> None:
            self._polling = False
            words = _("The tracking plan could not be checked for changes ({error}).", error=kind)
            self.notice.emit(words)

        self.tasks.run(lambda: _poll(live), done, failed)
