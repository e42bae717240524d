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


def test_retention_is_remembered_and_applied(services: Services) -> None:
    history = services.history
    history.open()
    for age_days in (40, 20, 0):
        history.record(
            exchange(f"aged_{age_days}", time.time() - age_days * 86400), "S", None, None
        )
    assert history.retention() == (0, 0)
    history.set_retention(keep_last=0, keep_days=30)
    assert history.retention() == (0, 30)
    removed: list[int] = []
    history.apply_retention(then=removed.append)
    assert removed == [1] and history.count == 2


def test_nothing_is_pruned_while_retention_is_unset(services: Services) -> None:
    history = services.history
    history.open()
    history.record(exchange("kept", time.time() - 400 * 86400), "S", None, None)
    called: list[int] = []
    history.apply_retention(then=called.append)
    assert called == [] and history.count == 1


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
        services.history.open_soon()
        assert not services.history.available and seen == [0]
        assert notices and "History is off" in notices[0]
        services.history.record(exchange("lost"), "Sandbox", None, None)  # no error, no count
        assert seen == [0]
    finally:
        services.stop()
