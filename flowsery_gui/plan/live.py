"""A tracking plan that follows its file, for a long-running checker such as the sandbox.

The file is polled (one `stat`, cheap) rather than watched with an OS facility: no extra
dependency, the same on every system, and a plan changes rarely. A change is loaded once the
file has stayed the same for one poll, so an editor writing in several steps is not read
half-way. A changed plan that cannot be used, or a deleted file, keeps the last good plan
and the event says why; the file fixed or back again is loaded again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flowsery_gui.i18n import _, format_number, format_time, ngettext
from flowsery_gui.plan.check import check_goal
from flowsery_gui.plan.loader import PlanError, load_plan
from flowsery_gui.plan.model import Plan

#: A refused plan lists at most this many of its problems in the event.
MAX_PROBLEMS_SHOWN = 10

RELOADED = "reloaded"
REFUSED = "refused"
MISSING = "missing"

Signature = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class PlanEvent:
    """What became of the plan file at one poll, in plain words for a log: its first line
    says what happened, the others (for a refused plan) name each problem."""

    kind: str  # RELOADED | REFUSED | MISSING
    lines: tuple[str, ...]


def _signature(path: str) -> Signature | None:
    """What changes when the file does (its times, size, inode; ctime for a chmod); None
    when it cannot be seen."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


class LivePlan:
    """The last good version of a plan file: a sandbox `checker` (call it with a goal body),
    kept current by `poll()`. Reading `plan` is safe from any thread; poll from one."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        signature = _signature(self.path)  # before reading: a change while loading is seen
        #: The plan goals are checked against (the last version that could be used).
        self.plan: Plan = load_plan(self.path)  # PlanError when it cannot be used
        self.loaded_at = datetime.now()
        self._seen = self._pending = signature

    @property
    def name(self) -> str:
        """The plan's name: the sandbox shows it beside each verdict."""
        return self.plan.name

    def describe(self) -> str:
        """`acme-website (acme.plan.yaml, 3 goals)`: the plan as a start line names it."""
        count = len(self.plan.goals)
        return ngettext(
            "{plan} ({file}, {count} goal)",
            "{plan} ({file}, {count} goals)",
            count,
            plan=self.plan.name,
            file=self.path,
            count=format_number(count),
        )

    def __call__(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The sandbox's checker hook: the plan's findings about one received goal body."""
        return [
            {
                "path": f.path,
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "fix": f.fix,
            }
            for f in check_goal(self.plan, body)
        ]

    def poll(self) -> PlanEvent | None:
        """Look at the file once: None when nothing is to be said, else what happened (the
        plan reloaded; a new version refused, the last good one kept; the file gone)."""
        signature = _signature(self.path)
        if signature == self._seen:
            self._pending = signature
            return None
        if signature != self._pending:  # a new version: load it once it stops changing
            self._pending = signature
            return None
        self._seen = signature
        kept = {"file": self.path, "plan": self.plan.name, "time": format_time(self.loaded_at)}
        if signature is None:
            said = _(
                "The plan file {file} is gone; still checking against the last good plan "
                "({plan}, loaded at {time}).",
                **kept,
            )
            return PlanEvent(MISSING, (said,))
        try:
            plan = load_plan(self.path)
        except PlanError as exc:
            problems = exc.problems
            said = _(
                "The plan {file} changed but cannot be used; still checking against the last "
                "good plan ({plan}, loaded at {time}):",
                **kept,
            )
            lines = [said, *(str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN])]
            hidden = len(problems) - MAX_PROBLEMS_SHOWN
            if hidden > 0:
                more = ngettext(
                    "… and {count} more problem.",
                    "… and {count} more problems.",
                    hidden,
                    count=format_number(hidden),
                )
                lines.append(more)
            return PlanEvent(REFUSED, tuple(lines))
        self.plan, self.loaded_at = plan, datetime.now()
        said = _("The plan changed and was reloaded: {plan}.", plan=self.describe())
        return PlanEvent(RELOADED, (said,))
