"""The sandbox as a local collector: every request kept, masked, paged, bounded, checked."""

from __future__ import annotations

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from flowsery_gui.sandbox import SandboxServer
from tests.sandbox_helpers import (
    TEST_KEY,
    auth,
    raw_exchange,
    running_sandbox,
    sandbox_fixture,  # noqa: F401  (registers the `sandbox` fixture)
)

TIMEOUT = 5.0


def post(server: SandboxServer, body: Any, headers: dict[str, str] | None = None) -> int:
    """POST a JSON goal with the test key (headers override); the status."""
    response = requests.post(
        server.url + "/api/v1/goals",
        json=body,
        headers={**auth(), **(headers or {})},
        timeout=TIMEOUT,
    )
    return response.status_code


def requests_page(server: SandboxServer, query: str = "") -> dict[str, Any]:
    """GET /sandbox/requests with a raw query string; the JSON answer."""
    response = requests.get(server.url + "/sandbox/requests" + query, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()


def records(server: SandboxServer) -> list[dict[str, Any]]:
    """Every record, through the HTTP route."""
    return requests_page(server, "?limit=10000")["requests"]


# --- What a record holds -------------------------------------------------------------------


def test_an_accepted_goal_is_recorded_with_its_request_answer_and_verdict(
    sandbox: SandboxServer,
) -> None:
    assert post(sandbox, {"name": "signup", "metadata": {"plan": "pro"}}) == 200
    [record] = records(sandbox)
    assert (record["id"], record["method"], record["path"], record["query"]) == (
        1,
        "POST",
        "/api/v1/goals",
        "",
    )
    assert json.loads(record["body"]) == {"name": "signup", "metadata": {"plan": "pro"}}
    assert (record["bodyBytes"], record["bodyTruncated"]) == (len(record["body"]), False)
    assert record["answer"]["status"] == 200
    assert json.loads(record["answer"]["body"])["status"] == "success"
    assert record["answer"]["outcome"] == "answered"
    assert record["verdict"] == {"ok": True, "findings": []}
    assert (
        record["goalId"] == requests.get(sandbox.url + "/sandbox/goals", timeout=5).json()[0]["id"]
    )
    assert record["time"].endswith("Z")
    assert record["client"].startswith("127.0.0.1:")
    assert ["Content-Type", "application/json"] in record["headers"]


def test_a_rejected_goal_is_recorded_with_the_api_rules_findings(sandbox: SandboxServer) -> None:
    assert post(sandbox, {"name": "Sign Up", "visitorUID": "typo"}) == 400
    [record] = records(sandbox)
    assert record["answer"]["status"] == 400
    assert record["goalId"] is None
    verdict = record["verdict"]
    assert verdict["ok"] is False
    found = {(f["path"], f["code"], f["severity"], f["source"]) for f in verdict["findings"]}
    assert ("name", "name.pattern", "error", "api") in found
    assert ("visitorUID", "body.unknown_field", "warning", "api") in found
    assert all(f["message"] for f in verdict["findings"])


def test_a_body_that_is_not_json_gets_a_not_json_finding(sandbox: SandboxServer) -> None:
    response = requests.post(
        sandbox.url + "/api/v1/goals",
        data=b'{"name": ',
        headers={**auth(), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    [record] = records(sandbox)
    assert record["body"] == '{"name": '
    assert [f["code"] for f in record["verdict"]["findings"]] == ["body.not_json"]


def test_requests_refused_before_their_body_was_needed_are_recorded_with_the_body(
    sandbox: SandboxServer,
) -> None:
    wrong_key = {"Authorization": "Bearer flow_sk_fake_wrong_key_4242"}
    assert post(sandbox, {"name": "no_key"}, wrong_key) == 401
    typo = requests.post(sandbox.url + "/api/v1/goal", json={"name": "typo"}, timeout=5)
    assert typo.status_code == 404
    unauthorized, not_found = records(sandbox)
    assert (unauthorized["answer"]["status"], not_found["answer"]["status"]) == (401, 404)
    assert json.loads(unauthorized["body"]) == {"name": "no_key"}
    assert unauthorized["verdict"]["ok"] is True  # the body itself was fine
    assert (not_found["path"], json.loads(not_found["body"])) == ("/api/v1/goal", {"name": "typo"})
    assert not_found["verdict"] is None  # not sent to the goals route: no goal to judge


def test_faulted_requests_are_recorded_with_the_fault_and_no_goal(sandbox: SandboxServer) -> None:
    assert post(sandbox, {"name": "faulty"}, {"X-Sandbox-Fault": "garbage"}) == 200
    with pytest.raises(requests.ConnectionError):
        post(sandbox, {"name": "dropped"}, {"X-Sandbox-Fault": "drop"})
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        post(sandbox, {"name": "partial"}, {"X-Sandbox-Fault": "partial"})
    garbage, dropped, partial = records(sandbox)
    assert (garbage["fault"], garbage["answer"]["status"]) == ("garbage", 200)
    assert garbage["answer"]["body"] == '{"status": "succ'
    assert (dropped["answer"]["status"], dropped["answer"]["outcome"]) == (None, "dropped")
    assert partial["answer"]["outcome"] == "cut short"
    assert [r["goalId"] for r in (garbage, dropped, partial)] == [None, None, None]
    assert requests.get(sandbox.url + "/sandbox/goals", timeout=5).json() == []


def test_a_delete_record_lists_the_goals_it_deleted(sandbox: SandboxServer) -> None:
    for body in ({"name": "signup", "visitorUid": "v1"}, {"name": "purchase", "visitorUid": "v1"}):
        assert post(sandbox, body) == 200
    kept_id = requests.get(sandbox.url + "/sandbox/goals", timeout=5).json()[1]["id"]
    deleted = requests.delete(
        sandbox.url + "/api/v1/goals?name=signup", headers=auth(), timeout=TIMEOUT
    )
    assert deleted.json()["data"][0]["deleted"] == 1
    record = records(sandbox)[-1]
    assert (record["method"], record["query"]) == ("DELETE", "name=signup")
    assert record["deleted"]["count"] == record["deleted"]["listed"] == 1
    [gone] = record["deleted"]["goals"]
    assert (gone["name"], gone["visitorUid"]) == ("signup", "v1")
    assert gone["id"] != kept_id


def test_the_inspection_routes_are_not_recorded(sandbox: SandboxServer) -> None:
    assert post(sandbox, {"name": "signup"}) == 200
    requests.get(sandbox.url + "/sandbox/goals", timeout=TIMEOUT)
    requests_page(sandbox)
    assert [r["path"] for r in records(sandbox)] == ["/api/v1/goals"]


# --- The key is never stored ---------------------------------------------------------------


def test_no_key_is_stored_anywhere_in_the_records(sandbox: SandboxServer) -> None:
    presented = "flow_sk_fake_someone_elses_key_5555"
    assert post(sandbox, {"name": "a", "visitorUid": TEST_KEY}) == 200
    assert post(sandbox, {"name": "b"}, {"Authorization": f"Bearer {presented}"}) == 401
    assert post(sandbox, {"name": "c"}, {"X-Api-Key": presented}) == 200
    requests.get(sandbox.url + f"/api/v1/metadata?key={TEST_KEY}", headers=auth(), timeout=TIMEOUT)
    requests.delete(sandbox.url + "/api/v1/goals?name=a", headers=auth(), timeout=TIMEOUT)
    text = requests.get(sandbox.url + "/sandbox/requests", timeout=TIMEOUT).text
    in_process = json.dumps(sandbox.received(), ensure_ascii=False)
    assert len(json.loads(text)["requests"]) == len(json.loads(in_process)) == 5
    for stored in (text, in_process):
        assert TEST_KEY not in stored
        assert presented not in stored
        assert "Bearer …6789" in stored  # masked as … and the last 4 characters
        assert "Bearer …5555" in stored


# --- Paging, since, reset -------------------------------------------------------------------


def test_requests_page_oldest_first_with_a_next_cursor(sandbox: SandboxServer) -> None:
    for index in range(5):
        assert post(sandbox, {"name": f"g{index}"}) == 200
    first = requests_page(sandbox, "?limit=2")
    assert [r["id"] for r in first["requests"]] == [1, 2]
    assert (first["next"], first["stored"], first["dropped"]) == (2, 5, 0)
    second = requests_page(sandbox, f"?after={first['next']}&limit=2")
    assert [r["id"] for r in second["requests"]] == [3, 4]
    last = requests_page(sandbox, f"?after={second['next']}&limit=2")
    assert [r["id"] for r in last["requests"]] == [5]
    assert last["next"] is None
    assert requests_page(sandbox, "?after=5")["requests"] == []


def test_since_keeps_requests_received_at_or_after_a_time(sandbox: SandboxServer) -> None:
    for index in range(2):
        assert post(sandbox, {"name": f"g{index}"}) == 200
    mark = datetime.now(timezone.utc).isoformat()  # after the second answer, before the third
    assert post(sandbox, {"name": "g2"}) == 200
    page = requests_page(sandbox, "?since=" + mark.replace("+", "%2B"))
    assert [json.loads(r["body"])["name"] for r in page["requests"]] == ["g2"]
    assert requests_page(sandbox, "?since=2999-01-01T00:00:00Z")["requests"] == []
    assert len(requests_page(sandbox, "?since=2000-01-01")["requests"]) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?limit=0", "limit is a whole number from 1 to 10000"),
        ("?limit=10001", "limit is a whole number from 1 to 10000"),
        ("?limit=ten", "limit is a whole number"),
        ("?limit=" + "9" * 5000, "limit is a whole number"),
        ("?after=-1", "after is the id"),
        ("?after=" + "9" * 5000, "after is the id"),
        ("?since=yesterday", "since is not an ISO 8601 time"),
        ("?since=" + "9" * 5000, "since is not an ISO 8601 time"),
        ("?page=2", "Unknown query parameter 'page'"),
        ("?limit=1&limit=2", "at most once"),
    ],
)
def test_bad_paging_parameters_get_400_in_plain_words(
    sandbox: SandboxServer, query: str, expected: str
) -> None:
    response = requests.get(sandbox.url + "/sandbox/requests" + query, timeout=TIMEOUT)
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]


