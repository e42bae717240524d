"""The response panel against real exchanges from the real client and sandbox."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel

from flowsery_gui.client import GoalsClient
from flowsery_gui.exchange import Exchange, FailureKind, ReceivedResponse, SentRequest
from flowsery_gui.sandbox import SandboxServer
from flowsery_gui.ui import theme
from flowsery_gui.ui.json_view import JsonView, pretty_json
from flowsery_gui.ui.response_panel import EMPTY_HINT, ResponsePanel
from tests.sandbox_helpers import TEST_KEY, running_sandbox

GOAL = {"name": "newsletter_signup", "metadata": {"plan": "pro"}}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """One sandbox for the module: these tests only read answers, they never count goals."""
    with running_sandbox() as server:
        yield server


@pytest.fixture()
def panel(qtbot: Any) -> ResponsePanel:
    widget = ResponsePanel()
    qtbot.addWidget(widget)
    widget.resize(560, 520)
    widget.show()
    return widget


def send(server: SandboxServer, fault: str | None = None, key: str = TEST_KEY) -> Exchange:
    """A real exchange: POST the goal to the sandbox, with an injected fault if given."""
    headers = {"X-Sandbox-Fault": fault} if fault else None
    with GoalsClient(server.url, key, connect_timeout=2, read_timeout=3) as client:
        return client.send_goal(GOAL, headers)


def refused_exchange() -> Exchange:
    """A real exchange with no response: a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with GoalsClient(f"http://127.0.0.1:{port}", TEST_KEY, connect_timeout=2) as client:
        return client.send_goal(GOAL)


def handmade(status: int, reason: str, body: str, **extra: Any) -> Exchange:
    """An exchange built by hand, for answers the sandbox cannot give (markup, huge bodies)."""
    request = SentRequest("POST", "http://127.0.0.1:9/api/v1/goals", (), '{"name":"x"}')
    headers = extra.pop("headers", (("Content-Type", "text/plain"),))
    notes = extra.pop("notes", ())
    response = ReceivedResponse(status, reason, headers, body, len(body.encode()), **extra)
    return Exchange(request, 0.0, 12.0, response, None, notes)


def shown_text(panel: ResponsePanel) -> str:
    """Every label's text in the panel's header, joined."""
    labels = (panel.chip, panel.title_label, panel.message_label, panel.server_label)
    return "\n".join(label.text() for label in labels if not label.isHidden())


@pytest.mark.parametrize(
    ("fault", "key", "chip", "tone"),
    [
        (None, TEST_KEY, "200 OK", "success"),
        ("status=400", TEST_KEY, "400 Bad Request", "client_error"),
        (None, "flow_not_the_sandbox_key_0000", "401 Unauthorized", "auth"),
        ("status=404", TEST_KEY, "404 Not Found", "client_error"),
        ("status=429,retry-after=30", TEST_KEY, "429 Too Many Requests", "client_error"),
        ("status=500", TEST_KEY, "500 Internal Server Error", "server_error"),
        ("html", TEST_KEY, "502 Bad Gateway", "server_error"),
    ],
)
def test_each_answer_shows_its_status_chip_tone_and_plain_words(
    panel: ResponsePanel, sandbox: SandboxServer, fault: str | None, key: str, chip: str, tone: str
) -> None:
    exchange = send(sandbox, fault, key)
    panel.show_exchange(exchange)
    assert panel.chip.text() == chip
    assert panel.tone == tone
    assert len(panel.message_label.text().split()) >= 4  # a sentence, not a code
    assert panel.elapsed_label.text().endswith(("ms", "s"))
    assert theme.tone_colors(tone).background.name() in panel.chip.styleSheet()


