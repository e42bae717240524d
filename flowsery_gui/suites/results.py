"""What a suite run found: one result per case, grouped per suite, and the run's totals.

Frozen dataclasses, no I/O: the runner makes them, the CLI, the window and the report
writers read them. Server text in them is plain text: show it as such.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flowsery_gui.contract import Finding
from flowsery_gui.exchange import Exchange
from flowsery_gui.suites.model import Case


class Outcome(str, enum.Enum):
    """How one case ended. Values are stable: they are stored in the run log."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not_run"


@dataclass(frozen=True)
class CaseResult:
    """One case judged: its outcome, the reason in plain words, what was sent and came back."""

    case: Case
    outcome: Outcome
    reason: str = ""  # why it failed or was not run; empty when it passed
    exchange: Exchange | None = None  # None when nothing was sent
    body: dict[str, Any] | None = None  # the goal as planned (for history and plan checks)
    findings: tuple[Finding, ...] = ()  # the local rules' findings (errors and warnings)
    violations: tuple[str, ...] = ()  # the plan's violations, in plain words
    history_id: int | None = None  # the history record of the exchange, when one was kept
    kind: str = ""  # why, as a stable code: status, message, plan, refused, not_refused,
    # no_response, cancelled, not_sent (the target refused), not_run; "" when it passed

    @property
    def sent(self) -> bool:
        """True when the request went out (or tried to): there is an exchange."""
        return self.exchange is not None

    @property
    def elapsed_ms(self) -> float:
        """How long the exchange took (0 when nothing was sent)."""
        return self.exchange.elapsed_ms if self.exchange is not None else 0.0


@dataclass(frozen=True)
class SuiteResult:
    """The results of one suite file, in file order."""

    name: str
    path: str
    results: tuple[CaseResult, ...]

    def count(self, outcome: Outcome) -> int:
        """How many cases ended this way."""
        return sum(1 for r in self.results if r.outcome is outcome)


@dataclass(frozen=True)
class RunResult:
    """A whole run: where it went, when, each suite's results, and why it stopped early."""

    run_id: str
    profile: str
    base_url: str
    started_at: float  # seconds since the epoch, UTC
    finished_at: float
    suites: tuple[SuiteResult, ...]
    stopped: str = ""  # why the run ended early (cancel, fail-fast, target gone); "" if not
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. history could not be written

    @property
    def results(self) -> tuple[CaseResult, ...]:
        """Every case result, suite after suite."""
        return tuple(r for suite in self.suites for r in suite.results)

    def count(self, outcome: Outcome) -> int:
        """How many cases ended this way, across the suites."""
        return sum(suite.count(outcome) for suite in self.suites)

    @property
    def duration_ms(self) -> float:
        """Wall time of the run."""
        return max(0.0, (self.finished_at - self.started_at) * 1000.0)

    @property
    def all_passed(self) -> bool:
        """True when every case passed (none failed, none left unrun)."""
        return all(r.outcome is Outcome.PASSED for r in self.results)

    @property
    def no_response_at_all(self) -> bool:
        """True when goals were sent and not one of them got any answer from the target."""
        sent = [r for r in self.results if r.exchange is not None]
        return bool(sent) and all(r.exchange.response is None for r in sent if r.exchange)


@dataclass(frozen=True)
class Progress:
    """Handed to the progress callback each time a case ends (not-run ones included)."""

    result: CaseResult
    done: int
    total: int
    passed: int
    failed: int
    not_run: int


def tally(results: Sequence[CaseResult]) -> tuple[int, int, int]:
    """(passed, failed, not run) of some results."""
    passed = sum(1 for r in results if r.outcome is Outcome.PASSED)
    failed = sum(1 for r in results if r.outcome is Outcome.FAILED)
    return passed, failed, len(results) - passed - failed