def test_reset_clears_goals_and_requests_and_ids_keep_growing(sandbox: SandboxServer) -> None:
    for name in ("a", "b"):
        assert post(sandbox, {"name": name}) == 200
    reset = requests.post(sandbox.url + "/sandbox/reset", timeout=TIMEOUT)
    assert reset.status_code == 200
    assert (reset.json()["deleted"], reset.json()["requests"]) == (2, 2)
    assert requests.get(sandbox.url + "/sandbox/goals", timeout=TIMEOUT).json() == []
    empty = requests_page(sandbox)
    assert (empty["requests"], empty["stored"], empty["dropped"]) == ([], 0, 0)
    assert post(sandbox, {"name": "c"}) == 200
    assert [r["id"] for r in records(sandbox)] == [3]  # a cursor from before stays valid


def test_goals_page_with_after_and_limit_and_say_what_follows(sandbox: SandboxServer) -> None:
    for index in range(5):
        assert post(sandbox, {"name": f"g{index}"}) == 200
    first = requests.get(sandbox.url + "/sandbox/goals?limit=2", timeout=TIMEOUT)
    assert [g["name"] for g in first.json()] == ["g0", "g1"]
    assert (first.headers["X-Sandbox-Stored"], first.headers["X-Sandbox-Dropped"]) == ("5", "0")
    assert first.links["next"]["url"] == "/sandbox/goals?after=2&limit=2"
    second = requests.get(sandbox.url + first.links["next"]["url"], timeout=TIMEOUT)
    assert [g["name"] for g in second.json()] == ["g2", "g3"]
    last = requests.get(
        sandbox.url + f"/sandbox/goals?after={second.headers['X-Sandbox-Next']}", timeout=5
    )
    assert [g["name"] for g in last.json()] == ["g4"]
    assert "X-Sandbox-Next" not in last.headers
    bad = requests.get(sandbox.url + "/sandbox/goals?limit=" + "1" * 5000, timeout=TIMEOUT)
    assert bad.status_code == 400


