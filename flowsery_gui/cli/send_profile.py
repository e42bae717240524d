"""What `flowsery-goal send` adds when it names a profile rather than a base URL alone: the
profile's test IDs fill the goal's empty IDs, and a send to Production first warns when a
metadata key looks like a person's data.

Apart from `send` so that a send to a base URL alone (a sandbox, a CI job), which has no
test identity and is never Production, loads neither this nor the cleanup modules it asks.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flowsery_gui.cli.common import one_line
from flowsery_gui.cli.plan_option import personal_keys_of
from flowsery_gui.i18n import _

if TYPE_CHECKING:
    from flowsery_gui.cli.target import Target
    from flowsery_gui.plan import Plan
    from flowsery_gui.sending import GoalInput, PlannedSend


def with_test_identity(goal: GoalInput, target: Target, use: bool) -> GoalInput:
    """The goal with its empty IDs filled from the profile's test identity (unless
    --no-test-ids), saying on stderr which were filled."""
    if not use:
        return goal
    from flowsery_gui.cleanup.identity import apply_test_identity
    from flowsery_gui.profiles import ProfileStore

    filled = apply_test_identity(goal, ProfileStore().get(target.profile), use=use)
    for label in filled.labels:
        print(one_line(_("note: {label}.", label=label)), file=sys.stderr)
    return filled.goal


def personal_warning(planned: PlannedSend, tracking: Plan | None) -> None:
    """Before a send to Production: warn when a metadata key looks like a person's data (its
    name, or `personal: true` in the tracking plan)."""
    from flowsery_gui.cleanup.personal import production_warning

    metadata = (planned.goal or {}).get("metadata") or {}
    extra = personal_keys_of(tracking, planned.goal or {}) if tracking is not None else ()
    warning = production_warning(metadata, extra)
    if warning is not None:
        print(one_line(_("warning: {warning}", warning=warning)), file=sys.stderr)
