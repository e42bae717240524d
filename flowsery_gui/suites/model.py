"""What a suite file says, once read: suites, their goals expanded into cases, expectations.

Plain frozen dataclasses with no I/O, shared by the loader (which makes them), the runner
(which sends them) and the report writers, the CLI and the window (which show them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from flowsery_gui.contract import Draft
from flowsery_gui.i18n import _

PlanExpectation = Literal["pass", "violations"]


@dataclass(frozen=True)
class StatusRule:
    """One accepted status: an exact code (`400`) or a class (`4xx`)."""

    code: int | None = None
    klass: int | None = None  # the hundreds digit of a class such as 2xx

    def matches(self, status: int) -> bool:
        """True when the status is this code or falls in this class."""
        if self.code is not None:
            return status == self.code
        return self.klass is not None and status // 100 == self.klass

    def __str__(self) -> str:
        return str(self.code) if self.code is not None else f"{self.klass}xx"


SUCCESS = (StatusRule(klass=2),)


@dataclass(frozen=True)
class Expectation:
    """What must come back for a goal; the defaults are "2xx and no plan violation"."""

    status: tuple[StatusRule, ...] = SUCCESS
    refused: bool = False  # the local rules must refuse it (nothing goes on the wire)
    message: str | None = None  # a substring of the server's message (case-insensitive)
    plan: PlanExpectation | None = None  # None: "pass" for a goal the server accepted (2xx)

    def describe_status(self) -> str:
        """The accepted statuses as people read them: `200`, `400 or 422`, `2xx`."""
        rules = [str(rule) for rule in self.status]
        if len(rules) == 1:
            return rules[0]
        return _("{some} or {last}", some=", ".join(rules[:-1]), last=rules[-1])


@dataclass(frozen=True)
class Case:
    """One send of a suite: a goal, or one CSV row of a data-driven goal."""

    suite: str  # the suite's name
    label: str  # the title, else the name; with `(row N)` for a CSV row
    line: int  # the goal's line in the suite file
    draft: Draft | None = None  # the goal as fields (None for a raw body)
    raw_body: str | None = None  # a raw body, sent as is
    expect: Expectation = field(default_factory=Expectation)
    row: int | None = None  # the CSV data row (1 = the first row after the header)
    fresh_ids: bool = False  # fill an empty visitorUid/sessionUid with fresh test IDs

    @property
    def goal_name(self) -> str:
        """The goal's name as written (for a raw body: what it says, if it can be read)."""
        if self.draft is not None:
            return self.draft.name
        return ""


@dataclass(frozen=True)
class Suite:
    """A suite file as read once at the start of a run: nothing changes it afterwards."""

    name: str
    path: Path
    cases: tuple[Case, ...]
    plan_path: Path | None = None
    profile: str | None = None
    fresh_ids: bool = False
    notes: tuple[str, ...] = ()  # things worth showing, such as a rows file outside the folder
    plan_line: int | None = None  # the line of `plan:`, for errors about the plan
    data_files: tuple[Path, ...] = ()  # the CSV rows files its goals were read from


class SuiteError(ValueError):
    """A suite that cannot be run: the message names the file, the line and the key."""

    def __init__(self, path: Path | str, line: int | None, key: str | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.key = key
        self.problem = message
        self.data_files: tuple[Path, ...] = ()  # the CSV rows files read before it failed
        fields = {"file": self.path, "line": line, "key": key, "message": message}
        if line and key:
            said = _("{file}, line {line} ({key}): {message}", **fields)
        elif line:
            said = _("{file}, line {line}: {message}", **fields)
        elif key:
            said = _("{file} ({key}): {message}", **fields)
        else:
            said = _("{file}: {message}", **fields)
        super().__init__(said)
