"""The form's side of the profiles' test IDs: what an empty ID field will send, the box to
stop it, the IDs filled into what Send plans, and the offer before the first Production send.

Send, the Request tab's preview and its snippets all plan through `fill`, so what the
preview shows is what goes (`cleanup.identity.apply_test_identity`, as `flowsery-goal send`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from flowsery_gui.i18n import N_, _, sentences
from flowsery_gui.ui.context import AppContext
from flowsery_gui.ui.form_panel import FormPanel
from flowsery_gui.ui.interaction import Ask

if TYPE_CHECKING:
    from flowsery_gui.cleanup.identity import Filled
    from flowsery_gui.contract import Draft

OFFER_TITLE = N_("Send with a test visitor ID?")
CREATE, WITHOUT = 0, 1
#: The offer's answers, in the order of CREATE and WITHOUT (msgids: `_()` where asked).
OFFER_CHOICES = (N_("Create test IDs and send"), N_("Send without"))


def offer_text(profile: str) -> str:
    """The question before the first Production send of a run with no visitor ID."""
    return "\n\n".join(
        (
            _(
                "This goal has no visitor ID, and the {profile} profile has no test IDs yet.",
                profile=profile,
            ),
            _(
                "With a test visitor ID, the test goals you send can later be deleted from your "
                "analytics (History > Delete from analytics…) without touching any real "
                "visitor's goals. Without one, deleting them can also delete real visitors' "
                "goals of the same name sent at the same moment."
            ),
            _("You are asked once per run; test IDs can be changed in Profile > Profiles…."),
        )
    )


def save_text(profile: str) -> str:
    """The words of the "save them" box of the offer."""
    return _("Save the test IDs on the {profile} profile (recommended)", profile=profile)


class TestIdsFlow(QObject):
    """Fills empty IDs from the active profile's test IDs, shows that, and offers new ones."""

    __test__ = False  # a flow, not a pytest test class (its name starts with "Test")

    status = Signal(str, int)  # words for the status bar, and for how many ms

    def __init__(
        self, ctx: AppContext, ask: Ask, panel: FormPanel, parent: QObject | None = None
    ) -> None:
        """`panel`: the form that shows the test IDs (its box and its fields' hints)."""
        super().__init__(parent)
        self.service = ctx.test_ids
        self.target = ctx.target
        self.ask = ask
        self._panel = panel
        panel.use_test_ids_check.toggled.connect(self.service.set_use)
        self.service.changed.connect(self.render)
        self.target.changed.connect(self.render)
        # The first render comes after the first paint (the window's `after_show`): the
        # hints load the profiles' test IDs.

    def render(self) -> None:
        """The box (while the active profile has test IDs) and the fields' hints."""
        if not self._panel.isVisible():
            return  # not before the first paint (the window renders it after that)
        name = self.target.profile.name
        profile = self.service.profile(name)
        hints = self.service.hints(name)
        available = profile is not None and profile.has_test_identity
        self._panel.show_test_ids(available, self.service.use, hints.visitor, hints.session)

    def fill(self, draft: Draft) -> Filled:
        """The draft as Send plans it: empty IDs from the active profile's test IDs."""
        return self.service.fill(draft, self.target.profile.name)

    def before_send(self, draft: Draft) -> bool:
        """Before the first Production send of a run with no visitor ID (and no test IDs):
        offer to make test IDs, saved on the profile or for this run. False: do not send."""
        name = self.target.profile.name
        if not self.service.offer_due(name, draft):
            return True
        self.service.offered(name)
        choices = tuple(_(choice) for choice in OFFER_CHOICES)
        answer = self.ask.choose(_(OFFER_TITLE), offer_text(name), choices, save_text(name))
        if answer is None:
            return False
        choice, save = answer
        if choice == CREATE:
            self._create(name, save)
        return True

    def _create(self, name: str, save: bool) -> None:
        from flowsery_gui.cleanup.identity import new_identity
        from flowsery_gui.profiles import ProfileStoreError

        identity = new_identity()
        if save:
            try:
                self.service.save(name, identity.visitor_id, identity.session_id)
            except (ValueError, ProfileStoreError) as exc:
                kept = _("The test IDs are kept for this run only.")
                self.status.emit(sentences(str(exc), kept), 15000)
            else:
                self.status.emit(_("Test IDs saved on the {profile} profile.", profile=name), 8000)
                return
        self.service.use_for_this_run(name, identity.visitor_id, identity.session_id)
