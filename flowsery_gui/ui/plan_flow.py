"""The tracking plan and the sandbox's received goals in the window: menus, tabs, status, loads.

Connects the plan service (open, close, recent, reloads) and the received feed to the
window's pieces: the File menu's plan entries, the Plan and Received tabs (built when first
shown), the status bar's plan label, the plan-aware form, the personal-data question before
a Production send, and the built-in sandbox's `checker`. No widget of its own beyond the
tabs and label it makes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QStatusBar, QWidget

from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ui.actions import ActionId
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.form_panel import FormPanel
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.plan_form import PlanForm
from flowsery_gui.ui.plan_label import PlanLabel
from flowsery_gui.ui.result_tabs import ResultTabs
from flowsery_gui.ui.send_flow import SendFlow

if TYPE_CHECKING:
    from flowsery_gui.plan import PlanError
    from flowsery_gui.ui.plan_panel import PlanPanel
    from flowsery_gui.ui.received_panel import ReceivedPanel

# Translators: the titles of two tabs: the tracking plan's goals, and the goals the built-in
# sandbox received.
PLAN_TAB, RECEIVED_TAB = N_("Plan"), N_("Received")
MAX_PROBLEMS_SHOWN = 20
#: The file dialog's filters (a msgid: the patterns in brackets stay as they are).
PLAN_FILTER = N_("Tracking plans (*.plan.yaml *.plan.yml *.yaml *.yml);;All files (*)")


def problems_text(path: str, error: PlanError) -> str:
    """A refused plan's problems for the dialog: one line each (file, line, key, words)."""
    problems = [str(p) for p in error.problems] or [str(error)]
    shown = problems[:MAX_PROBLEMS_SHOWN]
    head = ngettext(
        "The tracking plan {path} cannot be used:",
        "The tracking plan {path} cannot be used ({count} problems):",
        len(problems),
        path=path,
        count=format_number(len(problems)),
    )
    lines = [head, "", *(f"• {line}" for line in shown)]
    more = len(problems) - len(shown)
    if more > 0:
        lines.append(
            ngettext("… and {count} more.", "… and {count} more.", more, count=format_number(more))
        )
    lines += ["", _("Fix the file and open it again; the plan in use (if any) stays.")]
    return "\n".join(lines)


class PlanHost(Protocol):
    """What the plan features use of the main window (it is one, without being imported)."""

    ctx: AppContext
    ask: Ask
    tabs: ResultTabs
    actions_: dict[ActionId, QAction]
    form_panel: FormPanel
    send_flow: SendFlow

    def menuBar(self) -> QMenuBar: ...

    def statusBar(self) -> QStatusBar: ...


def install_plans(window: PlanHost) -> PlanFlow:
    """Add the tracking plan and the Received view to the window: File > Open Tracking
    Plan…, Recent Tracking Plans, Close Plan; the Plan and Received tabs; the status bar's
    plan; the plan-aware form; the personal-data question before Production. Called after
    the first paint, which then reopens the plan this profile had open last time."""
    flow = PlanFlow(
        window.ctx, window.ask, window.form_panel, window.send_flow, window.tabs, window.tabs
    )
    actions: Mapping[ActionId, QAction] = window.actions_
    for action_id, slot in (
        (ActionId.OPEN_PLAN, flow.open_dialog),
        (ActionId.CLOSE_PLAN, flow.close_plan),
        (ActionId.SHOW_PLAN, flow.show_plan),
        (ActionId.SHOW_RECEIVED, flow.show_received),
    ):
        actions[action_id].triggered.connect(slot)
    close = actions[ActionId.CLOSE_PLAN]
    menus = [action.menu() for action in window.menuBar().actions()]
    file_menu = next(m for m in menus if isinstance(m, QMenu) and close in m.actions())
    flow.add_menu_entries(file_menu, close)
    window.statusBar().insertPermanentWidget(0, flow.label)
    flow.status.connect(window.statusBar().showMessage)
    flow.resume()
    return flow


