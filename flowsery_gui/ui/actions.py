"""Every user action of the window in one table: text, shortcut, icon, tip and menu.

Menus and the toolbar are built from this table, so a shortcut is defined exactly once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from flowsery_gui.ui import icons


class ActionId(enum.Enum):
    """Names of the window's actions."""

    SEND = "send"
    CANCEL = "cancel"
    CLEANUP = "cleanup"
    NEW_GOAL = "new_goal"
    PASTE_JSON = "paste_json"
    PASTE_COOKIES = "paste_cookies"
    NEW_IDS = "new_ids"
    ADD_ROW = "add_row"
    REMOVE_ROW = "remove_row"
    MOVE_UP = "move_up"
    MOVE_DOWN = "move_down"
    PASTE_ROWS = "paste_rows"
    COPY_CURL = "copy_curl"
    FOCUS_NAME = "focus_name"
    MANAGE_KEY = "manage_key"
    MANAGE_PROFILES = "manage_profiles"
    SHOW_HISTORY = "show_history"
    SHOW_RESPONSE = "show_response"
    SHOW_REQUEST = "show_request"
    QUIT = "quit"
    ABOUT = "about"
    # Goal suites (issue 12)
    OPEN_SUITE = "open_suite"
    ADD_TO_SUITE = "add_to_suite"
    SHOW_SUITES = "show_suites"


# A NamedTuple: defined at start-up, where a dataclass takes three times as long.
class ActionSpec(NamedTuple):
    """How one action looks and where it lives."""

    text: str
    menu: str
    shortcuts: tuple[QKeySequence.StandardKey | str, ...] = ()
    icon: str | None = None
    tip: str = ""


_SEQ = QKeySequence.StandardKey

ACTIONS: dict[ActionId, ActionSpec] = {
    ActionId.SEND: ActionSpec(
        "&Send",
        "Goal",
        ("Ctrl+Return", "Ctrl+Enter"),
        "send",
        "Send this goal to the active profile",
    ),
    ActionId.CANCEL: ActionSpec(
        "&Cancel", "Goal", ("Esc",), "cancel", "Stop waiting for the answer"
    ),
    ActionId.ADD_TO_SUITE: ActionSpec(  # goal suites (issue 12)
        "Add to S&uite…", "Goal", (), None, "Save this goal at the end of a goal suite file"
    ),
    ActionId.CLEANUP: ActionSpec(
        "Delete from &Analytics…",
        "Goal",
        (),
        "delete",
        "Delete goals sent from here out of the analytics, exactly (History chooses sends too)",
    ),
    ActionId.NEW_GOAL: ActionSpec(
        "&New Goal", "File", (_SEQ.New,), None, "Clear the form and start again"
    ),
    ActionId.OPEN_SUITE: ActionSpec(  # goal suites (issue 12)
        "&Open Suite…",
        "File",
        ("Ctrl+Shift+O",),
        None,
        "Open goal suite files (*.suite.yaml) in the Suites tab",
    ),
    ActionId.PASTE_JSON: ActionSpec(
        "Paste &JSON Body…",
        "Edit",
        ("Ctrl+Shift+V",),
        "paste",
        "Fill the form from a JSON body copied from your logs",
    ),
    ActionId.PASTE_COOKIES: ActionSpec(
        "Paste &Cookies…",
        "Edit",
        ("Ctrl+Shift+K",),
        "paste",
        "Fill the visitor and session IDs from a Cookie header, document.cookie or a cURL command",
    ),
    ActionId.NEW_IDS: ActionSpec(
        "New &Test IDs",
        "Edit",
        ("Ctrl+Shift+I",),
        "new-ids",
        "Fill the visitor and session IDs with fresh random IDs",
    ),
    ActionId.ADD_ROW: ActionSpec(
        "&Add Metadata Row", "Edit", ("Ctrl+Shift+N",), "add-row", "Add a key/value row"
    ),
    ActionId.REMOVE_ROW: ActionSpec(
        "&Remove Metadata Row", "Edit", ("Ctrl+Shift+D",), "remove-row", "Remove the selected row"
    ),
    ActionId.MOVE_UP: ActionSpec(
        "Move Row &Up", "Edit", ("Ctrl+Shift+Up",), "move-up", "Move the selected row up"
    ),
    ActionId.MOVE_DOWN: ActionSpec(
        "Move Row &Down", "Edit", ("Ctrl+Shift+Down",), "move-down", "Move the selected row down"
    ),
    ActionId.PASTE_ROWS: ActionSpec(
        "Paste Metadata &Rows…",
        "Edit",
        (),
        "paste",
        "Add several key=value or tab-separated lines at once",
    ),
    ActionId.COPY_CURL: ActionSpec(
        "Copy as c&URL",
        "Edit",
        ("Ctrl+Shift+C",),
        "copy",
        "Copy this request as a cURL command (the key stays $FLOWSERY_API_KEY)",
    ),
    ActionId.FOCUS_NAME: ActionSpec(
        "Go to Goal &Name", "View", ("Ctrl+L",), None, "Put the cursor in the goal name"
    ),
    ActionId.SHOW_RESPONSE: ActionSpec(
        "&Response", "View", ("Ctrl+1",), None, "Show the response tab"
    ),
    ActionId.SHOW_REQUEST: ActionSpec(
        "Re&quest Preview", "View", ("Ctrl+2",), None, "Show the request preview tab"
    ),
    ActionId.SHOW_HISTORY: ActionSpec(
        "&History",
        "View",
        ("Ctrl+3", "Ctrl+H"),
        "history",
        "Show every request sent so far",
    ),
    ActionId.SHOW_SUITES: ActionSpec(  # goal suites (issue 12)
        "S&uites", "View", ("Ctrl+4",), None, "Show the goal suites: run them, see past runs"
    ),
    ActionId.MANAGE_KEY: ActionSpec(
        "API &Key…",
        "Profile",
        ("Ctrl+K",),
        "key",
        "Store, verify, replace or forget the API key of the active profile",
    ),
    ActionId.MANAGE_PROFILES: ActionSpec(
        "&Profiles…", "Profile", (), "profile", "Add or remove custom base URLs"
    ),
    ActionId.QUIT: ActionSpec("&Quit", "File", (_SEQ.Quit, "Ctrl+Q"), None, "Quit"),
    ActionId.ABOUT: ActionSpec("&About", "Help", (), "info", "About this app"),
}

MENU_ORDER = ("File", "Edit", "Goal", "View", "Profile", "Help")


def build_actions(
    parent: QWidget, icons_now: Iterable[ActionId] = tuple(ActionId)
) -> dict[ActionId, QAction]:
    """Create every QAction from the table, parented to the window; only the actions in
    `icons_now` get their icons now (see `add_icons`)."""
    with_icons = set(icons_now)
    built: dict[ActionId, QAction] = {}
    for action_id, spec in ACTIONS.items():
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{action_id.value}")
        seqs: list[QKeySequence] = []
        for s in spec.shortcuts:
            seq = QKeySequence(s)
            if not seq.isEmpty() and seq not in seqs:
                seqs.append(seq)
        if seqs:
            action.setShortcuts(seqs)
        tip = spec.tip
        if seqs:
            tip = f"{tip} ({seqs[0].toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(spec.tip)
        if spec.icon and action_id in with_icons:
            icons.set_icon(action, spec.icon)
        built[action_id] = action
    return built


def add_icons(built: dict[ActionId, QAction]) -> None:
    """Give every action its icon (for those left without by `build_actions`)."""
    for action_id, action in built.items():
        name = ACTIONS[action_id].icon
        if name and action.icon().isNull():
            icons.set_icon(action, name)
