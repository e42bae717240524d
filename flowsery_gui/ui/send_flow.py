"""The person's Send: every check a person would want before a goal leaves, then the send.

Also says whether Send can go and why not (the send bar's words), and plans the request the
Request tab previews. No widget in here: questions go through the `Ask` seam, status words
and "a send started" go out as signals the window connects.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from flowsery_gui import contract
from flowsery_gui.ui.form_model import FIELD_LABELS, GoalFormModel, describe_path
from flowsery_gui.ui.interaction import Ask
from flowsery_gui.ui.send_owner import SendOwner
from flowsery_gui.ui.target import TargetService

if TYPE_CHECKING:
    from flowsery_gui.request_model import PlannedRequest

SANDBOX_NOT_UP = "http://127.0.0.1:(sandbox)"  # what the preview shows until the sandbox is up


# A NamedTuple: defined at start-up, where a dataclass takes three times as long.
class SendState(NamedTuple):
    """Whether Send can go now, and the words that say why (not)."""

    can_send: bool
    busy: bool
    reason: str


class Preview(NamedTuple):
    """The request as the Request tab shows it, and what its snippets are made from."""

    display: PlannedRequest  # key masked
    snippet_source: PlannedRequest | None  # None while the form has errors
    blocked_reason: str | None


def _s(count: int) -> str:
    return "" if count == 1 else "s"


class SendFlow(QObject):
    """Checks, asks and starts a send on the owner; cancels it; says what Send would do."""

    status = Signal(str, int)  # words for the status bar, and for how many ms
    pending = Signal(str)  # a send started: where it is going

    def __init__(
        self,
        form: GoalFormModel,
        target: TargetService,
        owner: SendOwner,
        ask: Ask,
        ask_for_key: Callable[[], None],
        user_agent: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.target = target
        self.owner = owner
        self.ask = ask
        self._ask_for_key = ask_for_key
        self._user_agent = user_agent

    def send(self) -> bool:
        """Check everything a person would want checked, then send; True when it started."""
        report = self.form.report
        if self.owner.busy:
            return False
        if not report.ok or report.body is None:
            self.form.touch_all()  # show every problem where it is
            return False
        target = self.target
        if target.profile.kind == "sandbox":
            target.ensure_sandbox()
        base_url = target.base_url()
        key = target.key()
        if not key:
            self._ask_for_key()
            key = target.key()
            if not key:
                return False
        from flowsery_gui.netsafety import check_url_safety

        refusal = check_url_safety(base_url.rstrip("/") + contract.GOALS_PATH, has_key=True)
        if refusal:
            self.status.emit(refusal, 15000)
            self.ask.warn("Not sent", refusal)
            return False
        if target.needs_production_confirmation():
            if not self.ask.confirm(
                "Send to production?",
                f"This goal will count in your real analytics at {base_url}.\n\n"
                "Goals cannot be un-sent from here (deleting them needs the delete API). "
                "You will not be asked again until you restart the app.",
                "Send to production",
            ):
                return False
            target.confirm_production()
        self.pending.emit(f"Sending to {target.profile.name}…")
        return self.owner.start(base_url, key, report.body)

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
            warnings = len(report.warnings)
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
        """The request Send would make now; what is known is shown even while there are errors."""
        # Deferred: the request model is needed once the Request tab is shown, not to start.
        from flowsery_gui.request_model import masked_for_display, plan_goal_request

        report = self.form.report
        body = report.body
        blocked = None
        if body is None:
            name = self.form.value("name")
            body = {"name": name} if name else {}
            errors = len(report.errors)
            blocked = f"Fix {errors} problem{_s(errors)} in the form to send this goal."
        planned = plan_goal_request(
            self.target.base_url() or SANDBOX_NOT_UP,
            body,
            has_key=True,
            user_agent=self._user_agent(),
            extra_headers=tuple(self.owner.fault_headers().items()),
        )
        display = masked_for_display(planned, self.target.key())
        return Preview(display, planned if blocked is None else None, blocked)
