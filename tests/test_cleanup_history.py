"""The history's side of a cleanup, on a real SQLite file: DELETE exchanges as their own
records, sends marked "deleted from analytics" once, and marks that follow the records."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from flowsery_gui.exchange import Exchange, ReceivedResponse, SentRequest
from flowsery_gui.history import History, Retention
from flowsery_gui.history.cleaned import (
    TABLE,
    cleaned_marks,
    record_delete,
    sent_records,
    sent_since,
)
from tests.history_helpers import KEY, T0, add

DELETE_URL = (
    "http://127.0.0.1:8765/api/v1/goals?name=signup&visitorId=vid"
    "&startAt=2025-06-15T15:06:35Z&endAt=2025-06-15T15:06:46Z"
)


def delete_exchange(deleted: int = 2, started_at: float = T0 + 100) -> Exchange:
    body = f'{{"status":"success","data":[{{"deleted":{deleted},"message":"ok {KEY}"}}]}}'
    request = SentRequest("DELETE", DELETE_URL, (("Authorization", "Bearer …wxyz"),))
    response = ReceivedResponse(200, "OK", (), body, len(body))
    return Exchange(request, started_at, 80.0, response)


@pytest.fixture
def history(tmp_path: Path) -> History:
    opened, message = History.open(tmp_path / "history.sqlite3")
    assert opened is not None and message is None
    return opened


def test_a_delete_is_its_own_record_and_marks_the_sends_it_cleaned(history: History) -> None:
    sends = [add(history, "signup", started_at=T0 + i, visitor="vid") for i in range(3)]
    recorded = record_delete(
        history,
        delete_exchange(),
        profile="Production",
        source="cli",
        cleans=sends[:2],
        secrets=(KEY,),
    )
    assert recorded.marked == tuple(sorted(sends[:2])) and recorded.already == ()
    assert cleaned_marks(history, sends) == {
        sends[0]: recorded.record_id,
        sends[1]: recorded.record_id,
    }
    record = history.get(recorded.record_id)
    assert record is not None and record.method == "DELETE" and record.goal_name is None
    assert KEY not in (record.exchange.response.body if record.exchange.response else "")
    found = {r.id: r for r in sent_records(history, [*sends, recorded.record_id])}
    assert found[sends[0]].cleaned and found[sends[0]].cleaned_by == recorded.record_id
    assert not found[sends[2]].cleaned


def test_a_second_run_marking_the_same_sends_learns_they_were_already_cleaned(
    history: History,
) -> None:
    send = add(history, "signup", visitor="vid")
    first = record_delete(
        history, delete_exchange(), profile="Production", source="cli", cleans=[send]
    )
    second = record_delete(
        history, delete_exchange(0), profile="Production", source="window", cleans=[send]
    )
    assert first.marked == (send,)
    assert second.marked == () and second.already == (send,)
    assert cleaned_marks(history, [send]) == {send: first.record_id}  # the first run's


def test_two_histories_marking_the_same_sends_at_once_mark_each_send_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    setup, _ = History.open(path)
    assert setup is not None
    sends = [add(setup, "signup", started_at=T0 + i, visitor="vid") for i in range(20)]
    setup.close()
    barrier = threading.Barrier(2)
    results = []

    def clean() -> None:
        mine, _ = History.open(path)
        assert mine is not None
        with mine:
            barrier.wait()
            results.append(
                record_delete(mine, delete_exchange(), profile="P", source="cli", cleans=sends)
            )

    threads = [threading.Thread(target=clean) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2
    marked = [i for r in results for i in r.marked]
    assert sorted(marked) == sorted(sends)  # every send marked, and by one run only
    assert sorted(results[0].marked + results[0].already) == sorted(sends)


def test_marks_go_with_the_records_they_belong_to(history: History) -> None:
    sends = [add(history, "signup", started_at=T0 + i, visitor="vid") for i in range(3)]
    record_delete(history, delete_exchange(), profile="P", source="cli", cleans=sends)
    history.delete([sends[0]])
    assert set(cleaned_marks(history, sends)) == {sends[1], sends[2]}
    history.clear()
    assert cleaned_marks(history, sends) == {}


def test_retention_pruning_a_send_drops_its_mark(history: History) -> None:
    sends = [add(history, "signup", started_at=T0 + i, visitor="vid") for i in range(3)]
    record_delete(history, delete_exchange(), profile="P", source="cli", cleans=sends)
    history.set_retention(Retention(keep_last=2))
    history.apply_retention()
    with sqlite3.connect(history.path) as raw:
        count = raw.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    assert count == len(cleaned_marks(history, sends)) == 1  # the newest send is left


def test_a_send_deleted_from_history_meanwhile_is_reported_missing(history: History) -> None:
    send = add(history, "signup")
    history.delete([send])
    recorded = record_delete(history, delete_exchange(), profile="P", source="cli", cleans=[send])
    assert recorded.missing == (send,) and recorded.marked == ()


def test_a_history_no_cleanup_ever_touched_reads_with_no_marks_and_keeps_its_version(
    history: History,
) -> None:
    send = add(history, "signup")
    assert cleaned_marks(history, [send]) == {}
    assert [r.cleaned for r in sent_records(history, [send])] == [False]
    record_delete(history, delete_exchange(), profile="P", source="cli", cleans=[send])
    with sqlite3.connect(history.path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_read_only_history_shows_the_marks(history: History) -> None:
    send = add(history, "signup")
    record_delete(history, delete_exchange(), profile="P", source="cli", cleans=[send])
    history.close()
    reader, message = History.open(history.path, read_only=True)
    assert reader is not None, message
    with reader:
        assert list(cleaned_marks(reader, [send])) == [send]


def test_sends_since_a_time_are_the_profiles_goal_posts_newest_first(history: History) -> None:
    old = add(history, "signup", started_at=T0 - 100)
    mine = [add(history, "signup", started_at=T0 + i) for i in range(2)]
    other_name = add(history, "purchase", started_at=T0 + 5)
    add(history, "signup", started_at=T0 + 6, profile="Staging")
    record_delete(history, delete_exchange(started_at=T0 + 7), profile="Production", source="cli")
    assert [r.id for r in sent_since(history, "Production", T0)] == [other_name, *mine[::-1]]
    assert [r.id for r in sent_since(history, "Production", T0, "signup")] == mine[::-1]
    assert old not in {r.id for r in sent_since(history, "Production", T0)}
