"""The person's Send: the goal planned by the one send pipeline, its questions answered, sent.

`sending.plan_goal` decides what goes and what is refused; this module answers the refusals
a person can answer (a missing key: the key dialog; production: "are you sure?") and plans
again. The Request tab's preview and snippets are the same plan's request. Also says whether
Send can go and why not (the send bar's words). No widget in here: questions go through the
`Ask` seam, status words and "a send started" go out as signals the window connects.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from flowsery_gui import contract
from flowsery_gui.contract import Draft
from flowsery_gui.i18n import (
    N_,
    _,
    format_number,
    format_seconds,
    format_time,
    ngettext,
    sentences,
)
from flowsery_gui.ui.form_model import FIELD_LABELS, GoalFormModel, describe_path
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.send_owner import SendOwner
from flowsery_gui.ui.target import TargetService

if TYPE_CHECKING:
    from flowsery_gui.sending import Plan, PlannedRequest, RawBody
    from flowsery_gui.ui.test_ids_flow import TestIdsFlow

# A msgid (`_()` where shown).
SANDBOX_STARTING = N_("The built-in sandbox is starting; the request appears once it is up.")


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


def _filled_words(fields: tuple[str, ...]) -> str:
    """The status line saying which of the profile's test IDs a send carries."""
    if fields == ("visitorUid",):
        return _("Sending with the test visitor ID from this profile.")
    if fields == ("sessionUid",):
        return _("Sending with the test session ID from this profile.")
    return _(
        "Sending with the test visitor ID from this profile and the test session ID from this "
        "profile."
    )


def _errors_reason(errors: tuple[contract.Finding, ...]) -> str:
    """Why Send cannot go: how many problems, and the first of them (where, and what)."""
    first = errors[0]
    shown = first.message
    if first.path not in FIELD_LABELS:  # a field's own message sits under it: no place named
        shown = _("{where}: {message}", where=describe_path(first.path), message=shown)
    if len(errors) == 1:
        return _("Fix 1 problem to send: {message}", message=shown)
    # Translators: {message} is the first problem; {more} how many others there are.
    return ngettext(
        "Fix {count} problem to send: {message} (and {more} more)",
        "Fix {count} problems to send: {message} (and {more} more)",
        len(errors),
        count=format_number(len(errors)),
        message=shown,
        more=format_number(len(errors) - 1),
    )


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
        #: A goal name's `personal: true` keys in the open tracking plan (the plan flow sets it).
        self.plan_personal_keys: Callable[[str], Collection[str]] = lambda _name: ()

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
        personal = self._personal_warning()
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
                if not self._production_confirmed(personal):
                    return False
                personal = None  # said in that question already
            else:
                self.status.emit(plan.message, 15000)
                self.ask.warn(_("Not sent"), plan.message)
                return False
            plan = self.plan()
        if personal is not None and not self.ask.confirm(
            _("Personal data to production?"),
            "\n\n".join((personal, _("Send it anyway?"))),
            # Translators: a button of the "Personal data to production?" question.
            _("Send anyway"),
        ):
            return False
        # Translators: {profile} is a profile's name (Production, Sandbox, or one of the person's).
        self.pending.emit(_("Sending to {profile}…", profile=plan.target.profile))
        filled = self.test_ids.fill(draft).fields if self.test_ids is not None else ()
        if filled:
            self.status.emit(_filled_words(filled), 8000)
        return self.owner.start(plan, self.target.key())

    def _personal_warning(self) -> str | None:
        """Before a send to Production: the warning naming the metadata keys that look like a
        person's data (by their names, or `personal: true` in the tracking plan), else None."""
        if not self.target.is_production():
            return None
        from flowsery_gui.cleanup.personal import production_warning

        draft = self.form.draft()
        keys = dict.fromkeys(key for key, value in draft.metadata if key and value)
        return production_warning(keys, extra=self.plan_personal_keys(draft.name))

    def _production_confirmed(self, personal: str | None = None) -> bool:
        text = _(
            "This goal will count in your real analytics at {url}.\n\n"
            "Goals cannot be un-sent from here (deleting them needs the delete API). "
            "You will not be asked again until you restart the app.",
            url=self.target.base_url(),
        )
        if personal:
            text = "\n\n".join((text, "⚠ " + personal))
        if not self.ask.confirm(
            _("Send to production?"),
            text,
            # Translators: the button that confirms a send to the Production profile.
            _("Send to production"),
        ):
            return False
        self.target.confirm_production()
        return True

    def cancel(self) -> None:
        """Stop waiting for the answer."""
        if self.owner.cancel():
            self.status.emit(_("Cancelled. The server may still have recorded the goal."), 8000)

    def state(self) -> SendState:
        """Send can go when the form is valid and nothing is in flight; the words say why not."""
        report = self.form.report
        busy = self.owner.busy
        errors = report.errors
        if busy:
            reason = _("Sending…")
        elif errors:
            reason = _errors_reason(errors)
        elif self.target.profile.kind != "sandbox" and not self.target.key():
            reason = _("Ready. No API key yet: Send will ask for one.")
        else:
            reason = self._ready_words()
        return SendState(not busy and not errors, busy, reason)

    def _ready_words(self) -> str:
        """Send can go: say so, with the warnings shown, the key's warning, the server's wait."""
        warnings = len(self.form.visible_warnings())  # only what is on screen is counted
        counted = None
        if warnings:
            counted = ngettext(
                "{count} warning (it doesn't block sending).",
                "{count} warnings (they don't block sending).",
                warnings,
                count=format_number(warnings),
            )
        key = self.target.key()
        key_warnings = contract.check_api_key(key) if key else ()
        # A warning, never a block: the server has the last word.
        key_words = "⚠ " + key_warnings[0].message if key_warnings else None
        wait_words = None
        wait = self.owner.retry_wait()
        if wait > 0:
            # Translators: {time} is a time of day; {seconds} how long that is from now ("40 s").
            wait_words = _(
                "The server asked to wait until {time} ({seconds} more) before sending again.",
                time=format_time(self.owner.retry_until),
                seconds=format_seconds(round(wait)),
            )
        return sentences(_("Ready to send."), counted, key_words, wait_words)

    def preview(self) -> Preview:
        """The request Send would make now, from the same plan; what is known is shown even
        while the form has errors (with why it cannot go)."""
        from flowsery_gui.sending import PlannedSend, RawBody, RefusalCode, serialize_body

        if self.target.profile.kind == "sandbox" and self.target.sandbox is None:
            return Preview(None, None, _(SANDBOX_STARTING))
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
        blocked = ngettext(
            "Fix {count} problem in the form to send this goal.",
            "Fix {count} problems in the form to send this goal.",
            errors,
            count=format_number(errors),
        )
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
