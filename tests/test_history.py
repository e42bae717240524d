"""The history database, on real SQLite files in tmp_path."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui.exchange import (
    Exchange,
    Failure,
    FailureKind,
    ReceivedResponse,
    SentRequest,
)
from flowsery_gui.history import (
    SCHEMA_VERSION,
    Filters,
    History,
    HistoryError,
    export_har,
    export_jsonl,
    record_to_json,
)
from flowsery_gui.history import query as query_module
from flowsery_gui.history import schema as schema_module
from tests.history_helpers import (
    GOALS_URL,
    KEY,
    OK_BODY,
    T0,
    add,
    goal_exchange,
    hold_write_lock,
)


@pytest.fixture(params=[True, False], ids=["fts5", "scan"])
def fts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run a test with the FTS5 trigram index and with the plain substring scan."""
    if request.param and not schema_module.fts_available():
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    if not request.param:
        monkeypatch.setattr(schema_module, "fts_available", lambda: False)
    return bool(request.param)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def history(db: Path, fts: bool) -> Iterator[History]:
    db.parent.mkdir(parents=True, exist_ok=True)
    with History(db) as opened:
        yield opened


# -- storing --------------------------------------------------------------------------------------


def test_appended_exchange_comes_back_whole(history: History) -> None:
    exchange, goal = goal_exchange(
        visitor="vid-1", session="sid-1", metadata={"plan": "pro"}, timezone="Europe/Paris"
    )
    record_id = history.append(exchange, profile="Sandbox", source="cli", goal=goal)
    record = history.get(record_id)
    assert record is not None
    assert record.exchange == exchange
    assert (record.profile, record.source, record.goal_name) == ("Sandbox", "cli", goal["name"])
    assert (record.visitor_uid, record.session_uid, record.timezone) == (
        "vid-1",
        "sid-1",
        "Europe/Paris",
    )
    assert record.metadata == {"plan": "pro"}
    assert (record.status, record.status_class, record.failure_kind) == (200, "2xx", None)
    assert (record.method, record.url, record.started_at) == ("POST", GOALS_URL, T0)


def test_a_failure_is_stored_with_no_status_and_its_kind(history: History) -> None:
    record_id = add(history, status=None, failure=FailureKind.REFUSED)
    record = history.get(record_id)
    assert record is not None
    assert (record.status, record.status_class, record.failure_kind) == (None, "failure", "refused")
    assert record.exchange.failure is not None
    assert record.exchange.failure.message == "No answer in time."


def test_goal_fields_come_from_the_request_body_when_not_given(history: History) -> None:
    exchange, _ = goal_exchange("from_body", visitor="v-77")
    record = history.get(history.append(exchange, profile="Production", source="cli"))
    assert record is not None
    assert (record.goal_name, record.visitor_uid) == ("from_body", "v-77")


def test_an_exchange_without_a_goal_body_is_stored_too(history: History) -> None:
    request = SentRequest("GET", "http://127.0.0.1:1/api/v1/metadata", (), None)
    record_id = history.append(
        Exchange(request, T0, 3.0, failure=Failure(FailureKind.REFUSED, "Refused.")),
        profile="Sandbox",
        source="window",
    )
    record = history.get(record_id)
    assert record is not None and record.goal_name is None and record.method == "GET"


def test_unknown_source_is_refused(history: History) -> None:
    exchange, goal = goal_exchange()
    with pytest.raises(ValueError):
        history.append(exchange, profile="Production", source="robot", goal=goal)
    assert history.count() == 0


def test_get_of_a_missing_record_is_none(history: History) -> None:
    assert history.get(12345) is None


def test_records_sharing_a_start_time_all_get_their_own_id(history: History) -> None:
    ids = [add(history, f"same_{n}", started_at=T0) for n in range(3)]
    assert len(set(ids)) == 3
    assert [r.goal_name for r in history.page()] == ["same_2", "same_1", "same_0"]


# -- searching and paging -------------------------------------------------------------------------


