"""Run suites: each case in file order through the one send pipeline, judged as it ends.

The operation the window and the CLI both run (no Qt, no printing): one object per run,
`run()` on a worker thread, `cancel()` from any other. One HTTP connection is kept alive
for the whole run and no POST is ever retried. A cancel stops the run after the goal in
flight (or aborts it too, when asked); the cases left are reported as not run, as are those
after a failure with `fail_fast`, or after the target stopped answering.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from flowsery_gui import sending
from flowsery_gui.contract import DEFAULT_BASE_URL, Draft
from flowsery_gui.exchange import FailureKind
from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ids import new_session_id, new_visitor_id
from flowsery_gui.sending import (
    PlannedSend,
    RawBody,
    Refusal,
    RefusalCode,
    ResolvedKey,
    SendOptions,
    Target,
)
from flowsery_gui.suites.judge import (
    Verdict,
    finding_words,
    judge_exchange,
    judge_not_refused,
    judge_refusal,
)
from flowsery_gui.suites.model import Case, Suite
from flowsery_gui.suites.results import (
    CaseResult,
    Outcome,
    Progress,
    RunResult,
    SuiteResult,
    tally,
)

if TYPE_CHECKING:
    from flowsery_gui.sending.transport import Transport

#: A tracking plan's check: the goal body in, each violation in plain words out.
PlanCheck = Callable[[dict[str, Any]], Sequence[str]]
ProgressCallback = Callable[[Progress], None]
#: After this many goals in a row could not reach the target at all, the rest are not run.
UNREACHABLE_LIMIT = 3
_UNREACHABLE = frozenset(
    {FailureKind.REFUSED, FailureKind.DNS, FailureKind.CONNECT_TIMEOUT, FailureKind.TLS}
)
#: Why the rest of a run was not run (msgids: `_()` them where they are shown or kept).
CANCELLED = N_("Not run: the run was cancelled.")
FAIL_FAST = N_("Not run: the run stopped at the first failure (fail fast).")
TARGET_GONE = N_(
    "Not run: the target stopped answering ({count} goals in a row could not reach it)."
)  # shown as _(TARGET_GONE, count=UNREACHABLE_LIMIT)


class RunRefused(Exception):
    """The whole run is refused before anything is sent; the message says why and what to do."""


class Recorder(Protocol):
    """Keeps a run: each sent case in history, the run in the run log. Never raises."""

    def record(self, result: CaseResult, run_id: str, target: Target) -> int | None:
        """Keep one sent case; its history id, or None when it could not be kept."""

    def finish(self, run: RunResult) -> None:
        """Keep the run's summary (when, target, counts, duration) for the list of runs."""

    @property
    def problem(self) -> str | None:
        """What went wrong while keeping the run, in plain words (None when nothing did)."""


def sends_planned(suites: Sequence[Suite]) -> int:
    """How many goals a run of these suites would put on the wire at most (for consent)."""
    return sum(1 for suite in suites for case in suite.cases if not case.expect.refused)


def production_consent_text(count: int) -> str:
    """What a person confirms before a run to Production."""
    return ngettext(
        "This run sends up to {count} goal to Production, where it counts in real analytics.",
        "This run sends up to {count} goals to Production, where they count in real analytics.",
        count,
        count=format_number(count),
    )


