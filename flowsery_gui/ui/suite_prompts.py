"""The questions the suite features ask: which files, which suite to add to, what title.

One seam, as `interaction.Ask` is for the rest of the window: `DialogPrompts` asks with
real file and text dialogs; tests answer from a script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from flowsery_gui.i18n import N_, _

#: The file dialogs' types (translated where shown; each "(*.ext)" and ";;" kept as is).
SUITE_FILTER = N_(
    "Goal suites (*.suite.yaml *.suite.yml);;YAML files (*.yaml *.yml);;All files (*)"
)
SUITE_SUFFIX = ".suite.yaml"


class SuitePrompts(Protocol):
    """What the suite features may ask the person."""

    def suite_files(self, folder: str) -> list[str]:
        """Suite files to open (several allowed); empty when cancelled."""
        ...

    def suite_to_add_to(self, suggested: str) -> str | None:
        """An existing suite file to add a goal to; None when cancelled."""
        ...

    def goal_title(self, name: str) -> str | None:
        """The new goal's title ("" for none: it is then reported under its name); None when
        cancelled."""
        ...

    def new_suite_file(self, suggested: str) -> str | None:
        """Where to write a new suite file; None when cancelled."""
        ...


class DialogPrompts:
    """Asks with the platform's file dialogs and a text box."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def suite_files(self, folder: str) -> list[str]:
        """Suite files to open (several allowed); empty when cancelled."""
        from PySide6.QtWidgets import QFileDialog

        paths, _chosen = QFileDialog.getOpenFileNames(
            self.parent, _("Open goal suites"), folder, _(SUITE_FILTER)
        )
        return list(paths)

    def suite_to_add_to(self, suggested: str) -> str | None:
        """An existing suite file to add a goal to; None when cancelled."""
        from PySide6.QtWidgets import QFileDialog

        path, _chosen = QFileDialog.getOpenFileName(
            self.parent, _("Add the goal to which suite?"), suggested, _(SUITE_FILTER)
        )
        return path or None

    def goal_title(self, name: str) -> str | None:
        """The new goal's title ("" for none); None when cancelled."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QInputDialog, QLabel

        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(_("Add to suite"))
        if name:
            # Translators: {name} is the goal's name, as typed.
            words = _(
                "A title for this goal in the suite's results (optional; without one it is "
                "reported as {name}):",
                name=name,
            )
        else:
            words = _(
                "A title for this goal in the suite's results (optional; without one it is "
                "reported as its name):"
            )
        dialog.setLabelText(words)
        for label in dialog.findChildren(QLabel):  # the goal's name is shown as typed
            label.setTextFormat(Qt.TextFormat.PlainText)
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue().strip()

    def new_suite_file(self, suggested: str) -> str | None:
        """Where to write a new suite file; None when cancelled."""
        from PySide6.QtWidgets import QFileDialog

        path, _chosen = QFileDialog.getSaveFileName(
            self.parent, _("Save as a goal suite"), suggested, _(SUITE_FILTER)
        )
        return with_suffix(path) if path else None


def with_suffix(path: str) -> str:
    """A name without a YAML ending gets `.suite.yaml` (so the suite reads as one)."""
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        return path
    return path + SUITE_SUFFIX


def suite_name_for(path: str | Path) -> str:
    """A new suite's name from its file name: `checkout.suite.yaml` is "checkout"."""
    name = Path(path).name
    for suffix in (".suite.yaml", ".suite.yml", ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return name
