"""Delete from analytics: the planned DELETE calls for the chosen sends, their risks, the
confirmation naming the profile, and the answers as they come.

Nothing is sent until the person has ticked every risky call they want sent and typed (or
picked) the profile's name; the button names the profile. The calls go one by one on a
worker (`CleanupWork`); each answer shows on its card as it comes; Stop sends nothing after
the call in flight; the summary says what was and was not deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.cleanup.words import margin_words
from flowsery_gui.i18n import N_, _, format_number, ngettext, sentences
from flowsery_gui.ui import theme
from flowsery_gui.ui.cleanup_calls import CallsList, query_on_lines, selection_notes
from flowsery_gui.ui.cleanup_left import LeftOutBox
from flowsery_gui.ui.cleanup_scope import Scope, ScopeBox
from flowsery_gui.ui.cleanup_work import CleanupWork, Planned, PlanRequest
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.plain import plain_label

if TYPE_CHECKING:
    from flowsery_gui.cleanup.model import PlannedCall
    from flowsery_gui.cleanup.runner import CallOutcome, CleanupResult
    from flowsery_gui.profiles import Profile
    from flowsery_gui.sending import Target

#: More calls than this are not listed one by one: the person is asked to choose fewer.
MAX_CALLS = 200
INTRO = N_(
    "Deletes goals this app sent, and only those it can pin down: each call names one goal "
    "and a closed time window around the recorded send times. Nothing is sent until you "
    "confirm below with the profile's name."
)


class CleanupDialog(QDialog):
    """Plan, review, confirm and run one cleanup."""

    def __init__(
        self,
        ctx: AppContext,
        scope: Scope,
        fault_for: Callable[[Profile], str] = lambda _profile: "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._fault_for = fault_for
        self.work = CleanupWork(ctx, self)
        self._planned: Planned | None = None
        self._target: Target | None = None
        self._fault = ""
        self._sent: list[int] = []  # the card of each call sent, by its index in the run
        self._ran = False  # the plan shown was run: plan again before another run
        self.run_result: CleanupResult | None = None
        self.setWindowTitle(_("Delete from analytics"))
        self.setMinimumSize(640, 480)
        self._build(scope)
        self.work.planned.connect(self._show_plan)
        self.work.outcome.connect(self._show_outcome)
        self.work.finished.connect(self._finished)
        self.replan()

    # Building -----------------------------------------------------------------------------
    def _build(self, scope: Scope) -> None:
        layout = QVBoxLayout(self)
        intro = plain_label(name="cleanup_intro", selectable=False)
        intro.setText(_(INTRO))
        layout.addWidget(intro)
        names = [p.name for p in self.ctx.profiles.list()]
        self.scope_box = ScopeBox(names, scope.profile, scope.ids or ())
        self.scope_box.changed.connect(self.replan)
        layout.addWidget(self.scope_box)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 6, 0)
        self.plan_label = plain_label(name="cleanup_plan", selectable=False)
        self.margin_label = plain_label(name="cleanup_margin", selectable=False)
        self.notes_label = plain_label(name="cleanup_notes", selectable=False)
        self.calls = CallsList()
        self.calls.ticked.connect(self._update_buttons)
        for widget in (self.plan_label, self.margin_label, self.notes_label, self.calls):
            body.addWidget(widget)
        self.left_box = LeftOutBox()
        self.left_box.options_changed.connect(self.replan)
        body.addWidget(self.left_box)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("cleanup_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        self.scroll_area = scroll
        layout.addWidget(scroll, 1)
        self.summary_label = plain_label(
            name="cleanup_summary", selectable=False
        )  # outside the scroll: always in sight
        self.summary_label.hide()
        layout.addWidget(self.summary_label)
        layout.addLayout(self._build_confirm())
        layout.addLayout(self._build_buttons())

    def _build_confirm(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.confirm_label = QLabel(_("&Type or pick the profile's name to confirm:"))
        self.confirm_combo = QComboBox()
        self.confirm_combo.setObjectName("cleanup_confirm")
        self.confirm_combo.setEditable(True)
        self.confirm_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.confirm_combo.setAccessibleName(_("The profile's name, to confirm"))
        self.confirm_combo.addItems(["", *(p.name for p in self.ctx.profiles.list())])
        self.confirm_combo.setCurrentIndex(0)
        self.confirm_combo.currentTextChanged.connect(lambda _t: self._update_buttons())
        self.confirm_label.setBuddy(self.confirm_combo)
        self.confirm_combo.setMinimumContentsLength(16)
        row.addWidget(self.confirm_label)
        row.addWidget(self.confirm_combo)
        row.addStretch(1)
        return row

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.progress_label = plain_label(name="cleanup_progress", selectable=False)
        row.addWidget(self.progress_label, 1)
        # Translators: replaced by "Delete from <profile>" once the dialog has a profile.
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setObjectName("cleanup_delete")
        self.stop_button = QPushButton(_("Stop after this &call"))
        # Translators: a button: plan the cleanup again from history (after a run).
        self.again_button = QPushButton(_("Plan &again"))
        self.close_button = QPushButton(_("Close"))
        for button, slot in (
            (self.delete_button, self.delete),
            (self.stop_button, self.stop),
            (self.again_button, self.replan),
            (self.close_button, self.reject),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.stop_button.hide()
        self.again_button.hide()
        return row

    # Planning -----------------------------------------------------------------------------
    def replan(self) -> None:
        """Plan again from history for the chosen sends and options."""
        if self.work.running:
            return
        scope = self.scope_box.scope()
        profile = self.ctx.test_ids.profile(scope.profile)  # its test IDs as they are now
        self._ran = False
        self.run_result = None
        self.summary_label.hide()
        self.again_button.hide()
        self.progress_label.setText("")
        # Translators: the cleanup's button; {profile} is a profile's name ("Production").
        self.delete_button.setText(_("Delete from {profile}", profile=scope.profile))
        if profile is None:
            self._planned = None
            self.plan_label.setText(
                _("There is no profile named {profile} any more.", profile=scope.profile)
            )
            self._update_buttons()
            return
        options = self.left_box.options()
        self.plan_label.setText(_("Reading the chosen sends from history…"))
        self._planned = None
        self._update_buttons()
        self.work.plan(PlanRequest(profile, scope.ids, scope.since, scope.name, options))

    def _show_plan(self, planned: Planned) -> None:
        self._planned = planned
        selection = planned.selection
        plan = selection.plan if selection is not None else None
        profile = planned.request.profile
        self._target, problem = self._target_for(profile)
        calls = plan.calls if plan is not None else ()
        if plan is None or self._target is None or len(calls) > MAX_CALLS:
            too_many = ngettext(
                "This cleanup needs {count} call, more than the {limit} this window lists. "
                "Choose fewer sends (one goal name, or a later start time), or use "
                "flowsery-goal cleanup.",
                "This cleanup needs {count} calls, more than the {limit} this window lists. "
                "Choose fewer sends (one goal name, or a later start time), or use "
                "flowsery-goal cleanup.",
                len(calls),
                count=format_number(len(calls)),
                limit=format_number(MAX_CALLS),
            )
            self.plan_label.setText(planned.problem or problem or too_many)
            self._show_empty()
            return
        self._fault = self._fault_for(profile)
        where = {"profile": profile.name, "url": self._target.base_url}
        if not calls:
            header = _("Nothing to delete from {profile} ({url}) among the chosen sends.", **where)
        else:
            header = ngettext(
                "{count} DELETE call to {profile} ({url}).",
                "{count} DELETE calls to {profile} ({url}), sent in this order.",
                len(calls),
                count=format_number(len(calls)),
                **where,
            )
        if profile.test_visitor_id:
            visitor = _(
                "This profile's test visitor ID is {visitor}.", visitor=profile.test_visitor_id
            )
        else:
            visitor = _(
                "This profile has no test visitor ID (Profile > Profiles…), so every call can "
                "reach real visitors' goals."
            )
        fault = ""
        if self._fault:
            fault = _(
                "The sandbox is asked for the fault {fault} (Goal > Sandbox Fault).",
                fault=self._fault,
            )
        self.plan_label.setText(sentences(header, visitor, fault))
        self.margin_label.setText(margin_words(plan))
        self.margin_label.show()
        self.notes_label.setText(sentences(*selection_notes(planned)))
        self.notes_label.setVisible(bool(self.notes_label.text()))
        self.calls.show_calls(calls, [self._request_line(c) for c in calls])
        self.left_box.show_plan(plan)
        self._update_buttons()
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Tab in visual order: the choices, the cards (made after the buttons), the rest."""
        chain = [
            self.scope_box.last_in_tab_order(),
            *self.calls.focus_chain(),
            self.left_box.unanswered_check,
            self.left_box.wide_check,
            self.confirm_combo,
            self.delete_button,
            self.stop_button,
            self.again_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_empty(self) -> None:
        self.calls.show_calls((), ())
        for widget in (self.margin_label, self.notes_label, self.left_box):
            widget.hide()
        self._update_buttons()

    def _target_for(self, profile: Profile) -> tuple[Target | None, str]:
        from flowsery_gui.sending import Target

        if profile.kind != "sandbox":
            return Target(profile.name, profile.kind, profile.base_url), ""
        try:
            server = self.ctx.target.ensure_sandbox()
        except OSError as exc:
            why = exc.strerror or str(exc)
            return None, _("The built-in sandbox could not start: {reason}.", reason=why)
        return Target(profile.name, profile.kind, server.url), ""

    def _request_line(self, call: PlannedCall) -> str:
        """The exact request, as the run will send it (the key stays $FLOWSERY_API_KEY)."""
        from flowsery_gui.cleanup.runner import plan_call
        from flowsery_gui.sending import FAULT_HEADER, KeySource, Refusal, SendOptions

        assert self._target is not None
        options = SendOptions(fault=self._fault, production_confirmed=True)
        planned = plan_call(call, self._target, KeySource.SESSION, options)
        if isinstance(planned, Refusal):
            return _("Cannot be sent: {reason}", reason=planned.message)
        request = planned.request
        fault = f"\n{FAULT_HEADER}: {self._fault}" if self._fault else ""
        return f"{request.method} {query_on_lines(request.url)}{fault}"

    # Confirming and running ---------------------------------------------------------------
    def confirmed(self) -> bool:
        """True when the typed or picked name is the profile's, exactly."""
        return self.confirm_combo.currentText().strip() == self.scope_box.profile()

    def _update_buttons(self) -> None:
        running = self.work.running
        ready = self._planned is not None and self._target is not None and not self._ran
        chosen = self.calls.included()
        self.delete_button.setEnabled(not running and ready and bool(chosen) and self.confirmed())
        self.delete_button.setToolTip(
            "" if chosen or not self.calls.cards else _("Tick a call's warning to send it.")
        )
        self.stop_button.setVisible(running)
        self.close_button.setEnabled(not running)
        for widget in (self.scope_box, self.left_box, self.confirm_combo):
            widget.setEnabled(not running)
        self.calls.set_locked(running or self._ran)

    def delete(self) -> None:
        """Send the included calls (safe ones, and risky ones whose box is ticked)."""
        if not self.delete_button.isEnabled() or self._target is None:
            return
        cards = self.calls.cards
        self._sent = [i for i, card in enumerate(cards) if card.included]
        for card in cards:
            if not card.included:
                card.show_left_out()
        total = len(self._sent)
        self.progress_label.setText(
            ngettext(
                "Sending {count} call: 0 of {count} answered…",
                "Sending {count} calls: 0 of {count} answered…",
                total,
                count=format_number(total),
            )
        )
        self.work.start([cards[i].call for i in self._sent], self._target, self._fault)
        self._update_buttons()

    def stop(self) -> None:
        """Send nothing after the call in flight."""
        if self.work.running:
            self.work.stop()
            self.stop_button.setEnabled(False)
            self.progress_label.setText(_("Stopping after the call in flight…"))

    def _show_outcome(self, index: int, outcome: CallOutcome) -> None:
        if index < len(self._sent):
            self.calls.cards[self._sent[index]].show_outcome(outcome)
        if self.stop_button.isEnabled():
            total = len(self._sent)
            self.progress_label.setText(
                # Translators: the progress of a cleanup: "3 of 10 answered…".
                _(
                    "{done} of {total} answered…",
                    done=format_number(index + 1),
                    total=format_number(total),
                )
            )

    def _finished(self, result: CleanupResult) -> None:
        self.run_result = result
        self._ran = True
        for index, outcome in enumerate(result.outcomes):
            self._show_outcome(index, outcome)  # again: a refused run sent no progress
        lines = result.summary()
        left_out = len(self.calls.cards) - len(self._sent)
        if left_out:
            lines.append(
                ngettext(
                    "{count} call with an unticked warning not sent: nothing of its goals was "
                    "deleted.",
                    "{count} calls with an unticked warning not sent: nothing of theirs was "
                    "deleted.",
                    left_out,
                    count=format_number(left_out),
                )
            )
        self.summary_label.setText("\n".join(lines))
        tone = "auth" if result.refused or result.stopped_by is not None else "success"
        self.summary_label.setStyleSheet(theme.banner_style_sheet(tone, self.palette()))
        self.summary_label.show()
        self.progress_label.setText(_("Done.") if tone == "success" else _("Stopped."))
        self.stop_button.setEnabled(True)
        self.again_button.show()
        self._update_buttons()

    def reject(self) -> None:
        """Close; while running, stop after the call in flight instead (the answer comes)."""
        if self.work.running:
            self.stop()
            return
        super().reject()