class SuiteRunner:
    """One run of one or more suites against one target (see the module docstring)."""

    def __init__(
        self,
        suites: Sequence[Suite],
        target: Target,
        key: ResolvedKey | str | None,
        *,
        sandbox_fault: str = "",
        production_confirmed: bool = False,
        fail_fast: bool = False,
        plan_checks: Mapping[Path, PlanCheck] | None = None,
        on_progress: ProgressCallback | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.suites = tuple(suites)
        self.target = target
        self._key = key if isinstance(key, ResolvedKey) else ResolvedKey(key or None, _source(key))
        self._fault = sandbox_fault
        self._confirmed = production_confirmed
        self.fail_fast = fail_fast
        self._plan_checks = dict(plan_checks or {})
        self._on_progress = on_progress
        self._recorder = recorder
        self._cancelled = threading.Event()
        self._lock = threading.RLock()  # cancel() may run in a signal handler
        self._transport: Transport | None = None
        # Once per run: reading the package's version costs about 1 ms each time.
        self._agent = sending.default_user_agent()
        self.run_id = uuid.uuid4().hex[:12]
        self.total = sum(len(suite.cases) for suite in self.suites)

    def __repr__(self) -> str:
        return f"SuiteRunner({len(self.suites)} suites, {self.total} cases, {self.target.profile})"

    # -- before the run -----------------------------------------------------------------------

    def preflight(self) -> str | None:
        """Why this run cannot go to its target at all (URL, key, consent, fault), or None."""
        if is_production(self.target) and not self._confirmed:
            return production_consent_text(sends_planned(self.suites))
        planned = sending.plan_goal(
            self.target, Draft(name="preflight"), self._key, self._options(enforce_rules=True)
        )
        if isinstance(planned, Refusal) and planned.code is not RefusalCode.INVALID_BODY:
            return planned.message
        return None

    def plan(self, case: Case) -> PlannedSend | Refusal:
        """What would be sent for a case (for a dry run); fresh IDs are not drawn here."""
        goal = case.draft if case.draft is not None else RawBody(case.raw_body or "")
        enforce = case.draft is not None or case.expect.refused
        return sending.plan_goal(self.target, goal, self._key, self._options(enforce))

    def _options(self, enforce_rules: bool) -> SendOptions:
        return SendOptions(
            fault=self._current_fault(),
            production_confirmed=self._confirmed,
            enforce_rules=enforce_rules,
            user_agent=self._agent,
        )

    def _current_fault(self) -> str:
        with self._lock:
            return self._fault

    # -- the run ------------------------------------------------------------------------------

    def cancel(self, abort_in_flight: bool = False) -> None:
        """Stop after the goal in flight; with `abort_in_flight`, abort that one too.

        Safe from any thread, any number of times."""
        self._cancelled.set()
        if abort_in_flight:
            with self._lock:
                transport = self._transport
            if transport is not None:
                transport.cancel()

    def set_sandbox_fault(self, spec: str) -> None:
        """Ask the sandbox for this fault from the next goal on ("" for normal answers);
        the window's Sandbox Fault menu may change it while a run goes on."""
        with self._lock:
            self._fault = spec

    @property
    def cancelled(self) -> bool:
        """True once a cancel was asked for."""
        return self._cancelled.is_set()

    def run(self) -> RunResult:
        """Send every case in order and judge it; raise RunRefused before sending anything."""
        refusal = self.preflight()
        if refusal is not None:
            raise RunRefused(refusal)
        started = time.time()
        transport = sending.open_transport()
        with self._lock:
            self._transport = transport
        done: list[CaseResult] = []
        per_suite: list[SuiteResult] = []
        stopped = ""
        unreachable = 0
        try:
            for suite in self.suites:
                results: list[CaseResult] = []
                for case in suite.cases:
                    if not stopped and self._cancelled.is_set():
                        stopped = _(CANCELLED)
                    if stopped:
                        result = CaseResult(case, Outcome.NOT_RUN, stopped, kind="not_run")
                    else:
                        result = self._run_case(suite, case, transport)
                    results.append(result)
                    done.append(result)
                    self._report(result, done)
                    unreachable = unreachable + 1 if _unreachable(result) else 0
                    if stopped:
                        continue
                    if self.fail_fast and result.outcome is Outcome.FAILED:
                        stopped = _(FAIL_FAST)
                    elif unreachable >= UNREACHABLE_LIMIT:
                        stopped = _(TARGET_GONE, count=UNREACHABLE_LIMIT)
                per_suite.append(SuiteResult(suite.name, str(suite.path), tuple(results)))
        finally:
            with self._lock:
                self._transport = None
            transport.close()
        notes = tuple(note for suite in self.suites for note in suite.notes)
        run = RunResult(
            self.run_id,
            self.target.profile,
            self.target.base_url,
            started,
            time.time(),
            tuple(per_suite),
            stopped,
            notes,
        )
        if self._recorder is not None:
            self._recorder.finish(run)
            if self._recorder.problem:
                run = dataclasses.replace(run, notes=(*run.notes, self._recorder.problem))
        return run

    def _report(self, result: CaseResult, done: Sequence[CaseResult]) -> None:
        if self._on_progress is None:
            return
        passed, failed, not_run = tally(done)
        self._on_progress(Progress(result, len(done), self.total, passed, failed, not_run))

    def _run_case(self, suite: Suite, case: Case, transport: Transport) -> CaseResult:
        if case.draft is not None and case.fresh_ids:
            case = dataclasses.replace(case, draft=_with_fresh_ids(case.draft))
        planned = self.plan(case)
        if isinstance(planned, Refusal):
            findings = planned.findings
            if planned.code is not RefusalCode.INVALID_BODY:
                return CaseResult(
                    case, Outcome.FAILED, planned.message, findings=findings, kind="not_sent"
                )
            reason = finding_words(findings) if findings else planned.message
            verdict = judge_refusal(case.expect, reason)
            return CaseResult(case, *verdict[:2], findings=findings, kind=verdict.kind)
        body = planned.goal
        findings = planned.report.findings if planned.report is not None else ()
        if case.expect.refused:
            verdict = judge_not_refused(case.expect)
            return CaseResult(case, *verdict[:2], body=body, findings=findings, kind=verdict.kind)
        exchange = transport.send(planned.request, self._key.key)
        check = self._plan_checks.get(suite.path) if suite.plan_path else None
        violations = tuple(check(body)) if check is not None and body is not None else None
        verdict = judge_exchange(case.expect, exchange, violations)
        if exchange.failure is not None and exchange.failure.kind is FailureKind.CANCELLED:
            said = _("Cancelled: {reason}", reason=exchange.failure.message)
            verdict = Verdict(Outcome.FAILED, said, "cancelled")
        result = CaseResult(
            case, *verdict[:2], exchange, body, findings, violations or (), kind=verdict.kind
        )
        if self._recorder is not None:
            record_id = self._recorder.record(result, self.run_id, self.target)
            result = dataclasses.replace(result, history_id=record_id)
        return result


def _with_fresh_ids(draft: Draft) -> Draft:
    return dataclasses.replace(
        draft,
        visitor_uid=draft.visitor_uid or new_visitor_id(),
        session_uid=draft.session_uid or new_session_id(),
    )


def is_production(target: Target) -> bool:
    """True for the Production profile or any base URL on the vendor's own host: goals
    sent there count in real analytics, so a run needs consent."""
    try:
        host = (urlsplit(target.base_url.strip()).hostname or "").lower()
    except ValueError:
        host = ""
    return target.kind == "production" or host == urlsplit(DEFAULT_BASE_URL).hostname


def _source(key: str | None) -> sending.KeySource:
    return sending.KeySource.SESSION if key else sending.KeySource.NONE


def _unreachable(result: CaseResult) -> bool:
    exchange = result.exchange
    return (
        exchange is not None
        and exchange.failure is not None
        and exchange.failure.kind in _UNREACHABLE
    )