def test_a_large_page_arrives_whole_in_http_1_1_and_http_1_0(sandbox: SandboxServer) -> None:
    for index in range(150):  # about 150 KB of goals: several written pieces
        assert post(sandbox, {"name": f"g{index}", "visitorUid": f"{index:04d}" * 250}) == 200
    goals = requests.get(sandbox.url + "/sandbox/goals", timeout=TIMEOUT).json()
    assert [g["name"] for g in goals] == [f"g{i}" for i in range(150)]
    answer = raw_exchange(sandbox, b"GET /sandbox/goals HTTP/1.0\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ") and b"chunked" not in head
    assert json.loads(body) == goals


# --- Bounds ---------------------------------------------------------------------------------


def test_the_default_bounds_are_10000_requests_and_100_mb() -> None:
    server = SandboxServer()
    assert (server.collector.log.max_items, server.collector.log.max_chars) == (
        10_000,
        100_000_000,
    )
    assert (server.store.log.max_items, server.store.log.max_chars) == (10_000, 100_000_000)


def test_over_the_request_bound_the_oldest_are_dropped_and_counted() -> None:
    with running_sandbox(max_requests=3) as server:
        for index in range(5):
            assert post(server, {"name": f"g{index}"}) == 200
        page = requests_page(server)
        assert [json.loads(r["body"])["name"] for r in page["requests"]] == ["g2", "g3", "g4"]
        assert (page["stored"], page["dropped"]) == (3, 2)
        assert server.received_counts() == {"stored": 3, "dropped": 2, "busy": 0}


