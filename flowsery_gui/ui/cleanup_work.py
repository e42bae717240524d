"""A cleanup's slow parts, off the GUI thread: the plan read from history, the key read from
the keyring, the DELETE calls sent one by one. Results come back by signal.

`cleanup.select.plan_from_history` plans, `cleanup.runner.CleanupRun` sends (through the send
pipeline, recording each DELETE in history and marking the sends it cleaned), exactly as
`flowsery-goal cleanup` does. A service: no widget in here.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from flowsery_gui.i18n import _, sentences
from flowsery_gui.ui.context import AppContext

if TYPE_CHECKING:
    from flowsery_gui.cleanup.model import PlannedCall, PlanOptions
    from flowsery_gui.cleanup.runner import CallOutcome, CleanupResult, CleanupRun
    from flowsery_gui.cleanup.select import Selection
    from flowsery_gui.profiles import Profile
    from flowsery_gui.sending import ResolvedKey, Target


class PlanRequest(NamedTuple):
    """Which sends to plan for: a profile, and history record ids or a start time."""

    profile: Profile
    ids: tuple[int, ...] | None
    since: float | None
    name: str | None
    options: PlanOptions


class Planned(NamedTuple):
    """A plan read from history, or why there is none (`problem`, in plain words)."""

    request: PlanRequest
    selection: Selection | None
    problem: str = ""


class CleanupWork(QObject):
    """Plans and runs cleanups for the window; one run at a time."""

    planned = Signal(object)  # Planned (only the newest request's)
    outcome = Signal(int, object)  # index among the calls sent, CallOutcome; as each comes
    finished = Signal(object)  # CleanupResult

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._version = 0
        self._lock = threading.Lock()
        self._run: CleanupRun | None = None
        self._stop = False
        self.running = False

    # Planning -----------------------------------------------------------------------------
    def plan(self, request: PlanRequest) -> None:
        """Read the chosen sends from history and plan them; `planned` says how it went."""
        self._version += 1
        version = self._version
        store = self.ctx.history.store

        def work() -> Planned:
            from flowsery_gui.cleanup.select import plan_from_history
            from flowsery_gui.history import HistoryError

            if store is None:
                words = self.ctx.history.message or _("History is off.")
                why = sentences(words, _("A cleanup plans from history."))
                return Planned(request, None, why)
            try:
                selection = plan_from_history(
                    store,
                    request.profile,
                    ids=request.ids,
                    since=request.since,
                    name=request.name,
                    options=request.options,
                )
            except HistoryError as exc:
                return Planned(request, None, exc.message)
            return Planned(request, selection, selection.problem)

        def done(planned: Planned) -> None:
            if version == self._version:
                self.planned.emit(planned)

        self.ctx.tasks.run(work, done, lambda text: done(Planned(request, None, _bug(text))))

    # Running ------------------------------------------------------------------------------
    def start(self, calls: Sequence[PlannedCall], target: Target, fault: str = "") -> bool:
        """Send these calls (every one acknowledged and confirmed for `target.profile` by the
        person) to the target; False when a run is already going."""
        if self.running:
            return False
        self.running, self._stop = True, False
        chosen = tuple(calls)
        store = self.ctx.history.store
        keystore = self.ctx.keystore  # made here, on the GUI thread
        session = keystore.session_key(target.profile) if target.kind != "sandbox" else None
        sandbox = self.ctx.target.sandbox
        sandbox_key = sandbox.api_key if sandbox is not None else None

        def work() -> CleanupResult:
            from flowsery_gui.cleanup.runner import CleanupRun
            from flowsery_gui.sending import resolve_key

            key = resolve_key(
                target.profile,
                target.kind,
                session_key=session,
                read_keyring=keystore.stored,
                sandbox_key=sandbox_key,
            )
            if not key.present:
                return _refused(chosen, _no_key(target.profile, key))
            run = CleanupRun(
                chosen,
                target=target,
                key=key,
                history=store,
                source="window",
                confirmed_profile=target.profile,
                acknowledged=True,  # the dialog sends a risky call only once its box is ticked
                fault=fault,
            )
            with self._lock:
                self._run = run
                if self._stop:
                    run.cancel(cut_off=False)
            result = run.run(lambda index, outcome: self.outcome.emit(index, _safe(outcome, key)))
            with self._lock:
                self._run = None
            return replace(result, outcomes=tuple(_safe(o, key) for o in result.outcomes))

        self.ctx.tasks.run(work, self._done, lambda text: self._done(_refused(chosen, _bug(text))))
        return True

    def stop(self) -> None:
        """Send nothing after the call in flight (whose answer is still waited for)."""
        with self._lock:
            self._stop = True
            if self._run is not None:
                self._run.cancel(cut_off=False)

    def _done(self, result: CleanupResult) -> None:
        self.running = False
        self.ctx.history.recount()  # the DELETE records and the marks: the views follow
        self.finished.emit(result)


def _safe(outcome: CallOutcome, key: ResolvedKey) -> CallOutcome:
    """The outcome with the key masked out of its words (a server may echo what it got)."""
    from flowsery_gui.masking import scrub

    if not key.key:
        return outcome
    return replace(outcome, message=scrub(outcome.message, (key.key,)))


def _refused(calls: Sequence[PlannedCall], why: str) -> CleanupResult:
    from flowsery_gui.cleanup.runner import CallOutcome, CallState, CleanupResult

    return CleanupResult(tuple(CallOutcome(c, CallState.NOT_SENT, why) for c in calls), why)


def _no_key(profile: str, key: ResolvedKey) -> str:
    if key.error is not None:
        return sentences(
            _("Nothing was sent: the keyring could not be read for {profile}.", profile=profile),
            key.error.message,
            key.error.advice,
        )
    return _(
        "Nothing was sent: the {profile} profile has no API key. Make {profile} the active "
        "profile and add its key with Profile > API Key…, then delete again.",
        profile=profile,
    )


def _bug(text: str) -> str:
    return _(
        "Something went wrong inside the app ({error}); nothing more was sent. Please report it.",
        error=text,
    )
