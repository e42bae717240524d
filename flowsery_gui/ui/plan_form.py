"""The form, plan-aware: the plan's findings join the API's, the goal name completes from the
plan, a chosen goal gets rows for its required keys, and cells offer the plan's values.

Follows the plan service: with no plan open the form is exactly as without this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from flowsery_gui import contract
from flowsery_gui.contract import Draft
from flowsery_gui.i18n import _, format_number, ngettext
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.form_panel import FormPanel
from flowsery_gui.ui.metadata_model import KEY_COLUMN, VALUE_COLUMN
from flowsery_gui.ui.plan_service import PlanService

if TYPE_CHECKING:
    from flowsery_gui.plan import GoalSpec
    from flowsery_gui.ui.plan_completion import GoalNameModel


def add_required_rows(form: GoalFormModel, keys: Sequence[str]) -> list[int]:
    """Give each of `keys` not yet in the form a row (blank rows are filled first), within
    the API's 10-key limit; returns the rows that got a key, in `keys` order."""
    meta = form.metadata
    present = {row.key for row in meta.rows if row.key}
    missing = [k for k in dict.fromkeys(keys) if k not in present]
    room = contract.MAX_METADATA_KEYS - meta.used_count()
    missing = missing[: max(0, room)]
    placed: list[int] = []
    blanks = [i for i, row in enumerate(meta.rows) if not row.key and not row.value]
    for key, row in zip(missing, blanks, strict=False):
        meta.rows[row].key = key  # the row stays untouched: no complaint before an edit
        meta.dataChanged.emit(meta.index(row, KEY_COLUMN), meta.index(row, KEY_COLUMN))
        placed.append(row)
    rest = missing[len(placed) :]
    if rest:
        start = len(meta.rows)
        meta.insert_rows_at(start, [(key, "") for key in rest], touched=False)
        placed += range(start, start + len(rest))
    return placed


class PlanForm(QObject):
    """Connects the open plan to the form: findings, completion, required rows, cell choices."""

    status = Signal(str, int)  # words for the status bar, and for how many ms

    def __init__(
        self,
        plans: PlanService,
        form: GoalFormModel,
        panel: FormPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.plans = plans
        self.form = form
        self.panel = panel
        self.names: GoalNameModel | None = None  # made with the first plan
        plans.changed.connect(self.follow_plan)

    def follow_plan(self) -> None:
        """Check against the plan now open (or stop), and complete from its goals."""
        plan = self.plans.plan
        if plan is None:
            self.form.set_extra_check(None)
            if self.names is not None:
                self.names.set_goals([])
            return
        from flowsery_gui.plan import check_draft

        if self.names is None:
            self._install()
        assert self.names is not None
        self.names.set_goals([(g.name, g.description) for g in plan.goals.values()])
        self.form.set_extra_check(lambda draft: check_draft(plan, draft))

    def _install(self) -> None:
        # Deferred: made when a plan is first opened (after the first paint).
        from flowsery_gui.ui.plan_completion import GoalNameModel, goal_completer
        from flowsery_gui.ui.plan_delegate import PlanCellDelegate, PlanValueDelegate

        self.names = GoalNameModel(self)
        self.completer = goal_completer(self.panel.name_edit, self.names)
        self.completer.activated.connect(self.goal_chosen)
        table = self.panel.table
        self.key_delegate = PlanCellDelegate(self.choices, table)
        self.value_delegate = PlanValueDelegate(self.choices, table)
        table.setItemDelegateForColumn(KEY_COLUMN, self.key_delegate)
        table.setItemDelegateForColumn(VALUE_COLUMN, self.value_delegate)

    # What the plan says here --------------------------------------------------------------
    def goal(self) -> GoalSpec | None:
        """The planned goal the form's name names, or None."""
        plan = self.plans.plan
        return plan.goal(self.form.value("name")) if plan is not None else None

    def choices(self, row: int, column: int) -> Sequence[str]:
        """What the plan offers in a metadata cell: a key's allowed values; the goal's keys
        not used in another row."""
        goal = self.goal()
        rows = self.form.metadata.rows
        if goal is None or row >= len(rows):
            return ()
        if column == VALUE_COLUMN:
            spec = goal.metadata.get(rows[row].key)
            if spec is None:
                return ()
            if spec.enum:
                return spec.enum
            return (spec.const,) if spec.const is not None else ()
        used = {r.key for i, r in enumerate(rows) if i != row}
        return tuple(key for key in goal.metadata if key not in used)

    # Intents ------------------------------------------------------------------------------
    def goal_chosen(self, name: str) -> None:
        """A goal was picked from the completion: rows for its required keys."""
        plan = self.plans.plan
        goal = plan.goal(name) if plan is not None else None
        if goal is None:
            return
        self.form.set_value("name", name)
        self._add_rows_for(goal)

    def load_goal(self, name: str) -> None:
        """Put a planned goal in the form (from the Plan view): its name and a row for each
        required key; the IDs and timezone typed so far stay."""
        plan = self.plans.plan
        goal = plan.goal(name) if plan is not None else None
        if goal is None:
            return
        v = self.form.value
        kept = Draft(
            name=name,
            visitor_uid=v("visitorUid"),
            session_uid=v("sessionUid"),
            timezone=v("timezone"),
        )
        self.form.load(kept, touched=False)
        self._add_rows_for(goal)
        self.status.emit(_("{name} from the tracking plan is in the form.", name=name), 6000)

    def _add_rows_for(self, goal: GoalSpec) -> None:
        placed = add_required_rows(self.form, goal.required_keys)
        if not placed:
            return
        keys = ", ".join(self.form.metadata.rows[row].key for row in placed)
        # Translators: {keys} lists metadata keys ("plan, source"), as they are.
        words = ngettext(
            "Added the row the plan requires: {keys}.",
            "Added {count} rows the plan requires: {keys}.",
            len(placed),
            count=format_number(len(placed)),
            keys=keys,
        )
        self.status.emit(words, 6000)
        first = f"metadata[{placed[0]}].value"
        # After the completer's pop-up has handed the focus back to the name.
        QTimer.singleShot(0, lambda: self.panel.focus_path(first))
