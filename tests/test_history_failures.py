"""A history in trouble: damaged, read-only or unusable files, on real SQLite files.

Every failure to write is a HistoryError with a kind and plain words (never an sqlite3
error, never swallowed), so the window and the CLI can always show it (issue 10 item 17).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowsery_gui.history import Check, Filters, History, HistoryError
from flowsery_gui.history import recovery as recovery_module
from tests.history_helpers import T0, add, break_pages, goal_exchange


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def fill(db: Path, records: int = 200) -> None:
    """A history of `records` goals with some bulk, so its data spans many pages."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with History(db) as history:
        history.append_many(
            [
                (goal_exchange(f"g{n}", started_at=T0 + n, metadata={"text": "x" * 200})[0],
                 "Production", "window", None)
                for n in range(records)
            ]
        )  # fmt: skip


def the_next_open_sets_it_aside(db: Path, check: Check = "auto") -> bool:
    """Open as the app does; True when the file was moved aside and a fresh one started."""
    opened, message = History.open(db, check=check)
    assert opened is not None
    opened.close()
    return message is not None and "moved aside" in message


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """Make `path` read-only for this user, even root (with chattr +i), then undo it."""
    path.chmod(0o444)
    immutable = False
    try:
        if os.access(path, os.W_OK):  # root: permission bits do not stop it
            chattr = shutil.which("chattr")
            if chattr is None or subprocess.run([chattr, "+i", str(path)]).returncode != 0:
                pytest.skip("cannot make a file read-only for this user here")
            immutable = True
        yield
    finally:
        if immutable:
            subprocess.run([str(shutil.which("chattr")), "-i", str(path)], check=True)
        path.chmod(0o644)


# -- damaged files --------------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_one_started(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not an SQLite database at all" * 100)
    opened, message = History.open(db)
    assert opened is not None
    try:
        assert message is not None and "moved aside" in message and "new history" in message
        aside = [p for p in db.parent.iterdir() if ".corrupt-" in p.name]
        assert len(aside) == 1 and str(aside[0]) in message
        assert aside[0].read_bytes().startswith(b"this is not")
        add(opened)
        assert opened.count() == 1
    finally:
        opened.close()


def test_a_damaged_database_fails_its_check_and_is_moved_aside(db: Path) -> None:
    fill(db, 40)
    break_pages(db)
    assert the_next_open_sets_it_aside(db)


def test_damage_met_while_running_gets_the_full_check_at_next_start(db: Path) -> None:
    fill(db)
    break_pages(db, first_page=30)  # the data, not the schema: opening still works
    unchecked = History(db, check="none")
    with pytest.raises(HistoryError) as caught:
        unchecked.iter_records(filters=Filters()).__next__()
    unchecked.close()
    assert caught.value.kind == "damaged" and "damaged" in caught.value.message
    assert the_next_open_sets_it_aside(db, "none")  # the marker asks for the check anyway


def test_a_failed_verify_sets_the_file_aside_at_next_start(db: Path) -> None:
    fill(db)
    break_pages(db, first_page=30)
    with History(db, check="none") as unchecked:
        assert unchecked.verify() is False
    assert the_next_open_sets_it_aside(db, "none")


