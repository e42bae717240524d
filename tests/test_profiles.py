"""Named profiles in a real JSON file, and the data/config paths they live under."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from flowsery_gui import paths
from flowsery_gui.contract import DEFAULT_BASE_URL
from flowsery_gui.profiles import Profile, ProfileStore, ProfileStoreError


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "profiles.json"


def test_builtins_are_production_and_the_embedded_sandbox(store_path: Path) -> None:
    profiles = ProfileStore(store_path).list()
    assert profiles == [
        Profile("Production", DEFAULT_BASE_URL, "production"),
        Profile("Sandbox", "", "sandbox"),
    ]
    assert not store_path.exists()  # nothing written until something is added


def test_added_profile_is_kept_in_the_file_and_seen_by_a_new_store(store_path: Path) -> None:
    added = ProfileStore(store_path).add("Staging", " https://staging.example.com/ ")
    assert added == Profile("Staging", "https://staging.example.com", "custom")
    again = ProfileStore(store_path)
    assert again.get("Staging") == added
    assert again.get("staging") == added  # case does not matter when looking up
    data = json.loads(store_path.read_text(encoding="utf-8"))
    assert data == {
        "version": 1,
        "profiles": [{"name": "Staging", "base_url": "https://staging.example.com"}],
    }
    assert sorted(p.name for p in store_path.parent.iterdir()) == ["profiles.json"]  # no temp


def test_profile_added_by_another_instance_is_seen_without_restart(store_path: Path) -> None:
    window = ProfileStore(store_path)
    ProfileStore(store_path).add("From CLI", "http://127.0.0.1:8080")
    window.add("From window", "https://w.example.com")
    assert [p.name for p in ProfileStore(store_path).list()][2:] == ["From CLI", "From window"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.com", "http:// or https://"),
        ("example.com", "http:// or https://"),
        ("https://", "name a host"),
        ("https://user:secret@example.com", "user name or password"),
        ("https://example.com/?key=1", "query"),
        ("https://example.com/#top", "fragment"),
        ("https://example.com:port", "not a valid URL"),
    ],
)
def test_base_url_must_be_http_or_https_with_a_host(store_path: Path, url: str, words: str) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        ProfileStore(store_path).add("Custom", url)
    assert words in str(caught.value)
    assert not store_path.exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("production", "built-in"),
        ("SANDBOX", "built-in"),
        ("x" * 65, "at most 64"),
        ("tab\there", "control characters"),
    ],
)
def test_bad_or_reserved_names_are_refused(store_path: Path, name: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        ProfileStore(store_path).add(name, "https://example.com")
    assert words in str(caught.value)


def test_names_are_unique_ignoring_case(store_path: Path) -> None:
    store = ProfileStore(store_path)
    store.add("Staging", "https://a.example.com")
    with pytest.raises(ValueError, match="already exists"):
        store.add("STAGING", "https://b.example.com")


def test_custom_profile_can_be_removed_but_builtins_cannot(store_path: Path) -> None:
    store = ProfileStore(store_path)
    store.add("Staging", "https://a.example.com")
    assert store.remove("staging").name == "Staging"
    assert ProfileStore(store_path).get("Staging") is None
    with pytest.raises(ValueError, match="built in"):
        store.remove("Production")
    with pytest.raises(ValueError, match="no profile named"):
        store.remove("Nope")


def test_damaged_file_is_moved_aside_and_builtins_remain(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text("{ not json", encoding="utf-8")
    store = ProfileStore(store_path)
    assert [p.name for p in store.list()] == ["Production", "Sandbox"]
    assert store.warning is not None and "moved aside" in store.warning
    aside = [p for p in store_path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{ not json"
    store.add("Staging", "https://a.example.com")  # and work goes on
    assert ProfileStore(store_path).get("Staging") is not None


def test_file_of_the_wrong_shape_counts_as_damaged(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text('["a list"]', encoding="utf-8")
    store = ProfileStore(store_path)
    assert store.warning is not None and "moved aside" in store.warning
    assert not store_path.exists()


def test_unreadable_entries_are_left_out_with_a_warning(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    entries = [
        {"name": "Good", "base_url": "https://good.example.com"},
        {"name": "Bad", "base_url": "gopher://x"},
        {"name": "Production", "base_url": "https://evil.example.com"},
        "junk",
    ]
    store_path.write_text(json.dumps({"version": 1, "profiles": entries}), encoding="utf-8")
    store = ProfileStore(store_path)
    assert [p.name for p in store.list()] == ["Production", "Sandbox", "Good"]
    assert store.get("Production") == Profile("Production", DEFAULT_BASE_URL, "production")
    assert store.warning is not None and "3 saved profiles" in store.warning


def test_folder_that_cannot_be_created_gives_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    store = ProfileStore(blocker / "profiles.json")
    with pytest.raises(ProfileStoreError, match="Could not save profiles"):
        store.add("Staging", "https://a.example.com")
    assert [p.name for p in store.list()] == ["Production", "Sandbox"]


def test_profiles_file_never_holds_a_key(store_path: Path) -> None:
    store = ProfileStore(store_path)
    store.add("Staging", "https://a.example.com")
    text = store_path.read_text(encoding="utf-8")
    assert "flow_" not in text and "key" not in text.lower()


# -- paths ----------------------------------------------------------------------------------


def test_environment_overrides_the_data_and_config_folders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(paths.CONFIG_DIR_ENV, str(tmp_path / "config"))
    assert paths.history_path() == tmp_path / "data" / "history.sqlite3"
    assert paths.profiles_path() == tmp_path / "config" / "profiles.json"
    assert ProfileStore().path == tmp_path / "config" / "profiles.json"


def test_without_overrides_the_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv(paths.CONFIG_DIR_ENV, "")
    assert paths.data_dir().name == "flowsery-goal-tester"
    assert paths.config_dir().name == "flowsery-goal-tester"
    assert paths.data_dir() != paths.config_dir() or os.name == "nt"


# -- test identity --------------------------------------------------------------------------


def test_production_and_custom_profiles_keep_a_test_identity_in_the_file(
    store_path: Path,
) -> None:
    store = ProfileStore(store_path)
    store.add("Staging", "https://staging.example.com")
    store.set_test_identity("production", "vid-prod-1", "sid-prod-1")
    store.set_test_identity("Staging", "vid-staging")
    again = ProfileStore(store_path)
    production = again.get("Production")
    assert production is not None and production.kind == "production"
    assert (production.test_visitor_id, production.test_session_id) == ("vid-prod-1", "sid-prod-1")
    assert again.get("Staging") == Profile(
        "Staging", "https://staging.example.com", "custom", "vid-staging"
    )
    data = json.loads(store_path.read_text(encoding="utf-8"))
    assert data["builtins"] == {
        "Production": {"test_visitor_id": "vid-prod-1", "test_session_id": "sid-prod-1"}
    }
    assert data["profiles"][0]["test_visitor_id"] == "vid-staging"
    assert "key" not in store_path.read_text(encoding="utf-8").lower()


def test_adding_a_profile_keeps_the_test_identities_already_set(store_path: Path) -> None:
    store = ProfileStore(store_path)
    store.set_test_identity("Production", "vid-prod")
    ProfileStore(store_path).add("Staging", "https://staging.example.com")
    store.add("Other", "https://other.example.com")  # this store saw the file change
    production = ProfileStore(store_path).get("Production")
    assert production is not None and production.test_visitor_id == "vid-prod"


def test_clearing_the_test_identity_leaves_the_file_as_before(store_path: Path) -> None:
    store = ProfileStore(store_path)
    store.add("Staging", "https://staging.example.com")
    store.set_test_identity("Production", "vid")
    store.set_test_identity("Staging", "vid2", "sid2")
    store.set_test_identity("Production", "")
    cleared = store.set_test_identity("Staging", "", "")
    assert not cleared.has_test_identity
    assert json.loads(store_path.read_text(encoding="utf-8")) == {
        "version": 1,
        "profiles": [{"name": "Staging", "base_url": "https://staging.example.com"}],
    }


@pytest.mark.parametrize(
    ("visitor", "session", "words"),
    [
        ("has space", "", "cookie's value alone"),
        ("_fs_vid=abc", "", "cookie's value alone"),
        ("a;b", "", "cookie's value alone"),
        ("é", "", "cookie's value alone"),
        ("x" * 129, "", "at most 128"),
        ("", "sid", "with the test session ID"),
    ],
)
def test_a_test_id_that_is_not_a_cookie_value_is_refused(
    store_path: Path, visitor: str, session: str, words: str
) -> None:
    with pytest.raises(ValueError) as caught:
        ProfileStore(store_path).set_test_identity("Production", visitor, session)
    assert words in str(caught.value)
    assert not store_path.exists()


def test_a_test_identity_for_an_unknown_profile_is_refused(store_path: Path) -> None:
    with pytest.raises(ValueError, match="no profile named"):
        ProfileStore(store_path).set_test_identity("Nope", "vid")


def test_an_unreadable_test_id_in_the_file_is_dropped_but_the_profile_kept(
    store_path: Path,
) -> None:
    store_path.parent.mkdir(parents=True)
    data = {
        "version": 1,
        "profiles": [
            {"name": "Staging", "base_url": "https://s.example.com", "test_visitor_id": 42}
        ],
        "builtins": {"Production": {"test_visitor_id": "a b"}, "Sandbox": "junk"},
    }
    store_path.write_text(json.dumps(data), encoding="utf-8")
    store = ProfileStore(store_path)
    assert [(p.name, p.test_visitor_id) for p in store.list()] == [
        ("Production", ""),
        ("Sandbox", ""),
        ("Staging", ""),
    ]
    assert store.warning is not None and "Staging, Production" in store.warning
