"""The response panel's detail tabs: the body, the headers, the answer as received, the request.

A module of its own because the tabs are a part with one job, showing an exchange in full,
while the response panel (`response_panel`) says what happened in plain words above them and
chooses what is on show (empty, pending, an answer, cancelled). Every string from a server
goes into plain-text editors and table items, never interpreted as markup.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.exchange import Exchange, ReceivedResponse
from flowsery_gui.i18n import _, pgettext
from flowsery_gui.ui import icons
from flowsery_gui.ui.json_view import JsonView
from flowsery_gui.ui.plain import plain_label
from flowsery_gui.ui.response_text import (
    clip,
    no_response_text,
    raw_head_lines,
    request_head_lines,
    size_text,
)


class ResponseDetails(QTabWidget):
    """One exchange in full, a tab each: its body (with Copy body), headers, raw, request."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Response details"))
        self.setDocumentMode(True)
        # Translators: a tab: the response's body (its content, after the headers).
        self.addTab(self._build_body_tab(), pgettext("HTTP body", "Body"))
        self.headers_table = QTableWidget(0, 2)
        self.headers_table.setAccessibleName(_("Response headers"))
        # Translators: the column headers of the response's HTTP headers (a header's name,
        # its value).
        names = (pgettext("HTTP header", "Name"), pgettext("HTTP header", "Value"))
        self.headers_table.setHorizontalHeaderLabels(list(names))
        self.headers_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.headers_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.headers_table.verticalHeader().setVisible(False)
        self.headers_table.setTabKeyNavigation(False)
        header = self.headers_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Translators: a tab: the response's HTTP headers.
        self.addTab(self.headers_table, _("Headers"))
        self.raw_view = JsonView(accessible_name=_("Raw response"))
        # Translators: a tab: the response exactly as received (status line, headers, body).
        self.addTab(self.raw_view, pgettext("response as received", "Raw"))
        self.request_view = JsonView(accessible_name=_("Request as sent"))
        # Translators: a tab: the request as it went to the server.
        self.addTab(self.request_view, _("Sent request"))

    def _build_body_tab(self) -> QWidget:
        tab = QWidget()
        self.body_info = plain_label(wrap=True)
        self.body_info.setAccessibleName(_("About the body"))
        self.body_info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.copy_body_button = QPushButton(_("Copy body"))
        icons.set_icon(self.copy_body_button, "copy")
        self.copy_body_button.setAccessibleName(_("Copy the response body"))
        self.copy_body_button.setToolTip(_("Copy the body exactly as received"))
        self.body_view = JsonView(accessible_name=_("Response body"))
        row = QHBoxLayout()
        row.addWidget(self.body_info, 1)
        row.addWidget(self.copy_body_button)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.body_view, 1)
        return tab

    def tab_chain(self) -> list[QWidget]:
        """Its controls in visual order: the tab bar, then each tab's contents."""
        return [
            self.tabBar(),
            self.copy_body_button,
            self.body_view,
            self.headers_table,
            self.raw_view,
            self.request_view,
        ]

    def show_exchange(self, exchange: Exchange) -> None:
        """Fill every tab from one finished exchange; with no answer, say what happened."""
        response = exchange.response
        if response is not None:
            self._show_body(response)
            self._fill_headers(response.headers)
            self.raw_view.show_http(raw_head_lines(response), response.body, pretty=False)
        else:
            self.body_info.setText(_("No response came back, so there is no body. What happened:"))
            self.copy_body_button.setEnabled(False)
            self._fill_headers(())
            raw = no_response_text(exchange.failure)
            self.body_view.setPlaceholderText("")
            self.body_view.show_plain(raw)  # the technical detail is what there is to read
            self.raw_view.show_plain(raw)
        self.request_view.show_http(request_head_lines(exchange.request), exchange.request.body)

    def _show_body(self, response: ReceivedResponse) -> None:
        content_type = (response.header("Content-Type") or "").split(";")[0].strip()
        if not response.body:
            self.body_view.show_plain("")
            self.body_view.setPlaceholderText(_("The response had an empty body."))
            parts = [_("Empty body")]
        else:
            self.body_view.setPlaceholderText("")
            is_json = self.body_view.show_json_text(response.body)
            # Translators: what kind of body the answer has (JSON, the format's name, is not
            # translated; "Text" is any other text).
            kind = "JSON" if is_json else pgettext("kind of body", "Text")
            if not is_json and "json" in content_type.lower():
                kind = _("Not valid JSON")
            parts = [kind, size_text(response.body_bytes)]
            if content_type:
                parts.append(clip(content_type, 80))
        if response.truncated:
            # Translators: the body was cut to its first mebibyte (1,048,576 bytes).
            parts.append(_("cut at 1 MiB"))
        self.body_info.setText(" · ".join(parts))
        self.copy_body_button.setEnabled(bool(response.body))

    def _fill_headers(self, headers: tuple[tuple[str, str], ...]) -> None:
        table = self.headers_table
        table.setRowCount(len(headers))
        for row, (name, value) in enumerate(headers):
            # QTableWidgetItem text is always plain; no tooltips (those would guess rich text).
            table.setItem(row, 0, QTableWidgetItem(name))
            table.setItem(row, 1, QTableWidgetItem(value))
