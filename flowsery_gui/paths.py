"""Where the app keeps its files: one place that knows the data and config folders.

Paths come from platformdirs; environment variables override them for tests and portable
use. Nothing here creates a folder: the code that writes a file does that and reports
trouble in its own words.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "flowsery-goal-tester"
DATA_DIR_ENV = "FLOWSERY_GUI_DATA_DIR"
CONFIG_DIR_ENV = "FLOWSERY_GUI_CONFIG_DIR"
HISTORY_FILE_NAME = "history.sqlite3"
PROFILES_FILE_NAME = "profiles.json"


def _override(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The folder for the history database (`FLOWSERY_GUI_DATA_DIR` wins when set)."""
    override = _override(DATA_DIR_ENV)
    if override is not None:
        return override
    import platformdirs  # on first use: keeps start-up light

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder for settings such as profiles (`FLOWSERY_GUI_CONFIG_DIR` wins when set)."""
    override = _override(CONFIG_DIR_ENV)
    if override is not None:
        return override
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))


def history_path() -> Path:
    """The SQLite history database file."""
    return data_dir() / HISTORY_FILE_NAME


def profiles_path() -> Path:
    """The JSON file holding the custom profiles (never any secret)."""
    return config_dir() / PROFILES_FILE_NAME
