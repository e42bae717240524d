"""What the suite features say, as whole sentences with their counts (ready for translation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowsery_gui.i18n import N_, _, format_duration, format_number, ngettext, sentences

if TYPE_CHECKING:
    from flowsery_gui.suites import RunResult, SuiteError


WAITING = "waiting"  # a goal of a run that has not had its turn yet
#: A goal's result as the lists show it (translated where shown: `result_words`).
RESULT_WORDS = {
    "passed": N_("Passed"),
    "failed": N_("Failed"),
    "not_run": N_("Not run"),
    WAITING: N_("Waiting"),
}


def result_words(outcome: str) -> str:
    """A result's words in the active language (the outcome's code when it has none)."""
    words = RESULT_WORDS.get(outcome)
    return _(words) if words is not None else outcome


def outcome_words(label: str, outcome: str, reason: str, *, earlier: bool = False) -> str:
    """`checkout (row 2): Failed. Expected 2xx, got 500.`; `earlier`: the result is an
    earlier run's, and says so."""
    result = result_words(outcome)
    if earlier:
        # Translators: {label} is a goal's title, {result} "Passed", "Failed"…
        said = _("{label}: {result} (in an earlier run).", label=label, result=result)
    else:
        said = _("{label}: {result}.", label=label, result=result)
    return sentences(said, reason.strip())


def goals_text(count: int) -> str:
    """`1 goal`, `1,000 goals` (a suite's size, in a list of suites)."""
    return ngettext("{count} goal", "{count} goals", count, count=format_number(count))


def all_suites_text(total: int) -> str:
    """The first choice of the Suites tab's list when several suites are open."""
    return ngettext(
        "All open suites ({count} goal)",
        "All open suites ({count} goals)",
        total,
        count=format_number(total),
    )


def suite_choice_text(name: str, goals: int) -> str:
    """A suite in the Suites tab's list: `signup (12 goals)`."""
    # Translators: a suite in the list of open suites; {goals} is "12 goals".
    return _("{name} ({goals})", name=name, goals=goals_text(goals))


def tally_text(passed: int, failed: int, not_run: int) -> str:
    """`10 passed, 1 failed, 1 not run`: each count in its own plural form."""
    # Translators: the three counts of a suite run, each made apart ("10 passed").
    return _(
        "{passed}, {failed}, {not_run}",
        passed=ngettext("{count} passed", "{count} passed", passed, count=format_number(passed)),
        failed=ngettext("{count} failed", "{count} failed", failed, count=format_number(failed)),
        not_run=ngettext(
            "{count} not run", "{count} not run", not_run, count=format_number(not_run)
        ),
    )


def count_text(done: int, total: int, passed: int, failed: int, not_run: int) -> str:
    """The running count: `12 of 50 goals: 10 passed, 1 failed, 1 not run`."""
    return ngettext(
        "{done} of {total} goal: {tally}",
        "{done} of {total} goals: {tally}",
        total,
        done=format_number(done),
        total=format_number(total),
        tally=tally_text(passed, failed, not_run),
    )


def duration_text(ms: float) -> str:
    """`850 ms`, `2.3 s`, `4 min 05 s` (in the language's format)."""
    if ms < 60_000:
        return format_duration(ms)
    minutes, rest = divmod(int(ms / 1000), 60)
    # Translators: a duration of a minute or more: "4 min 05 s" (seconds always two digits).
    return _(
        "{minutes} min {seconds} s", minutes=format_number(minutes), seconds=str(rest).zfill(2)
    )


def finished_text(run: RunResult) -> str:
    """How a run ended: its counts, its time, and why it stopped early, if it did."""
    from flowsery_gui.suites import Outcome

    passed, failed = run.count(Outcome.PASSED), run.count(Outcome.FAILED)
    tally = tally_text(passed, failed, run.count(Outcome.NOT_RUN))
    took = duration_text(run.duration_ms)
    if run.stopped:  # the runner's own words (suites.runner.CANCELLED…), translated there
        stopped = _("Stopped after {took}: {tally}.", took=took, tally=tally)
        return sentences(stopped, run.stopped)
    if run.all_passed:
        return ngettext(
            "All {count} goal passed in {took}.",
            "All {count} goals passed in {took}.",
            passed,
            count=format_number(passed),
            took=took,
        )
    return _("Finished in {took}: {tally}.", took=took, tally=tally)


def problem_text(error: SuiteError) -> str:
    """A bad suite in one paragraph: the file, the line and key, what is wrong."""
    name, problem = error.path.name, error.problem
    if error.line and error.key:
        # Translators: {key} is a key of the suite file, as written there.
        return _(
            "{name}, line {line} ({key}): {problem}",
            name=name,
            line=error.line,
            key=error.key,
            problem=problem,
        )
    if error.line:
        return _("{name}, line {line}: {problem}", name=name, line=error.line, problem=problem)
    return _("{name}: {problem}", name=name, problem=problem)


def bad_suite_message(error: SuiteError) -> str:
    """The dialog's words for a suite that cannot be opened."""
    problem = error.problem[:1].upper() + error.problem[1:]
    if error.line and error.key:
        located = _(
            "Line {line}, key {key}: {problem}", line=error.line, key=error.key, problem=problem
        )
    elif error.line:
        located = _("Line {line}: {problem}", line=error.line, problem=problem)
    elif error.key:
        located = _("Key {key}: {problem}", key=error.key, problem=problem)
    else:
        located = problem
    advice = _(
        "Fix the file and open it again. Nothing was sent, and the suites already open are "
        "as they were."
    )
    return f"{error.path}\n\n{located}\n\n{advice}"
