"""What `flowsery-goal run` prints: a line per goal as it ends, a bar on a terminal, a summary.

Lines go to stdout (so they can be piped and read), the bar to stderr and only when stderr
is a terminal. Server text is printed as plain text; the key is never printed.
"""

from __future__ import annotations

import shutil
import threading
from typing import TextIO

from flowsery_gui.i18n import _, format_duration, format_number, pgettext
from flowsery_gui.sending import PlannedRequest, masked_for_display
from flowsery_gui.suites.model import Case
from flowsery_gui.suites.results import CaseResult, Outcome, Progress, RunResult

BAR_WIDTH = 24


def mark(outcome: Outcome) -> str:
    """The word a result line starts with: PASS, FAIL, SKIP in the reader's language."""
    if outcome is Outcome.PASSED:
        return pgettext("suite result", "PASS")
    if outcome is Outcome.FAILED:
        return pgettext("suite result", "FAIL")
    return pgettext("suite result", "SKIP")


def one_line(text: str, limit: int = 300) -> str:
    """Server text on one line, cut to a readable length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def result_line(result: CaseResult, show_suite: bool) -> str:
    """`PASS  signup flows › newsletter_signup  200 · 12 ms` (the reason after a failure)."""
    case = result.case
    name = f"{case.suite} › {case.label}" if show_suite else case.label
    parts = [f"{mark(result.outcome)}  {one_line(name, 120)}"]
    exchange = result.exchange
    if exchange is not None:
        status = str(exchange.status) if exchange.response is not None else _("no response")
        parts.append(f"{status} · {format_duration(exchange.elapsed_ms)}")
    elif result.outcome is not Outcome.NOT_RUN:
        parts.append(_("not sent"))
    line = "  ".join(parts)
    if result.reason:
        line += f"\n      {one_line(result.reason)}"
    return line


class ProgressPrinter:
    """The progress callback of a CLI run: thread-safe, a line per finished goal."""

    def __init__(self, out: TextIO, bar: TextIO | None, show_suite: bool) -> None:
        self._out = out
        self._bar = bar
        self._show_suite = show_suite
        self._lock = threading.Lock()
        self._bar_shown = False

    def __call__(self, progress: Progress) -> None:
        """Print the finished goal (not-run ones are counted in the summary instead)."""
        with self._lock:
            self._clear_bar()
            if progress.result.outcome is not Outcome.NOT_RUN:
                print(result_line(progress.result, self._show_suite), file=self._out, flush=True)
            self._draw_bar(progress)

    def message(self, text: str) -> None:
        """A line on stderr that does not break the bar."""
        with self._lock:
            self._clear_bar()
            if self._bar is not None:
                print(text, file=self._bar, flush=True)

    def finish(self) -> None:
        """Take the bar away before the summary."""
        with self._lock:
            self._clear_bar()

    def _clear_bar(self) -> None:
        if self._bar is not None and self._bar_shown:
            self._bar.write("\r\x1b[K")
            self._bar.flush()
            self._bar_shown = False

    def _draw_bar(self, progress: Progress) -> None:
        if self._bar is None or progress.done >= progress.total:
            return
        filled = BAR_WIDTH * progress.done // max(1, progress.total)
        counts = _(
            "{passed} passed  {failed} failed", passed=progress.passed, failed=progress.failed
        )
        bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {progress.done}/{progress.total}"
        text = f"{bar}  {counts}"
        columns = shutil.get_terminal_size((80, 24)).columns
        self._bar.write(text[: max(10, columns - 1)])
        self._bar.flush()
        self._bar_shown = True


def summary(run: RunResult) -> list[str]:
    """The closing lines: counts, duration, why it stopped early, notes."""
    passed, failed = run.count(Outcome.PASSED), run.count(Outcome.FAILED)
    not_run = run.count(Outcome.NOT_RUN)
    fields = {
        "passed": format_number(passed),
        "failed": format_number(failed),
        "not_run": format_number(not_run),
        "time": format_duration(run.duration_ms),
        "profile": run.profile,
        "run": run.run_id,
    }
    if not_run:
        said = _(
            "{passed} passed, {failed} failed, {not_run} not run in {time} ({profile}, run {run})",
            **fields,
        )
    else:
        said = _("{passed} passed, {failed} failed in {time} ({profile}, run {run})", **fields)
    lines = [said]
    if run.stopped:
        lines.append(run.stopped)
    lines += [_("note: {note}", note=note) for note in run.notes]
    return lines


def dry_run_lines(case: Case, planned: PlannedRequest | str, key: str | None) -> list[str]:
    """What a dry run shows for one case: the request as it would go, or why it would not."""
    lines = [f"{case.suite} › {case.label}  " + _("(line {line})", line=case.line)]
    expect = case.expect
    if expect.refused:
        wanted = _("expects refused by the local rules")
    elif expect.message:
        wanted = _(
            'expects status {status}, message containing "{message}"',
            status=expect.describe_status(),
            message=expect.message,
        )
    else:
        wanted = _("expects status {status}", status=expect.describe_status())
    lines.append(f"  {wanted}")
    if isinstance(planned, str):
        lines.append("  " + _("not sent: {reason}", reason=one_line(planned)))
        return lines
    shown = masked_for_display(planned, key)
    lines.append(f"  > {shown.method} {shown.url}")
    lines += [f"  > {name}: {value}" for name, value in shown.headers]
    if shown.body_text is not None:
        lines.append(f"  > {shown.body_text}")
    return lines