@pytest.fixture
def sample(history: History) -> History:
    add(
        history,
        "newsletter_signup",
        started_at=T0 + 1,
        visitor="vid-aaaa1111",
        metadata={"plan": "pro"},
    )
    add(
        history,
        "purchase",
        started_at=T0 + 2,
        session="sid-bbbb2222",
        status=401,
        profile="Sandbox",
    )
    add(history, "trial_start", started_at=T0 + 3, metadata={"campaign": "Spring-Sale"}, status=500)
    add(history, "purchase", started_at=T0 + 4, status=None, timezone="Asia/Tokyo")
    return history


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("newsletter", ["newsletter_signup"]),
        ("PURCHASE", ["purchase", "purchase"]),
        ("vid-aaaa", ["newsletter_signup"]),
        ("bbbb2222", ["purchase"]),
        ("spring-sale", ["trial_start"]),  # a metadata value, any case
        ("campaign", ["trial_start"]),  # a metadata key
        ("401", ["purchase"]),  # a status
        ("5xx", ["trial_start"]),  # a status class
        ("read_timeout", ["purchase"]),  # a failure kind
        ("tokyo", ["purchase"]),
        ("purchase 401", ["purchase"]),  # every word must match
        ("pr", ["trial_start", "newsletter_signup"]),  # short word: "spring", "pro"
        ("nothing-like-this", []),
    ],
)
def test_search_finds_goal_ids_metadata_and_status(
    sample: History, text: str, names: list[str]
) -> None:
    rows = sample.page(Filters(text=text))
    assert [r.goal_name for r in rows] == names
    assert sample.count(Filters(text=text)) == len(names)


@pytest.mark.parametrize("text", ['"', '"x" OR (y*', "a:b", "NEAR(x y)", "%", "x*", "^pur"])
def test_search_text_is_never_query_syntax(sample: History, text: str) -> None:
    assert sample.page(Filters(text=text)) == []
    assert sample.count(Filters(text=text)) == 0


def test_wildcard_characters_are_taken_literally(sample: History) -> None:
    assert sample.count(Filters(text="_")) == 3  # not a LIKE wildcard: the 401 row has no "_"
    assert sample.count(Filters(text="g-s")) == 1  # "spring-sale"


def test_filters_by_profile_status_class_and_time(sample: History) -> None:
    def names(**kwargs: Any) -> list[str | None]:
        return [r.goal_name for r in sample.page(Filters(**kwargs))]

    assert names(profile="Sandbox") == ["purchase"]
    assert names(status_class="failure") == ["purchase"]
    assert names(status_class="2xx") == ["newsletter_signup"]
    assert names(since=T0 + 2, until=T0 + 3) == ["trial_start", "purchase"]
    assert names(text="purchase", since=T0 + 3) == ["purchase"]
    assert names(goal_name="purchase", profile="Production") == ["purchase"]
    assert sample.count(Filters(status_class="5xx", text="trial")) == 1


def test_newest_first_follows_start_time_not_insertion_order(history: History) -> None:
    for offset, name in ((200, "middle"), (100, "oldest"), (300, "newest")):
        add(history, name, started_at=T0 + offset)
    assert [r.goal_name for r in history.page()] == ["newest", "middle", "oldest"]


def test_pages_by_offset_and_by_last_id_agree(history: History) -> None:
    history.append_many(
        [
            (goal_exchange(f"g{n:02d}", started_at=T0 + n)[0], "Production", "cli", None)
            for n in range(25)
        ]
    )
    first = history.page(Filters(), 0, 10)
    assert [r.goal_name for r in first] == [f"g{n:02d}" for n in range(24, 14, -1)]
    by_offset = history.page(Filters(), 10, 10)
    by_key = history.page(Filters(), limit=10, before_id=first[-1].id)
    assert by_offset == by_key
    assert [r.goal_name for r in history.page(Filters(text="g0"), 5, 100)] == [
        "g04",
        "g03",
        "g02",
        "g01",
        "g00",
    ]
    assert history.count() == 25
    assert history.count(cap=7) == 7


# -- deleting -------------------------------------------------------------------------------------


def test_deleted_records_are_gone_from_pages_and_search(sample: History) -> None:
    doomed = [r.id for r in sample.page(Filters(text="purchase"))]
    assert sample.delete([*doomed, 999]) == 2
    assert sample.page(Filters(text="purchase")) == []
    assert sample.count() == 2
    assert all(sample.get(i) is None for i in doomed)


def test_clear_removes_everything_and_history_goes_on(sample: History) -> None:
    assert sample.clear() == 4
    assert sample.count() == 0 and sample.page(Filters(text="purchase")) == []
    add(sample, "purchase")
    assert [r.goal_name for r in sample.page(Filters(text="purchase"))] == ["purchase"]


def test_retention_keeps_the_newest_n(history: History) -> None:
    for n in range(5):
        add(history, f"g{n}", started_at=T0 + n)
    assert history.apply_retention(keep_last=2) == 3
    assert [r.goal_name for r in history.page()] == ["g4", "g3"]
    assert history.page(Filters(text="g0")) == []


