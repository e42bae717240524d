"""The Received view: what the built-in sandbox received from other clients, live."""

from __future__ import annotations

import gc
import http.client
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from flowsery_gui.sandbox.server import SandboxServer
from flowsery_gui.ui.actions import ActionId
from flowsery_gui.ui.received_feed import ReceivedFeed
from flowsery_gui.ui.received_model import ID_ROLE, ReceivedModel, ReceivedRow, Shown
from tests.ui.plan_helpers import open_plan, write_plan

pytestmark = pytest.mark.slow

CLIENTS = 8
EACH = 12


def post_goals(url: str, key: str, goals: list[dict[str, Any]]) -> list[int]:
    """POST each goal over one kept-alive connection (a client such as a team's backend)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    statuses = []
    for goal in goals:
        connection.request(
            "POST",
            "/api/v1/goals",
            body=json.dumps(goal),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    return statuses


def from_threads(server: SandboxServer, goals_of: Any) -> list[int]:
    """8 threads POST at once; every status they got."""
    statuses: list[int] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        got = post_goals(server.url, server.api_key, goals_of(index))
        with lock:
            statuses.extend(got)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


def mixed_goals(index: int) -> list[dict[str, Any]]:
    goals: list[dict[str, Any]] = []
    for number in range(EACH):
        if number % 4 == 3:
            goals.append({"name": "Bad Name", "metadata": {"n": "1"}})  # refused by the API
        elif number % 4 == 2:
            goals.append({"name": "newsletter_signup", "metadata": {"plan": "Pro"}})  # plan
        else:
            goals.append(
                {
                    "name": "newsletter_signup",
                    "visitorUid": f"client-{index}-{number}",
                    "metadata": {"plan": "pro", "source": "footer"},
                }
            )
    return goals


def received_window(qtbot: Any, make_window: Any) -> Any:
    window = make_window()
    qtbot.waitUntil(lambda: window.ctx.received.server is not None, timeout=10000)
    window.actions_[ActionId.SHOW_RECEIVED].trigger()
    return window


def test_goals_posted_by_eight_clients_appear_live_newest_first_with_their_verdicts(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = received_window(qtbot, make_window)
    open_plan(qtbot, window, write_plan(tmp_path))
    panel = window.plan_flow.received_panel()
    assert panel.isVisible() and "Nothing received yet" in panel.summary.text()
    assert window.target.sandbox.url in panel.hint.text()

    statuses = from_threads(window.target.sandbox, mixed_goals)
    assert len(statuses) == CLIENTS * EACH
    model = window.ctx.received.model
    qtbot.waitUntil(lambda: model.rowCount() == CLIENTS * EACH, timeout=10000)
    view = model.newest_first  # what the table shows
    ids = [view.index(r, 0).data(ID_ROLE) for r in range(view.rowCount())]
    assert ids == sorted(ids, reverse=True) and len(ids) == CLIENTS * EACH  # newest first
    verdicts = {row.goal: set() for row in model.shown()}
    for row in model.shown():
        verdicts[row.goal].add(row.verdict)
    assert verdicts["Bad Name"] == {"✖ 1 error · ⚠ 1 plan warning"}
    assert "✓ OK, meets the plan" in verdicts["newsletter_signup"]
    assert "⚠ 2 plan warnings" in verdicts["newsletter_signup"]  # `Pro`, `source` missing
    refused = CLIENTS * EACH // 4
    assert panel.summary.text().startswith(f"{CLIENTS * EACH} requests · {refused} refused")


def test_a_burst_holds_the_list_still_and_it_follows_once_the_burst_is_over(
    qtbot: Any, make_window: Any
) -> None:
    window = received_window(qtbot, make_window)
    panel = window.plan_flow.received_panel()
    model = window.ctx.received.model
    server = window.target.sandbox
    from_threads(server, lambda i: [{"name": f"burst_{i}_{n}"} for n in range(40)])
    qtbot.waitUntil(lambda: model.rowCount() == CLIENTS * 40, timeout=10000)
    assert panel.bursting()  # 320 goals at once: the table holds still, the counts follow
    assert "receiving a burst" in panel.summary.text()
    assert panel.summary.text().startswith(f"{CLIENTS * 40} requests")
    qtbot.waitUntil(lambda: not panel.bursting(), timeout=10000)
    assert "receiving a burst" not in panel.summary.text()
    assert panel.table.model().rowCount() == CLIENTS * 40


def test_picking_a_request_shows_it_as_received_and_load_puts_it_in_the_form(
    qtbot: Any, make_window: Any
) -> None:
    window = received_window(qtbot, make_window)
    server = window.target.sandbox
    goal = {"name": "from_backend", "visitorUid": "v-42", "metadata": {"plan": "<b>pro</b>"}}
    assert post_goals(server.url, server.api_key, [goal]) == [200]
    model = window.ctx.received.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10000)
    panel = window.plan_flow.received_panel()
    assert not panel.load_button.isEnabled()
    panel.table.selectRow(0)
    text = panel.detail.toPlainText()
    assert text.startswith("POST /api/v1/goals")
    assert '"plan": "<b>pro</b>"' in text  # as received: plain text, markup shown as is
    assert "Answer: 200" in text
    assert server.api_key not in text and f"…{server.api_key[-4:]}" in text  # key masked
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert window.form.value("name") == "from_backend"
    assert window.form.value("visitorUid") == "v-42"
    assert [(r.key, r.value) for r in window.form.metadata.rows] == [("plan", "<b>pro</b>")]


def test_clear_resets_the_sandbox_and_empties_the_view(qtbot: Any, make_window: Any) -> None:
    window = received_window(qtbot, make_window)
    server = window.target.sandbox
    post_goals(server.url, server.api_key, [{"name": "one"}, {"name": "two"}])
    model = window.ctx.received.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10000)
    panel = window.plan_flow.received_panel()
    panel.table.selectRow(0)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=10000)
    assert server.received() == []
    assert panel.detail.toPlainText() == ""
    assert "Nothing received yet" in panel.summary.text()
    assert "Cleared: the sandbox forgot 2 requests and 2 stored goals." in said
    post_goals(server.url, server.api_key, [{"name": "three"}])
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10000)
    assert model.shown()[0].goal == "three"


def test_the_received_tab_is_there_only_while_the_sandbox_profile_is_active(
    qtbot: Any, make_window: Any
) -> None:
    window = received_window(qtbot, make_window)
    tabs = window.tabs
    index = window.plan_flow.received_index()
    assert tabs.tabText(index) == "Received"
    assert tabs.isTabVisible(index)
    window.target.set_profile("Production")
    assert not tabs.isTabVisible(index)
    window.target.set_profile("Sandbox")
    assert tabs.isTabVisible(index)


def test_the_view_keeps_the_sandboxs_cap_and_says_older_ones_were_dropped(qtbot: Any) -> None:
    goals, dropped, summary = capped_feed(qtbot)
    gc.collect()  # the feed is gone while the application is, not at the interpreter's exit
    assert goals == ["g7", "g6", "g5", "g4", "g3"]
    assert dropped == 3
    assert "showing the newest 5; 3 older requests were dropped" in summary


def capped_feed(qtbot: Any) -> tuple[list[str], int, str]:
    """A feed on a sandbox that keeps 5 requests, after 8 goals: what it shows and says."""
    feed = ReceivedFeed()
    with SandboxServer(max_requests=5) as server:
        feed.attach(server)
        assert feed.model.capacity == 5
        post_goals(server.url, server.api_key, [{"name": f"g{i}"} for i in range(8)])
        # The last record is reported just after its answer went out.
        qtbot.waitUntil(lambda: bool(feed.model.shown()) and feed.model.shown()[0].goal == "g7")
        feed.detach()
    model = feed.model
    return [row.goal for row in model.shown()], model.dropped, model.summary()


def row(number: int, severity: str = "ok", planned: int = 0) -> ReceivedRow:
    return ReceivedRow(
        number, "10:00:00", "POST /x", f"g{number}", "200", "", "c", severity, planned
    )


def test_the_table_model_counts_refused_and_planned_rows_as_they_come_and_go(qapp: Any) -> None:
    model = ReceivedModel(capacity=3)
    model.add([row(1, "error"), row(2, "warning", 1), row(3)])
    assert (model.refused, model.with_plan_findings) == (1, 1)
    model.add([row(4), row(5)])  # 1 and 2 go
    assert [r.id for r in model.shown()] == [5, 4, 3]
    assert (model.refused, model.with_plan_findings, model.dropped) == (0, 0, 2)
    model.add([row(i) for i in range(6, 12)])  # a burst bigger than the table
    assert [r.id for r in model.shown()] == [11, 10, 9]
    assert model.dropped == 8
    model.add([row(13), row(12), row(14)])  # out of order within a batch
    model.add([row(10)])  # a late one older than all the full table shows: dropped
    assert [r.id for r in model.shown()] == [14, 13, 12]
    model.add([row(16)])
    model.add([row(15)])  # late, but among the newest: shown in its place
    assert [r.id for r in model.shown()] == [16, 15, 14]
    assert model.shown_at(1) == Shown(15, "g15", "")
    model.clear()
    assert (model.rowCount(), model.dropped) == (0, 0)
    del model
    gc.collect()  # gone while the application is: not at the interpreter's exit
