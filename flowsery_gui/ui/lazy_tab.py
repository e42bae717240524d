"""A tab whose panel is built the first time it is shown (or asked for), not at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent


class LazyTab(QWidget):
    """Holds a tab's place; `make()` builds its panel on the first show or `content()`."""

    def __init__(self, make: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def built(self) -> bool:
        """True once the panel exists."""
        return self._content is not None

    def content(self) -> QWidget:
        """The panel, built now if it was not yet."""
        if self._content is None:
            self._content = self._make()
            self._layout.addWidget(self._content)
            if self.isVisible():  # shown now, not at the next turn of the event loop
                self._content.show()
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
