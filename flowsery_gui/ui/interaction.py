"""The one seam through which the window asks the person something (confirm, paste, warn).

The window calls these instead of building dialogs inline, so tests can answer them with a
scripted stand-in and drive every path without a modal loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

Preview = Callable[[str], tuple[bool, str]]  # pasted text -> (usable, what it will do)


class Ask(Protocol):
    """What the window may ask the person; `Interaction` asks with dialogs, tests script it."""

    def confirm(self, title: str, text: str, yes_text: str) -> bool:
        """A yes/no question whose safe answer is no."""
        ...

    def warn(self, title: str, text: str) -> None:
        """Tell the person something went wrong and what to do."""
        ...

    def paste(self, title: str, explanation: str, preview: Preview, ok_text: str) -> str | None:
        """Ask for pasted text, previewing what it will do; None when cancelled."""
        ...

    def choose(
        self, title: str, text: str, choices: Sequence[str], check: str = ""
    ) -> tuple[int, bool] | None:
        """One of several answers (the first is the default) and, when `check` names one, a
        box ticked by default: (the answer's index, the box); None when cancelled."""
        ...


class Interaction:
    """Asks with real dialogs."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def _warning_box(self, title: str, text: str) -> QMessageBox:
        # Deferred: the message box class (and its enums) costs start-up time (~2 ms).
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    def confirm(self, title: str, text: str, yes_text: str) -> bool:
        """A yes/no question whose safe answer (Cancel) is the default."""
        box = self._warning_box(title, text)
        yes = box.addButton(yes_text, box.ButtonRole.AcceptRole)
        cancel = box.addButton(box.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is yes

    def warn(self, title: str, text: str) -> None:
        """Tell the person something went wrong and what to do."""
        self._warning_box(title, text).exec()

    def choose(
        self, title: str, text: str, choices: Sequence[str], check: str = ""
    ) -> tuple[int, bool] | None:
        """A question box with a button per answer, Cancel, and an optional box."""
        from PySide6.QtWidgets import QCheckBox, QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        buttons = [box.addButton(c, QMessageBox.ButtonRole.AcceptRole) for c in choices]
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        ticked = QCheckBox(check) if check else None
        if ticked is not None:
            ticked.setChecked(True)
            box.setCheckBox(ticked)
        box.setDefaultButton(buttons[0])
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked not in buttons:
            return None
        return buttons.index(clicked), ticked is not None and ticked.isChecked()

    def paste(self, title: str, explanation: str, preview: Preview, ok_text: str) -> str | None:
        """Ask for pasted text, previewing what it will do; None when cancelled."""
        from flowsery_gui.ui.paste_dialog import PasteDialog

        dialog = PasteDialog(title, explanation, preview, ok_text, self.parent)
        if dialog.exec() != PasteDialog.DialogCode.Accepted:
            return None
        return dialog.text()
