"""The profile's test identity, put into goals whose IDs are empty (and a fresh one made).

A goal sent to Production with the profile's test visitor ID can later be deleted by that
visitor ID alone, which touches no real visitor's goal. The window and the CLI both call
`apply_test_identity` just before planning a send, so they fill the same fields the same
way, and both can say which fields were filled ("test visitor ID from this profile").

Only empty IDs are filled: an ID the person typed is theirs to keep. A whole JSON body
(`RawBody`) is filled too when it is a JSON object without duplicate keys, re-written the
pipeline's one way (`serialize_body`); any other raw body is left exactly as given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from flowsery_gui.contract import Draft
from flowsery_gui.i18n import N_, _
from flowsery_gui.ids import new_session_id, new_visitor_id

if TYPE_CHECKING:
    from flowsery_gui.profiles import Profile
    from flowsery_gui.sending import GoalInput

#: The words the form shows beside a filled field, by the body's field name (msgids: shown
#: as `_(FILLED_LABELS[field])`; `Filled.labels` gives them translated).
FILLED_LABELS = {
    "visitorUid": N_("test visitor ID from this profile"),
    "sessionUid": N_("test session ID from this profile"),
}
_DRAFT_FIELDS = {"visitorUid": "visitor_uid", "sessionUid": "session_uid"}


class Identity(NamedTuple):
    """A profile's test visitor ID and session ID ("" when none)."""

    visitor_id: str = ""
    session_id: str = ""


def identity_of(profile: Profile | None) -> Identity:
    """The profile's test identity (none for no profile, such as a bare base URL)."""
    if profile is None:
        return Identity()
    return Identity(profile.test_visitor_id, profile.test_session_id)


def new_identity() -> Identity:
    """A fresh test identity (the "New test IDs" button; `profile set --new-test-ids`)."""
    return Identity(new_visitor_id(), new_session_id())


@dataclass(frozen=True)
class Filled:
    """The goal to plan, and which of its fields came from the profile's test identity."""

    goal: GoalInput
    fields: tuple[str, ...] = ()  # body field names: "visitorUid", "sessionUid"
    skipped: str = ""  # why nothing was filled though the identity was wanted, in words

    @property
    def labels(self) -> tuple[str, ...]:
        """What the form shows beside each filled field, in the reader's language."""
        return tuple(_(FILLED_LABELS[field]) for field in self.fields)

    def draft_fields(self) -> tuple[str, ...]:
        """The filled fields by the form's names ("visitor_uid", "session_uid")."""
        return tuple(_DRAFT_FIELDS[field] for field in self.fields)


def fill_test_identity(goal: GoalInput, identity: Identity) -> Filled:
    """The goal with its empty visitor and session IDs taken from `identity`."""
    if not identity.visitor_id and not identity.session_id:
        return Filled(goal)
    if isinstance(goal, Draft):
        return _fill_draft(goal, identity)
    return _fill_raw(goal, identity)


def apply_test_identity(goal: GoalInput, profile: Profile | None, *, use: bool = True) -> Filled:
    """What `send` plans: the goal filled from the profile's test identity, or, with
    `use=False` (`send --no-test-ids`), the goal exactly as given."""
    if not use:
        return Filled(goal)
    return fill_test_identity(goal, identity_of(profile))


def _wanted(identity: Identity, current: dict[str, Any]) -> dict[str, str]:
    values = {"visitorUid": identity.visitor_id, "sessionUid": identity.session_id}
    return {
        field: value
        for field, value in values.items()
        if value and current.get(field) in (None, "")
    }


def _fill_draft(draft: Draft, identity: Identity) -> Filled:
    current = {"visitorUid": draft.visitor_uid, "sessionUid": draft.session_uid}
    wanted = _wanted(identity, current)
    if not wanted:
        return Filled(draft)
    filled = replace(
        draft,
        visitor_uid=wanted.get("visitorUid", draft.visitor_uid),
        session_uid=wanted.get("sessionUid", draft.session_uid),
    )
    return Filled(filled, tuple(wanted))


def _fill_raw(goal: GoalInput, identity: Identity) -> Filled:
    from flowsery_gui.jsonread import NotJSON, read_json
    from flowsery_gui.sending import RawBody, serialize_body
    from flowsery_gui.sending.plan import MAX_BODY_BYTES

    assert isinstance(goal, RawBody)
    if len(goal.text) > MAX_BODY_BYTES:  # the planner refuses it unread; so is it here
        said = _("the body is too large to read, so it is sent as given")
        return Filled(goal, skipped=said)
    try:
        parsed = read_json(goal.text)
    except NotJSON:
        return Filled(goal, skipped=_("the body is not JSON, so it is sent as given"))
    body = parsed.value
    if not isinstance(body, dict) or parsed.duplicate_keys:
        said = _("the body is not one plain JSON object, so it is sent as given")
        return Filled(goal, skipped=said)
    wanted = _wanted(identity, body)
    if not wanted:
        return Filled(goal)
    filled = dict(body)
    for field, value in wanted.items():
        filled[field] = value
    return Filled(RawBody(serialize_body(filled)), tuple(wanted))
