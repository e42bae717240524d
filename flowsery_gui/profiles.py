"""The profiles store: named targets for sending (production, the built-in sandbox, and
custom base URLs), read from and written to the profiles file.

The same profiles serve the window and the CLI. Custom ones live in a small JSON file in the
config folder, written atomically. A profile holds no secret: its key is in the keyring,
under the profile's name.

Every profile (the built-in ones too) may carry a test identity: a visitor ID, and
optionally a session ID, filled into goals sent with empty IDs, so that those goals can be
deleted later by visitor ID without touching a real visitor's (`cleanup.identity`). They are
made-up IDs, not secrets, so they live in the same file: custom profiles keep theirs in
their entry, the built-in ones in a `builtins` object keyed by name. Each is written only
when set, so a file without test IDs looks as it always did (and older versions of the app
read a file with them, ignoring them).

What a profile is and the rules its fields follow are in `profile_model`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from flowsery_gui import paths, settings_store
from flowsery_gui.i18n import _, ngettext, sentences
from flowsery_gui.profile_model import (
    BUILTINS,
    Profile,
    validate_base_url,
    validate_name,
    validate_test_id,
)

FILE_VERSION = 1


class ProfileStoreError(Exception):
    """The profiles file could not be written; the message says so in plain words."""


class ProfileStore:
    """The built-in profiles plus the custom ones kept in the profiles file, and every
    profile's test identity."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.profiles_path()
        self.warning: str | None = None  # set when the file was damaged and moved aside
        self._custom: tuple[Profile, ...] = ()
        self._builtin_ids: dict[str, tuple[str, str]] = {}  # built-in name -> (visitor, session)
        self._stamp: tuple[int, int] | None = None
        self._load()

    # -- reading -----------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _load(self) -> None:
        """Read the file again when it changed (another window or the CLI may have edited it)."""
        stamp = self._file_stamp()
        if stamp is not None and stamp == self._stamp:
            return
        self._stamp = stamp
        self._custom, self._builtin_ids = (), {}
        if stamp is None:
            return
        try:
            data = settings_store.read_json(self.path)
            self._custom, self._builtin_ids = self._parse(data)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, RecursionError) as exc:
            self._custom, self._builtin_ids = (), {}
            self._set_aside(exc)

    def _parse(self, data: Any) -> tuple[tuple[Profile, ...], dict[str, tuple[str, str]]]:
        if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
            raise ValueError(_("the file does not hold a list of profiles"))
        found: list[Profile] = []
        skipped: list[str] = []
        unread_ids: list[str] = []  # profiles kept without test IDs that could not be read
        for entry in data["profiles"]:
            try:
                if not isinstance(entry, dict):
                    raise ValueError("not an object")
                name, url = entry.get("name"), entry.get("base_url")
                if not isinstance(name, str) or not isinstance(url, str):
                    raise ValueError("name or base_url missing")
                profile = Profile(validate_name(name), validate_base_url(url), "custom")
                self._check_unique(profile.name, found)
            except ValueError:
                skipped.append(str(entry)[:80])
                continue
            ids = _readable_test_ids(entry, profile.name, unread_ids)
            found.append(replace(profile, test_visitor_id=ids[0], test_session_id=ids[1]))
        builtin_ids: dict[str, tuple[str, str]] = {}
        stored = data.get("builtins")
        for builtin in BUILTINS:
            entry = stored.get(builtin.name) if isinstance(stored, dict) else None
            ids = _readable_test_ids(entry, builtin.name, unread_ids)
            if any(ids):
                builtin_ids[builtin.name] = ids
        notes = []
        if skipped:
            notes.append(
                ngettext(
                    "{count} saved profile in {file} could not be read and was left out.",
                    "{count} saved profiles in {file} could not be read and were left out.",
                    len(skipped),
                    count=len(skipped),
                    file=self.path,
                )
            )
        if unread_ids:
            notes.append(
                _(
                    "The test IDs of {profiles} could not be read and were left out.",
                    profiles=", ".join(unread_ids),
                )
            )
        if notes:
            self.warning = sentences(*notes)
        return tuple(found), builtin_ids

    def _set_aside(self, exc: BaseException) -> None:
        try:
            moved = settings_store.move_aside(self.path)
        except OSError:
            self.warning = _(
                "The profiles file {file} could not be read ({reason}); only the built-in "
                "profiles are available.",
                file=self.path,
                reason=exc,
            )
            return
        self._stamp = None
        self.warning = _(
            "The profiles file was damaged and has been moved aside to {path}; the built-in "
            "profiles are available and custom ones can be added again.",
            path=moved,
        )

    # -- queries -----------------------------------------------------------------------------

    def list(self) -> list[Profile]:
        """Every profile, built-ins first, then custom ones in the order they were added."""
        self._load()
        builtins = [
            replace(p, test_visitor_id=ids[0], test_session_id=ids[1])
            if (ids := self._builtin_ids.get(p.name))
            else p
            for p in BUILTINS
        ]
        return [*builtins, *self._custom]

    def get(self, name: str) -> Profile | None:
        """The profile of that name (exact match first, then ignoring case), or None."""
        profiles = self.list()
        for profile in profiles:
            if profile.name == name:
                return profile
        folded = name.strip().casefold()
        return next((p for p in profiles if p.name.casefold() == folded), None)

    # -- changes -----------------------------------------------------------------------------

    @staticmethod
    def _check_unique(name: str, existing: Sequence[Profile]) -> None:
        folded = name.casefold()
        if any(p.name.casefold() == folded for p in BUILTINS):
            said = _("{name} is a built-in profile; choose another name.", name=repr(name))
            raise ValueError(said)
        if any(p.name.casefold() == folded for p in existing):
            raise ValueError(_("A profile named {name} already exists.", name=repr(name)))

    def add(self, name: str, base_url: str) -> Profile:
        """Add a custom profile. ValueError when the name or URL is not acceptable."""
        name = validate_name(name)
        url = validate_base_url(base_url)
        self._load()
        self._check_unique(name, self._custom)
        profile = Profile(name, url, "custom")
        self._save((*self._custom, profile), self._builtin_ids)
        return profile

    def remove(self, name: str) -> Profile:
        """Remove a custom profile and return it. Built-ins cannot be removed."""
        profile = self.get(name)
        if profile is None:
            raise ValueError(_("There is no profile named {name}.", name=repr(name)))
        if profile.builtin:
            said = _("{name} is built in and cannot be removed.", name=repr(profile.name))
            raise ValueError(said)
        self._save(tuple(p for p in self._custom if p.name != profile.name), self._builtin_ids)
        return profile

    def set_test_identity(self, name: str, visitor_id: str, session_id: str = "") -> Profile:
        """Give a profile (built-in or custom) this test identity; "" for both clears it.
        Returns the profile as now stored. ValueError for an unknown profile, a bad ID, or a
        session ID without a visitor ID (a cleanup deletes by visitor ID)."""
        visitor = validate_test_id(visitor_id, "test visitor ID")
        session = validate_test_id(session_id, "test session ID")
        if session and not visitor:
            raise ValueError(
                _(
                    "Give a test visitor ID with the test session ID: cleanups delete test "
                    "goals by visitor ID."
                )
            )
        profile = self.get(name)
        if profile is None:
            raise ValueError(_("There is no profile named {name}.", name=repr(name)))
        changed = replace(profile, test_visitor_id=visitor, test_session_id=session)
        builtin_ids = dict(self._builtin_ids)
        custom = self._custom
        if profile.builtin:
            builtin_ids.pop(profile.name, None)
            if visitor:
                builtin_ids[profile.name] = (visitor, session)
        else:
            custom = tuple(changed if p.name == profile.name else p for p in custom)
        self._save(custom, builtin_ids)
        return changed

    def _save(self, custom: tuple[Profile, ...], builtin_ids: dict[str, tuple[str, str]]) -> None:
        data: dict[str, Any] = {
            "version": FILE_VERSION,
            "profiles": [
                {
                    "name": p.name,
                    "base_url": p.base_url,
                    **_ids_entry(p.test_visitor_id, p.test_session_id),
                }
                for p in custom
            ],
        }
        if builtin_ids:
            data["builtins"] = {name: _ids_entry(*ids) for name, ids in builtin_ids.items()}
        try:
            settings_store.write_json_atomic(self.path, data)
        except OSError as exc:
            raise ProfileStoreError(
                _(
                    "Could not save profiles to {file}: {reason}. Check that the folder exists "
                    "and is writable.",
                    file=self.path,
                    reason=exc.strerror or exc,
                )
            ) from exc
        self._custom, self._builtin_ids = custom, dict(builtin_ids)
        self._stamp = self._file_stamp()


def _readable_test_ids(entry: Any, name: str, unread: list[str]) -> tuple[str, str]:
    """The test IDs of an entry of the file, or none (its name added to `unread`) when they
    cannot be used: a profile is kept without them rather than lost."""
    if not isinstance(entry, dict):
        return "", ""
    try:
        return _test_ids_of(entry)
    except ValueError:
        unread.append(name)
        return "", ""


def _test_ids_of(entry: dict[str, Any]) -> tuple[str, str]:
    """The (visitor, session) test IDs an entry of the file holds; ValueError when unusable."""
    ids = []
    for field, what in (
        ("test_visitor_id", "test visitor ID"),
        ("test_session_id", "test session ID"),
    ):
        value = entry.get(field, "")
        if not isinstance(value, str):
            raise ValueError(f"the {what} is not text")
        ids.append(validate_test_id(value, what))
    if ids[1] and not ids[0]:
        raise ValueError("a test session ID without a test visitor ID")
    return ids[0], ids[1]


def _ids_entry(visitor: str, session: str) -> dict[str, str]:
    """Test IDs as the file keeps them: only those that are set."""
    pairs = (("test_visitor_id", visitor), ("test_session_id", session))
    return {field: value for field, value in pairs if value}
