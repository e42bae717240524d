"""A row of buttons that wraps onto more rows when its pane is narrow (Qt's flow layout).

The history's buttons (Load into form, Send again, … Keep…) must all be in sight at 800x600,
where the answer side is a third of the window: they wrap instead of widening the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items in reading order (left to right, or right to left in a right-to-left
    language), wrapping to a new row when the next one does not fit."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        # All on one row when there is room for it.
        shown = [item.sizeHint() for item in self._items if not item.isEmpty()]
        width = sum(s.width() for s in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((s.height() for s in shown), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        # As narrow as the widest item: the rest wraps.
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in rows within `rect` (or only measure); the height they take."""
        x, y, row_height = rect.x(), rect.y(), 0
        # Qt's own layouts mirror themselves for a right-to-left language; this one must too.
        parent = self.parentWidget()
        mirrored = parent is not None and parent.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y = rect.x(), y + row_height + self._spacing
                row_height = 0
            if move:
                place = QRect(QPoint(x, y), hint)
                if mirrored:  # as QStyle.visualRect (whose enums cost ms at start-up)
                    place.moveLeft(rect.left() + rect.right() - place.right())
                item.setGeometry(place)
            x += hint.width() + self._spacing
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()
