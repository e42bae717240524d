"""What the window remembers between runs: its geometry, the splitter, the last form.

Never a secret: the form holds no key, and nothing else is written.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from flowsery_gui.contract import Draft
from flowsery_gui.jsonread import loads_or_none
from flowsery_gui.sending.drafts import draft_from_dict, draft_to_dict
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.window_layout import fit_form_first

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray

DEFAULT_SIZE = (1180, 760)


def draft_to_text(draft: Draft) -> str:
    """The form as JSON text for the settings file."""
    return json.dumps(draft_to_dict(draft))


def draft_from_text(raw: object) -> Draft | None:
    """The form written by `draft_to_text`; None for anything else (an old or edited file)."""
    return draft_from_dict(loads_or_none(raw)) if isinstance(raw, str) else None


def restore(
    settings: QSettings, window: QMainWindow, splitter: QSplitter, form: GoalFormModel
) -> None:
    """Put back the geometry, the splitter and the last form (a sensible size the first time)."""
    geometry = _saved_bytes(settings.value("window/geometry"))
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        width, height = DEFAULT_SIZE
        if available:
            width, height = min(width, available.width() - 40), min(height, available.height() - 40)
        window.resize(width, height)
    state = _saved_bytes(settings.value("window/splitter"))
    if state is not None:
        splitter.restoreState(state)
    else:  # the form the width its content needs, the answer the rest
        fit_form_first(splitter, window.width())
    draft = draft_from_text(settings.value("form/last"))
    if draft is not None:
        form.load(draft, touched=True)


def _saved_bytes(value: object) -> QByteArray | None:
    """A saved geometry or state; None when nothing (or something else) was saved."""
    if value is None:
        return None
    # Deferred: a first run has nothing saved, and the class (its enums) costs start-up time.
    from PySide6.QtCore import QByteArray

    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save(
    settings: QSettings, window: QMainWindow, splitter: QSplitter, form: GoalFormModel
) -> None:
    """Write the geometry, the splitter and the form, now."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/splitter", splitter.saveState())
    settings.setValue("form/last", draft_to_text(form.draft()))
    settings.sync()
