"""Every user action of the window in one table: text, shortcut, icon, tip and menu.

Menus and the toolbar are built from this table, so a shortcut is defined exactly once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from flowsery_gui.i18n import N_, _
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
    PREFERENCES = "preferences"  # the window's language (issue 14)
    # Goal suites (issue 12)
    OPEN_SUITE = "open_suite"
    ADD_TO_SUITE = "add_to_suite"
    SHOW_SUITES = "show_suites"
    # The tracking plan and the sandbox's received goals (issue 11)
    OPEN_PLAN = "open_plan"
    CLOSE_PLAN = "close_plan"
    SHOW_PLAN = "show_plan"
    SHOW_RECEIVED = "show_received"


# A NamedTuple: defined at start-up, where a dataclass takes three times as long.
class ActionSpec(NamedTuple):
    """How one action looks and where it lives."""

    text: str  # msgids: translated when the action is built
    menu: str  # a key of MENU_TITLES
    shortcuts: tuple[QKeySequence.StandardKey | str, ...] = ()
    icon: str | None = None
    tip: str = ""


_SEQ = QKeySequence.StandardKey

ACTIONS: dict[ActionId, ActionSpec] = {
    ActionId.SEND: ActionSpec(
        N_("&Send"),
        "Goal",
        ("Ctrl+Return", "Ctrl+Enter"),
        "send",
        N_("Send this goal to the active profile"),
    ),
    ActionId.CANCEL: ActionSpec(
        N_("&Cancel"), "Goal", ("Esc",), "cancel", N_("Stop waiting for the answer")
    ),
    ActionId.ADD_TO_SUITE: ActionSpec(  # goal suites (issue 12)
        N_("Add to S&uite…"),
        "Goal",
        (),
        None,
        N_("Save this goal at the end of a goal suite file"),
    ),
    ActionId.CLEANUP: ActionSpec(
        N_("Delete from &Analytics…"),
        "Goal",
        (),
        "delete",
        N_("Delete goals sent from here out of the analytics, exactly (History chooses sends too)"),
    ),
    ActionId.NEW_GOAL: ActionSpec(
        N_("&New Goal"), "File", (_SEQ.New,), None, N_("Clear the form and start again")
    ),
    ActionId.OPEN_SUITE: ActionSpec(  # goal suites (issue 12)
        N_("&Open Suite…"),
        "File",
        ("Ctrl+Shift+O",),
        None,
        N_("Open goal suite files (*.suite.yaml) in the Suites tab"),
    ),
    ActionId.OPEN_PLAN: ActionSpec(  # the tracking plan (issue 11)
        N_("Open Tracking &Plan…"),
        "File",
        ("Ctrl+Shift+P",),
        None,
        N_("Open a *.plan.yaml file: goals and metadata are then checked against it as you type"),
    ),
    ActionId.CLOSE_PLAN: ActionSpec(
        N_("C&lose Plan"),
        "File",
        (),
        None,
        N_("Stop checking goals against the tracking plan"),
    ),
    ActionId.PASTE_JSON: ActionSpec(
        N_("Paste &JSON Body…"),
        "Edit",
        ("Ctrl+Shift+V",),
        "paste",
        N_("Fill the form from a JSON body copied from your logs"),
    ),
    ActionId.PASTE_COOKIES: ActionSpec(
        N_("Paste &Cookies…"),
        "Edit",
        ("Ctrl+Shift+K",),
        "paste",
        N_(
            "Fill the visitor and session IDs from a Cookie header, document.cookie or a "
            "cURL command"
        ),
    ),
    ActionId.NEW_IDS: ActionSpec(
        N_("New &Test IDs"),
        "Edit",
        ("Ctrl+Shift+I",),
        "new-ids",
        N_("Fill the visitor and session IDs with fresh random IDs"),
    ),
    ActionId.ADD_ROW: ActionSpec(
        N_("&Add Metadata Row"),
        "Edit",
        ("Ctrl+Shift+N",),
        "add-row",
        N_("Add a key/value row"),
    ),
    ActionId.REMOVE_ROW: ActionSpec(
        N_("&Remove Metadata Row"),
        "Edit",
        ("Ctrl+Shift+D",),
        "remove-row",
        N_("Remove the selected row"),
    ),
    ActionId.MOVE_UP: ActionSpec(
        N_("Move Row &Up"),
        "Edit",
        ("Ctrl+Shift+Up",),
        "move-up",
        N_("Move the selected row up"),
    ),
    ActionId.MOVE_DOWN: ActionSpec(
        N_("Move Row &Down"),
        "Edit",
        ("Ctrl+Shift+Down",),
        "move-down",
        N_("Move the selected row down"),
    ),
    ActionId.PASTE_ROWS: ActionSpec(
        N_("Paste Metadata Ro&ws…"),
        "Edit",
        (),
        "paste",
        N_("Add several key=value or tab-separated lines at once"),
    ),
    ActionId.COPY_CURL: ActionSpec(
        N_("Cop&y as cURL"),
        "Edit",
        ("Ctrl+Shift+C",),
        "copy",
        N_("Copy this request as a cURL command (the key stays $FLOWSERY_API_KEY)"),
    ),
    ActionId.PREFERENCES: ActionSpec(
        N_("Pre&ferences…"),
        "Edit",
        ("Ctrl+,",),
        None,
        N_("Choose the window's language"),
    ),
    ActionId.FOCUS_NAME: ActionSpec(
        N_("Go to Goal &Name"), "View", ("Ctrl+L",), None, N_("Put the cursor in the goal name")
    ),
    ActionId.SHOW_RESPONSE: ActionSpec(
        N_("&Response"), "View", ("Ctrl+1",), None, N_("Show the response tab")
    ),
    ActionId.SHOW_REQUEST: ActionSpec(
        N_("Re&quest Preview"), "View", ("Ctrl+2",), None, N_("Show the request preview tab")
    ),
    ActionId.SHOW_HISTORY: ActionSpec(
        N_("&History"),
        "View",
        ("Ctrl+3", "Ctrl+H"),
        "history",
        N_("Show every request sent so far"),
    ),
    ActionId.SHOW_SUITES: ActionSpec(  # goal suites (issue 12)
        N_("S&uites"),
        "View",
        ("Ctrl+4",),
        None,
        N_("Show the goal suites: run them, see past runs"),
    ),
    ActionId.SHOW_PLAN: ActionSpec(  # the tracking plan (issue 11)
        N_("&Plan"),
        "View",
        ("Ctrl+5",),
        None,
        N_("Show the tracking plan's goals and their last send"),
    ),
    ActionId.SHOW_RECEIVED: ActionSpec(
        N_("Recei&ved"),
        "View",
        ("Ctrl+6",),
        None,
        N_("Show what the built-in sandbox received from any client"),
    ),
    ActionId.MANAGE_KEY: ActionSpec(
        N_("API &Key…"),
        "Profile",
        ("Ctrl+K",),
        "key",
        N_("Store, verify, replace or forget the API key of the active profile"),
    ),
    ActionId.MANAGE_PROFILES: ActionSpec(
        N_("&Profiles…"), "Profile", (), "profile", N_("Add or remove custom base URLs")
    ),
    ActionId.QUIT: ActionSpec(N_("&Quit"), "File", (_SEQ.Quit, "Ctrl+Q"), None, N_("Quit")),
    ActionId.ABOUT: ActionSpec(N_("&About"), "Help", (), "info", N_("About this app")),
}

MENU_ORDER = ("File", "Edit", "Goal", "View", "Profile", "Help")
#: Each menu's title as the menu bar shows it, with its mnemonic (msgids: `_(MENU_TITLES[m])`).
# Translators: a mnemonic (the letter after &) must be unique within the menu bar, and an
# action's within its menu; tests check it for every language.
MENU_TITLES = {
    "File": N_("&File"),
    "Edit": N_("&Edit"),
    "Goal": N_("&Goal"),
    "View": N_("&View"),
    "Profile": N_("&Profile"),
    "Help": N_("&Help"),
}


def build_actions(
    parent: QWidget, icons_now: Iterable[ActionId] = tuple(ActionId)
) -> dict[ActionId, QAction]:
    """Create every QAction from the table, parented to the window; only the actions in
    `icons_now` get their icons now (see `add_icons`)."""
    with_icons = set(icons_now)
    built: dict[ActionId, QAction] = {}
    for action_id, spec in ACTIONS.items():
        action = QAction(_(spec.text), parent)
        action.setObjectName(f"action_{action_id.value}")
        seqs: list[QKeySequence] = []
        for s in spec.shortcuts:
            seq = QKeySequence(s)
            if not seq.isEmpty() and seq not in seqs:
                seqs.append(seq)
        if seqs:
            action.setShortcuts(seqs)
        tip = _(spec.tip) if spec.tip else ""
        if seqs:
            shortcut = seqs[0].toString(QKeySequence.SequenceFormat.NativeText)
            # Translators: an action's tooltip: what it does, then its keyboard shortcut.
            action.setToolTip(_("{tip} ({shortcut})", tip=tip, shortcut=shortcut))
        else:
            action.setToolTip(tip)
        action.setStatusTip(tip)
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


#: A separator follows these actions in their menus.
SEPARATOR_AFTER = (ActionId.NEW_GOAL, ActionId.PASTE_ROWS, ActionId.CANCEL, ActionId.COPY_CURL)


def build_menus(menu_bar: QMenuBar, built: dict[ActionId, QAction]) -> dict[str, QMenu]:
    """The menu bar's menus (translated titles), each with its actions in table order."""
    menus = {name: menu_bar.addMenu(_(MENU_TITLES[name])) for name in MENU_ORDER}
    for action_id, spec in ACTIONS.items():
        menus[spec.menu].addAction(built[action_id])
        if action_id in SEPARATOR_AFTER:
            menus[spec.menu].addSeparator()
    return menus
