"""The person's suite actions: open suites, run goals, add the form to a suite, save history.

A run goes to the window's active profile with the key the window would send with; a run
to Production asks once for the whole run, naming how many goals will count in real
analytics; the Sandbox Fault choice applies to a run on the built-in sandbox. Files are
written off the GUI thread. No widget in here: questions go through the `Ask` and
`SuitePrompts` seams, status words out as a signal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QStatusBar, QWidget

from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ui.actions import ActionId
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.profile_flow import ProfileFlow
from flowsery_gui.ui.result_tabs import ResultTabs
from flowsery_gui.ui.send_owner import SendOwner
from flowsery_gui.ui.suite_prompts import DialogPrompts, SuitePrompts, suite_name_for
from flowsery_gui.ui.suite_run import RunRequest
from flowsery_gui.ui.suite_words import bad_suite_message

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.suites import Suite, SuiteError
    from flowsery_gui.suites.runner import PlanCheck

#: The Suites tab's title (translated where shown; the same words find the tab again).
SUITES_TAB = N_("Suites")


class SuiteHost(Protocol):
    """What the suite features use of the main window (it is one, without being imported)."""

    ctx: AppContext
    ask: Ask
    tabs: ResultTabs
    actions_: dict[ActionId, QAction]
    sending: SendOwner
    profile_flow: ProfileFlow

    def menuBar(self) -> QMenuBar: ...

    def statusBar(self) -> QStatusBar: ...


def install_suites(window: SuiteHost) -> SuiteFlow:
    """Add goal suites to the window: the Suites tab, File > Open Suite… and Open Recent
    Suite, Goal > Add to Suite…, View > Suites, the fault menu followed by runs. Called after
    the first paint: the suite modules cost start-up time."""
    flow = SuiteFlow(
        window.ctx,
        window.ask,
        DialogPrompts(window.tabs.window()),
        window.sending.fault_for_target,
        window.profile_flow.manage_key,
        window.tabs,
    )
    tabs = window.tabs
    tabs.add_lazy_tab(_(SUITES_TAB), flow.make_panel, key=SUITES_TAB)

    def show() -> None:
        tabs.show_lazy_tab(SUITES_TAB)

    actions: Mapping[ActionId, QAction] = window.actions_
    actions[ActionId.OPEN_SUITE].triggered.connect(flow.open_suites)
    actions[ActionId.ADD_TO_SUITE].triggered.connect(flow.add_to_suite)
    actions[ActionId.SHOW_SUITES].triggered.connect(show)
    flow.show_suites.connect(show)

    def show_exchange(exchange: Exchange) -> None:
        tabs.response.show_exchange(exchange)
        tabs.show_response()

    flow.exchange_opened.connect(show_exchange)
    flow.status.connect(window.statusBar().showMessage)
    window.sending.fault_changed.connect(window.ctx.suites.runs.set_fault)
    quit_action = actions[ActionId.QUIT]
    menus = [action.menu() for action in window.menuBar().actions()]
    file_menu = next(m for m in menus if isinstance(m, QMenu) and quit_action in m.actions())
    file_menu.insertMenu(quit_action, flow.make_recent_menu(file_menu))
    file_menu.insertSeparator(quit_action)
    return flow


class SuiteFlow(QObject):
    """Opens suites, starts and cancels runs, writes goals into suite files."""

    status = Signal(str, int)  # words for the status bar, and for how many ms
    show_suites = Signal()  # the Suites tab should come to the front
    exchange_opened = Signal(object)  # a goal's Exchange, for the Response tab

    def __init__(
        self,
        ctx: AppContext,
        ask: Ask,
        prompts: SuitePrompts,
        fault: Callable[[], str],
        ask_for_key: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.files = ctx.suites.files
        self.runs = ctx.suites.runs
        self.ask = ask
        self.prompts = prompts
        self._fault = fault  # the Sandbox Fault choice ("" unless the target is the sandbox)
        self._ask_for_key = ask_for_key
        self.files.failed.connect(self._bad_suite)
        self.runs.refused.connect(lambda text: self.ask.warn(_("The suite did not run"), text))

    # Opening ------------------------------------------------------------------------------
    def _folder(self) -> str:
        """Where file dialogs start: the folder of the suite opened last."""
        recent = self.files.recent()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_suites(self) -> None:
        """Ask for suite files (several allowed) and open them in the Suites tab."""
        paths = self.prompts.suite_files(self._folder())
        if paths:
            self.open_paths(paths)

    def open_paths(self, paths: Sequence[str | Path]) -> None:
        """Open these suite files in the Suites tab (read off the GUI thread)."""
        self.show_suites.emit()
        self.files.open(paths)

    def _bad_suite(self, error: SuiteError) -> None:
        self.ask.warn(_("The suite cannot be opened"), bad_suite_message(error))

    def make_panel(self) -> QWidget:
        """The Suites tab's panel, its intents connected to this flow (built when first shown)."""
        # Deferred: the tab is built the first time it is shown, with its imports.
        from flowsery_gui.ui.suites_panel import SuitesPanel

        panel = SuitesPanel(self.ctx.suites)
        panel.open_requested.connect(self.open_suites)
        panel.run_requested.connect(lambda pick: self.run(pick.suites, pick.checks))
        panel.cancel_requested.connect(self.cancel)
        panel.status.connect(self.status)
        panel.exchange_opened.connect(self.exchange_opened)
        return panel

    def make_recent_menu(self, parent: QWidget) -> QMenu:
        """File > Recent Suites, its picks opened by this flow."""
        from flowsery_gui.ui.suite_recent_menu import RecentSuitesMenu

        menu = RecentSuitesMenu(self.files, parent)
        menu.chosen.connect(lambda path: self.open_paths([path]))
        return menu

    # Running ------------------------------------------------------------------------------
    def run(self, suites: list[Suite], checks: dict[Path, PlanCheck]) -> bool:
        """Run these suites' goals on the active profile; True when the run started."""
        # Loaded already (the suite reader imports it, off the GUI thread).
        from flowsery_gui.sending import Target
        from flowsery_gui.suites.runner import is_production, production_consent_text, sends_planned

        if self.runs.running or not suites:
            return False
        service = self.ctx.target
        profile = service.profile
        if profile.kind == "sandbox":
            service.ensure_sandbox()
        target = Target(profile.name, profile.kind, service.base_url())
        confirmed = False
        if is_production(target):
            words = production_consent_text(sends_planned(suites))
            after = _(
                "Goals cannot be un-sent from here (deleting them needs the delete API). You "
                "are asked once for the whole run."
            )
            if not self.ask.confirm(
                _("Run on Production?"),
                f"{words}\n\n{after}",
                # Translators: the button that starts a suite run on the Production profile.
                _("Run on Production"),
            ):
                return False
            confirmed = True
        key = service.resolved_key()
        if not key.present and profile.kind != "sandbox":
            self._ask_for_key()  # the run's own check says what is missing if still none
            key = service.resolved_key()
        request = RunRequest(suites, target, key, self._fault(), confirmed, checks)
        return self.runs.start(request)

    def cancel(self, abort_in_flight: bool = False) -> None:
        """Stop the run after the goal in flight (or abort that one too)."""
        if not self.runs.running:
            return
        self.runs.cancel(abort_in_flight)
        if abort_in_flight:
            words = _("Aborting the goal in flight; the server may still record it.")
        else:
            words = _("Stopping after the goal in flight; the rest will not run.")
        self.status.emit(words, 8000)

    # Writing ------------------------------------------------------------------------------
    def add_to_suite(self) -> None:
        """Save the form's goal at the end of a suite file the person picks, with a title."""
        from flowsery_gui.suites.entries import goal_from_draft

        form = self.ctx.form
        draft = form.draft()
        errors = form.report.errors
        if not draft.name.strip() and not draft.metadata:
            self.status.emit(_("The form is empty: type a goal first."), 6000)
            return
        if errors and not self.ask.confirm(
            _("Add a goal the rules refuse?"),
            # Translators: {problem} is the first rule the goal breaks; keep "expect: refused:
            # true" as is (it is what the suite file says).
            _(
                "This goal breaks the API's rules ({problem}). It will be added as a goal that "
                "must be refused (expect: refused: true), to check that the rules keep catching "
                "it.",
                problem=errors[0].message,
            ),
            # Translators: the button that adds a goal the rules refuse, as a goal to refuse.
            _("Add as refused"),
        ):
            return
        chosen = self.files.suites
        suggested = str(chosen[-1].path) if chosen else self._folder()
        path = self.prompts.suite_to_add_to(suggested)
        if not path:
            return
        title = self.prompts.goal_title(draft.name)
        if title is None:
            return
        goal = goal_from_draft(draft, title=title, refused=bool(errors))
        label = title or draft.name

        def write() -> str | int:
            from flowsery_gui.suites.editing import SuiteEditError, append_goal

            try:
                return append_goal(path, goal)
            except SuiteEditError as exc:
                return str(exc)

        def done(result: str | int) -> None:
            if isinstance(result, str):
                self.ask.warn(_("The goal was not added"), result)
                return
            words = _(
                "Added “{label}” to {name}: it is goal {number} of it.",
                label=label,
                name=Path(path).name,
                number=format_number(result),
            )
            self.status.emit(words, 10000)
            self.open_paths([path])

        self.ctx.tasks.run(write, done, self._write_crashed)

    def save_as_suite(self, record_ids: Sequence[int]) -> None:
        """Turn these history records into a new suite file, in the order they were sent."""
        ids = sorted(record_ids)  # history ids grow with time: oldest first
        if not ids:
            return
        path = self.prompts.new_suite_file(str(Path(self._folder()) / "history.suite.yaml"))
        if not path:
            return
        store = self.ctx.history.store

        def write() -> str | int:
            from flowsery_gui.suites.editing import SuiteEditError, write_new_suite
            from flowsery_gui.suites.entries import goal_from_request

            records = [store.get(i) for i in ids] if store is not None else []
            goals = [goal_from_request(r.exchange.request.body, r.status) for r in records if r]
            if not goals:
                return _("History no longer keeps these requests.")
            heading = ngettext(
                "Saved from the Flowsery Goal Tester's history: {count} request, in the order "
                "they were sent.",
                "Saved from the Flowsery Goal Tester's history: {count} requests, in the order "
                "they were sent.",
                len(goals),
                count=format_number(len(goals)),
            )
            heading += "\n" + _(
                "A request that was not answered with 2xx expects its status again."
            )
            try:
                write_new_suite(path, suite_name_for(path), goals, heading=heading)
            except SuiteEditError as exc:
                return str(exc)
            return len(goals)

        def done(result: str | int) -> None:
            if isinstance(result, str):
                self.ask.warn(_("The suite was not saved"), result)
                return
            words = ngettext(
                "Saved {count} request as the suite {name}.",
                "Saved {count} requests as the suite {name}.",
                result,
                count=format_number(result),
                name=Path(path).name,
            )
            self.status.emit(words, 10000)
            self.open_paths([path])

        self.ctx.tasks.run(write, done, self._write_crashed)

    def _write_crashed(self, text: str) -> None:
        # Translators: {problem} is the name of a Python exception, such as MemoryError.
        trouble = _("Something went wrong inside the app ({problem}).", problem=text)
        self.ask.warn(_("The file was not written"), trouble)
