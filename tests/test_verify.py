"""Verification for CI: reading captures (HAR, JSON Lines, a collector) and judging goals."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from flowsery_gui.plan import load_plan
from flowsery_gui.plan.capture import CaptureError, Received, Tally, read_capture
from flowsery_gui.plan.collector import page_items, read_sandbox
from flowsery_gui.plan.har import MAX_ENTRY_BYTES
from flowsery_gui.plan.verify import verify, verify_capture
from flowsery_gui.reports import Outcome

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.plan.yaml"
PLAN = load_plan(EXAMPLE)
KEY = "flow_sk_fake_0a1b2c3d4e5f6a7b"
GOOD = {"name": "newsletter_signup", "visitorUid": "v1", "metadata": {"plan": "pro"}}
BAD_PLAN = {"name": "newsletter_signup", "visitorUid": "v1", "metadata": {"plan": "Pro"}}
BAD_API = {"name": "Newsletter Signup"}
CHECKOUT = {
    "name": "checkout_completed",
    "visitorUid": "v1",
    "metadata": {"value": "9.90", "currency": "EUR"},
}


def har_entry(body: Any, status: int = 200, method: str = "POST", path: str = "/api/v1/goals"):
    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "startedDateTime": "2024-05-01T10:00:00.000Z",
        "time": 12.5,
        "request": {
            "method": method,
            "url": f"https://shop.example{path}",
            "headers": [{"name": "Authorization", "value": f"Bearer {KEY}"}],
            "postData": {"mimeType": "application/json", "text": text},
        },
        "response": {"status": status, "content": {"text": '{"status":"success"}'}},
    }


def write_har(path: Path, entries: list[Any], **extra: Any) -> Path:
    log = {"version": "1.2", "creator": {"name": "t", "version": "1"}, **extra, "entries": entries}
    path.write_text(json.dumps({"log": log}), encoding="utf-8")
    return path


def history_line(body: Any, status: int | None = 200, index: int = 1) -> str:
    record = {
        "id": index,
        "time": "2024-05-01T10:00:00Z",
        "status": status,
        "elapsed_ms": 20.0,
        "request": {
            "method": "POST",
            "url": "http://127.0.0.1:8765/api/v1/goals",
            "headers": [["Authorization", "Bearer …abcd"]],
            "body": json.dumps(body),
        },
        "response": {"status": status, "body": "{}"} if status else None,
        "failure": None if status else {"kind": "refused", "message": "Connection refused."},
    }
    return json.dumps(record) + "\n"


def cases_of(outcome: Any) -> dict[str, Any]:
    return {case.name.split(" ")[1]: case for case in outcome.run.suites[0].cases}


# --- judging ---------------------------------------------------------------------------------


def test_each_received_goal_is_one_case_judged_by_the_api_rules_and_the_plan(
    tmp_path: Path,
) -> None:
    har = write_har(
        tmp_path / "c.har",
        [har_entry(GOOD), har_entry(BAD_PLAN), har_entry(BAD_API, 400), har_entry("not json")],
    )
    outcome = verify_capture(PLAN, har)
    assert outcome.goals == 4
    cases = [c for c in outcome.run.suites[0].cases if c.classname == "acme-website.received"]
    assert [c.outcome for c in cases] == [
        Outcome.PASSED,
        Outcome.FAILED,
        Outcome.FAILED,
        Outcome.FAILED,
    ]
    assert cases[1].reason == "`plan` must be one of free, pro, team; got `Pro`."
    assert cases[1].kind == "plan.bad_value"
    assert cases[2].reason.startswith("Goal names use only lowercase letters")
    assert cases[2].reason.endswith("(and 2 more)")  # not in the plan; the 400
    assert cases[2].kind == "name.pattern"
    assert cases[3].kind == "body.not_json"
    assert not outcome.ok


def test_an_expected_goal_that_never_arrived_is_a_failing_case(tmp_path: Path) -> None:
    har = write_har(tmp_path / "c.har", [har_entry(GOOD)])
    outcome = verify_capture(PLAN, har, expect=["demo_requested"])
    missing = [c for c in outcome.run.suites[0].cases if c.kind == "plan.expected_missing"]
    # the plan expects newsletter_signup (arrived) and checkout_completed (did not)
    assert sorted(c.name for c in missing) == [
        "checkout_completed arrived at least once",
        "demo_requested arrived at least once",
    ]
    assert outcome.missing == ("checkout_completed", "demo_requested")
    assert "Expected goal checkout_completed never arrived." in outcome.summary()


def test_a_capture_that_passes_everything_is_ok(tmp_path: Path) -> None:
    har = write_har(tmp_path / "c.har", [har_entry(GOOD), har_entry(CHECKOUT)])
    outcome = verify_capture(PLAN, har)
    assert outcome.ok
    assert outcome.summary()[-1] == "Verification passed."


def test_other_requests_are_counted_not_judged(tmp_path: Path) -> None:
    entries = [
        har_entry(GOOD),
        har_entry("", method="GET", path="/api/v1/metadata"),
        har_entry("", method="GET", path="/pricing"),
    ]
    outcome = verify_capture(PLAN, write_har(tmp_path / "c.har", entries))
    assert (outcome.goals, outcome.other) == (1, 2)


def test_a_har_with_no_goal_requests_says_so(tmp_path: Path) -> None:
    entries = [har_entry("", method="GET", path="/") for _ in range(3)]
    outcome = verify_capture(PLAN, write_har(tmp_path / "c.har", entries), expect=[])
    assert outcome.goals == 0
    assert any(
        "No goal requests (POST /api/v1/goals) were found; 3 other requests" in line
        for line in outcome.summary()
    )


def test_a_goal_with_no_recorded_answer_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text(history_line(GOOD, status=None), encoding="utf-8")
    case = verify_capture(PLAN, path).run.suites[0].cases[0]
    assert case.outcome is Outcome.ERROR
    assert case.reason == "No answer was recorded for this goal."


def test_since_leaves_older_requests_out(tmp_path: Path) -> None:
    old, new = har_entry(BAD_PLAN), har_entry(GOOD)
    old["startedDateTime"] = "2024-04-30T23:59:59Z"
    entries = [old, new, har_entry(CHECKOUT)]
    outcome = verify_capture(PLAN, write_har(tmp_path / "c.har", entries), since="2024-05-01")
    assert (outcome.goals, outcome.before_since) == (2, 1)
    assert outcome.ok
    with pytest.raises(ValueError, match="is not a time"):
        verify_capture(PLAN, tmp_path / "c.har", since="yesterday")


def test_the_exchange_shown_masks_the_key(tmp_path: Path) -> None:
    outcome = verify_capture(PLAN, write_har(tmp_path / "c.har", [har_entry(BAD_PLAN)]))
    exchange = outcome.run.suites[0].cases[0].exchange
    assert KEY not in exchange
    assert "Authorization: Bearer …6a7b" in exchange
    assert '"plan": "Pro"' in exchange


def test_a_broken_character_next_to_markup_is_a_failure_not_a_crash() -> None:
    body = '{"name": "newsletter_signup", "visitorUid": "v", "metadata": {"plan": "<b>\\ud800"}}'
    item = Received("#1", "POST", "/api/v1/goals", body, 200)
    case = verify(PLAN, [item], source="t").run.suites[0].cases[0]
    assert case.outcome is Outcome.FAILED


# --- HAR ------------------------------------------------------------------------------------


def test_a_har_is_read_entry_by_entry_whatever_the_key_order(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "comment": "entries before anything else",
            "log": {"entries": [har_entry(GOOD), har_entry(CHECKOUT)], "version": "1.2"},
            "extra": [1, 2, {"log": 3}],
        }
    )
    path = tmp_path / "odd.har"
    path.write_text(text, encoding="utf-8")
    got = list(read_capture(path, Tally()))
    assert [r.ref for r in got] == ["entry 1", "entry 2"]
    assert got[1].body is not None and json.loads(got[1].body)["name"] == "checkout_completed"
    assert got[0].status == 200 and got[0].elapsed_ms == 12.5


def test_a_50_mb_har_is_read_without_holding_it_whole(tmp_path: Path) -> None:
    import tracemalloc

    padding = "x" * 60_000
    entry = har_entry(GOOD)
    entry["response"]["content"]["text"] = padding  # a big answer in every entry
    path = tmp_path / "big.har"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "entries": [')
        for index in range(850):
            out.write(("," if index else "") + json.dumps(entry))
        out.write("]}}")
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    count = sum(1 for _ in read_capture(path, Tally()))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 850
    assert peak < 12_000_000  # a few chunks and one entry, not 50 MB of text and objects


def test_an_oversized_har_entry_is_refused_in_plain_words(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("flowsery_gui.plan.har.MAX_ENTRY_BYTES", 3_000_000)
    entry = har_entry(GOOD)
    entry["response"]["content"]["text"] = "y" * 4_000_000
    path = write_har(tmp_path / "huge.har", [entry])
    with pytest.raises(CaptureError, match="one entry is over 2 MB"):
        list(read_capture(path, Tally()))
    assert MAX_ENTRY_BYTES >= 64 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"log": {"entries": [', "broken or cut"),
        ('{"log": {"version": "1.2"}}', "no log.entries list"),
        ('{"log": []}', "`log` is not an object"),
        ("[1, 2]", "neither a HAR file nor a JSON Lines export"),
        ("", "neither a HAR file nor a JSON Lines export"),
    ],
)
def test_a_broken_har_is_refused_in_plain_words(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / ("x.har" if content.startswith("{") else "x.txt")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CaptureError, match=words):
        list(read_capture(path, Tally()))


def test_a_capture_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    path = tmp_path / "x.har"
    path.write_bytes(b'{"log": {"entries": [{"request": "caf\xe9"}]}}')
    with pytest.raises(CaptureError, match="not UTF-8"):
        list(read_capture(path, Tally()))


def test_a_missing_capture_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="there is no such file"):
        list(read_capture(tmp_path / "gone.har", Tally()))


# --- JSON Lines -----------------------------------------------------------------------------


def test_the_apps_json_lines_export_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        history_line(GOOD, index=1) + "\n" + history_line(BAD_PLAN, index=2) + '{"x": 1}\n',
        encoding="utf-8",
    )
    tally = Tally()
    got = list(read_capture(path, tally))
    assert [(r.ref, r.status, r.is_goal) for r in got] == [
        ("line 1", 200, True),
        ("line 3", 200, True),
    ]
    assert tally.notes == ["Line 4 is not a recorded request; it was skipped."]


def test_a_json_lines_file_with_a_broken_line_names_it(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(history_line(GOOD) + "{not json\n", encoding="utf-8")
    with pytest.raises(CaptureError, match="line 2 is not JSON"):
        list(read_capture(path, Tally()))


# --- the collector adapter and paging ---------------------------------------------------------


def test_a_collector_page_is_read_by_the_adapter() -> None:
    page = {
        "requests": [
            {"id": 7, "time": "2024-05-01T10:00:00Z", "method": "POST", "path": "/api/v1/goals",
             "query": "", "headers": [["Authorization", "Bearer …6789"]],
             "body": json.dumps(GOOD), "answer": {"status": 200, "body": "{}"}},
            {"id": 8, "time": "2024-05-01T10:00:01Z", "method": "GET", "path": "/api/v1/metadata",
             "query": "x=1", "body": None, "answer": {"status": 200, "body": "{}"}},
            {"id": 9, "time": "2024-05-01T10:00:02Z", "method": "POST", "path": "/api/v1/goals",
             "body": "{}", "answer": {"status": None, "body": "", "outcome": "dropped"}},
            "junk",
        ],
        "next": 9,
        "stored": 3,
        "dropped": 3,
        "busy": 0,
    }  # fmt: skip
    items, following, dropped = page_items(page)
    assert [(i.ref, i.is_goal, i.status) for i in items] == [
        ("#7", True, 200),
        ("#8", False, 200),
        ("#9", True, None),
    ]
    assert items[0].headers == (("Authorization", "Bearer …6789"),)
    assert items[1].url == "/api/v1/metadata?x=1"
    assert (following, dropped) == (9, 3)
    with pytest.raises(CaptureError, match="like a Flowsery sandbox"):
        page_items({"goals": []})


class _Collector(BaseHTTPRequestHandler):
    """A stand-in collector serving fixed pages, to test paging over real HTTP."""

    pages: ClassVar[dict[str | None, dict[str, Any]]] = {}
    seen: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        if urlsplit(self.path).path != "/sandbox/requests":
            self.send_error(404)
            return
        query = parse_qs(urlsplit(self.path).query)
        type(self).seen.append(query)
        cursor = query.get("after", [None])[0]
        body = json.dumps(self.pages.get(cursor, {"requests": [], "next": None})).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _item(index: int, body: Any) -> dict[str, Any]:
    return {"id": index, "time": "2024-05-01T10:00:00Z", "method": "POST",
            "path": "/api/v1/goals", "body": json.dumps(body),
            "answer": {"status": 200, "body": "{}"}}  # fmt: skip


def test_every_page_of_the_collector_is_read_with_since(collector: ThreadingHTTPServer) -> None:
    _Collector.pages = {
        None: {"requests": [_item(1, GOOD), _item(2, BAD_PLAN)], "next": 2, "dropped": 5},
        "2": {"requests": [_item(3, CHECKOUT)], "next": None, "dropped": 5, "busy": 4},
    }
    _Collector.seen = []
    url = f"http://127.0.0.1:{collector.server_address[1]}"
    tally = Tally()
    items = list(read_sandbox(url, tally, since="2024-05-01T00:00:00+00:00", timeout=5))
    assert [i.ref for i in items] == ["#1", "#2", "#3"]
    assert tally.dropped == 5
    assert [q.get("after") for q in _Collector.seen] == [None, ["2"]]
    assert all(q["since"] == ["2024-05-01T00:00:00+00:00"] for q in _Collector.seen)
    outcome = verify(PLAN, items, source=url, tally=tally)
    assert [c.outcome for c in outcome.run.suites[0].cases] == [
        Outcome.PASSED,
        Outcome.FAILED,
        Outcome.PASSED,
    ]
    assert any("already dropped 5 older requests" in line for line in outcome.summary())
    assert any("turned away 4 connections" in line for line in outcome.summary())


def test_a_sandbox_that_is_not_running_gets_a_clear_message() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CaptureError, match=f"Nothing is listening at http://127.0.0.1:{port}"):
        list(read_sandbox(f"http://127.0.0.1:{port}", Tally(), timeout=2))


def test_a_server_without_the_collector_route_says_so(collector: ThreadingHTTPServer) -> None:
    url = f"http://127.0.0.1:{collector.server_address[1]}/not-a-sandbox"
    with pytest.raises(CaptureError, match="no /sandbox/requests route"):
        list(read_sandbox(url, Tally(), timeout=5))


@pytest.mark.parametrize("url", ["127.0.0.1:8765", "ftp://127.0.0.1/", "http://", "not a url"])
def test_a_url_that_is_not_a_sandbox_url_is_refused(url: str) -> None:
    with pytest.raises(CaptureError, match="is not a sandbox URL"):
        list(read_sandbox(url, Tally()))
