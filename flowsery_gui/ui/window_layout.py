"""How the main window shares its width and is walked by keyboard.

The form gets the width its content needs first and the answer the rest, so a small window
never cuts the form off; Tab goes through every control in visual order (the toolbar, the
form top to bottom, Send, then the answer's tabs and the page shown) and back with Shift+Tab.
Also the production banner, made only when production is first chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QWidget

from flowsery_gui.i18n import N_, _

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

# Translators: the red banner over the window while the Production profile is active.
PRODUCTION_WARNING = N_("PRODUCTION: goals you send here count in your real analytics.")
FORM_SHARE = 0.4  # of a wide window the form takes at least this part, however little it needs
FORM_CHARS_WIDE = 80  # and room for about this many characters: labels, fields, messages


# Width ----------------------------------------------------------------------------------------
def form_first_sizes(total: int, form_wants: int, form_min: int, answer_min: int) -> list[int]:
    """[form, answer] widths: the form what it wants (at least its share of a wide window),
    as long as the answer keeps its minimum; never less than the form's own minimum."""
    wanted = max(form_wants, int(total * FORM_SHARE))
    form = max(form_min, min(wanted, total - answer_min))
    return [form, max(0, total - form)]


def fit_form_first(splitter: QSplitter, total: int) -> None:
    """Split `total` pixels between the form (the splitter's first side, the form in a
    scroll area) and the answer (the second side)."""
    form_side, answer_side = splitter.widget(0), splitter.widget(1)
    if form_side is None or answer_side is None:
        return
    # An empty form asks for little, but its messages need room when they come: a messages
    # column of 50-60 characters, unless the window is too narrow for the answer.
    comfortable = FORM_CHARS_WIDE * form_side.fontMetrics().averageCharWidth()
    wants = max(form_side.sizeHint().width(), comfortable)
    form_min = form_side.minimumSizeHint().width()
    scroll = form_side.findChild(QScrollArea)
    content = scroll.widget() if scroll is not None else None
    if scroll is not None and content is not None:
        extra = scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth()
        wants = max(wants, content.sizeHint().width() + extra)
        form_min = max(form_min, content.minimumSizeHint().width() + extra)
    answer_min = answer_side.minimumSizeHint().width()
    # Before the first show the splitter has no size of its own yet: give it the one it is
    # about to get, or the sizes would be scaled to the wrong width.
    splitter.resize(total, max(1, splitter.height()))
    splitter.setSizes(form_first_sizes(total - splitter.handleWidth(), wants, form_min, answer_min))


class FormKeptWhole(QObject):
    """Keeps the form's scroll area as wide as the form's content needs (a fix button that
    appears, a larger font): the splitter then takes the room from the answer, and the form
    is never cut off at the right edge with no way to scroll to it."""

    def __init__(self, scroll: QScrollArea, form: QWidget) -> None:
        super().__init__(scroll)
        self._scroll = scroll
        self._form = form  # the scroll area's widget
        form.installEventFilter(self)
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import QEvent  # installed after the first paint (see the window)

        if event.type() == QEvent.Type.LayoutRequest:
            self.follow()
        return False

    def follow(self) -> None:
        """Set the scroll area's minimum width from the form's minimum, now."""
        scroll = self._scroll
        extra = scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth()
        need = self._form.minimumSizeHint().width() + extra
        if scroll.minimumWidth() != need:
            scroll.setMinimumWidth(need)


# Keyboard -------------------------------------------------------------------------------------
# Each panel lists its own controls in visual order (`tab_chain()`): the lists name widgets
# the panels hold. (Walking Qt's whole focus chain instead made Python wrappers for every
# internal widget of the window, and PySide 6.11 then lost track of some of them.)
def tab_chain(widgets: Iterable[QWidget | None]) -> None:
    """Put these widgets one after another in the Tab order (None and repeats skipped). A
    widget its parent hands focus on to (a tab widget's bar) gets the parent just before it:
    Tab stops at such a parent and goes on to the widget, so it must not wait elsewhere."""
    previous: QWidget | None = None
    placed: list[QWidget] = []  # kept alive while placing: `is` compares them
    for widget in _with_handing_parents(widgets):
        if any(widget is done for done in placed):
            continue
        placed.append(widget)
        if previous is not None:
            QWidget.setTabOrder(previous, widget)
        previous = widget


def _with_handing_parents(widgets: Iterable[QWidget | None]) -> Iterable[QWidget]:
    for widget in widgets:
        if widget is None:
            continue
        parent = widget.parentWidget()
        if parent is not None and parent.focusProxy() is widget:
            yield parent
        yield widget


def window_chain(
    toolbar: Sequence[QWidget], form: Sequence[QWidget], send: QWidget, tabs: Sequence[QWidget]
) -> list[QWidget]:
    """The whole window in visual order: toolbar, form, Send, then the answer's tab bar and
    its pages' controls (only the page shown is reached: Tab skips hidden widgets)."""
    return [*toolbar, *form, send, *tabs]


# Production -----------------------------------------------------------------------------------
def production_banner() -> QLabel:
    """The red line over the whole window while goals go to production."""
    # Deferred: a palette and a bold font cost start-up time (~3 ms) on a window that
    # usually opens on the sandbox.
    from PySide6.QtGui import QColor, QPalette

    banner = QLabel(_(PRODUCTION_WARNING))
    banner.setObjectName("production_banner")
    # A palette, not a style sheet: style sheets cost memory for the whole window.
    palette = banner.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#b91c1c"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    banner.setPalette(palette)
    banner.setAutoFillBackground(True)
    banner.setContentsMargins(8, 4, 8, 4)
    font = banner.font()
    font.setBold(True)
    banner.setFont(font)
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setWordWrap(True)  # a longer translation wraps instead of widening the window
    return banner


def form_scroll_area(form: QWidget) -> QScrollArea:
    """The form in a scroll area: it scrolls when the window is small or the font large,
    rather than squeezing its messages or making the window grow by itself."""
    scroll = QScrollArea()
    scroll.setObjectName("form_scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
    scroll.setWidget(form)
    return scroll
