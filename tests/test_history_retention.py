"""How much history to keep: one setting in the history file, applied by the window and the
CLI alike (issue 9 item 5), on real SQLite files and through the real `flowsery-goal`."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from flowsery_gui.history import PRUNE_EVERY, History, Retention
from tests.cli_helpers import Place, cli, closed_port_url
from tests.history_helpers import T0, add, goal_exchange


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir(parents=True)
    return path


def seed(history: History, count: int, start: float = T0) -> None:
    """`count` goals named g0, g1, ... one second apart from `start`."""
    history.append_many(
        [
            (goal_exchange(f"g{n}", started_at=start + n)[0], "Production", "window", None)
            for n in range(count)
        ]
    )


def names(history: History) -> list[str | None]:
    return [row.goal_name for row in history.page(limit=1000)]


def test_a_retention_set_in_one_session_is_read_by_the_next(db: Path) -> None:
    with History(db) as window:
        assert window.retention() == Retention()
        window.set_retention(Retention(keep_last=500, keep_days=30))
    with History(db) as cli_session:
        assert cli_session.retention() == Retention(keep_last=500, keep_days=30)


def test_the_stored_retention_is_applied_when_the_history_is_opened(db: Path) -> None:
    with History(db) as window:
        seed(window, 10)
        window.set_retention(Retention(keep_last=3))
        assert window.count() == 10  # storing the setting deletes nothing by itself
    opened, message = History.open(db)
    assert opened is not None and message is None
    with opened:
        assert names(opened) == ["g9", "g8", "g7"]


def test_each_short_session_that_appends_leaves_exactly_keep_last_records(db: Path) -> None:
    with History(db) as window:
        seed(window, 5)
        window.set_retention(Retention(keep_last=3))
    for number in range(2):
        opened, _ = History.open(db)  # as `flowsery-goal send` does, once per send
        assert opened is not None
        with opened:
            add(opened, f"send_{number}", started_at=T0 + 100 + number)
            assert opened.count() == 3
    with History(db) as after:
        assert names(after) == ["send_1", "send_0", "g4"]


def test_a_long_session_prunes_again_every_prune_every_appends(db: Path) -> None:
    with History(db) as window:
        window.set_retention(Retention(keep_last=5))
        seed(window, 20)  # the first append after opening prunes
        assert window.count() == 5
        seed(window, PRUNE_EVERY - 1, start=T0 + 1000)
        assert window.count() == 5 + PRUNE_EVERY - 1  # between two checks
        add(window, "the_hundredth", started_at=T0 + 5000)
        assert window.count() == 5
        assert names(window)[0] == "the_hundredth"


def test_apply_retention_with_no_arguments_applies_the_stored_setting(db: Path) -> None:
    now = time.time()
    with History(db) as history:
        add(history, "three_days_old", started_at=now - 3 * 86400)
        add(history, "an_hour_old", started_at=now - 3600)
        assert history.apply_retention() == 0  # no setting: keep everything
        history.set_retention(Retention(keep_days=1))
        assert history.apply_retention() == 1
        assert names(history) == ["an_hour_old"]


def test_opening_read_only_never_prunes(db: Path) -> None:
    with History(db) as window:
        seed(window, 5)
        window.set_retention(Retention(keep_last=2))
    opened, _ = History.open(db, read_only=True)
    assert opened is not None
    with opened:
        assert opened.count() == 5 and opened.retention() == Retention(keep_last=2)


def test_the_windows_old_setting_is_adopted_once_and_never_over_a_stored_one(db: Path) -> None:
    with History(db) as history:
        assert history.adopt_window_retention("500", "0") is True  # QSettings gives text
        assert history.retention() == Retention(keep_last=500)
        assert history.adopt_window_retention(10, 10) is False
        assert history.retention() == Retention(keep_last=500)


def test_old_values_that_cannot_be_read_mean_no_limit(db: Path) -> None:
    with History(db) as history:
        seed(history, 3)
        assert history.adopt_window_retention("lots", None) is True
        assert history.retention() == Retention()
        assert history.apply_retention() == 0 and history.count() == 3


@pytest.mark.parametrize(
    ("keep_last", "keep_days"), [(0, None), (-1, None), (None, 0), (1.5, None), (None, "7")]
)
def test_a_limit_that_is_not_a_whole_number_of_at_least_one_is_refused(
    keep_last: object, keep_days: object
) -> None:
    with pytest.raises(ValueError):
        Retention(keep_last, keep_days)  # type: ignore[arg-type]


@pytest.mark.slow
def test_flowsery_goal_send_applies_the_retention_the_window_set(tmp_path: Path) -> None:
    place = Place(tmp_path / "data", tmp_path / "config", tmp_path / "keyring" / "keys.json")
    place.data.mkdir()
    with History(place.data / "history.sqlite3") as window:
        seed(window, 4)
        window.set_retention(Retention(keep_last=2))
    sent = cli(place, "send", "--name", "from_the_cli", "--base-url", closed_port_url(),
               FLOWSERY_API_KEY="flow_sk_retention_test_0a1b2c")  # fmt: skip
    assert sent.returncode == 3, sent.stderr  # no answer: recorded all the same
    listed = cli(place, "history")
    assert listed.returncode == 0, listed.stderr
    cells = [re.split(r" {2,}", line) for line in listed.stdout.splitlines()]  # 2+ spaces apart
    assert [row[2] for row in cells] == ["from_the_cli", "g3"]
