"""TEST ONLY: a keyring backend keeping secrets in a JSON file, for CLI subprocess tests.

A subprocess cannot use `keyring.set_keyring()` from the test, so the CLI tests select this
backend with `PYTHON_KEYRING_BACKEND=tests.file_keyring_for_tests.Keyring` and name its file
with `FLOWSERY_TEST_KEYRING_FILE` (a temp folder apart from the app's data and config
folders). It writes secrets in plain text on purpose, standing in for the OS keyring: it lives
under tests/, is never registered as an entry point, and the app never imports it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

FILE_ENV = "FLOWSERY_TEST_KEYRING_FILE"


class Keyring(KeyringBackend):
    """Secrets in `$FLOWSERY_TEST_KEYRING_FILE` as {service: {username: password}}."""

    priority = 20  # only ever chosen by name, through PYTHON_KEYRING_BACKEND

    @staticmethod
    def _path() -> Path:
        name = os.environ.get(FILE_ENV)
        if not name:
            raise KeyringError(f"the test keyring needs {FILE_ENV}")
        return Path(name)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        path = self._path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        """The stored secret, or None."""
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store or replace a secret."""
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        """Forget a secret; PasswordDeleteError when there is none, as real backends do."""
        data = self._load()
        if data.get(service, {}).pop(username, None) is None:
            raise PasswordDeleteError("Password not found")
        self._save(data)