def test_over_the_size_bound_the_oldest_are_dropped_for_requests_and_goals() -> None:
    with running_sandbox(max_stored_chars=12_000) as server:
        for index in range(6):
            assert post(server, {"name": f"g{index}", "visitorUid": "v" * 3000}) == 200
        page = requests_page(server)
        assert 1 <= page["stored"] < 6
        assert page["dropped"] == 6 - page["stored"]
        assert json.loads(page["requests"][-1]["body"])["name"] == "g5"
        goals = requests.get(server.url + "/sandbox/goals", timeout=TIMEOUT)
        assert goals.json()[-1]["name"] == "g5"
        assert int(goals.headers["X-Sandbox-Dropped"]) == 6 - len(goals.json()) > 0


def _post_many(server: SandboxServer, client: int, count: int) -> list[int]:
    """`count` goals over one kept-alive connection; their statuses."""
    connection = http.client.HTTPConnection(*server.address, timeout=TIMEOUT)
    headers = {**auth(), "Content-Type": "application/json"}
    statuses = []
    try:
        for index in range(count):
            body = json.dumps({"name": f"c{client}-{index}"})
            connection.request("POST", "/api/v1/goals", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()
    return statuses


def test_eight_concurrent_clients_are_each_recorded_exactly_once() -> None:
    with running_sandbox() as server:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda c: _post_many(server, c, 40), range(8)))
        assert all(status == 200 for statuses in results for status in statuses)
        got = records(server)
        names = [json.loads(r["body"])["name"] for r in got]
        assert sorted(names) == sorted(f"c{c}-{i}" for c in range(8) for i in range(40))
        assert [r["id"] for r in got] == list(range(1, 321))
        assert len({r["goalId"] for r in got}) == 320


def test_eight_concurrent_clients_over_the_bound_keep_exactly_the_newest() -> None:
    with running_sandbox(max_requests=100) as server:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda c: _post_many(server, c, 30), range(8)))
        page = requests_page(server, "?limit=10000")
        assert (page["stored"], page["dropped"]) == (100, 140)
        assert [r["id"] for r in page["requests"]] == list(range(141, 241))


# --- The Python API: received, on_received, on_reset, checker ------------------------------


