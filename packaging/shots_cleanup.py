"""Renders of the test IDs and the Delete from analytics dialog, for `render_screenshots.py`.

Each view at 800x600 and 1400x1000: the Profiles dialog with Production's test IDs, the form
showing the test IDs it will send, and the cleanup dialog with a safe plan, with a risky call
whose warning is ticked, and after a run stopped by a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = ((800, 600), (1400, 1000))
TEST_VID = "3f6c1e0a-5b7d-4e2a-9c1f-0d8e7b6a5c43"
TEST_SID = "b81d2c7e-0f4a-4b9e-8d3c-6a5e4f2b1c09"
SOMEONE = "9a0b1c2d-3e4f-4a5b-8c7d-6e5f4a3b2c1d"


def render(window: Any, out: Path, settle: Callable[..., None], suffix: str = "") -> None:
    """Render every view of this feature into `out` (names end in `suffix`, e.g. "-dark")."""
    from PySide6.QtCore import Qt

    from flowsery_gui.contract import Draft
    from flowsery_gui.ui.profiles_dialog import ProfilesDialog

    def shot(widget: Any, name: str, then: Callable[[], None] | None = None) -> None:
        for width, height in SIZES:
            widget.resize(width, height)
            settle()
            if then is not None:  # after the layout settled at this size
                then()
                settle()
            path = out / f"{name}-{width}{suffix}.png"
            widget.grab().save(str(path))
            print(path)

    ctx = window.ctx
    ctx.test_ids.save("Production", TEST_VID, TEST_SID)
    ctx.test_ids.save("Sandbox", TEST_VID, TEST_SID)
    profiles = ProfilesDialog(ctx, window)
    rows = (profiles.list.item(row) for row in range(profiles.list.count()))
    production = next(i for i in rows if i.data(Qt.ItemDataRole.UserRole) == "Production")
    profiles.list.setCurrentItem(production)  # by the profile's name: the line is translated
    profiles.show()
    shot(profiles, "profiles-test-ids")
    profiles.close()

    def send(name: str, visitor: str = "") -> None:
        window.form.load(
            Draft(name=name, visitor_uid=visitor, timezone="Europe/Paris"), touched=True
        )
        window.send_flow.send()
        for _ in range(200):
            if not window.sending.busy:
                break
            settle(50)

    window.form.load(Draft(name="newsletter_signup", timezone="Europe/Paris"), touched=True)
    window.tabs.show_request()
    geometry = window.size()
    shot(window, "form-test-ids")
    window.resize(geometry)

    window.ctx.history.open()
    store = window.ctx.history.store
    before = set(store.ids()) if store is not None else set()
    send("newsletter_signup")
    send("purchase")
    safe = sorted(set(store.ids()) - before) if store is not None else []
    send("newsletter_signup", SOMEONE)
    every = sorted(set(store.ids()) - before) if store is not None else []

    def dialog_for(ids: list[int]) -> Any:
        dialog = window.cleanup_flow.dialog(ids, "Sandbox")
        dialog.show()
        for _ in range(100):
            if dialog._planned is not None:
                break
            settle(50)
        return dialog

    dialog = dialog_for(safe)
    dialog.confirm_combo.setCurrentText("Sandbox")
    shot(dialog, "cleanup-safe")
    dialog.close()

    dialog = dialog_for(every)
    for card in dialog.calls.cards:
        if card.ack is not None:
            card.ack.setChecked(True)
    dialog.confirm_combo.setCurrentText("Sandbox")
    risky = next(card for card in dialog.calls.cards if card.ack is not None)
    shot(dialog, "cleanup-risky", lambda: dialog.scroll_area.ensureWidgetVisible(risky, 0, 0))

    window.sending.set_fault("status=500")
    dialog.replan()  # the fault reaches the exact requests shown
    for _ in range(100):
        if dialog._planned is not None:
            break
        settle(50)
    for card in dialog.calls.cards:
        if card.ack is not None:
            card.ack.setChecked(True)
    dialog.confirm_combo.setCurrentText("Sandbox")
    dialog.delete()
    for _ in range(200):
        if dialog.run_result is not None:
            break
        settle(50)
    shot(dialog, "cleanup-failed", lambda: dialog.scroll_area.verticalScrollBar().setValue(0))
    dialog.close()
    window.sending.set_fault("")
