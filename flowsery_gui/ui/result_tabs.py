"""The right-hand tabs: Response, Request and History, each panel built on first use.

Until a panel is needed, a light stand-in holds its place, so an untouched window starts
small and quick; the panels replace their stand-ins without the tab bar moving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QWidget

from flowsery_gui.i18n import N_, _
from flowsery_gui.ui.response_text import EMPTY_HINT

if TYPE_CHECKING:
    from flowsery_gui.ui.request_panel import RequestPanel
    from flowsery_gui.ui.response_panel import ResponsePanel


# The tabs' titles (msgids: `_()` where shown). Tabs are found by their page, never by
# their title.
# Translators: a tab: the server's answer to the last send.
RESPONSE_TAB = N_("Response")
# Translators: a tab: a preview of the request Send will make.
REQUEST_TAB = N_("Request")
# Translators: a tab: the requests sent before.
HISTORY_TAB = N_("History")


class ResultTabs(QTabWidget):
    """Response, Request and History; builds each panel the first time it is shown."""

    status = Signal(str)  # a panel has something to say in the status bar (it copied…)
    request_shown = Signal()  # the Request tab came to the front: bring its preview up to date
    panel_built = Signal()  # a panel replaced its stand-in: its controls join the Tab order

    def __init__(self, make_history: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("right_tabs")
        # Six tabs in a narrow pane (an 800 px window, longer words in other languages) keep
        # their whole titles and scroll: elided to "R…", "R…" they could not be told apart.
        self.setUsesScrollButtons(True)
        self.setElideMode(Qt.TextElideMode.ElideNone)
        self._make_history = make_history
        self._response: ResponsePanel | None = None
        self._request: RequestPanel | None = None
        self._request_holder: QScrollArea | None = None
        self._history: QScrollArea | None = None
        self._response_placeholder = QLabel(_(EMPTY_HINT))
        self._response_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._response_placeholder.setWordWrap(True)
        self._request_placeholder = QWidget()
        self._history_placeholder = QWidget()
        self.addTab(self._response_placeholder, _(RESPONSE_TAB))
        self.addTab(self._request_placeholder, _(REQUEST_TAB))
        self.addTab(self._history_placeholder, _(HISTORY_TAB))
        # A lazy tab's placeholder: (its key, its title, how to build its panel); and each
        # lazy tab's page by key (the placeholder, then the panel): found by key, never by
        # the title shown (a translated text).
        self._lazy: dict[QWidget, tuple[str, str, Callable[[], QWidget]]] = {}
        self._lazy_pages: dict[str, QWidget] = {}
        self.currentChanged.connect(self._changed)

    # Panels -------------------------------------------------------------------------------
    @property
    def response(self) -> ResponsePanel:
        """The response panel (built on first use)."""
        if self._response is None:
            # Deferred: built after the first paint (or on first use), with its imports.
            from flowsery_gui.ui.response_panel import ResponsePanel

            self._response = ResponsePanel()
            self._response.copied.connect(self.status)
            self._swap(self._response_placeholder, self._response, _(RESPONSE_TAB))
        return self._response

    @property
    def request(self) -> RequestPanel:
        """The request preview panel (built on first use)."""
        if self._request is None:
            # Deferred: built after the first paint (or on first use), with its imports.
            from flowsery_gui.ui.request_panel import RequestPanel

            self._request = RequestPanel()
            self._request.copied.connect(self.status)
            # Scrolled, not squeezed: its row of copy buttons would otherwise set how narrow
            # the whole answer side can be, and take that width from the form.
            self._request_holder = _holder(self._request, "request_scroll")
            self._swap(self._request_placeholder, self._request_holder, _(REQUEST_TAB))
        return self._request

    def tab_chain(self) -> list[QWidget]:
        """The tab bar, then the controls of each panel built so far that lists them
        (`tab_chain()`), in tab order: only the page shown is reached."""
        chain: list[QWidget] = [self.tabBar()]
        for index in range(self.count()):
            page = self.widget(index)
            if page is self._request_holder and self._request is not None:
                chain += [self._request.preview, *self._request.copy_buttons.values()]
                continue
            if isinstance(page, QScrollArea):
                page = page.widget()
            listing = getattr(page, "tab_chain", None)
            if callable(listing):
                chain += listing()
        return chain

    def request_in_front(self) -> bool:
        """True when the request preview is built and the tab shown (it then follows edits)."""
        holder = self._request_holder
        return holder is not None and self.currentWidget() is holder

    def build_panels(self) -> None:
        """Build the response and request panels now (soon after the person's first edit)."""
        self.response  # noqa: B018  (the properties build them)
        self.request  # noqa: B018

    # Showing ------------------------------------------------------------------------------
    def show_response(self) -> None:
        """Bring the response to the front."""
        self.setCurrentWidget(self.response)

    def show_request(self) -> None:
        """Bring the request preview to the front (it is brought up to date)."""
        self.request  # noqa: B018  (built on first use)
        holder = self._request_holder
        assert holder is not None  # made with the panel
        if self.currentWidget() is holder:
            self.request_shown.emit()
        else:
            self.setCurrentWidget(holder)  # `_changed` says it was shown

    def show_history(self) -> None:
        """Bring the history to the front, building it the first time."""
        if self._history is None:
            # In a scroll area, so a narrow window scrolls the panel instead of growing.
            holder = _holder(self._make_history(), "history_scroll")
            self._history = holder
            self._swap(self._history_placeholder, holder, _(HISTORY_TAB))
        self.setCurrentWidget(self._history)

    # Tabs that features add (Suites): built the first time shown. Their panels fit a small
    # window by themselves (no scroll area around them).
    def add_lazy_tab(self, title: str, make: Callable[[], QWidget], key: str | None = None) -> None:
        """Add a tab whose panel `make()` builds the first time the tab is shown. `title` is
        shown (translated by the caller); `key` (default: the title) names the tab for
        `show_lazy_tab` and `lazy_tab_index`: pass a stable key (an untranslated msgid)."""
        placeholder = QWidget()
        name = title if key is None else key
        self._lazy[placeholder] = (name, title, make)
        self._lazy_pages[name] = placeholder
        self.addTab(placeholder, title)

    def show_lazy_tab(self, key: str) -> QWidget:
        """Bring a tab added by `add_lazy_tab` to the front (building it); its panel."""
        page = self._lazy_pages.get(key)
        if page is None:
            raise KeyError(key)
        if page in self._lazy:
            self._build_lazy(page)
            page = self._lazy_pages[key]
        self.setCurrentWidget(page)
        return page

    def lazy_tab_index(self, key: str) -> int:
        """The position of a tab added by `add_lazy_tab` (built or not), by its key."""
        page = self._lazy_pages.get(key)
        if page is None:
            raise KeyError(key)
        return self.indexOf(page)

    def _build_lazy(self, placeholder: QWidget) -> None:
        key, title, make = self._lazy.pop(placeholder)
        panel = make()
        self._lazy_pages[key] = panel
        self._swap(placeholder, panel, title)

    def _changed(self, index: int) -> None:
        widget = self.widget(index)
        if widget in self._lazy:
            self._build_lazy(widget)
            self.setCurrentIndex(index)
        elif widget is self._history_placeholder:
            self.show_history()
        elif widget is self._request_placeholder:
            self.show_request()
        elif widget is self._request_holder:
            self.request_shown.emit()
        elif widget is self._response_placeholder:
            self.show_response()

    def _swap(self, old: QWidget, new: QWidget, title: str) -> None:
        index = self.indexOf(old)
        current = self.currentIndex()
        self.blockSignals(True)
        self.removeTab(index)
        self.insertTab(index, new, title)
        self.setCurrentIndex(current)
        self.blockSignals(False)
        old.deleteLater()
        self.panel_built.emit()


def _holder(panel: QWidget, name: str) -> QScrollArea:
    """A frameless scroll area around a panel: a narrow window scrolls it instead of growing."""
    holder = QScrollArea()
    holder.setObjectName(name)
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
    holder.setWidget(panel)
    return holder