def test_retention_drops_records_older_than_n_days(history: History) -> None:
    now = T0 + 10 * 86400
    add(history, "old", started_at=now - 3 * 86400)
    add(history, "recent", started_at=now - 3600)
    assert history.apply_retention(keep_days=1, now=now) == 1
    assert [r.goal_name for r in history.page()] == ["recent"]
    assert history.apply_retention() == 0


# -- schema ---------------------------------------------------------------------------------------


def test_new_or_empty_file_gets_the_current_schema_version(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")  # an empty file is an empty database
    History(db).close()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    assert {"exchanges", "exchange_bodies", "exchanges_profile", "exchanges_goal_name"} <= names
    assert {"exchanges_status_class", "exchanges_started_at"} <= names


def test_reopening_keeps_records(db: Path) -> None:
    db.parent.mkdir(parents=True)
    with History(db) as first:
        record_id = add(first)
    with History(db) as second:
        assert second.get(record_id) is not None


def test_a_history_from_a_newer_app_turns_history_off_and_is_left_alone(db: Path) -> None:
    db.parent.mkdir(parents=True)
    History(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    opened, message = History.open(db)
    assert opened is None
    assert message is not None and "newer version" in message and "Sending still works" in message
    assert sorted(p.name for p in db.parent.iterdir() if "corrupt" in p.name) == []


def test_search_index_made_without_fts_is_rebuilt_when_fts_is_back(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not schema_module.fts_available():
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    db.parent.mkdir(parents=True)
    History(db).close()  # made with the FTS index
    with monkeypatch.context() as patch:
        patch.setattr(schema_module, "fts_available", lambda: False)
        with History(db) as without:  # an SQLite without FTS5 writes meanwhile
            add(without, "written_without_fts")
    with History(db) as again:
        assert [r.goal_name for r in again.page(Filters(text="without_fts"))] == [
            "written_without_fts"
        ]


# -- exports --------------------------------------------------------------------------------------


def test_jsonl_export_has_one_object_per_exchange(sample: History) -> None:
    out = io.StringIO()
    assert export_jsonl(sample.iter_records(filters=Filters()), out) == 4
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [obj["goal_name"] for obj in lines] == [
        "purchase",
        "trial_start",
        "purchase",
        "newsletter_signup",
    ]
    failed, ok = lines[0], lines[3]
    assert failed["status"] is None and failed["failure"]["kind"] == "read_timeout"
    assert ok["status"] == 200 and ok["failure"] is None
    assert ok["profile"] == "Production" and ok["elapsed_ms"] == 120.5
    assert ok["time"] == "2025-06-15T15:06:41.000+00:00"
    assert ok["request"]["body"] and ok["response"]["body"] == OK_BODY
    assert ["Authorization", "Bearer …abcd"] in ok["request"]["headers"]


def test_har_export_is_har_1_2(sample: History) -> None:
    out = io.StringIO()
    ids = [r.id for r in sample.page(Filters(text="purchase"))] + [sample.page()[-1].id]
    assert export_har(sample.iter_records(ids), out) == 3
    har = json.loads(out.getvalue())
    log = har["log"]
    assert log["version"] == "1.2"
    assert log["creator"]["name"] == "Flowsery Goal Tester" and log["creator"]["version"]
    entries = log["entries"]
    assert [e["startedDateTime"] for e in entries] == sorted(e["startedDateTime"] for e in entries)
    for entry in entries:
        assert set(entry) >= {"startedDateTime", "time", "request", "response", "cache", "timings"}
        assert entry["timings"] == {"send": 0, "wait": entry["time"], "receive": 0}
        req = entry["request"]
        assert set(req) >= {
            "method",
            "url",
            "httpVersion",
            "cookies",
            "headers",
            "queryString",
            "headersSize",
            "bodySize",
        }
        assert req["headersSize"] == -1 and req["bodySize"] == len(req["postData"]["text"].encode())
        assert req["postData"]["mimeType"] == "application/json"
        assert {"name": "Authorization", "value": "Bearer …abcd"} in req["headers"]
        res = entry["response"]
        assert set(res) >= {
            "status",
            "statusText",
            "httpVersion",
            "cookies",
            "headers",
            "content",
            "redirectURL",
            "headersSize",
            "bodySize",
        }
        assert res["headersSize"] == -1
    ok = entries[0]
    assert ok["response"]["status"] == 200 and ok["response"]["content"]["text"] == OK_BODY
    assert ok["response"]["content"]["mimeType"] == "application/json"
    assert ok["response"]["content"]["size"] == len(OK_BODY)
    failed = entries[-1]
    assert failed["response"]["status"] == 0
    assert failed["response"]["_error"] == "No answer in time."


def test_har_lists_query_parameters_and_leaves_out_post_data_without_a_body(
    history: History,
) -> None:
    request = SentRequest("DELETE", GOALS_URL + "?name=signup&visitorId=", (), None)
    record_id = history.append(Exchange(request, T0, 9.0), profile="Sandbox", source="cli")
    out = io.StringIO()
    export_har(history.iter_records([record_id]), out)
    req = json.loads(out.getvalue())["log"]["entries"][0]["request"]
    assert req["queryString"] == [
        {"name": "name", "value": "signup"},
        {"name": "visitorId", "value": ""},
    ]
    assert "postData" not in req and req["bodySize"] == 0


# -- secrets --------------------------------------------------------------------------------------


def raw_bytes(db: Path) -> bytes:
    """Every byte of the database and its WAL/SHM files as they are on disk."""
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_a_key_it_is_told_about_never_reaches_the_file(history: History, db: Path) -> None:
    session_key = "flow_sk_test_SessionOnly0987654321"
    history._secrets = lambda: [session_key]  # as KeyStore.known_secrets would provide
    leaky = SentRequest(
        "POST",
        GOALS_URL + f"?key={KEY}",
        (("Authorization", f"Bearer {KEY}"), ("X-Debug", session_key)),
        json.dumps({"name": "leak", "metadata": {"pasted": KEY}}),
    )
    echo = f'{{"error": "bad key {KEY}"}}'
    exchange = Exchange(leaky, T0, 10.0, ReceivedResponse(401, "Unauthorized", (), echo, len(echo)))
    record_id = history.append(
        exchange,
        profile="Production",
        source="window",
        goal={"name": "leak", "metadata": {"pasted": KEY}},
        secrets=[KEY],
    )
    for key in (KEY, session_key):
        assert key.encode() not in raw_bytes(db)
    record = history.get(record_id)
    assert record is not None
    assert record.metadata == {"pasted": "…" + KEY[-4:]}
    assert record.exchange.request.header("Authorization") == "Bearer …" + KEY[-4:]
    assert history.count(Filters(text=KEY)) == 0
    out = io.StringIO()
    export_har(history.iter_records([record_id]), out)
    export_jsonl(history.iter_records([record_id]), out)
    assert KEY not in out.getvalue() and session_key not in out.getvalue()
    history.close()
    assert KEY.encode() not in raw_bytes(db)


def test_an_authorization_header_in_clear_is_masked_even_without_being_told(
    history: History,
) -> None:
    exchange, goal = goal_exchange(authorization=f"Bearer {KEY}")
    record = history.get(history.append(exchange, profile="Production", source="cli", goal=goal))
    assert record is not None
    assert record.exchange.request.header("Authorization") == "Bearer …" + KEY[-4:]
    assert KEY not in json.dumps(record_to_json(record))


# -- busy databases -------------------------------------------------------------------------------


def test_a_briefly_busy_database_is_waited_for(history: History, db: Path) -> None:
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db, 0.4, ready))
    holder.start()
    assert ready.wait(5)
    try:
        add(history)  # waits for the other writer, then succeeds
    finally:
        holder.join(5)
    assert history.count() == 1


def test_a_database_busy_too_long_gives_a_plain_error(db: Path, fts: bool) -> None:
    db.parent.mkdir(parents=True)
    History(db).close()
    impatient = History(db, busy_seconds=0.2)
    ready = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db, 1.0, ready))
    holder.start()
    assert ready.wait(5)
    try:
        with pytest.raises(HistoryError) as caught:
            add(impatient)
    finally:
        holder.join(5)
        impatient.close()
    assert caught.value.kind == "busy"
    assert "locked" not in caught.value.message
    assert caught.value.message.startswith("Could not save this request to history")


def test_a_search_of_only_short_words_looks_at_the_newest_records_and_says_so(
    history: History, fts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_module, "SHORT_SEARCH_WINDOW", 3)
    for offset in range(6):
        add(history, f"goal_{offset}", started_at=T0 + offset, metadata={"plan": "xy"})
    short = Filters(text="xy")
    if fts:  # the index cannot serve 1-2 characters: only the newest 3 are scanned
        assert history.search_is_windowed(short)
        assert [r.goal_name for r in history.page(short)] == ["goal_5", "goal_4", "goal_3"]
        assert history.count(short) == 3
    else:  # without the index every search scans everything anyway
        assert not history.search_is_windowed(short)
        assert history.count(short) == 6
    assert not history.search_is_windowed(Filters(text="plan"))
    assert history.count(Filters(text="plan xy")) == 6  # a long word: the index, everything
