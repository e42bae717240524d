"""Planning the API's other two calls: `GET /api/v1/metadata` and `DELETE /api/v1/goals`.

Same rules as a goal (URL, key, production), same result types. A delete is refused without
a filter (the server would delete every goal of all time) and, when the caller asks, without
a closed time window: the cleanup feature deletes only inside one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from flowsery_gui.contract import GOALS_PATH, METADATA_PATH
from flowsery_gui.i18n import _
from flowsery_gui.sending.keys import KeySource, ResolvedKey
from flowsery_gui.sending.plan import (
    Checked,
    Plan,
    Refusal,
    RefusalCode,
    SendOptions,
    Target,
    check_target,
)
from flowsery_gui.sending.request import PlannedRequest, build_request


@dataclass(frozen=True)
class DeleteFilter:
    """Which goal events a delete removes; times are ISO 8601 text, as the API takes them."""

    name: str = ""
    visitor_id: str = ""
    start_at: str = ""
    end_at: str = ""

    def query(self) -> dict[str, str]:
        """The query parameters, empty ones left out, in the API's order."""
        pairs = (
            ("name", self.name),
            ("visitorId", self.visitor_id),
            ("startAt", self.start_at),
            ("endAt", self.end_at),
        )
        return {key: value.strip() for key, value in pairs if value.strip()}

    @property
    def bounded(self) -> bool:
        """True when both ends of the time window are given."""
        return bool(self.start_at.strip() and self.end_at.strip())


def iso_utc(moment: datetime) -> str:
    """A moment as the API's ISO 8601 text in UTC (`2024-05-01T09:30:00Z`); naive is UTC."""
    return (
        _aware(moment).astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def time_window(
    start: datetime, end: datetime, *, name: str = "", visitor_id: str = ""
) -> DeleteFilter:
    """A delete filter closed at both ends (naive times are UTC); ValueError when `end` is
    before `start`."""
    start, end = _aware(start), _aware(end)
    if end < start:
        raise ValueError(_("The end of the time window is before its start."))
    return DeleteFilter(
        name=name, visitor_id=visitor_id, start_at=iso_utc(start), end_at=iso_utc(end)
    )


def plan_metadata(
    target: Target, key: ResolvedKey | KeySource | bool, options: SendOptions | None = None
) -> Plan:
    """Plan `GET /api/v1/metadata` (which website a key belongs to). A read: production needs
    no confirmation."""
    checked = check_target(target, key, options or SendOptions(production_confirmed=True))
    if isinstance(checked, Refusal):
        return checked
    return checked.finish(_request(checked, "GET", METADATA_PATH))


def plan_delete(
    target: Target,
    filters: DeleteFilter,
    key: ResolvedKey | KeySource | bool,
    options: SendOptions | None = None,
    *,
    require_window: bool = False,
) -> Plan:
    """Plan `DELETE /api/v1/goals?…`: refused with no filter, and with `require_window`,
    without both `start_at` and `end_at`."""
    checked = check_target(target, key, options or SendOptions())
    if isinstance(checked, Refusal):
        return checked
    query = filters.query()
    if not query:
        return Refusal(
            RefusalCode.NO_FILTER,
            _(
                "Not sent: deleting needs at least one filter (a goal name, a visitor ID or a "
                "time range). Without one the server would be asked to delete everything."
            ),
            target,
        )
    if require_window and not filters.bounded:
        return Refusal(
            RefusalCode.UNBOUNDED,
            _(
                "Not sent: give both a start and an end time. Without them the server deletes "
                "every matching goal of all time."
            ),
            target,
        )
    return checked.finish(_request(checked, "DELETE", GOALS_PATH, query))


def _request(
    checked: Checked, method: str, path: str, query: dict[str, str] | None = None
) -> PlannedRequest:
    return build_request(
        method,
        checked.target.base_url,
        path,
        has_key=checked.with_authorization,
        user_agent=checked.user_agent,
        query=query,
        extra_headers=checked.extra_headers,
    )