class PlanFlow(QObject):
    """The plan's and the Received view's part of the window, wired to the window's pieces."""

    status = Signal(str, int)  # words for the status bar, and for how many ms

    def __init__(
        self,
        ctx: AppContext,
        ask: Ask,
        form_panel: FormPanel,
        send_flow: SendFlow,
        tabs: ResultTabs,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask = ask
        self.plans = ctx.plans
        self.feed = ctx.received
        self.window = parent
        self.tabs = tabs
        self.close_action: QAction | None = None
        self.recent_menu: QMenu | None = None
        self._received: ReceivedPanel | None = None
        self._received_placeholder: QWidget | None = None  # the Received tab until built
        self.form = PlanForm(ctx.plans, ctx.form, form_panel, self)
        self.label = PlanLabel()
        tabs.add_lazy_tab(_(PLAN_TAB), self._make_plan_panel, key=PLAN_TAB)
        tabs.add_lazy_tab(_(RECEIVED_TAB), self._make_received_panel, key=RECEIVED_TAB)
        self._received_placeholder = tabs.widget(tabs.count() - 1)
        send_flow.plan_personal_keys = self._personal_keys
        self.form.status.connect(self.status)
        self.plans.notice.connect(lambda text: self.status.emit(text, 15000))
        self.plans.refused.connect(self._refused)
        self.plans.changed.connect(self._plan_changed)
        ctx.target.changed.connect(self._target_changed)
        ctx.target.sandbox_started.connect(lambda _url: self._target_changed())
        self._target_changed()

    def add_menu_entries(self, file_menu: QMenu, close: QAction) -> None:
        """The recent plans before Close Plan, a line after it; Close Plan enabled only with
        a plan open."""
        self.recent_menu = QMenu(_("&Recent Tracking Plans"), file_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.insertMenu(close, self.recent_menu)
        entries = file_menu.actions()
        after = entries.index(close) + 1
        if after < len(entries) and not entries[after].isSeparator():
            file_menu.insertSeparator(entries[after])
        self.close_action = close
        close.setEnabled(self.plans.plan is not None)

    def resume(self) -> None:
        """After the first paint: reopen the plan this profile had open last time."""
        self.plans.resume(self.ctx.target.profile.name)

    # The plan -----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        """Ask for a plan file and open it."""
        from PySide6.QtWidgets import QFileDialog

        recent = self.plans.recent()
        start = os.path.dirname(recent[0]) if recent else ""
        path, _filter = QFileDialog.getOpenFileName(
            self.window, _("Open Tracking Plan"), start, _(PLAN_FILTER)
        )
        if path:
            self.plans.open(path)

    def close_plan(self) -> None:
        """Stop using the plan."""
        if self.plans.plan is not None:
            self.plans.close()
            words = _("The tracking plan is closed: goals are checked by the API's rules only.")
            self.status.emit(words, 6000)

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        assert menu is not None  # made by add_menu_entries, whose menu is showing
        menu.clear()
        recent = self.plans.recent()
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.plans.open(p))
        if not recent:
            menu.addAction(_("No recent plans for this profile")).setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction(_("Clear This List")).triggered.connect(self.plans.forget_recent)

    def _refused(self, path: str, error: PlanError) -> None:
        self.status.emit(_("The tracking plan {path} was not opened.", path=path), 8000)
        self.ask.warn(_("The tracking plan cannot be used"), problems_text(path, error))

    def _plan_changed(self) -> None:
        plans = self.plans
        self.label.show_plan(plans.describe(), plans.path, plans.problem)
        if self.close_action is not None:
            self.close_action.setEnabled(plans.plan is not None)
        server = self.ctx.target.sandbox
        if server is not None:
            server.checker = plans.checker()

    def _personal_keys(self, name: str) -> tuple[str, ...]:
        plan = self.plans.plan
        return plan.personal_keys(name) if plan is not None else ()

    def _make_plan_panel(self) -> PlanPanel:
        # Deferred: built the first time the Plan tab is shown.
        from flowsery_gui.ui.plan_panel import PlanPanel

        panel = PlanPanel(self.plans, self.ctx.history, self.ctx.tasks)
        panel.load_requested.connect(self.form.load_goal)
        panel.open_requested.connect(self.open_dialog)
        return panel

    def show_plan(self) -> PlanPanel:
        """Bring the Plan view to the front (building it the first time); the view."""
        from flowsery_gui.ui.plan_panel import PlanPanel

        panel = self.tabs.show_lazy_tab(PLAN_TAB)
        assert isinstance(panel, PlanPanel)
        return panel

    # The received goals -------------------------------------------------------------------
    def _target_changed(self) -> None:
        target = self.ctx.target
        self.plans.set_profile(target.profile.name)
        sandbox = target.profile.kind == "sandbox"
        self.tabs.setTabVisible(self.received_index(), sandbox)
        server = target.sandbox
        if server is not None and self.feed.server is not server:
            server.checker = self.plans.checker()
            self.feed.attach(server)
            if self._received is not None:
                self._received.set_url(server.url)

    def received_index(self) -> int:
        """Where the Received tab is in the tab bar (found by its panel, not its title)."""
        panel = self._received or self._received_placeholder
        return self.tabs.indexOf(panel) if panel is not None else -1

    def _make_received_panel(self) -> ReceivedPanel:
        # Deferred: built the first time the Received tab is shown.
        from flowsery_gui.ui.received_panel import ReceivedPanel

        panel = ReceivedPanel(self.feed)
        server = self.ctx.target.sandbox
        panel.set_url(server.url if server is not None else "")
        panel.load_requested.connect(self._load_received)
        panel.clear_requested.connect(self._clear_received)
        self._received = panel
        return panel

    def received_panel(self) -> ReceivedPanel:
        """The Received view, brought to the front (built the first time)."""
        self.tabs.show_lazy_tab(RECEIVED_TAB)
        assert self._received is not None
        return self._received

    def show_received(self) -> None:
        """Bring the Received view to the front (while the Sandbox profile is active)."""
        if self.ctx.target.profile.kind != "sandbox":
            # Translators: {profile} is the built-in sandbox profile's name ("Sandbox").
            words = _(
                "The Received view shows the built-in sandbox: pick {profile}.", profile="Sandbox"
            )
            self.status.emit(words, 6000)
            return
        self.received_panel()

    def _load_received(self, body: str) -> None:
        from flowsery_gui.sending.drafts import draft_from_record

        draft, _findings = draft_from_record(body)
        if draft is None:
            self.status.emit(_("This request holds no goal to load."), 6000)
            return
        self.ctx.form.load(draft, touched=True)
        if draft.name:
            words = _("Loaded {name} as the sandbox received it.", name=draft.name)
        else:
            words = _("Loaded the goal as the sandbox received it.")
        self.status.emit(words, 6000)

    def _clear_received(self) -> None:
        cleared = self.feed.clear()
        requests, goals = cleared["requests"], cleared["goals"]
        # Translators: {goals} is "1 stored goal" or "3 stored goals" (translated apart).
        words = ngettext(
            "Cleared: the sandbox forgot {count} request and {goals}.",
            "Cleared: the sandbox forgot {count} requests and {goals}.",
            requests,
            count=format_number(requests),
            goals=ngettext(
                "{count} stored goal", "{count} stored goals", goals, count=format_number(goals)
            ),
        )
        self.status.emit(words, 8000)