def test_received_returns_new_dicts_after_an_id(sandbox: SandboxServer) -> None:
    for name in ("a", "b", "c"):
        assert post(sandbox, {"name": name}) == 200
    later = sandbox.received(since_id=1, limit=1)
    assert [r["id"] for r in later] == [2]
    later[0]["path"] = "changed"
    assert sandbox.received(since_id=1, limit=1)[0]["path"] == "/api/v1/goals"
    assert [r["id"] for r in sandbox.received()] == [1, 2, 3]


def test_listeners_hear_each_stored_request_until_they_stop(sandbox: SandboxServer) -> None:
    heard: list[dict[str, Any]] = []
    resets: list[bool] = []
    stop = sandbox.on_received(heard.append)
    sandbox.on_reset(lambda: resets.append(True))
    for name in ("a", "b"):
        assert post(sandbox, {"name": name}) == 200
    for _ in range(250):  # the listener runs just after the answer went out
        if len(heard) == 2:
            break
        time.sleep(0.02)
    assert [json.loads(r["body"])["name"] for r in heard] == ["a", "b"]
    assert heard == sandbox.received()
    stop()
    assert post(sandbox, {"name": "c"}) == 200
    assert sandbox.reset() == {"goals": 3, "requests": 3}
    assert len(heard) == 2
    assert resets == [True]


def test_a_listener_that_fails_does_not_fail_the_request(sandbox: SandboxServer) -> None:
    def broken(_record: dict[str, Any]) -> None:
        raise RuntimeError("listener bug")

    sandbox.on_received(broken)
    assert post(sandbox, {"name": "a"}) == 200
    assert post(sandbox, {"name": "b"}) == 200


def _plan(goal: dict[str, Any]) -> list[dict[str, Any]]:
    """A stand-in tracking plan: only `signup` is planned, and it needs metadata.plan."""
    if goal.get("name") != "signup":
        return [
            {
                "path": "name",
                "code": "plan.unplanned_goal",
                "severity": "warning",
                "message": f"{goal.get('name')} is not in the plan.",
                "fix": "signup",
            }
        ]
    if "plan" not in (goal.get("metadata") or {}):
        return [
            {
                "path": "metadata.plan",
                "code": "plan.missing_metadata",
                "severity": "error",
                "message": "plan is required for signup.",
            }
        ]
    return []


def test_the_checker_findings_join_the_verdict_and_the_log_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with running_sandbox(checker=_plan, quiet=False) as server:
        assert post(server, {"name": "signup"}) == 200  # the API accepts it; the plan does not
        assert post(server, {"name": "signin"}) == 200
        assert post(server, {"name": "signup", "metadata": {"plan": "pro"}}) == 200
        missing, unplanned, fine = (r["verdict"] for r in records(server))
    assert missing["ok"] is False
    assert missing["findings"] == [
        {
            "path": "metadata.plan",
            "code": "plan.missing_metadata",
            "severity": "error",
            "message": "plan is required for signup.",
            "fix": None,
            "source": "plan",
        }
    ]
    assert unplanned["ok"] is True
    assert unplanned["findings"][0]["fix"] == "signup"
    assert fine == {"ok": True, "findings": []}
    log = capsys.readouterr().err
    assert "plan.missing_metadata" in log and "plan.unplanned_goal" in log


def test_a_checker_can_be_plugged_in_while_running_and_its_failure_is_a_finding(
    sandbox: SandboxServer,
) -> None:
    def broken(_goal: dict[str, Any]) -> list[dict[str, Any]]:
        raise KeyError("plan bug")

    assert post(sandbox, {"name": "before"}) == 200
    sandbox.checker = broken
    assert post(sandbox, {"name": "after"}) == 200  # a failing check never fails the request
    before, after = records(sandbox)
    assert before["verdict"]["findings"] == []
    [failed] = after["verdict"]["findings"]
    assert (failed["code"], failed["source"]) == ("plan.check_failed", "plan")
    assert after["answer"]["status"] == 200


def test_a_record_is_readable_as_soon_as_its_answer_arrived(sandbox: SandboxServer) -> None:
    for index in range(20):
        assert post(sandbox, {"name": f"g{index}"}) == 200
        [record] = sandbox.received(since_id=index, limit=1)  # no waiting: already stored
        assert json.loads(record["body"])["name"] == f"g{index}"
