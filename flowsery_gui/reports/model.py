"""A small neutral model of a test run, shared by suite runs and verification runs.

The writers (JUnit XML, HTML, JSON) only read this model, so a suite runner and `verify`
produce the same three reports without knowing their formats.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from flowsery_gui.i18n import _, format_number, ngettext, pgettext


class Outcome(str, enum.Enum):
    """How one case ended. Values are stable: they appear in the JSON report."""

    PASSED = "passed"
    FAILED = "failed"  # the goal broke a rule, a plan, or an expectation
    ERROR = "error"  # the case could not be judged (unreadable body, no answer)
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Case:
    """One judged thing: a sent goal, a CSV row, a received goal, an expected goal."""

    name: str
    classname: str
    time: float = 0.0  # seconds
    outcome: Outcome = Outcome.PASSED
    reason: str = ""  # one line in plain words: why it failed, errored or was skipped
    details: str = ""  # every finding, one per line, for the failure body
    exchange: str = ""  # the request (key masked) and the response, as text
    kind: str = ""  # a short code for the failure (`plan.bad_value`), when there is one


@dataclass(frozen=True)
class Counts:
    """How many cases ended each way."""

    tests: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0

    @classmethod
    def of(cls, cases: tuple[Case, ...]) -> Counts:
        """Count a sequence of cases."""
        by = {o: 0 for o in Outcome}
        for case in cases:
            by[case.outcome] += 1
        return cls(
            tests=len(cases),
            passed=by[Outcome.PASSED],
            failed=by[Outcome.FAILED],
            errors=by[Outcome.ERROR],
            skipped=by[Outcome.SKIPPED],
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tests + other.tests,
            self.passed + other.passed,
            self.failed + other.failed,
            self.errors + other.errors,
            self.skipped + other.skipped,
        )

    @property
    def ok(self) -> bool:
        """True when nothing failed or errored."""
        return self.failed == 0 and self.errors == 0

    def words(self) -> str:
        """`2 failed, 1 error, 10 passed, 0 skipped` (the summary line of every report), in
        the reader's language."""
        n = format_number
        return _(
            "{failed}, {errors}, {passed}, {skipped}",
            failed=ngettext("{count} failed", "{count} failed", self.failed, count=n(self.failed)),
            errors=ngettext("{count} error", "{count} errors", self.errors, count=n(self.errors)),
            passed=ngettext("{count} passed", "{count} passed", self.passed, count=n(self.passed)),
            skipped=ngettext(
                "{count} skipped", "{count} skipped", self.skipped, count=n(self.skipped)
            ),
        )


def outcome_label(outcome: Outcome) -> str:
    """How a case's outcome is marked for people (the HTML badge, a console line):
    PASSED, FAILED, ERROR, SKIPPED in the reader's language; files for machines keep the
    stable values (`passed`, ...)."""
    if outcome is Outcome.PASSED:
        return pgettext("report outcome", "PASSED")
    if outcome is Outcome.FAILED:
        return pgettext("report outcome", "FAILED")
    if outcome is Outcome.ERROR:
        return pgettext("report outcome", "ERROR")
    return pgettext("report outcome", "SKIPPED")


@dataclass(frozen=True)
class Suite:
    """The cases of one suite file (or one capture, for a verification run)."""

    name: str
    cases: tuple[Case, ...] = ()
    file: str = ""
    time: float | None = None  # seconds; the sum of the cases' times when not given

    @property
    def counts(self) -> Counts:
        """How many cases ended each way."""
        return Counts.of(self.cases)

    @property
    def seconds(self) -> float:
        """The suite's time: as given, else the sum of its cases' times."""
        return self.time if self.time is not None else sum(c.time for c in self.cases)


@dataclass(frozen=True)
class Run:
    """One whole run: what was run, against what, when, and its suites."""

    name: str
    suites: tuple[Suite, ...] = ()
    target: str = ""  # where goals went or came from (a URL, a file), never a key
    started: float = field(default_factory=time.time)  # seconds since the epoch, UTC
    duration: float = 0.0  # seconds
    properties: tuple[tuple[str, str], ...] = ()  # extra facts: the plan file, the filter

    @property
    def counts(self) -> Counts:
        """The counts over every suite."""
        total = Counts()
        for suite in self.suites:
            total = total + suite.counts
        return total
