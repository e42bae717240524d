"""What the suite features say, as whole sentences with their counts (ready for translation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowsery_gui.suites import RunResult, SuiteError

_PLURALS = {"goal": "goals", "request": "requests", "run": "runs"}


def plural(count: int, noun: str) -> str:
    """`1 goal`, `2 goals`, `1,000 goals` (the nouns this feature counts)."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {_PLURALS.get(noun, noun)}"


def count_text(done: int, total: int, passed: int, failed: int, not_run: int) -> str:
    """The running count: `12 of 50 goals: 10 passed, 1 failed, 1 not run`."""
    return (
        f"{done:,} of {plural(total, 'goal')}: {passed:,} passed, {failed:,} failed, "
        f"{not_run:,} not run"
    )


def duration_text(ms: float) -> str:
    """`850 ms`, `2.3 s`, `4 min 05 s`."""
    if ms < 1000:
        return f"{ms:.0f} ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def finished_text(run: RunResult) -> str:
    """How a run ended: its counts, its time, and why it stopped early, if it did."""
    from flowsery_gui.suites import Outcome

    passed, failed = run.count(Outcome.PASSED), run.count(Outcome.FAILED)
    not_run = run.count(Outcome.NOT_RUN)
    took = duration_text(run.duration_ms)
    if run.stopped:
        return (
            f"Stopped after {took}: {passed:,} passed, {failed:,} failed, {not_run:,} not run. "
            f"{run.stopped}"
        )
    if run.all_passed:
        return f"All {plural(passed, 'goal')} passed in {took}."
    return f"Finished in {took}: {passed:,} passed, {failed:,} failed, {not_run:,} not run."


def problem_text(error: SuiteError) -> str:
    """A bad suite in one paragraph: the file, the line and key, what is wrong."""
    name = error.path.name
    if error.line and error.key:
        return f"{name}, line {error.line} ({error.key}): {error.problem}"
    if error.line:
        return f"{name}, line {error.line}: {error.problem}"
    return f"{name}: {error.problem}"


def bad_suite_message(error: SuiteError) -> str:
    """The dialog's words for a suite that cannot be opened."""
    where = []
    if error.line:
        where.append(f"Line {error.line}")
    if error.key:
        where.append(f"key {error.key}")
    place = ", ".join(where)
    problem = error.problem[:1].upper() + error.problem[1:]
    located = f"{place}: {problem}" if place else problem
    return (
        f"{error.path}\n\n{located}\n\n"
        "Fix the file and open it again. Nothing was sent, and the suites already open are "
        "as they were."
    )
