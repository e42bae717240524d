"""The main window: builds the panels, actions and menus and connects them; nothing more.

The work happens elsewhere: the send in `send_flow`/`send_owner`, pastes in `paste_flow`,
profiles and keys in `profile_flow`, what is remembered in `window_state`, the services in
the context. The window renders their state and routes the panels' intents to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import APP_NAME, contract
from flowsery_gui.contract import Draft
from flowsery_gui.i18n import _, sentences
from flowsery_gui.ui import icons, window_state
from flowsery_gui.ui.actions import ActionId, add_icons, build_actions, build_menus
from flowsery_gui.ui.cleanup_flow import CleanupFlow
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.fault_menu import FaultMenu
from flowsery_gui.ui.form_panel import FormPanel
from flowsery_gui.ui.interaction import Ask, Interaction
from flowsery_gui.ui.main_toolbar import MainToolbar
from flowsery_gui.ui.paste_flow import PasteFlow
from flowsery_gui.ui.profile_flow import ProfileFlow
from flowsery_gui.ui.result_tabs import ResultTabs
from flowsery_gui.ui.send_bar import SendBar
from flowsery_gui.ui.send_flow import SendFlow, prepare_send_path
from flowsery_gui.ui.send_owner import SendOwner
from flowsery_gui.ui.status_labels import HistoryCountLabel, TargetLabel
from flowsery_gui.ui.test_ids_flow import TestIdsFlow
from flowsery_gui.ui.window_layout import (
    FormKeptWhole,
    form_scroll_area,
    production_banner,
    tab_chain,
    window_chain,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from flowsery_gui.exchange import Exchange
    from flowsery_gui.ui.history_panel import HistoryPanel
    from flowsery_gui.ui.plan_flow import PlanFlow
    from flowsery_gui.ui.suite_flow import SuiteFlow


class MainWindow(QMainWindow):
    """Compose a goal on the left, read the answer on the right."""

    def __init__(self, ctx: AppContext, ask: Ask | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.form = ctx.form
        self.target = ctx.target
        self.ask: Ask = ask or Interaction(self)
        self.sending = SendOwner(ctx.target, ctx.history, ctx.tasks, self)
        self.profile_flow = ProfileFlow(ctx, self, self.ask)
        ask_for_key = self.profile_flow.ask_key_for_send
        self.send_flow = SendFlow(ctx.form, ctx.target, self.sending, self.ask, ask_for_key, self)
        self.cleanup_flow = CleanupFlow(ctx, self.sending, self)
        self.history_panel: HistoryPanel | None = None
        self.suite_flow: SuiteFlow | None = None  # goal suites: wired after the first paint
        self.plan_flow: PlanFlow | None = None  # tracking plans, Received: after it too
        # Only the toolbar's actions show an icon at the first paint; the menus' come after it.
        self.actions_ = build_actions(self, icons_now=(ActionId.SEND, ActionId.CANCEL))
        self._build_central()
        self.paste_flow = PasteFlow(ctx.form, self.ask, self.form_panel.paste_rows, self)
        self.send_flow.test_ids = self.test_ids = TestIdsFlow(ctx, self.ask, self.form_panel, self)
        send, cancel, key = (
            self.actions_[a] for a in (ActionId.SEND, ActionId.CANCEL, ActionId.MANAGE_KEY)
        )
        self.toolbar = MainToolbar(send, cancel, key)
        self.addToolBar(self.toolbar)
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self.refresh_profiles()
        # The Tab order is set right after the first paint (`after_show`): no key reaches the
        # window before then, and walking the tabs' bar builds its type (~1 ms).

    # Building -----------------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self._central_layout = outer
        self.production_banner: QLabel | None = None  # made when production is first chosen

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.form_panel = FormPanel(self.form)
        self.form_scroll = form_scroll_area(self.form_panel)
        left_layout.addWidget(self.form_scroll, 1)
        self.send_bar = SendBar()
        left_layout.addWidget(self.send_bar)
        self.splitter.addWidget(left)

        self.tabs = ResultTabs(self._make_history_panel)
        self.splitter.addWidget(self.tabs)
        # The form keeps the width its content needs; the answer takes what the window gains
        # or loses (see `window_layout.fit_form_first` for the first split).
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        menus = build_menus(self.menuBar(), self.actions_)
        self.fault_menu = FaultMenu(self)  # filled after the first paint
        menus["Goal"].addMenu(self.fault_menu)

    def _build_status_bar(self) -> None:
        self.target_label = TargetLabel()
        self.history_label = HistoryCountLabel()
        self.statusBar().addPermanentWidget(self.target_label)
        self.statusBar().addPermanentWidget(self.history_label)

    def _connect(self) -> None:
        a, paste, send, profiles = self.actions_, self.paste_flow, self.send_flow, self.profile_flow
        panel, tabs = self.form_panel, self.tabs
        for action_id, slot in (
            (ActionId.SEND, send.send),
            (ActionId.CANCEL, send.cancel),
            (ActionId.CLEANUP, lambda: self.cleanup_flow.open()),
            (ActionId.NEW_GOAL, self.new_goal),
            (ActionId.PASTE_JSON, paste.paste_json),
            (ActionId.PASTE_COOKIES, paste.paste_cookies),
            (ActionId.NEW_IDS, paste.new_ids),
            (ActionId.ADD_ROW, panel.add_row),
            (ActionId.REMOVE_ROW, panel.remove_row),
            (ActionId.MOVE_UP, lambda: panel.move_row(-1)),
            (ActionId.MOVE_DOWN, lambda: panel.move_row(1)),
            (ActionId.PASTE_ROWS, paste.paste_rows),
            (ActionId.COPY_CURL, self.copy_curl),
            (ActionId.FOCUS_NAME, self.focus_name),
            (ActionId.SHOW_RESPONSE, tabs.show_response),
            (ActionId.SHOW_REQUEST, tabs.show_request),
            (ActionId.SHOW_HISTORY, tabs.show_history),
            (ActionId.MANAGE_KEY, profiles.manage_key),
            (ActionId.MANAGE_PROFILES, profiles.manage_profiles),
            (ActionId.QUIT, self.close),
            (ActionId.ABOUT, self.about),
        ):
            a[action_id].triggered.connect(slot)
        self.send_bar.button.clicked.connect(send.send)
        panel.paste_cookies_requested.connect(paste.paste_cookies)
        panel.paste_json_requested.connect(paste.paste_json)
        panel.new_ids_requested.connect(paste.new_ids)
        panel.paste_rows_requested.connect(paste.paste_rows)
        for source in (paste.status, send.status, self.test_ids.status):
            source.connect(self.statusBar().showMessage)
        tabs.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        tabs.request_shown.connect(self._update_request_preview)
        send.pending.connect(self._sending)
        self.form.changed.connect(self.render_send_state)
        self.toolbar.profile_chosen.connect(profiles.choose)
        self.target.changed.connect(self.render_profile)
        self.target.profiles_changed.connect(self.refresh_profiles)
        self.target.sandbox_failed.connect(lambda _reason: self.target_label.sandbox_failed())
        self.target.sandbox_failed.connect(profiles.sandbox_failed)
        self.sending.busy_changed.connect(lambda _busy: self.render_send_state())
        self.sending.retry_changed.connect(self.render_send_state)
        self.sending.fault_changed.connect(self._fault_changed)
        self.fault_menu.chosen.connect(self.sending.set_fault)
        self.sending.finished.connect(self._answered)
        self.ctx.history.changed.connect(self._show_history_count)
        self.ctx.history.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.ctx.history.write_failed.connect(self._history_write_failed)
        panel.tab_chain_changed.connect(self.apply_tab_order)
        tabs.panel_built.connect(self.apply_tab_order)

    def _make_history_panel(self) -> QWidget:
        # Deferred: the History tab is built the first time it is shown, with its imports.
        from flowsery_gui.ui.history_panel import HistoryPanel

        self.ctx.history.open()
        panel = HistoryPanel(self.ctx, self.ask)
        panel.load_requested.connect(self.load_draft)
        panel.send_again_requested.connect(self.send_again)
        panel.cleanup_requested.connect(self.cleanup_flow.open)
        if self.suite_flow is not None:  # wired after the first paint, before any tab shows
            panel.save_as_suite_requested.connect(self.suite_flow.save_as_suite)
        panel.status.connect(self.statusBar().showMessage)
        self.history_panel = panel
        return panel

    # Rendering ----------------------------------------------------------------------------
    def refresh_profiles(self) -> None:
        """Refill the profile list (after profiles were added or removed)."""
        self.toolbar.set_profiles(self.ctx.profiles.list())
        self.render_profile()

    def render_profile(self) -> None:
        """Show the active profile, its key state, where goals go and the production warning."""
        profile = self.target.profile
        self.toolbar.show_target(profile, self.target.key_info())
        production = self.target.is_production()
        if production and self.production_banner is None:
            self.production_banner = production_banner()
            self._central_layout.insertWidget(0, self.production_banner)
        if self.production_banner is not None:
            self.production_banner.setVisible(production)
        sandbox = profile.kind == "sandbox"
        self.fault_menu.setEnabled(sandbox)
        fault = ""
        if sandbox and self.sending.fault:
            from flowsery_gui.ui.sandbox_faults import short_words

            fault = short_words(self.sending.fault)
        server = self.target.sandbox
        self.target_label.show_target(profile, server.url if server else None, fault)
        # Translators: the window's title: the app's name, then the active profile's name.
        title = _("{app} — {profile}", app=APP_NAME, profile=profile.name)
        if self.windowTitle() != title:  # each set costs the platform window a round trip
            self.setWindowTitle(title)
        self.render_send_state()

    def render_send_state(self) -> None:
        """Enable Send only when the form is valid and nothing is in flight; say why not."""
        state = self.send_flow.state()
        self.send_bar.show_state(state)
        self.actions_[ActionId.SEND].setEnabled(state.can_send)
        self.actions_[ActionId.CANCEL].setEnabled(state.busy)
        self.toolbar.set_busy(state.busy)
        if self.tabs.request_in_front():
            self._update_request_preview()  # otherwise done when the tab is shown

    def _update_request_preview(self) -> None:
        preview = self.send_flow.preview()
        self.tabs.request.set_planned(
            preview.display, preview.snippet_source, blocked_reason=preview.blocked_reason
        )

    def _show_history_count(self, count: int) -> None:
        """The status bar's count of stored requests: written here, and only here."""
        history = self.ctx.history
        self.history_label.show_count(
            count, history.available, history.message, history.write_error
        )

    def _history_write_failed(self, exchange: Exchange, message: str) -> None:
        """A send was not kept: said in the status bar and under its answer, never only logged."""
        self.statusBar().showMessage(message, 30000)
        self.tabs.response.show_history_failure(exchange, message)

    def apply_tab_order(self) -> None:
        """Tab through the window in visual order (again, when panels or Fix buttons joined)."""
        toolbar = [self.toolbar.profile_combo, self.toolbar.key_button]
        form, tabs = self.form_panel.tab_chain(), self.tabs.tab_chain()
        tab_chain(window_chain(toolbar, form, self.send_bar.button, tabs))

    def _fault_changed(self, header: str) -> None:
        from flowsery_gui.ui.sandbox_faults import explanation

        self.fault_menu.check(header)
        self.statusBar().showMessage(explanation(header), 10000)
        self.render_profile()

    def _sending(self, where: str) -> None:
        self.tabs.response.show_pending(where)
        self.tabs.show_response()

    def _answered(self, exchange: Exchange) -> None:
        self.tabs.response.show_exchange(exchange)
        self.tabs.show_response()

    # Intents ------------------------------------------------------------------------------
    def load_draft(self, draft: Draft, profile: str) -> None:
        """Put a goal (from history) in the form, on the profile it was sent to when it exists."""
        self.form.load(draft, touched=True)
        where = ""
        if self.ctx.profiles.get(profile) is not None:
            if profile != self.target.profile.name:
                where = _("The profile is now {profile}, where it was sent.", profile=profile)
            self.target.set_profile(profile)
        loaded = (
            _("Loaded {name} from history.", name=draft.name)
            if draft.name
            else _("Loaded the goal from history.")
        )
        self.statusBar().showMessage(sentences(loaded, where), 8000)

    def send_again(self, draft: Draft, profile: str) -> None:
        """Load a goal from history and send it through the usual checks (production asks)."""
        self.load_draft(draft, profile)
        self.send_flow.send()

    def copy_curl(self) -> None:
        """Copy the current request as cURL (the key stays $FLOWSERY_API_KEY)."""
        self._update_request_preview()
        if not self.tabs.request.copy_snippet("curl"):
            self.statusBar().showMessage(_("Nothing to copy yet: fix the form first."), 5000)

    def focus_name(self) -> None:
        """Put the cursor in the goal name."""
        self.form_panel.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.form_panel.name_edit.selectAll()

    def new_goal(self) -> None:
        """Clear the form."""
        self.form.load(Draft(timezone=self.form.value("timezone")), touched=False)
        self.tabs.response.clear()
        self.focus_name()

    def about(self) -> None:
        """Version and where things are kept."""
        # Deferred: the message box class (and its enums) costs start-up time (~2 ms).
        from flowsery_gui.ui.about_box import show_about

        show_about(self)

    # Life cycle ---------------------------------------------------------------------------
    def restore_state(self) -> None:
        """Window geometry, splitter and the last form (never secrets)."""
        window_state.restore(self.ctx.settings, self, self.splitter, self.form)

    def save_state(self) -> None:
        """Write geometry and the form to the settings."""
        window_state.save(self.ctx.settings, self, self.splitter, self.form)

    def after_show(self) -> None:
        """Work that need not delay the first paint: zone list, key lookup, history count."""
        QTimer.singleShot(0, self._after_show)

    def _after_show(self) -> None:
        self.ctx.tasks.forget_module_sources()
        self.apply_tab_order()
        self.test_ids.render()  # the test-IDs box and the ID fields' hints
        FormKeptWhole(self.form_scroll, self.form_panel)  # as wide as the form's content needs
        # After the first paint: the window icon (seven PNG sizes, and Qt's image plugins
        # scanned), the menus' icons, and following palette changes.
        self.setWindowIcon(icons.app_icon())
        add_icons(self.actions_)
        from flowsery_gui.ui.palette_watch import PaletteWatch

        PaletteWatch(self).changed.connect(self._palette_changed)
        self.target.resume()
        self.fault_menu.fill(self.sending.fault)
        from flowsery_gui.ui.suite_flow import install_suites  # goal suites (~10 ms of imports)

        self.suite_flow = install_suites(self)
        from flowsery_gui.ui.plan_flow import install_plans  # tracking plans, Received view

        self.plan_flow = install_plans(self)
        from flowsery_gui.ui.preferences import install_preferences  # Edit > Preferences…

        install_preferences(self.actions_[ActionId.PREFERENCES], self.ctx.settings, self)
        self.form_panel.set_timezones(sorted(contract.timezones()))
        self.form.revalidate()
        # The right-hand panels wait for the person's first edit (or a tab switch, or Send):
        # an untouched window stays small, and they are ready before an answer can arrive.
        self.form.changed.connect(self._build_panels_once)
        self.ctx.history.open_soon()
        # Everything built so far lives as long as the window: keep the garbage collector from
        # walking it again and again (it showed as pauses between keystrokes).
        import gc

        gc.freeze()

    def _build_panels_once(self) -> None:
        self.form.changed.disconnect(self._build_panels_once)
        QTimer.singleShot(0, self._build_panels)

    def _build_panels(self) -> None:
        # After the first edit, not at start-up: an untouched window keeps its memory small.
        self.ctx.tasks.run(prepare_send_path)
        self.tabs.build_panels()
        self.ctx.tasks.forget_module_sources()

    def _palette_changed(self) -> None:
        """Follow a switch between light and dark palettes: redraw the action icons."""
        icons.retint(self)
        self.toolbar.retint()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        # A send still waiting is cancelled, and kept in history like any other: the server
        # may have recorded the goal, and the person should be able to see that it was sent.
        self.sending.finish_now(3000)
        self.ctx.shutdown()
        super().closeEvent(event)