def test_404_is_explained_as_a_wrong_url_never_as_a_missing_pageview(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    panel.show_exchange(send(sandbox, "status=404"))
    text = shown_text(panel).lower()
    assert "url" in text
    assert "pageview" not in text


def test_429_tells_when_to_retry(panel: ResponsePanel, sandbox: SandboxServer) -> None:
    panel.show_exchange(send(sandbox, "status=429,retry-after=30"))
    assert "30 seconds" in panel.message_label.text()


def test_no_response_shows_no_response_chip_and_the_failure_message(
    panel: ResponsePanel,
) -> None:
    exchange = refused_exchange()
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.REFUSED
    panel.show_exchange(exchange)
    assert panel.chip.text() == "No response"
    assert panel.tone == "failure"
    assert exchange.failure.message in panel.message_label.text()
    assert not panel.copy_body_button.isEnabled()
    assert exchange.failure.message in panel.body_view.toPlainText()


def test_markup_in_a_server_answer_is_shown_literally_never_rendered(
    panel: ResponsePanel,
) -> None:
    panel.show_exchange(handmade(400, "Bad Request", "<b>bold</b><img src=x>"))
    labels = panel.findChildren(QLabel)
    assert labels
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert "<b>bold</b><img src=x>" in panel.message_label.text()  # quoted, tags and all
    assert panel.body_view.toPlainText() == "<b>bold</b><img src=x>"


def test_an_html_502_page_is_shown_as_text_with_its_tags(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    exchange = send(sandbox, "html")
    panel.show_exchange(exchange)
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert "<h1>502 Bad Gateway</h1>" in panel.body_view.toPlainText()
    assert "<html>" in panel.raw_view.toPlainText()
    assert "text/html" in panel.body_info.text()


def test_a_json_body_is_pretty_printed_and_coloured(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    panel.show_exchange(send(sandbox))
    assert '  "status": "success"' in panel.body_view.toPlainText()
    assert panel.body_view.highlighted
    assert panel.body_info.text().startswith("JSON")


def test_a_malformed_json_body_is_shown_as_received_and_called_not_valid_json(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    exchange = send(sandbox, "garbage")
    panel.show_exchange(exchange)
    assert exchange.response is not None
    assert panel.body_view.toPlainText() == exchange.response.body
    assert not panel.body_view.highlighted
    assert panel.body_info.text().startswith("Not valid JSON")


def test_a_truncated_body_says_it_was_cut(panel: ResponsePanel) -> None:
    note = "The response body was cut at 1024 KiB: the server sent more."
    exchange = handmade(200, "OK", '{"data": [1, 2', truncated=True, notes=(note,))
    panel.show_exchange(exchange)
    assert not panel.notes_label.isHidden()
    assert note in panel.notes_label.text()
    assert "cut at 1 MiB" in panel.body_info.text()


def test_headers_raw_and_request_tabs_show_the_whole_exchange(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    exchange = send(sandbox)
    panel.show_exchange(exchange)
    assert exchange.response is not None
    table = panel.headers_table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows == dict(exchange.response.headers)
    raw = panel.raw_view.toPlainText()
    assert raw.startswith("HTTP 200 OK\n")
    assert raw.endswith("\n\n" + exchange.response.body)
    request = panel.request_view.toPlainText()
    assert request.startswith(f"POST {sandbox.url}/api/v1/goals\n")
    assert '"plan": "pro"' in request
    assert TEST_KEY not in request  # the record holds the key masked
    assert "Bearer …" + TEST_KEY[-4:] in request


def test_copy_body_puts_the_body_as_received_on_the_clipboard(
    qtbot: Any, panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    exchange = send(sandbox)
    panel.show_exchange(exchange)
    assert exchange.response is not None
    with qtbot.waitSignal(panel.copied, timeout=1000) as signal:
        qtbot.mouseClick(panel.copy_body_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == exchange.response.body
    assert "Copied" in signal.args[0]


def test_pending_shows_where_it_is_going_with_a_busy_indicator(panel: ResponsePanel) -> None:
    panel.show_pending("Sending to Sandbox…")
    assert panel.pending_label.text() == "Sending to Sandbox…"
    assert (panel.busy.minimum(), panel.busy.maximum()) == (0, 0)  # indeterminate
    assert panel.pending_label.isVisible()


def test_cancelled_warns_the_goal_may_still_have_been_recorded(panel: ResponsePanel) -> None:
    panel.show_cancelled()
    assert panel.chip.text() == "Cancelled"
    assert "may still" in panel.message_label.text()
    assert panel.tabs.isHidden()


def test_a_cancelled_exchange_keeps_its_request_for_reading(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    with GoalsClient(sandbox.url, TEST_KEY, connect_timeout=2, read_timeout=5) as client:
        timer = threading.Timer(0.3, client.cancel)
        timer.start()
        try:
            exchange = client.send_goal(GOAL, {"X-Sandbox-Fault": "delay=2"})
        finally:
            timer.cancel()
    assert exchange.failure is not None and exchange.failure.kind is FailureKind.CANCELLED
    panel.show_cancelled(exchange)
    assert panel.chip.text() == "Cancelled"
    assert panel.message_label.text()
    assert not panel.tabs.isHidden()
    assert "newsletter_signup" in panel.request_view.toPlainText()


def test_clear_shows_the_hint_again(panel: ResponsePanel, sandbox: SandboxServer) -> None:
    panel.show_exchange(send(sandbox))
    panel.clear()
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_HINT
    assert not panel.copy_body_button.isEnabled()


def test_labels_can_be_selected_to_copy_an_error(panel: ResponsePanel) -> None:
    panel.show_exchange(refused_exchange())
    wanted = Qt.TextInteractionFlag.TextSelectableByKeyboard
    for label in (panel.chip, panel.title_label, panel.message_label, panel.server_label):
        assert label.textInteractionFlags() & wanted


def test_every_control_has_an_accessible_name(panel: ResponsePanel) -> None:
    controls = [
        panel.tabs,
        panel.body_view,
        panel.headers_table,
        panel.raw_view,
        panel.request_view,
        panel.copy_body_button,
        panel.busy,
    ]
    assert all(control.accessibleName() for control in controls)


def dark_palette() -> QPalette:
    palette = QPalette(QColor("#2d2d2d"))  # derives a dark palette from a dark button colour
    palette.setColor(QPalette.ColorRole.Window, QColor("#2d2d2d"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    return palette


def light_palette() -> QPalette:
    palette = QPalette(QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    return palette


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
@pytest.mark.parametrize("tone", theme.TONES)
def test_chip_colours_are_readable_in_light_and_dark(palette: QPalette, tone: str) -> None:
    colors = theme.tone_colors(tone, palette)
    assert theme.contrast_ratio(colors.foreground, colors.background) >= 4.5
    window = palette.color(QPalette.ColorRole.Window)
    assert theme.contrast_ratio(colors.border, window) >= 1.5  # the chip's edge shows


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_json_colours_are_readable_on_the_text_background(palette: QPalette) -> None:
    colors = theme.json_colors(palette)
    base = palette.color(QPalette.ColorRole.Base)
    for color in (colors.key, colors.string, colors.number, colors.literal):
        assert theme.contrast_ratio(color, base) >= 4.5, color.name()


def test_switching_to_a_dark_palette_recolours_the_chip(
    panel: ResponsePanel, sandbox: SandboxServer
) -> None:
    panel.show_exchange(send(sandbox))
    light = theme.tone_colors("success", light_palette()).background.name()
    dark = theme.tone_colors("success", dark_palette()).background.name()
    panel.setPalette(light_palette())
    assert light in panel.chip.styleSheet()
    panel.setPalette(dark_palette())
    assert dark in panel.chip.styleSheet()


def test_pretty_json_refuses_what_it_would_change_silently() -> None:
    assert pretty_json('{"a": 1, "a": 2}') is None  # a duplicate key would be dropped
    assert pretty_json("<html></html>") is None
    assert pretty_json("") is None
    assert pretty_json('{"b":[1,true,null]}') == '{\n  "b": [\n    1,\n    true,\n    null\n  ]\n}'


def test_json_view_does_not_rerender_unchanged_text(qtbot: Any) -> None:
    view = JsonView()
    qtbot.addWidget(view)
    view.show_json_text('{"a": 1}')
    revision = view.document().revision()
    view.show_json_text('{"a": 1}')
    assert view.document().revision() == revision
    view.show_json_text('{"a": 2}')
    assert view.document().revision() != revision
