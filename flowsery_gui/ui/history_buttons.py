"""The History tab's buttons: their words, icons and tips in one table, and a button made from it.

A module of its own because the table is data the panel only lays out: the History tab
(`history_panel`) connects each button to its action and puts it in a row; the words, icons
and tips every button shows live here, in the order the panel lays them out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from flowsery_gui.i18n import N_, _
from flowsery_gui.ui import icons

BUTTONS = (  # key, text, icon, tooltip (translated where shown); the first four in the first
    # row (three act on one record); Delete from analytics… sits on the count's row
    ("load", N_("Load into form"), "paste", N_("Put this goal back in the form")),
    ("again", N_("Send again"), "send", N_("Load this goal and send it again")),
    ("curl", N_("Copy as cURL"), "copy", N_("Copy this request as a cURL command")),
    (
        "suite",
        N_("Save as suite…"),
        "export",
        N_("Turn the selected requests into a goal suite file"),
    ),
    (
        "cleanup",
        N_("Delete from analytics…"),
        "delete",
        N_(
            "Delete the selected goals from the analytics they were sent to (or everything "
            "sent to a profile since a time), touching no real visitor's goals where it can"
        ),
    ),
    (
        "export",
        N_("Export…"),
        "export",
        N_("Export everything shown (or the rows selected, when several are) as JSON Lines or HAR"),
    ),
    ("delete", N_("Delete"), "delete", N_("Delete the selected records")),
    ("clear", N_("Clear all…"), "delete", N_("Delete every record")),
    # Translators: a button that opens how much history to keep.
    ("retention", N_("Keep…"), "settings", N_("How much history to keep")),
)


def history_button(key: str, slot: Callable[[], None]) -> QPushButton:
    """The button of this key in `BUTTONS`, translated, with its icon, calling `slot`."""
    _key, text, icon_name, tip = next(b for b in BUTTONS if b[0] == key)
    button = QPushButton(_(text))
    icons.set_icon(button, icon_name)
    button.setToolTip(_(tip))
    button.setAccessibleName(_(text).rstrip("….").rstrip())  # "Export…": "Export"
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button
