"""The Suites tab's goal rows as data: rows that outlive a file read again, and a run's pick.

A module of its own because this is bookkeeping, not widgets: which result each goal keeps
when its suite file is read again, and which suites (holding only the goals asked for) a run
is given. The Suites tab (`suites_panel`) keeps the rows and renders them; `suite_flow` runs
the pick.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, NamedTuple

from flowsery_gui.ui.suite_table import GoalRow
from flowsery_gui.ui.suite_words import WAITING

if TYPE_CHECKING:
    from pathlib import Path

    from flowsery_gui.suites import Suite
    from flowsery_gui.suites.runner import PlanCheck
    from flowsery_gui.ui.suite_files import OpenSuite


class RunPick(NamedTuple):
    """The goals a person asked to run: suites holding only those goals, and their rows."""

    suites: list[Suite]
    checks: dict[Path, PlanCheck]
    rows: list[GoalRow]


def rows_read_again(suite: Suite, old: list[GoalRow]) -> list[GoalRow]:
    """The suite's goals as rows; a goal that was there before keeps its last result (by its
    label), unless it was still waiting for its turn."""
    earlier = {row.case.label: row for row in reversed(old)}
    rows = []
    for case in suite.cases:
        before = earlier.get(case.label)
        if before is not None and before.outcome != WAITING:
            rows.append(dataclasses.replace(before, suite=suite.name, case=case))
        else:
            rows.append(GoalRow(suite.name, case))
    return rows


def pick_run(
    chosen: list[OpenSuite], rows: dict[Path, list[GoalRow]], wanted: set[GoalRow]
) -> RunPick | None:
    """The chosen suites cut down to the wanted goals (in file order), with their plan
    checks; None when none of the wanted goals is in them."""
    suites: list[Suite] = []
    checks: dict[Path, PlanCheck] = {}
    ordered: list[GoalRow] = []
    for open_suite in chosen:
        own = [row for row in rows.get(open_suite.path, []) if row in wanted]
        if open_suite.suite is None or not own:
            continue
        suites.append(dataclasses.replace(open_suite.suite, cases=tuple(r.case for r in own)))
        checks.update(open_suite.checks)
        ordered += own
    return RunPick(suites, checks, ordered) if suites else None
