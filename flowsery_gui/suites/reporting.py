"""A suite run as the reports' neutral model, and the three report files written from it.

The writers (`flowsery_gui.reports`) know nothing of suites: this module says what each
case becomes. A goal that got no answer is an error (it could not be judged), a goal not
run is skipped, every other failure is a failure. The key is masked by the writers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flowsery_gui import reports
from flowsery_gui.exchange import Exchange
from flowsery_gui.i18n import _
from flowsery_gui.suites.results import CaseResult, Outcome, RunResult

_OUTCOMES = {
    Outcome.PASSED: reports.Outcome.PASSED,
    Outcome.FAILED: reports.Outcome.FAILED,
    Outcome.NOT_RUN: reports.Outcome.SKIPPED,
}
_ERRORS = frozenset({"no_response", "cancelled"})  # no answer came to judge


def exchange_text(exchange: Exchange) -> str:
    """The request as sent (key already masked) and the response, as a person reads them."""
    request = exchange.request
    lines = [f"> {request.method} {request.url}"]
    lines += [f"> {name}: {value}" for name, value in request.headers]
    if request.body is not None:
        lines += [">", f"> {request.body}"]
    lines.append("")
    response = exchange.response
    if response is None:
        failure = exchange.failure
        said = _("(no response)")
        lines.append(f"{said} {failure.message}" if failure is not None else said)
    else:
        lines.append(f"< {response.status} {response.reason}".rstrip())
        lines += [f"< {name}: {value}" for name, value in response.headers]
        lines += ["<", f"< {response.body}"]
    lines += [_("note: {note}", note=note) for note in exchange.notes]
    return "\n".join(lines)


def _details(result: CaseResult) -> str:
    lines = [f"{f.severity} {f.path or 'body'}: {f.message}" for f in result.findings]
    lines += [_("plan: {violation}", violation=violation) for violation in result.violations]
    return "\n".join(lines)


def report_case(result: CaseResult) -> reports.Case:
    """One case of the reports' model."""
    outcome = _OUTCOMES[result.outcome]
    if result.outcome is Outcome.FAILED and result.kind in _ERRORS:
        outcome = reports.Outcome.ERROR
    case = result.case
    # The case's name is its identity in CI (test history): the same in every language.
    name = case.label if case.row is not None or case.label else f"line {case.line}"
    return reports.Case(
        name=name,
        classname=case.suite,
        time=result.elapsed_ms / 1000.0,
        outcome=outcome,
        reason=result.reason,
        details=_details(result),
        exchange=exchange_text(result.exchange) if result.exchange is not None else "",
        kind=result.kind,
    )


def report_run(run: RunResult) -> reports.Run:
    """The whole run in the reports' model."""
    suites = tuple(
        reports.Suite(
            name=suite.name,
            cases=tuple(report_case(r) for r in suite.results),
            file=suite.path,
        )
        for suite in run.suites
    )
    properties = [("run id", run.run_id), ("profile", run.profile)]
    if run.stopped:
        properties.append(("stopped", run.stopped))
    properties += [("note", note) for note in run.notes]
    names = ", ".join(suite.name for suite in run.suites)
    return reports.Run(
        name=f"goal suites: {names}" if names else "goal suites",
        suites=suites,
        target=f"{run.profile} {run.base_url}",
        started=run.started_at,
        duration=run.duration_ms / 1000.0,
        properties=tuple(properties),
    )


def write_reports(
    run: RunResult,
    *,
    junit: Path | str | None = None,
    html: Path | str | None = None,
    json: Path | str | None = None,
    secrets: Iterable[str] = (),
) -> list[str]:
    """Write the reports asked for; the problems in plain words (empty when all went well)."""
    model = report_run(run)
    hidden = [s for s in secrets if s]
    problems = []
    for path, writer in (
        (junit, reports.write_junit),
        (html, reports.write_html),
        (json, reports.write_json),
    ):
        if path is None:
            continue
        try:
            writer(model, path, hidden)
        except OSError as exc:
            reason = exc.strerror or exc
            said = _("the report {path} could not be written ({reason}).", path=path, reason=reason)
            problems.append(said)
    return problems
