"""File > Recent Suites: the suite files opened last, newest first, read when it opens.

A pick is an intent, `chosen(path)`, that the window carries out.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from flowsery_gui.i18n import _
from flowsery_gui.ui.suite_files import SuiteFiles


class RecentSuitesMenu(QMenu):
    """The recent suite files, filled each time the menu is about to show."""

    chosen = Signal(str)  # the path of the suite file picked

    def __init__(self, files: SuiteFiles, parent: QWidget | None = None) -> None:
        # Translators: a submenu of File; keep a mnemonic (&) unique within the File menu.
        super().__init__(_("Recent S&uites"), parent)
        self.setStatusTip(_("Open a goal suite file you opened before"))
        self.files = files
        self.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        """List the recent files (a missing one is shown, and says so when picked)."""
        self.clear()
        recent = self.files.recent()
        for number, path in enumerate(recent, start=1):
            name = Path(path).name.replace("&", "&&")  # a & in a file name is not a mnemonic
            action = self.addAction(f"&{number} {name}" if number < 10 else name)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.chosen.emit(p))
        if not recent:
            self.addAction(_("No suites opened yet")).setEnabled(False)