def test_a_folder_that_cannot_be_written_turns_history_off(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root: permission bits do not stop it, a file does
            blocker = tmp_path / "not-a-folder"
            blocker.write_text("", encoding="utf-8")
            db = blocker / "data" / "history.sqlite3"
        else:
            db = folder / "history.sqlite3"
        opened, message = History.open(db)
    finally:
        folder.chmod(0o700)
    assert opened is None
    assert message == (
        f"History is off: the data folder {db.parent} is not writable. Sending still works."
    )


def test_a_file_damaged_after_open_fails_the_next_append_loudly_and_is_set_aside_next_time(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(db)
    monkeypatch.setattr(recovery_module, "CHECK_MAX_BYTES", 1024)  # "large": no check at open
    history, message = History.open(db)
    assert history is not None and message is None
    try:
        break_pages(db, first_page=1)  # the disk goes bad under the running app
        with pytest.raises(HistoryError) as caught:
            add(history, "after_the_damage", started_at=T0 + 1000)
    finally:
        history.close()
    assert caught.value.kind == "damaged"
    assert caught.value.message.startswith(
        "Could not save this request to history: the history file is damaged"
    )
    assert "malformed" not in caught.value.message and "sqlite" not in caught.value.message
    reopened, message = History.open(db)
    assert reopened is not None
    with reopened:
        assert message is not None and "moved aside" in message
        add(reopened, "in_the_fresh_history")
        assert [r.goal_name for r in reopened.page()] == ["in_the_fresh_history"]


def test_a_large_file_is_not_checked_at_open_but_verify_finds_the_damage(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(db)
    break_pages(db, first_page=30)  # the data, not the schema: opening still works
    monkeypatch.setattr(recovery_module, "CHECK_MAX_BYTES", 1024)
    history, message = History.open(db)
    assert history is not None and message is None  # too big to check while the user waits
    with history:
        assert history.verify() is False  # what the window runs in the background
    assert the_next_open_sets_it_aside(db)


def test_a_sound_history_passes_verify_and_is_left_alone(db: Path) -> None:
    fill(db, 20)
    with History(db, check="none") as history:
        assert history.verify() is True
    assert not recovery_module.check_marker(db).exists()
    assert [p.name for p in db.parent.iterdir() if ".corrupt-" in p.name] == []


def test_the_constructor_raises_a_history_error_never_an_sqlite_error(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database, not even close" * 200)
    with pytest.raises(HistoryError) as caught:
        History(db)
    assert caught.value.kind == "damaged"
    assert caught.value.message.startswith("Could not open the history: ")


# -- read-only files ------------------------------------------------------------------------------


def test_a_read_only_history_file_turns_history_off_naming_the_file_not_the_folder(
    db: Path,
) -> None:
    fill(db, 3)
    with read_only_file(db):
        opened, message = History.open(db)
        with pytest.raises(HistoryError) as caught:
            History(db)
    assert opened is None
    assert message == f"History is off: the history file {db} is read-only. Sending still works."
    assert caught.value.kind == "readonly"


def test_a_read_only_history_file_can_still_be_read_when_opened_read_only(db: Path) -> None:
    fill(db, 3)
    before = db.read_bytes()
    with read_only_file(db):
        opened, message = History.open(db, read_only=True)
        assert opened is not None and message is None
        with opened:
            assert [r.goal_name for r in opened.page()] == ["g2", "g1", "g0"]
            assert opened.count(Filters(text="g1")) == 1
            with pytest.raises(HistoryError) as caught:
                add(opened, "refused")
    assert caught.value.kind == "readonly" and "read-only" in caught.value.message
    assert db.read_bytes() == before


def test_a_damaged_file_opened_read_only_is_reported_and_left_where_it_is(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database" * 300)
    opened, message = History.open(db, read_only=True)
    assert opened is None and message is not None
    assert message.startswith("History could not be read: the history file is damaged")
    assert db.read_bytes() == b"not a database" * 300
    assert [p.name for p in db.parent.iterdir() if ".corrupt-" in p.name] == []
    assert the_next_open_sets_it_aside(db)


def test_opening_a_missing_history_read_only_creates_nothing(db: Path) -> None:
    opened, message = History.open(db, read_only=True)
    assert opened is None and message is not None
    assert message == f"History could not be read: there is no history at {db} yet."
    assert not db.parent.exists()


# -- what cannot be stored ------------------------------------------------------------------------


def test_a_goal_too_long_to_store_fails_with_a_plain_data_error_and_writes_nothing(
    db: Path,
) -> None:
    db.parent.mkdir(parents=True)
    with History(db) as history:
        exchange, goal = goal_exchange("huge_number")
        goal["metadata"] = {"n": 10**5000}  # past Python's int-to-text limit
        with pytest.raises(HistoryError) as caught:
            history.append(exchange, profile="Production", source="window", goal=goal)
        assert history.count() == 0
        add(history, "next_one")  # the history goes on working
        assert history.count() == 1
    assert caught.value.kind == "data"
    assert caught.value.message.startswith("Could not save this request to history: ")
    assert "4300" not in caught.value.message


def test_appending_to_a_closed_history_says_so_in_plain_words(db: Path) -> None:
    db.parent.mkdir(parents=True)
    history = History(db)
    history.close()
    with pytest.raises(HistoryError) as caught:
        add(history)
    assert caught.value.kind == "closed"
    assert caught.value.message == (
        "Could not save this request to history: the history was already closed."
    )
