"""The profiles' test IDs as the window uses them: read fresh, saved, offered once, filled in.

A goal sent with the profile's test visitor ID can later be deleted by that ID alone, touching
no real visitor (`cleanup.identity`). This service says which test IDs a profile has now (the
profiles file may have been changed by `flowsery-goal profile set` meanwhile), whether the
form uses them (the "use this profile's test IDs" box), saves new ones, keeps test IDs made
for this run only when the person chose not to save them, and remembers that the
first-Production-send offer was made. A service: no widget in here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from flowsery_gui.i18n import _
from flowsery_gui.profiles import Profile, ProfileStore

if TYPE_CHECKING:
    from flowsery_gui.cleanup.identity import Filled
    from flowsery_gui.contract import Draft


class IdHints(NamedTuple):
    """What the visitor and session fields show while empty ("" for their usual words)."""

    visitor: str
    session: str


class TestIdentityService(QObject):
    """Every profile's test IDs for this run, and whether the form fills empty IDs with them."""

    __test__ = False  # a service, not a pytest test class (its name starts with "Test")

    changed = Signal()  # a profile's test IDs, or the use of them, changed

    def __init__(self, profiles: ProfileStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profiles = profiles
        self._use = True
        self._offered: set[str] = set()
        self._this_run: dict[str, tuple[str, str]] = {}  # made by the offer, not saved

    # Reading ------------------------------------------------------------------------------
    def profile(self, name: str) -> Profile | None:
        """The profile as stored now, with test IDs made for this run when it has none."""
        profile = self.profiles.get(name)
        if profile is None or profile.has_test_identity:
            return profile
        ids = self._this_run.get(profile.name)
        if ids is None:
            return profile
        return replace(profile, test_visitor_id=ids[0], test_session_id=ids[1])

    @property
    def use(self) -> bool:
        """True while the form fills empty IDs with the profile's test IDs."""
        return self._use

    def set_use(self, use: bool) -> None:
        """The person ticked or unticked "use this profile's test IDs"."""
        if use != self._use:
            self._use = use
            self.changed.emit()

    def hints(self, name: str) -> IdHints:
        """The placeholders of the visitor and session fields, so an empty field shows what
        will be sent in its place."""
        from flowsery_gui.cleanup.identity import FILLED_LABELS

        profile = self.profile(name)
        if profile is None or not self._use:
            return IdHints("", "")
        visitor, session = profile.test_visitor_id, profile.test_session_id
        # Translators: an empty ID field's hint: what it will send; {label} is "test visitor
        # ID from this profile" (or session), {id} the ID.
        return IdHints(
            _("{label}: {id}", label=_(FILLED_LABELS["visitorUid"]), id=visitor) if visitor else "",
            _("{label}: {id}", label=_(FILLED_LABELS["sessionUid"]), id=session) if session else "",
        )

    def fill(self, draft: Draft, name: str) -> Filled:
        """The draft with its empty IDs taken from the profile's test IDs (when used)."""
        # Deferred: needed at the first preview or send, not to start the window.
        from flowsery_gui.cleanup.identity import apply_test_identity

        return apply_test_identity(draft, self.profile(name), use=self._use)

    # The first Production send ------------------------------------------------------------
    def offer_due(self, name: str, draft: Draft) -> bool:
        """True for the first send to Production this run of a goal with no visitor ID, while
        the profile has no test IDs and the form uses them."""
        profile = self.profile(name)
        return (
            profile is not None
            and profile.kind == "production"
            and self._use
            and not profile.has_test_identity
            and not draft.visitor_uid.strip()
            and profile.name not in self._offered
        )

    def offered(self, name: str) -> None:
        """The offer was made for this profile: not again this run, whatever the answer."""
        self._offered.add(name)

    # Changing -----------------------------------------------------------------------------
    def save(self, name: str, visitor_id: str, session_id: str = "") -> Profile:
        """Store the profile's test IDs ("" for both clears them). Raises ValueError for a
        bad ID, ProfileStoreError when the file cannot be written."""
        saved = self.profiles.set_test_identity(name, visitor_id, session_id)
        self._this_run.pop(saved.name, None)
        self.changed.emit()
        return saved

    def use_for_this_run(self, name: str, visitor_id: str, session_id: str = "") -> None:
        """Test IDs kept in memory for this run only (the person chose not to save them)."""
        self._this_run[name] = (visitor_id, session_id)
        self.changed.emit()
