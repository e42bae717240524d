"""The person's Send: the goal planned by the one send pipeline, its questions answered, sent.

`sending.plan_goal` decides what goes and what is refused; this module answers the refusals
a person can answer (a missing key: the key dialog; production: "are you sure?") and plans
again. The Request tab's preview and snippets are the same plan's request. Also says whether
Send can go and why not (the send bar's words). No widget in here: questions go through the
`Ask` seam, status words and "a send started" go out as signals the window connects.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from flowsery_gui import contract
from flowsery_gui.contract import Draft
from flowsery_gui.ui.form_model import FIELD_LABELS, GoalFormModel, describe_path
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.send_owner import SendOwner
from flowsery_gui.ui.target import TargetService

if TYPE_CHECKING:
    from flowsery_gui.sending import Plan, PlannedRequest, RawBody
    from flowsery_gui.ui.test_ids_flow import TestIdsFlow

SANDBOX_STARTING = "The built-in sandbox is starting; the request appears once it is up."


# A NamedTuple: defined at start-up, where a dataclass takes three times as long.
class SendState(NamedTuple):
    """Whether Send can go now, and the words that say why (not)."""

    can_send: bool
    busy: bool
    reason: str


class Preview(NamedTuple):
    """The request as the Request tab shows it, and what its snippets are made from."""

    display: PlannedRequest | None  # key masked; None when no request can be built
    snippet_source: PlannedRequest | None  # None while the request cannot be sent
    blocked_reason: str | None


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def prepare_send_path() -> None:
    """Load the planner and read the User-Agent (the package metadata) ahead of the first
    Send or preview; run it on the task runner, so the GUI thread does not wait for it."""
    import flowsery_gui.sending.plan  # noqa: F401
    from flowsery_gui.sending.request import default_user_agent

    default_user_agent()


class SendFlow(QObject):
    """Plans, asks and starts a send on the owner; cancels it; says what Send would do."""

    status = Signal(str, int)  # words for the status bar, and for how many ms
    pending = Signal(str)  # a send started: where it is going

    def __init__(
        self,
        form: GoalFormModel,
        target: TargetService,
        owner: SendOwner,
        ask: Ask,
        ask_for_key: Callable[[], None],
        parent: QObject | None = None,
        test_ids: TestIdsFlow | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.target = target
        self.owner = owner
        self.ask = ask
        self._ask_for_key = ask_for_key
        self.test_ids = test_ids  # fills empty IDs from the profile's test IDs (None: never)

    def plan(self, goal: Draft | RawBody | None = None, *, enforce_rules: bool = True) -> Plan:
        """The form's goal (or `goal`) planned for the active profile, as Send would plan it."""
        # Deferred: the planner is needed once the person sends or previews, not to start.
        from flowsery_gui.sending import SendOptions, Target, plan_goal

        profile = self.target.profile
        if goal is None:
            goal = self.form.draft()
            if self.test_ids is not None:
                goal = self.test_ids.fill(goal).goal
        return plan_goal(
            Target(profile.name, profile.kind, self.target.base_url()),
            goal,
            self.target.resolved_key(),
            SendOptions(
                fault=self.owner.fault_for_target(),
                production_confirmed=not self.target.needs_production_confirmation(),
                enforce_rules=enforce_rules,
            ),
        )

    def send(self) -> bool:
        """Plan the goal, answer what a person can answer, then send; True when it started."""
        from flowsery_gui.sending import PlannedSend, RefusalCode

        if self.owner.busy:
            return False
        if self.target.profile.kind == "sandbox":
            self.target.ensure_sandbox()
        self.form.touch_all()  # every finding counted is shown at its field once Send is pressed
        draft = self.form.draft()
        test_ids = None if self.form.report.errors else self.test_ids
        if test_ids is not None and not test_ids.before_send(draft):  # the offer of test IDs
            return False
        asked: set[RefusalCode] = set()
        plan = self.plan()
        while not isinstance(plan, PlannedSend):
            code = plan.code
            if code is RefusalCode.INVALID_BODY:
                self.form.touch_all()  # show every problem where it is
                return False
            if code in asked:  # asked already, and still no: nothing is sent
                return False
            asked.add(code)
            if code is RefusalCode.MISSING_KEY:
                self._ask_for_key()
            elif code is RefusalCode.PRODUCTION_NOT_CONFIRMED:
                if not self._production_confirmed():
                    return False
            else:
                self.status.emit(plan.message, 15000)
                self.ask.warn("Not sent", plan.message)
                return False
            plan = self.plan()
        self.pending.emit(f"Sending to {plan.target.profile}…")
        filled = self.test_ids.fill(draft).labels if self.test_ids is not None else ()
        if filled:
            self.status.emit(f"Sending with the {' and the '.join(filled)}.", 8000)
        return self.owner.start(plan, self.target.key())

    def _production_confirmed(self) -> bool:
        if not self.ask.confirm(
            "Send to production?",
            f"This goal will count in your real analytics at {self.target.base_url()}.\n\n"
            "Goals cannot be un-sent from here (deleting them needs the delete API). "
            "You will not be asked again until you restart the app.",
            "Send to production",
        ):
            return False
        self.target.confirm_production()
        return True

    def cancel(self) -> None:
        """Stop waiting for the answer."""
        if self.owner.cancel():
            self.status.emit("Cancelled. The server may still have recorded the goal.", 8000)

    def state(self) -> SendState:
        """Send can go when the form is valid and nothing is in flight; the words say why not."""
        report = self.form.report
        busy = self.owner.busy
        errors = report.errors
        if busy:
            reason = "Sending…"
        elif errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            count = "1 problem" if len(errors) == 1 else f"{len(errors)} problems"
            where = "" if first.path in FIELD_LABELS else f"{describe_path(first.path)}: "
            reason = f"Fix {count} to send: {where}{first.message}{more}"
        elif self.target.profile.kind != "sandbox" and not self.target.key():
            reason = "Ready. No API key yet: Send will ask for one."
        else:
            warnings = len(self.form.visible_warnings())  # only what is on screen is counted
            reason = "Ready to send." + (
                f" {warnings} warning{_s(warnings)} (they don't block sending)." if warnings else ""
            )
            key = self.target.key()
            key_warnings = contract.check_api_key(key) if key else ()
            if key_warnings:  # a warning, never a block: the server has the last word
                reason += f" ⚠ {key_warnings[0].message}"
            wait = self.owner.retry_wait()
            if wait > 0:
                until = time.strftime("%H:%M:%S", time.localtime(self.owner.retry_until))
                reason += (
                    f" The server asked to wait until {until} ({wait:.0f} s more) "
                    "before sending again."
                )
        return SendState(not busy and not errors, busy, reason)

    def preview(self) -> Preview:
        """The request Send would make now, from the same plan; what is known is shown even
        while the form has errors (with why it cannot go)."""
        from flowsery_gui.sending import PlannedSend, RawBody, RefusalCode, serialize_body

        if self.target.profile.kind == "sandbox" and self.target.sandbox is None:
            return Preview(None, None, SANDBOX_STARTING)
        key = self.target.key()
        plan = self.plan()
        if isinstance(plan, PlannedSend):
            return Preview(plan.preview(key), plan.request, None)
        if plan.code in (RefusalCode.MISSING_KEY, RefusalCode.PRODUCTION_NOT_CONFIRMED):
            request = plan.request  # Send asks for the key, or "are you sure?", then sends this
            shown = None if request is None else self._masked(request, key)
            return Preview(shown, request, None)
        if plan.code is not RefusalCode.INVALID_BODY:
            shown = None if plan.request is None else self._masked(plan.request, key)
            return Preview(shown, None, plan.message)
        errors = len(self.form.report.errors)
        blocked = f"Fix {errors} problem{_s(errors)} in the form to send this goal."
        name = self.form.value("name")
        known = self.plan(
            RawBody(serialize_body({"name": name} if name else {})), enforce_rules=False
        )
        request = known.request
        return Preview(None if request is None else self._masked(request, key), None, blocked)

    @staticmethod
    def _masked(request: PlannedRequest, key: str | None) -> PlannedRequest:
        from flowsery_gui.sending import masked_for_display

        return masked_for_display(request, key)
