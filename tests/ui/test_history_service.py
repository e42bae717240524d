"""The history service on its own: a real SQLite file, a task runner that runs inline, and
one signal for every change."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from flowsery_gui import paths
from flowsery_gui.exchange import Exchange, ReceivedResponse, SentRequest
from tests.ui.fakes import InlineTaskRunner
from tests.ui.services import Services, make_services

KEY = "flow_sk_test_never_written_0123456789"


def exchange(name: str, started: float | None = None) -> Exchange:
    body = f'{{"name": "{name}"}}'
    return Exchange(
        request=SentRequest(
            "POST",
            "http://127.0.0.1:9/api/v1/goals",
            (("Authorization", f"Bearer {KEY}"), ("Content-Type", "application/json")),
            body,
        ),
        started_at=time.time() if started is None else started,
        elapsed_ms=12.0,
        response=ReceivedResponse(200, "OK", (), '{"status": "success"}', 21),
    )


def counts_of(services: Services) -> list[int]:
    seen: list[int] = []
    services.history.changed.connect(seen.append)
    return seen


def test_every_change_ends_in_one_signal_with_the_count(services: Services) -> None:
    history = services.history
    seen = counts_of(services)
    history.open_soon()
    assert history.available and seen == [0]
    history.record(exchange("first"), "Sandbox", {"name": "first"}, KEY)
    history.record(exchange("second"), "Sandbox", {"name": "second"}, KEY)
    assert seen == [0, 1, 2] and history.count == 2
    store = history.store
    assert store is not None
    history.delete([store.page()[0].id])
    assert seen[-1] == 1
    history.clear()
    assert seen[-1] == 0


def test_the_key_a_send_went_with_is_never_written(services: Services, tmp_path: Path) -> None:
    services.history.record(exchange("secret"), "Sandbox", {"name": "secret"}, KEY)
    services.history.close()
    written = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert written
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path.name


def test_retention_lives_in_the_history_file_and_is_applied_when_set(services: Services) -> None:
    from flowsery_gui.history import Retention

    history = services.history
    history.open_soon()
    for age_days in (40, 20, 0):
        history.record(
            exchange(f"aged_{age_days}", time.time() - age_days * 86400), "S", None, None
        )
    read: list[tuple[int, int]] = []
    history.read_retention(lambda last, days: read.append((last, days)))
    assert read == [(0, 0)]
    removed: list[int] = []
    history.set_retention(0, 30, then=removed.append)
    assert removed == [1] and history.count == 2
    store = history.store
    assert store is not None and store.retention() == Retention(None, 30)  # shared with the CLI
    assert history.retention() == (0, 30)  # what the window knows of it, without a disk read
    history.read_retention(lambda last, days: read.append((last, days)))
    assert read[-1] == (0, 30)
    assert not services.settings.contains("history/keep_days")  # nothing in the settings


def test_the_windows_old_retention_settings_are_handed_over_once_and_removed(
    services: Services,
) -> None:
    from flowsery_gui.history import Retention

    services.settings.setValue("history/keep_last", "2")
    services.settings.setValue("history/keep_days", 0)
    history = services.history
    history.open_soon()
    store = history.store
    assert store is not None and store.retention() == Retention(2, None)
    assert not services.settings.contains("history/keep_last")
    assert not services.settings.contains("history/keep_days")
    history.open_soon()  # once: nothing left to hand over, nothing changed
    assert store.retention() == Retention(2, None)


def test_nothing_is_pruned_while_retention_is_unset(services: Services) -> None:
    history = services.history
    history.open_soon()
    history.record(exchange("kept", time.time() - 400 * 86400), "S", None, None)
    assert history.count == 1


def test_a_failed_write_is_said_with_its_exchange_and_the_count_is_read_again(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowsery_gui.history import History, recovery
    from tests.history_helpers import break_pages, goal_exchange

    monkeypatch.setattr(recovery, "CHECK_MAX_BYTES", 1024)  # "large": not checked at open
    path = paths.history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with History(path) as made:  # a history of some size, written by an earlier run
        bulky = [goal_exchange(f"old_{n}", metadata={"text": "x" * 200})[0] for n in range(200)]
        made.append_many([(old, "S", "window", None) for old in bulky])
    history = services.history
    history.open_soon()
    failures: list[tuple[Exchange, str]] = []
    history.write_failed.connect(lambda ex, text: failures.append((ex, text)))
    counts = counts_of(services)
    break_pages(path)  # the disk goes bad under the running window
    lost = exchange("lost")
    history.record(lost, "Sandbox", {"name": "lost"}, KEY)
    assert [(ex, text.split(":")[0]) for ex, text in failures] == [
        (lost, "Could not save this request to history")
    ]
    assert "damaged" in failures[0][1] and history.write_error == failures[0][1]
    assert counts  # the views were told again: the count is not left as it was
    history.record(exchange("after"), "Sandbox", None, None)
    assert len(failures) == 2  # every failed write, not only the first


def _damaged_large_history(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowsery_gui.history import History, recovery
    from tests.history_helpers import break_pages

    path = paths.history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with History(path) as history:
        history.append_many(
            [(exchange(f"g{n}", time.time() - n), "S", "window", None) for n in range(300)]
        )
    break_pages(path, first_page=30)  # the data, not the schema: opening still works
    monkeypatch.setattr(recovery, "CHECK_MAX_BYTES", 1024)  # too large to check at open


def test_a_large_damaged_history_is_found_in_the_background_and_the_person_told(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowsery_gui.ui.history_service import DAMAGED_NOTICE

    _damaged_large_history(monkeypatch)
    notices: list[str] = []
    services.history.notice.connect(notices.append)
    services.history.open_soon()
    assert services.history.available
    assert notices[-1] == DAMAGED_NOTICE  # (after the count's own trouble, when it met any)


def test_a_sound_large_history_is_checked_once_and_nothing_said(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowsery_gui.history import History, recovery

    path = paths.history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with History(path) as made:
        made.append_many([(exchange(f"g{n}"), "S", "window", None) for n in range(300)])
    checked: list[bool] = []
    real_verify = History.verify

    def verify(self: History) -> bool:
        checked.append(real_verify(self))
        return checked[-1]

    monkeypatch.setattr(History, "verify", verify)
    monkeypatch.setattr(recovery, "CHECK_MAX_BYTES", 1024)
    notices: list[str] = []
    services.history.notice.connect(notices.append)
    services.history.open_soon()
    assert checked == [True] and notices == []


def test_a_data_folder_that_cannot_be_written_turns_history_off_and_says_so(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(blocker / "data"))
    services = make_services(tmp_path, InlineTaskRunner())
    try:
        seen = counts_of(services)
        notices: list[str] = []
        services.history.notice.connect(notices.append)
        failures: list[str] = []
        services.history.write_failed.connect(lambda _ex, text: failures.append(text))
        services.history.open_soon()
        assert not services.history.available and seen == [0]
        assert notices and "History is off" in notices[0]
        services.history.record(exchange("lost"), "Sandbox", None, None)  # no error raised
        assert set(seen) == {0}
        assert len(failures) == 1 and failures[0].startswith("History is off")  # but said
    finally:
        services.stop()
