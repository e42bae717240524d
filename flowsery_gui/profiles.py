"""Named targets for sending: production, the built-in sandbox, and custom base URLs.

The same profiles serve the window and the CLI. Custom ones live in a small JSON file in the
config folder, written atomically. A profile holds no secret: its key is in the keyring,
under the profile's name.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from flowsery_gui import paths, settings_store

try:
    from flowsery_gui.contract import DEFAULT_BASE_URL
except ImportError:  # pragma: no cover - the contract module ships with the app
    DEFAULT_BASE_URL = "https://analytics.flowsery.com"

ProfileKind = Literal["production", "sandbox", "custom"]
FILE_VERSION = 1
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class Profile:
    """A named target: where requests go. `base_url` "" means the embedded sandbox."""

    name: str
    base_url: str
    kind: ProfileKind

    @property
    def builtin(self) -> bool:
        """True for Production and Sandbox, which cannot be removed."""
        return self.kind != "custom"


PRODUCTION = Profile("Production", DEFAULT_BASE_URL, "production")
SANDBOX = Profile("Sandbox", "", "sandbox")  # resolved at run time to the local sandbox
BUILTINS: tuple[Profile, ...] = (PRODUCTION, SANDBOX)


class ProfileStoreError(Exception):
    """The profiles file could not be written; the message says so in plain words."""


def validate_name(name: str) -> str:
    """The name, trimmed, or ValueError saying what is wrong with it."""
    name = name.strip()
    if not name:
        raise ValueError("A profile needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"A profile name can have at most {MAX_NAME_LENGTH} characters.")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValueError("A profile name cannot contain control characters.")
    return name


def validate_base_url(url: str) -> str:
    """The base URL, trimmed and without a trailing slash, or ValueError saying why not."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"{url!r} is not a valid URL.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("The base URL must start with http:// or https://.")
    if not parts.hostname:
        raise ValueError("The base URL must name a host, as in https://analytics.example.com.")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "The base URL must not contain a user name or password: keys go in the keyring."
        )
    if parts.query or parts.fragment:
        raise ValueError("The base URL cannot have a query (?…) or a fragment (#…).")
    if "/api/" in parts.path.rstrip("/") + "/":
        raise ValueError(
            "Leave the path out (just the server, as in https://staging.example.com): "
            "the app adds /api/v1/goals itself."
        )
    from flowsery_gui.netsafety import is_loopback_host

    if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(
            "Use https:// for a server that is not this computer: the API key is never sent "
            "over plain http:// to another machine."
        )
    return url.rstrip("/")


class ProfileStore:
    """The built-in profiles plus the custom ones kept in the profiles file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.profiles_path()
        self.warning: str | None = None  # set when the file was damaged and moved aside
        self._custom: tuple[Profile, ...] = ()
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
        if stamp is None:
            self._custom = ()
            return
        try:
            data = settings_store.read_json(self.path)
            self._custom = self._parse(data)
        except FileNotFoundError:
            self._custom = ()
        except (OSError, ValueError, RecursionError) as exc:
            self._custom = ()
            self._set_aside(exc)

    def _parse(self, data: Any) -> tuple[Profile, ...]:
        if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
            raise ValueError("the file does not hold a list of profiles")
        found: list[Profile] = []
        skipped: list[str] = []
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
            found.append(profile)
        if skipped:
            self.warning = (
                f"{len(skipped)} saved profile(s) in {self.path} could not be read and were "
                "left out."
            )
        return tuple(found)

    def _set_aside(self, exc: BaseException) -> None:
        try:
            moved = settings_store.move_aside(self.path)
        except OSError:
            self.warning = (
                f"The profiles file {self.path} could not be read ({exc}); only the built-in "
                "profiles are available."
            )
            return
        self._stamp = None
        self.warning = (
            f"The profiles file was damaged and has been moved aside to {moved}; "
            "the built-in profiles are available and custom ones can be added again."
        )

    # -- queries -----------------------------------------------------------------------------

    def list(self) -> list[Profile]:
        """Every profile, built-ins first, then custom ones in the order they were added."""
        self._load()
        return [*BUILTINS, *self._custom]

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
            raise ValueError(f"{name!r} is a built-in profile; choose another name.")
        if any(p.name.casefold() == folded for p in existing):
            raise ValueError(f"A profile named {name!r} already exists.")

    def add(self, name: str, base_url: str) -> Profile:
        """Add a custom profile. ValueError when the name or URL is not acceptable."""
        name = validate_name(name)
        url = validate_base_url(base_url)
        self._load()
        self._check_unique(name, self._custom)
        profile = Profile(name, url, "custom")
        self._save((*self._custom, profile))
        return profile

    def remove(self, name: str) -> Profile:
        """Remove a custom profile and return it. Built-ins cannot be removed."""
        profile = self.get(name)
        if profile is None:
            raise ValueError(f"There is no profile named {name!r}.")
        if profile.builtin:
            raise ValueError(f"{profile.name!r} is built in and cannot be removed.")
        self._save(tuple(p for p in self._custom if p.name != profile.name))
        return profile

    def _save(self, custom: tuple[Profile, ...]) -> None:
        data = {
            "version": FILE_VERSION,
            "profiles": [{"name": p.name, "base_url": p.base_url} for p in custom],
        }
        try:
            settings_store.write_json_atomic(self.path, data)
        except OSError as exc:
            raise ProfileStoreError(
                f"Could not save profiles to {self.path}: {exc.strerror or exc}. "
                "Check that the folder exists and is writable."
            ) from exc
        self._custom = custom
        self._stamp = self._file_stamp()
