"""Which sends a cleanup looks at, read from history, and the plan made from them.

The window's History panel (selected rows, or "everything sent to this profile since…")
and `flowsery-goal cleanup` (`--ids`, `--since`, `--name`) both come here, so they plan from
the same records the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flowsery_gui.cleanup.model import CleanupPlan, PlanOptions
from flowsery_gui.cleanup.planner import plan_cleanup
from flowsery_gui.history import History
from flowsery_gui.history.cleaned import MAX_SENDS, SentRecord, sent_records, sent_since
from flowsery_gui.i18n import _, format_number
from flowsery_gui.profiles import Profile


@dataclass(frozen=True)
class Selection:
    """The plan for the chosen sends, or why there is none, and what the choice missed."""

    plan: CleanupPlan | None
    problem: str = ""  # why there is no plan, in plain words
    missing_ids: tuple[int, ...] = ()  # asked for by id, not (or no longer) in history
    other_names: int = 0  # records asked for by id but left out by the goal name


def plan_from_history(
    history: History,
    profile: Profile,
    *,
    ids: Sequence[int] | None = None,
    since: float | None = None,
    name: str | None = None,
    options: PlanOptions | None = None,
) -> Selection:
    """Plan the cleanup of the sends to `profile` chosen by history record `ids`, or sent
    `since` a moment (epoch seconds); `name` keeps only goals of that name. Raises
    HistoryError when the history cannot be read."""
    if (ids is None) == (since is None):
        raise ValueError("Choose the sends by record ids or by a start time (one of them).")
    records: list[SentRecord]
    missing: tuple[int, ...] = ()
    other_names = 0
    if ids is not None:
        if len(set(ids)) > MAX_SENDS:
            return Selection(None, _too_many())
        records = sent_records(history, ids)
        found = {r.id for r in records}
        missing = tuple(sorted({int(i) for i in ids} - found))
        if name is not None:
            kept = [r for r in records if r.goal_name == name]
            other_names = len(records) - len(kept)
            records = kept
    else:
        assert since is not None
        records = sent_since(history, profile.name, since, name)
        if len(records) > MAX_SENDS:
            return Selection(None, _too_many())
    plan = plan_cleanup(
        records, profile=profile.name, test_visitor_id=profile.test_visitor_id, options=options
    )
    return Selection(plan, missing_ids=missing, other_names=other_names)


def _too_many() -> str:
    return _(
        "More than {limit} sends are chosen; a cleanup takes at most {limit}. Choose fewer: one "
        "goal name, or a later start time.",
        limit=format_number(MAX_SENDS),
    )
