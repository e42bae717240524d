"""The main window: assembles the panels and actions; the work happens in the models and core."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QIcon,
    QPalette,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import APP_NAME, contract, icons
from flowsery_gui.contract import Draft
from flowsery_gui.ui.actions import MENU_ORDER, ActionId, build_actions
from flowsery_gui.ui.form_panel import FIELD_LABELS, FormPanel, describe_path
from flowsery_gui.ui.interaction import Interaction
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.send_controller import SendController

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.request_panel import RequestPanel
    from flowsery_gui.ui.response_panel import ResponsePanel


class MainWindow(QMainWindow):
    """Compose a goal on the left, read the answer on the right."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.window = self
        self.form = ctx.form
        self.session = ctx.session
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icons.app_icon())
        self.sender_ = SendController(ctx.tasks, self)
        self._in_flight: tuple[str, dict[str, object] | None, str | None] | None = None
        self._retry_at = 0.0  # when the last answer's Retry-After ends (epoch seconds)
        self.sandbox_fault = ""  # the fault the built-in sandbox is asked to answer with
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(1000)
        self._retry_timer.timeout.connect(self._retry_tick)
        self.ask = Interaction(self)
        self.actions_ = build_actions(self)
        self._build_central()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self.refresh_profiles()

    # Building -----------------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.production_banner = QLabel(
            "PRODUCTION: goals you send here count in your real analytics."
        )
        self.production_banner.setObjectName("production_banner")
        # A palette, not a style sheet: style sheets cost memory for the whole window.
        banner = self.production_banner.palette()
        banner.setColor(QPalette.ColorRole.Window, QColor("#b91c1c"))
        banner.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
        self.production_banner.setPalette(banner)
        self.production_banner.setAutoFillBackground(True)
        self.production_banner.setContentsMargins(8, 4, 8, 4)
        font = self.production_banner.font()
        font.setBold(True)
        self.production_banner.setFont(font)
        self.production_banner.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.production_banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.form_panel = FormPanel(self.form)
        # The form scrolls when the window is small or the font large, rather than squeezing
        # its messages or making the window grow by itself.
        form_scroll = QScrollArea()
        form_scroll.setObjectName("form_scroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form_panel)
        self.form_scroll = form_scroll
        left_layout.addWidget(form_scroll, 1)
        send_bar = QHBoxLayout()
        send_bar.setContentsMargins(8, 0, 8, 8)
        self.send_reason = QLabel()
        self.send_reason.setObjectName("send_reason")
        self.send_reason.setWordWrap(True)
        self.send_reason.setTextFormat(Qt.TextFormat.PlainText)
        self.send_reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.send_button = QPushButton("Send")
        icons.set_icon(self.send_button, "send")
        self.send_button.setObjectName("send_button")
        self.send_button.setAccessibleName("Send goal")
        self.send_button.setDefault(False)
        self.send_button.setMinimumWidth(110)
        self.send_button.clicked.connect(self.send)
        send_bar.addWidget(self.send_reason, 1)
        send_bar.addWidget(self.send_button)
        left_layout.addLayout(send_bar)
        self.splitter.addWidget(left)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("right_tabs")
        # The right-hand panels are built just after the first paint (see `_after_show`), or
        # on first use: until then light stand-ins hold their places.
        self._response: ResponsePanel | None = None
        self._request: RequestPanel | None = None
        self._response_placeholder = QLabel(
            "Fire a goal with Send (Ctrl+Enter). The answer appears here."
        )
        self._response_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._response_placeholder.setWordWrap(True)
        self._request_placeholder = QWidget()
        self.tabs.addTab(self._response_placeholder, "Response")
        self.tabs.addTab(self._request_placeholder, "Request")
        self.history_placeholder = QWidget()  # the history panel replaces it on first view
        self.tabs.addTab(self.history_placeholder, "History")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.setCentralWidget(central)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        profile_label = QLabel(" Pr&ofile: ")
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile_combo")
        self.profile_combo.setAccessibleName("Active profile")
        self.profile_combo.setMinimumWidth(150)
        profile_label.setBuddy(self.profile_combo)
        bar.addWidget(profile_label)
        bar.addWidget(self.profile_combo)
        bar.addSeparator()
        self.key_button = QToolButton()
        self.key_button.setObjectName("key_state")
        self.key_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icons.set_icon(self.key_button, "key")
        self.key_button.setAutoRaise(True)
        self.key_button.clicked.connect(self.actions_[ActionId.MANAGE_KEY].trigger)
        bar.addWidget(self.key_button)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.actions_[ActionId.SEND])
        bar.addAction(self.actions_[ActionId.CANCEL])
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_menus(self) -> None:
        from flowsery_gui.ui.actions import ACTIONS

        menus = {name: self.menuBar().addMenu(f"&{name}") for name in MENU_ORDER}
        for action_id, spec in ACTIONS.items():
            menus[spec.menu].addAction(self.actions_[action_id])
            if action_id in (ActionId.NEW_GOAL, ActionId.PASTE_ROWS, ActionId.CANCEL):
                menus[spec.menu].addSeparator()
        self.fault_menu = menus["Goal"].addMenu("Sandbox &Fault")  # filled after first paint
        self.fault_menu.setStatusTip(
            "Rehearse the API's errors: the built-in sandbox answers with the fault you choose"
        )
        self.fault_actions: dict[str, QAction] = {}

    def _fill_fault_menu(self) -> None:
        """Goal > Sandbox Fault: answers the built-in sandbox gives instead of storing a goal."""
        from PySide6.QtGui import QActionGroup

        from flowsery_gui.ui.sandbox_faults import FAULTS

        if self.fault_actions:
            return
        self._fault_group = QActionGroup(self)
        self._fault_group.setExclusive(True)
        for choice in FAULTS:
            action = QAction(choice.label, self._fault_group)
            action.setCheckable(True)
            action.setChecked(choice.header == self.sandbox_fault)
            action.setStatusTip(choice.explains)
            action.triggered.connect(lambda _=False, h=choice.header: self.set_sandbox_fault(h))
            self.fault_menu.addAction(action)
            self.fault_actions[choice.header] = action
            if not choice.header:
                self.fault_menu.addSeparator()

    def _build_status_bar(self) -> None:
        self.sandbox_label = QLabel("Sandbox: not started")
        self.sandbox_label.setObjectName("sandbox_status")
        self.sandbox_label.setTextFormat(Qt.TextFormat.PlainText)
        self.history_label = QLabel("")
        self.history_label.setObjectName("history_status")
        self.statusBar().addPermanentWidget(self.sandbox_label)
        self.statusBar().addPermanentWidget(self.history_label)

    def _connect(self) -> None:
        a = self.actions_
        a[ActionId.SEND].triggered.connect(self.send)
        a[ActionId.CANCEL].triggered.connect(self.cancel)
        a[ActionId.NEW_GOAL].triggered.connect(self.new_goal)
        a[ActionId.PASTE_JSON].triggered.connect(self.paste_json)
        a[ActionId.PASTE_COOKIES].triggered.connect(self.paste_cookies)
        a[ActionId.NEW_IDS].triggered.connect(self.new_ids)
        a[ActionId.ADD_ROW].triggered.connect(self.form_panel.add_row)
        a[ActionId.REMOVE_ROW].triggered.connect(self.form_panel.remove_row)
        a[ActionId.MOVE_UP].triggered.connect(lambda: self.form_panel.move_row(-1))
        a[ActionId.MOVE_DOWN].triggered.connect(lambda: self.form_panel.move_row(1))
        a[ActionId.PASTE_ROWS].triggered.connect(self.paste_rows)
        a[ActionId.COPY_CURL].triggered.connect(self.copy_curl)
        a[ActionId.FOCUS_NAME].triggered.connect(self.focus_name)
        a[ActionId.SHOW_RESPONSE].triggered.connect(
            lambda: self.tabs.setCurrentWidget(self.response_panel)
        )
        a[ActionId.SHOW_REQUEST].triggered.connect(self.show_request)
        a[ActionId.SHOW_HISTORY].triggered.connect(self.show_history)
        a[ActionId.MANAGE_KEY].triggered.connect(self.manage_key)
        a[ActionId.MANAGE_PROFILES].triggered.connect(self.manage_profiles)
        a[ActionId.QUIT].triggered.connect(self.close)
        a[ActionId.ABOUT].triggered.connect(self.about)
        self.form_panel.paste_cookies_requested.connect(self.paste_cookies)
        self.form_panel.paste_json_requested.connect(self.paste_json)
        self.form_panel.new_ids_requested.connect(self.new_ids)
        self.form_panel.paste_rows_requested.connect(self.paste_rows)
        self.form.changed.connect(self.render_send_state)
        self.profile_combo.activated.connect(self._profile_chosen)
        self.session.changed.connect(self.render_profile)
        self.session.sandbox_failed.connect(self._sandbox_failed)
        self.sender_.busy_changed.connect(lambda _busy: self.render_send_state())
        self.sender_.finished.connect(self._on_exchange)

    # Lazily built panels ------------------------------------------------------------------
    @property
    def response_panel(self) -> ResponsePanel:
        """The response panel (built on first use)."""
        if self._response is None:
            from flowsery_gui.ui.response_panel import ResponsePanel

            self._response = ResponsePanel()
            self._response.copied.connect(self._show_status)
            self._swap_tab(self._response_placeholder, self._response, "Response")
        return self._response

    @property
    def request_panel(self) -> RequestPanel:
        """The request preview panel (built on first use)."""
        if self._request is None:
            from flowsery_gui.ui.request_panel import RequestPanel

            self._request = RequestPanel()
            self._request.copied.connect(self._show_status)
            self._swap_tab(self._request_placeholder, self._request, "Request")
        return self._request

    def _build_panels_once(self) -> None:
        self.form.changed.disconnect(self._build_panels_once)
        QTimer.singleShot(0, self._build_panels)

    def _build_panels(self) -> None:
        self.response_panel  # noqa: B018  (the properties build them)
        self.request_panel  # noqa: B018
        self.ctx.tasks.forget_module_sources()

    def _swap_tab(self, old: QWidget, new: QWidget, title: str) -> None:
        index = self.tabs.indexOf(old)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, new, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        old.deleteLater()

    def show_history_count(self, shown: str, count: int) -> None:
        """The status bar's count of stored requests."""
        self.history_label.setText(f"History: {shown} request{'' if count == 1 else 's'}")

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    # Rendering ----------------------------------------------------------------------------
    def refresh_profiles(self) -> None:
        """Refill the profile list (after profiles were added or removed)."""
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for profile in self.session.profiles.list():
            shown = profile.name
            if profile.kind == "production":
                shown = f"{profile.name} (real data)"
            self.profile_combo.addItem(_profile_icon(profile.kind), shown, profile.name)
            tip = profile.base_url or "The built-in sandbox on this computer"
            self.profile_combo.setItemData(
                self.profile_combo.count() - 1, tooltip(tip), Qt.ItemDataRole.ToolTipRole
            )
        self.profile_combo.blockSignals(False)
        self._profiles_changed()
        self.render_profile()

    def _profiles_changed(self) -> None:
        if self.ctx.history_panel is not None:
            self.ctx.history_panel.refresh_profiles()

    def render_profile(self) -> None:
        """Show the active profile, its key state and the production warning."""
        profile = self.session.profile
        index = self.profile_combo.findData(profile.name)
        if index >= 0 and index != self.profile_combo.currentIndex():
            self.profile_combo.setCurrentIndex(index)
        production = self.session.is_production()
        self.production_banner.setVisible(production)
        self.profile_combo.setStyleSheet(
            "QComboBox { background: #b91c1c; color: white; font-weight: bold; }"
            if production
            else ""
        )
        info = self.session.key_info()
        self.key_button.setText(info.text)
        self.key_button.setToolTip(tooltip(info.detail or info.text))
        self.key_button.setAccessibleName(info.text)
        if profile.kind == "sandbox":
            sandbox = self.session.sandbox
            target = (
                f"Sends to the sandbox at {sandbox.url.removeprefix('http://')}"
                if sandbox
                else "Sandbox: starting…"
            )
        else:
            target = f"Sends to {profile.base_url}"
        sandbox = profile.kind == "sandbox"
        self.fault_menu.setEnabled(sandbox)
        if sandbox and self.sandbox_fault:
            from flowsery_gui.ui.sandbox_faults import choice_for

            target += f" · fault: {choice_for(self.sandbox_fault).short}"
        self.sandbox_label.setText(target)
        self.setWindowTitle(f"{APP_NAME} — {profile.name}")
        self.render_send_state()

    def render_send_state(self) -> None:
        """Enable Send only when the form is valid and nothing is in flight; say why not."""
        report = self.form.report
        busy = self.sender_.busy
        errors = report.errors
        if busy:
            reason = "Sending…"
        elif errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            count = "1 problem" if len(errors) == 1 else f"{len(errors)} problems"
            where = "" if first.path in FIELD_LABELS else f"{describe_path(first.path)}: "
            reason = f"Fix {count} to send: {where}{first.message}{more}"
        elif self.session.profile.kind != "sandbox" and not self.session.key():
            reason = "Ready. No API key yet: Send will ask for one."
        else:
            warnings = len(report.warnings)
            reason = "Ready to send." + (
                f" {warnings} warning{'s' if warnings != 1 else ''} (they don't block sending)."
                if warnings
                else ""
            )
            key = self.session.key()
            key_warnings = contract.check_api_key(key) if key else ()
            if key_warnings:  # a warning, never a block: the server has the last word
                reason += f" ⚠ {key_warnings[0].message}"
            wait = self._retry_at - time.time()
            if wait > 0:
                until = time.strftime("%H:%M:%S", time.localtime(self._retry_at))
                reason += (
                    f" The server asked to wait until {until} ({wait:.0f} s more) "
                    "before sending again."
                )
        can_send = not busy and not errors
        self.send_button.setEnabled(can_send)
        self.actions_[ActionId.SEND].setEnabled(can_send)
        self.actions_[ActionId.CANCEL].setEnabled(busy)
        self.profile_combo.setEnabled(not busy)  # an answer belongs to the profile it was sent to
        self.send_reason.setText(reason)
        self.send_button.setToolTip(tooltip(reason) if not can_send else "Send (Ctrl+Enter)")
        if self._request is not None and self.tabs.currentWidget() is self._request:
            self._update_request_preview()  # otherwise done when the tab is shown

    def _update_request_preview(self) -> None:
        from flowsery_gui.request_model import masked_for_display, plan_goal_request

        report = self.form.report
        base = self.session.base_url() or "http://127.0.0.1:(sandbox)"
        draft = self.form.draft()
        body = report.body
        blocked = None
        if body is None:
            # Show what is known, even while there are errors.
            body = {"name": draft.name} if draft.name else {}
            errors = len(report.errors)
            blocked = f"Fix {errors} problem{_s(errors)} in the form to send this goal."
        planned = plan_goal_request(
            base,
            body,
            has_key=True,
            user_agent=self.ctx.user_agent,
            extra_headers=tuple(self._fault_headers().items()),
        )
        display = masked_for_display(planned, self.session.key())
        self.request_panel.set_planned(
            display, planned if blocked is None else None, blocked_reason=blocked
        )

    # Intents ------------------------------------------------------------------------------
    def _profile_chosen(self, index: int) -> None:
        name = self.profile_combo.itemData(index)
        if name:
            self.session.set_profile(name)
            self.ctx.settings.setValue("profile", name)

    def show_request(self) -> None:
        """Show the live request preview."""
        self.tabs.setCurrentWidget(self.request_panel)
        self._update_request_preview()

    def copy_curl(self) -> None:
        """Copy the current request as cURL (the key stays $FLOWSERY_API_KEY)."""
        self._update_request_preview()
        if not self.request_panel.copy_snippet("curl"):
            self.statusBar().showMessage("Nothing to copy yet: fix the form first.", 5000)

    def focus_name(self) -> None:
        """Put the cursor in the goal name."""
        self.form_panel.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.form_panel.name_edit.selectAll()

    def new_goal(self) -> None:
        """Clear the form."""
        self.form.load(Draft(timezone=self.form.value("timezone")), touched=False)
        self.response_panel.clear()
        self.focus_name()

    def new_ids(self) -> None:
        """Fresh random visitor and session IDs for a test."""
        from flowsery_gui.ids import new_session_id, new_visitor_id

        self.form.set_value("visitorUid", new_visitor_id())
        self.form.set_value("sessionUid", new_session_id())
        self.statusBar().showMessage("New test visitor and session IDs.", 4000)

    def paste_cookies(self) -> None:
        """Fill both IDs from cookies copied out of the browser's devtools."""
        from flowsery_gui.cookies import parse_pasted_cookies

        def preview(text: str) -> tuple[bool, str]:
            found = parse_pasted_cookies(text)
            usable = bool(found.visitor_uid or found.session_uid)
            lines = [found.message]
            if found.visitor_uid:
                lines.append(f"Visitor ID (_fs_vid): {found.visitor_uid}")
            if found.session_uid:
                lines.append(f"Session ID (_fs_sid): {found.session_uid}")
            if usable and not (found.visitor_uid and found.session_uid):
                missing = "Session ID" if found.visitor_uid else "Visitor ID"
                lines.append(f"{missing}: cleared (it would belong to another visit).")
            return usable, "\n".join(lines)

        text = self.ask.paste(
            "Paste Cookies",
            "Paste a Cookie header, a document.cookie string, or a request copied as cURL "
            "from your browser's devtools. The _fs_vid and _fs_sid values fill the IDs.",
            preview,
            "Use these IDs",
        )
        if text is None:
            return
        found = parse_pasted_cookies(text)
        if not (found.visitor_uid or found.session_uid):
            return
        # Both IDs come from the same paste: an old partner would pair two different visits.
        self.form.set_value("visitorUid", found.visitor_uid or "")
        self.form.set_value("sessionUid", found.session_uid or "")
        self.form.touch("visitorUid")
        self.form.touch("sessionUid")
        self.statusBar().showMessage(found.message, 6000)

    def paste_json(self) -> None:
        """Fill the whole form from a JSON body copied from logs."""

        def convert(text: str) -> tuple[Draft | None, str]:
            note = ""
            try:
                parsed = contract.parse_body(text)
            except contract.NotJSON as exc:
                # A log line or a request dump: try the outermost {...} in it.
                start, end = text.find("{"), text.rfind("}")
                if start < 0 or end <= start:
                    return None, str(exc)
                try:
                    parsed = contract.parse_body(text[start : end + 1])
                except contract.NotJSON:
                    return None, str(exc)
                note = "Took the JSON object out of the surrounding text."
            if not isinstance(parsed.value, dict):
                _draft, findings = contract.draft_from_body(parsed.value)
                return None, findings[0].message if findings else "Expected a JSON object."
            if not parsed.value:
                return None, "This JSON object is empty: there is nothing to put in the form."
            draft, findings = contract.draft_from_body(parsed.value)
            rows = len(draft.metadata)
            lines = [
                f"Goal {draft.name or '(no name)'} with {rows} metadata row{_s(rows)}.",
                *([note] if note else []),
            ]
            lines += [f"• {f.path}: {f.message}" if f.path else f"• {f.message}" for f in findings]
            return draft, "\n".join(lines)

        text = self.ask.paste(
            "Paste JSON Body",
            'Paste a goal body such as {"name": "signup", "metadata": {...}}. '
            "Fields the form has no place for are listed below and left out.",
            lambda text: (lambda d, m: (d is not None, m))(*convert(text)),
            "Fill the form",
        )
        if text is None:
            return
        draft, message = convert(text)
        if draft is None:
            return
        self.form.load(draft, touched=True)
        self.statusBar().showMessage(message.splitlines()[0], 6000)

    def paste_rows(self) -> None:
        """Add several metadata rows from key=value or tab-separated lines."""
        from flowsery_gui.ui.form_model import parse_rows_text

        def preview(text: str) -> tuple[bool, str]:
            rows = parse_rows_text(text)
            if not rows:
                return False, "No key=value lines found."
            shown = ", ".join(f"{k}={v}" for k, v in rows[:5])
            more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
            return True, f"{len(rows)} row{_s(len(rows))}: {shown}{more}"

        text = self.ask.paste(
            "Paste Metadata Rows",
            "One row per line: key=value, key: value, or key<Tab>value (as copied from a "
            "spreadsheet).",
            preview,
            "Add rows",
        )
        if text is not None:
            count = self.form_panel.paste_rows(text)
            self.statusBar().showMessage(f"Added {count} metadata row{_s(count)}.", 4000)

    def send(self) -> None:
        """Check everything a person would want checked, then send on a worker thread."""
        report = self.form.report
        if self.sender_.busy:
            return
        if not report.ok or report.body is None:
            self.form.touch_all()
            self.render_send_state()
            return
        if self.session.profile.kind == "sandbox":
            self.session.ensure_sandbox()
        base_url = self.session.base_url()
        key = self.session.key()
        if not key:
            self.manage_key()
            key = self.session.key()
            if not key:
                return
        from flowsery_gui.netsafety import check_url_safety

        refusal = check_url_safety(base_url.rstrip("/") + contract.GOALS_PATH, has_key=True)
        if refusal:
            self.statusBar().showMessage(refusal, 15000)
            self.ask.warn("Not sent", refusal)
            return
        if self.session.needs_production_confirmation():
            if not self.ask.confirm(
                "Send to production?",
                f"This goal will count in your real analytics at {base_url}.\n\n"
                "Goals cannot be un-sent from here (deleting them needs the delete API). "
                "You will not be asked again until you restart the app.",
                "Send to production",
            ):
                return
            self.session.confirm_production()
        self.response_panel.show_pending(f"Sending to {self.session.profile.name}…")
        self.tabs.setCurrentWidget(self.response_panel)
        # What this send is, kept until its answer: the profile may change meanwhile.
        self._in_flight = (self.session.profile.name, report.body, key)
        self.sender_.send(base_url, key, report.body, extra_headers=self._fault_headers())

    def set_sandbox_fault(self, header: str) -> None:
        """Have the built-in sandbox answer every send with this fault ("" for normal answers)."""
        from flowsery_gui.ui.sandbox_faults import choice_for

        choice = choice_for(header)
        self.sandbox_fault = choice.header
        if choice.header in self.fault_actions:  # the menu is filled after the first paint
            self.fault_actions[choice.header].setChecked(True)
        self.statusBar().showMessage(choice.explains, 10000)
        self.render_profile()
        if self._request is not None and self.tabs.currentWidget() is self._request:
            self._update_request_preview()

    def _fault_headers(self) -> dict[str, str]:
        """The fault header for the next send: only ever to the built-in sandbox."""
        from flowsery_gui.ui.sandbox_faults import FAULT_HEADER

        if self.sandbox_fault and self.session.profile.kind == "sandbox":
            return {FAULT_HEADER: self.sandbox_fault}
        return {}

    def cancel(self) -> None:
        """Stop waiting for the answer."""
        if self.sender_.busy:
            self.sender_.cancel()
            self.statusBar().showMessage(
                "Cancelled. The server may still have recorded the goal.", 8000
            )

    def _on_exchange(self, exchange: Exchange) -> None:
        self._note_retry_after(exchange)
        self.response_panel.show_exchange(exchange)
        self.tabs.setCurrentWidget(self.response_panel)
        profile, goal, key = self._in_flight or (self.session.profile.name, None, None)
        self._in_flight = None
        self.ctx.record(exchange, profile, goal, key)

    def _note_retry_after(self, exchange: Exchange) -> None:
        """Remember a server's Retry-After (seconds or a date) to show in the send bar."""
        from email.utils import parsedate_to_datetime

        self._retry_at = 0.0
        value = exchange.response.header("Retry-After") if exchange.response else None
        if not value:
            return
        try:
            self._retry_at = time.time() + float(value)
        except ValueError:
            try:
                self._retry_at = parsedate_to_datetime(value).timestamp()
            except (TypeError, ValueError, IndexError):
                return
        self._retry_timer.start()  # the note counts down, then goes
        self.render_send_state()

    def _retry_tick(self) -> None:
        if time.time() >= self._retry_at:
            self._retry_timer.stop()
        self.render_send_state()

    def _sandbox_failed(self, reason: str) -> None:
        self.sandbox_label.setText("Sandbox: could not start")
        self.ask.warn(
            "The sandbox could not start",
            f"The built-in sandbox did not start: {reason}\n\nPick another profile, or run "
            "flowsery-sandbox in a terminal and add its URL as a custom profile.",
        )

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.history_placeholder:
            self.show_history()
        elif widget is self._request_placeholder or widget is self._request:
            self._update_request_preview()
            self.tabs.setCurrentWidget(self.request_panel)
        elif widget is self._response_placeholder:
            self.tabs.setCurrentWidget(self.response_panel)

    def show_history(self) -> None:
        """Show the history tab (built on first use)."""
        self.ctx.show_history(self)

    def manage_key(self) -> None:
        """Open the key dialog for the active profile."""
        self.ctx.manage_key(self)

    def manage_profiles(self) -> None:
        """Add or remove custom profiles."""
        self.ctx.manage_profiles(self)

    def about(self) -> None:
        """Version and where things are kept."""
        from flowsery_gui import version

        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"{APP_NAME} {version()}\n\nFire custom goal events at the Flowsery analytics API "
            "and see exactly what happened.\n\nAPI keys are kept only in your system keyring."
        )
        box.exec()

    # Persistence --------------------------------------------------------------------------
    def restore_state(self) -> None:
        """Window geometry, splitter and the last form (never secrets)."""
        settings = self.ctx.settings
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            available = screen.availableGeometry() if screen else None
            width = min(1180, available.width() - 40) if available else 1180
            height = min(760, available.height() - 40) if available else 760
            self.resize(width, height)
        splitter = settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:  # the form a little narrower than the answer
            self.splitter.setSizes([self.width() * 45 // 100, self.width() * 55 // 100])
        raw = settings.value("form/last")
        if isinstance(raw, str) and raw:
            try:
                data = json.loads(raw)
                draft = Draft(
                    name=str(data.get("name", "")),
                    visitor_uid=str(data.get("visitorUid", "")),
                    session_uid=str(data.get("sessionUid", "")),
                    timezone=str(data.get("timezone", "")),
                    metadata=tuple((str(k), str(v)) for k, v in data.get("metadata", [])),
                )
            except (ValueError, TypeError, AttributeError):
                draft = None
            if draft is not None:
                self.form.load(draft, touched=True)

    def save_state(self) -> None:
        """Write geometry and the form to QSettings."""
        settings = self.ctx.settings
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        draft = self.form.draft()
        settings.setValue(
            "form/last",
            json.dumps(
                {
                    "name": draft.name,
                    "visitorUid": draft.visitor_uid,
                    "sessionUid": draft.session_uid,
                    "timezone": draft.timezone,
                    "metadata": [list(row) for row in draft.metadata],
                }
            ),
        )
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        # A send still waiting is cancelled, and kept in history like any other: the server
        # may have recorded the goal, and the person should be able to see that it was sent.
        exchange = self.sender_.finish_now(3000)
        if exchange is not None:
            profile, goal, key = self._in_flight or (self.session.profile.name, None, None)
            self._in_flight = None
            self.ctx.record_now(exchange, profile, goal, key)
        self.ctx.shutdown()
        super().closeEvent(event)

    def after_show(self) -> None:
        """Work that need not delay the first paint: zone list, key lookup, history count."""
        QTimer.singleShot(0, self._after_show)

    def changeEvent(self, event: QEvent) -> None:
        """Follow a switch between light and dark palettes: redraw the action icons."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            icons.retint(self)
            kinds = {p.name: p.kind for p in self.session.profiles.list()}
            for index in range(self.profile_combo.count()):
                kind = kinds.get(self.profile_combo.itemData(index), "custom")
                self.profile_combo.setItemIcon(index, _profile_icon(kind))

    def _after_show(self) -> None:
        self.ctx.tasks.forget_module_sources()
        # The right-hand panels wait for the person's first edit (or a tab switch, or Send):
        # an untouched window stays small, and they are ready before an answer can arrive.
        self.form_scroll.setMinimumWidth(  # never narrower than the form's own minimum
            self.form_panel.minimumSizeHint().width()
            + self.form_scroll.verticalScrollBar().sizeHint().width()
        )
        self.session.resume()
        self._fill_fault_menu()
        self.form_panel.set_timezones(sorted(contract.timezones()))
        self.form.revalidate()
        self.form.changed.connect(self._build_panels_once)
        self.ctx.after_show(self)
        # Everything built so far lives as long as the window: keep the garbage collector from
        # walking it again and again (it showed as pauses between keystrokes).
        import gc

        gc.freeze()


def _profile_icon(kind: str) -> QIcon:
    """The profile list's icon for a kind of profile (production warns)."""
    return icons.icon({"production": "warning", "sandbox": "sandbox"}.get(kind, "profile"))


def _s(count: int) -> str:
    """The plural ending for a count of things."""
    return "" if count == 1 else "s"
