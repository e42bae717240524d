"""Server text is shown as the characters it is, everywhere the window shows it: never as rich
text. A real server over loopback answers with markup in its reason phrase, a header and its
message; every widget that ends up showing any of it is checked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTableWidget, QTextEdit, QWidget

from flowsery_gui import paths
from tests.ui.test_main_window import send_and_wait, type_name

pytestmark = pytest.mark.slow

MARK = "MARKUP42"
MESSAGE = f"<b>{MARK}</b> <a href='https://evil.example'>click</a> <img src=x onerror=alert(1)>"
REASON = "<i>Bad</i> Request"
NOTE = f"<u>{MARK}</u>"


class _MarkupHandler(BaseHTTPRequestHandler):
    """Answers every POST with a 400 whose reason, header and message are full of markup."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"status": "error", "error": {"code": 400, "message": MESSAGE}})
        data = body.encode()
        self.send_response(400, REASON)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Note", NOTE)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def markup_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MarkupHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _shows_server_text(text: str) -> bool:
    return MARK in text or "<i>Bad</i>" in text


def _check_everything_shown(root: QWidget) -> dict[str, int]:
    """Every widget under `root` that shows server text shows it literally; counts by kind."""
    seen = {"label": 0, "text": 0, "cell": 0}
    for label in root.findChildren(QLabel):
        if _shows_server_text(label.text()):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
            seen["label"] += 1
    for edit in root.findChildren(QTextEdit):  # a rich-text editor must never show it
        assert not _shows_server_text(edit.toPlainText()), edit.objectName()
        assert not _shows_server_text(edit.toHtml())
    for view in root.findChildren(QPlainTextEdit):
        if _shows_server_text(view.toPlainText()):
            assert "<b>" in view.toPlainText() or "<i>" in view.toPlainText()
            seen["text"] += 1
    for table in root.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is not None and _shows_server_text(item.text()):
                    assert "<u>" in item.text()  # the markup itself is the cell's text
                    assert not item.toolTip()  # a tooltip would guess rich text
                    seen["cell"] += 1
    for widget in root.findChildren(QWidget):
        tip = widget.toolTip()
        assert not (_shows_server_text(tip) and ("<b>" in tip or "<i>" in tip)), tip
    return seen


def test_server_text_is_never_rendered_as_rich_text(
    qtbot: Any, make_window: Any, markup_server: str, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    window = make_window()
    window.ctx.profiles.add("Markup", markup_server)
    window.refresh_profiles()
    window.target.set_profile("Markup")
    window.target.use_for_this_run("Markup", "flow_sk_test_markup_0123456789")
    type_name(qtbot, window, "markup_goal")
    send_and_wait(qtbot, window)

    panel = window.tabs.response
    assert f"<b>{MARK}</b>" in panel.message_label.text()  # the message, quoted literally
    assert "<i>Bad</i>" in panel.chip.text()  # the reason phrase as the server wrote it
    seen = _check_everything_shown(window)
    assert seen["label"] >= 2 and seen["text"] >= 2 and seen["cell"] >= 1, seen

    window.tabs.show_history()  # the same answer again, in the history's detail
    history = window.history_panel
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    history.table.selectRow(0)
    detail = _check_everything_shown(history.detail)
    assert detail["label"] >= 2 and detail["text"] >= 2 and detail["cell"] >= 1, detail
    _check_everything_shown(window)  # the status bar and the rest, after all of it
