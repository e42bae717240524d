"""The toolbar: the profile goals go to (production stands out), its key, Send and Cancel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolBar, QToolButton, QWidget

from flowsery_gui.i18n import _
from flowsery_gui.profiles import Profile
from flowsery_gui.ui import icons
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.target import KeyInfo

PRODUCTION_COMBO = "QComboBox { background: #b91c1c; color: white; font-weight: bold; }"


def profile_icon(kind: str) -> QIcon:
    """The profile list's icon for a kind of profile (production warns)."""
    return icons.icon({"production": "warning", "sandbox": "sandbox"}.get(kind, "profile"))


class MainToolbar(QToolBar):
    """Profile picker, key state, and the Send and Cancel actions."""

    profile_chosen = Signal(str)  # the person picked a profile by name

    def __init__(self, send: QAction, cancel: QAction, manage_key: QAction) -> None:
        # Translators: the toolbar's name (shown where toolbars are listed).
        super().__init__(_("Main"))
        self.setObjectName("main_toolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        profile_label = QLabel(_("Pr&ofile:"))
        profile_label.setContentsMargins(4, 0, 4, 0)  # the room the spaces around it gave
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile_combo")
        self.profile_combo.setAccessibleName(_("Active profile"))
        self.profile_combo.setMinimumWidth(150)
        self.profile_combo.activated.connect(self._chosen)
        profile_label.setBuddy(self.profile_combo)
        self.addWidget(profile_label)
        self.addWidget(self.profile_combo)
        self.addSeparator()
        self.key_button = QToolButton()
        self.key_button.setObjectName("key_state")
        self.key_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icons.set_icon(self.key_button, "key")
        self.key_button.setAutoRaise(True)
        self.key_button.clicked.connect(manage_key.trigger)
        self.addWidget(self.key_button)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.addAction(send)
        self.addAction(cancel)
        self._kinds: dict[str, str] = {}
        self._production = False

    def set_profiles(self, profiles: Sequence[Profile]) -> None:
        """Refill the profile list (profiles were added or removed)."""
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        self._kinds = {p.name: p.kind for p in profiles}
        for profile in profiles:
            if profile.kind == "production":
                # Translators: the profile list's entry for production; {profile} is its name.
                shown = _("{profile} (real data)", profile=profile.name)
            else:
                shown = profile.name  # a name, never translated
            combo.addItem(profile_icon(profile.kind), shown, profile.name)
            tip = profile.base_url or _("The built-in sandbox on this computer")
            combo.setItemData(combo.count() - 1, tooltip(tip), Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)

    def show_target(self, profile: Profile, key: KeyInfo) -> None:
        """Show the active profile (red for production) and where its key comes from."""
        combo = self.profile_combo
        index = combo.findData(profile.name)
        if index >= 0 and index != combo.currentIndex():
            combo.setCurrentIndex(index)
        production = profile.kind == "production"
        if production != self._production:  # a style sheet costs: set it only when it changes
            self._production = production
            combo.setStyleSheet(PRODUCTION_COMBO if production else "")
        self.key_button.setText(key.text)
        self.key_button.setToolTip(tooltip(key.detail or key.text))
        self.key_button.setAccessibleName(key.text)

    def set_busy(self, busy: bool) -> None:
        """No profile switch while a send waits: an answer belongs to the profile it went to."""
        self.profile_combo.setEnabled(not busy)

    def retint(self) -> None:
        """Redraw the profile icons for the current palette (light or dark)."""
        combo = self.profile_combo
        for index in range(combo.count()):
            combo.setItemIcon(index, profile_icon(self._kinds.get(combo.itemData(index), "custom")))

    def _chosen(self, index: int) -> None:
        name = self.profile_combo.itemData(index)
        if name:
            self.profile_chosen.emit(str(name))
