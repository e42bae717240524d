"""Verification for CI: every goal a backend sent, checked against the API's rules and the
plan, and every expected goal proved to have arrived, as a report run.

Pure apart from reading the capture: `verify()` takes any iterable of `Received` (a sandbox,
a HAR file, a JSON Lines export) and gives a `VerifyOutcome` whose `run` goes to the JUnit,
HTML and JSON writers: one case per received goal, one per expected goal that never came.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flowsery_gui import contract
from flowsery_gui.exchange import mask_authorization
from flowsery_gui.i18n import _, format_number, ngettext, sentences
from flowsery_gui.plan.capture import Received, Tally, is_before, parse_time, read_capture
from flowsery_gui.plan.check import check_goal
from flowsery_gui.plan.model import Plan
from flowsery_gui.reports import Case, Outcome, Run, Suite

EXPECTED_MISSING = "plan.expected_missing"
NOT_JSON = "body.not_json"
NOT_TEXT = "body.broken_text"
HTTP_STATUS = "http.status"
NO_ANSWER = "http.no_answer"
MAX_BODY_SHOWN = 4096  # characters of a request body kept in a report
MAX_ANSWER_SHOWN = 2048  # characters of an answer kept in a report


@dataclass(frozen=True)
class VerifyOutcome:
    """The result of one verification: the report run and the facts for the summary."""

    run: Run
    goals: int  # goal requests checked
    other: int  # other requests, ignored
    missing: tuple[str, ...] = ()  # expected goals that never arrived
    dropped: int = 0  # requests the collector had forgotten before we asked
    before_since: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    busy: int = 0  # connections the sandbox turned away while busy

    @property
    def ok(self) -> bool:
        """True when every goal passed and every expected goal arrived."""
        return self.run.counts.ok

    def summary(self) -> list[str]:
        """Plain-words lines for a terminal or a CI log."""
        counts = self.run.counts
        lines = list(self.notes)
        if self.before_since:
            lines.append(
                ngettext(
                    "{count} request before --since was left out.",
                    "{count} requests before --since were left out.",
                    self.before_since,
                    count=format_number(self.before_since),
                )
            )
        if self.dropped:
            lines.append(
                ngettext(
                    "The sandbox had already dropped {count} older request (its store is "
                    "bounded): it was not checked.",
                    "The sandbox had already dropped {count} older requests (its store is "
                    "bounded): they were not checked.",
                    self.dropped,
                    count=format_number(self.dropped),
                )
            )
        if self.busy:
            lines.append(
                ngettext(
                    "The sandbox turned away {count} connection while busy (503): any goal it "
                    "carried was not received.",
                    "The sandbox turned away {count} connections while busy (503): any goals "
                    "they carried were not received.",
                    self.busy,
                    count=format_number(self.busy),
                )
            )
        other = (
            ngettext(
                "{count} other request was ignored.",
                "{count} other requests were ignored.",
                self.other,
                count=format_number(self.other),
            )
            if self.other
            else ""
        )
        if self.goals == 0 and self.other:
            none = ngettext(
                "No goal requests (POST {path}) were found; {count} other request was ignored.",
                "No goal requests (POST {path}) were found; {count} other requests were ignored.",
                self.other,
                path=contract.GOALS_PATH,
                count=format_number(self.other),
            )
            lines.append(none)
        elif self.goals == 0:
            lines.append(_("No goal requests (POST {path}) were found.", path=contract.GOALS_PATH))
        else:
            failed = counts.failed + counts.errors - len(self.missing)
            checked = ngettext(
                "Checked {count} goal against the plan {plan}: {passed} passed, {failed} failed.",
                "Checked {count} goals against the plan {plan}: {passed} passed, {failed} failed.",
                self.goals,
                count=format_number(self.goals),
                plan=self.run.name,
                passed=format_number(self.goals - failed),
                failed=format_number(failed),
            )
            lines.append(sentences(checked, other))
        for name in self.missing:
            lines.append(_("Expected goal {name} never arrived.", name=name))
        lines.append(_("Verification passed.") if self.ok else _("Verification FAILED."))
        return lines


def _shown(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    hidden = len(text) - limit
    more = ngettext(
        "… ({count} more character not shown)",
        "… ({count} more characters not shown)",
        hidden,
        count=format_number(hidden),
    )
    return text[:limit] + "\n" + more


def exchange_text(item: Received) -> str:
    """The request as received (Authorization masked) and the answer, as report text."""
    lines = [f"{item.method} {item.url or item.path}"]
    for name, value in item.headers:
        if name.lower() in ("authorization", "proxy-authorization") and not value.startswith(
            ("…", "Bearer …")
        ):
            value = mask_authorization(value)
        lines.append(f"{name}: {value}")
    lines += ["", _shown(item.body or "", MAX_BODY_SHOWN), ""]
    answer = f"{item.status}" if item.status is not None else _("no answer recorded")
    lines.append(f"-> {answer}")
    if item.response:
        lines.append(_shown(item.response, MAX_ANSWER_SHOWN))
    return "\n".join(lines)


def _finding_line(finding: contract.Finding) -> str:
    where = f"{finding.path}: " if finding.path else ""
    fix = f" (fix: {finding.fix})" if finding.fix is not None else ""
    return f"{finding.severity} {finding.code}: {where}{finding.message}{fix}"


def judge(plan: Plan, item: Received, classname: str) -> tuple[Case, str | None]:
    """One received goal as a report case, and the goal name it carried (when readable)."""
    started = time.perf_counter()
    name: str | None = None
    failures: list[tuple[str, str]] = []  # (code, reason)
    details: list[str] = []
    outcome = Outcome.PASSED
    try:
        parsed = contract.parse_body(item.body or "")
    except contract.NotJSON as exc:
        failures.append((NOT_JSON, str(exc)))
    else:
        body = parsed.value
        if isinstance(body, dict) and isinstance(body.get("name"), str):
            name = body["name"]
        try:
            findings = contract.check_body(body, parsed.duplicate_keys).findings
        except UnicodeError:  # a lone surrogate (\ud800) next to markup: the rules cannot read it
            findings = (
                contract.Finding(
                    "metadata",
                    NOT_TEXT,
                    _(
                        "A value holds a broken character (a lone \\uD800-\\uDFFF escape) "
                        "that the API's rules cannot read."
                    ),
                ),
            )
        findings += check_goal(plan, body)
        for finding in findings:
            details.append(_finding_line(finding))
            if finding.is_error or finding.code.startswith("plan."):
                failures.append((finding.code, finding.message))
    if item.status is None:
        outcome = Outcome.ERROR
        failures.insert(0, (NO_ANSWER, _("No answer was recorded for this goal.")))
    elif not 200 <= item.status < 300:  # after the rules' reasons: they say why
        failures.append((HTTP_STATUS, _("The server answered {status}.", status=item.status)))
    if failures and outcome is Outcome.PASSED:
        outcome = Outcome.FAILED
    reason = ""
    if len(failures) == 1:
        reason = failures[0][1]
    elif failures:
        reason = ngettext(
            "{reason} (and {count} more)",
            "{reason} (and {count} more)",
            len(failures) - 1,
            reason=failures[0][1],
            count=len(failures) - 1,
        )
    label = name if name else "(a goal without a readable name)"
    stamp = f" at {item.time}" if item.time else ""
    case = Case(
        name=f"{label} {item.ref}{stamp}",
        classname=classname,
        time=item.elapsed_ms / 1000 if item.elapsed_ms else time.perf_counter() - started,
        outcome=outcome,
        reason=reason,
        details="\n".join(details),
        exchange=exchange_text(item),
        kind=failures[0][0] if failures else "",
    )
    return case, name


def verify(
    plan: Plan,
    received: Iterable[Received],
    *,
    source: str,
    tally: Tally | None = None,
    expect: Iterable[str] = (),
    since: datetime | None = None,
    file: str = "",
    filter_since: bool = True,
) -> VerifyOutcome:
    """Check every received goal and every expected goal; the run for the reports.

    `since` leaves out older requests unless `filter_since` is False (the sandbox already
    filtered them, from its exact clock; recorded times are only to the millisecond).
    """
    began, started = time.perf_counter(), time.time()
    tally = tally if tally is not None else Tally()
    received_class = f"{plan.name}.received"
    cases: list[Case] = []
    arrived: set[str] = set()
    for item in received:
        if filter_since and is_before(item.time, since):
            tally.before_since += 1
            continue
        if not item.is_goal:
            tally.other += 1
            continue
        tally.goals += 1
        case, name = judge(plan, item, received_class)
        cases.append(case)
        if name is not None:
            arrived.add(name)
    missing = tuple(n for n in dict.fromkeys((*plan.expect, *expect)) if n not in arrived)
    for name in missing:
        cases.append(
            Case(
                name=f"{name} arrived at least once",
                classname=f"{plan.name}.expected",
                outcome=Outcome.FAILED,
                reason=_("`{name}` never arrived: it is expected at least once.", name=name),
                kind=EXPECTED_MISSING,
            )
        )
    properties = [("plan", plan.file or plan.name)]
    if since is not None:
        properties.append(("since", since.isoformat()))
    suite = Suite(f"verify {Path(file).name if file else source}", tuple(cases), file=file)
    run = Run(
        plan.name,
        (suite,),
        target=source,
        started=started,
        duration=time.perf_counter() - began,
        properties=tuple(properties),
    )
    return VerifyOutcome(
        run,
        tally.goals,
        tally.other,
        missing,
        tally.dropped,
        tally.before_since,
        tuple(tally.notes),
        tally.busy,
    )


def verify_capture(
    plan: Plan, path: str | Path, *, expect: Iterable[str] = (), since: str | None = None
) -> VerifyOutcome:
    """Verify a HAR file or a JSON Lines export. Raises CaptureError or ValueError (since)."""
    moment = parse_time(since) if since else None
    tally = Tally()
    items = read_capture(path, tally)
    return verify(
        plan, items, source=str(path), tally=tally, expect=expect, since=moment, file=str(path)
    )


def verify_sandbox(
    plan: Plan,
    url: str,
    *,
    expect: Iterable[str] = (),
    since: str | None = None,
    timeout: float = 10.0,
    api_key: str | None = None,
) -> VerifyOutcome:
    """Verify what a running sandbox received. Raises CaptureError or ValueError (since)."""
    from flowsery_gui.plan.collector import check_sandbox_url, read_sandbox

    moment = parse_time(since) if since else None
    base = check_sandbox_url(url)
    tally = Tally()
    items = read_sandbox(
        base,
        tally,
        since=moment.isoformat() if moment else None,
        timeout=timeout,
        api_key=api_key,
    )
    return verify(
        plan, items, source=base, tally=tally, expect=expect, since=moment, filter_since=False
    )
