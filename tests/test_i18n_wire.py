"""What goes on the wire stays English; what a person reads is in their language.

The contract's findings are also the sandbox's answers. The window runs the sandbox in its
own process, so a German window must still get English 400 answers (as from the real API),
while the same finding shown by the window or the CLI is German.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from flowsery_gui import contract, i18n
from tests.i18n_tools import python_in
from tests.sandbox_helpers import TEST_KEY, running_sandbox

BAD_GOAL = b'{"name": "Newsletter Signup", "metadata": {"plan": 1}}'
ENGLISH = "name: Goal names use only lowercase letters a-z, digits 0-9"
GERMAN = "Zielnamen bestehen nur aus Kleinbuchstaben a-z, Ziffern 0-9"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def post(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url + contract.GOALS_PATH,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {TEST_KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_sandbox_in_a_german_process_answers_in_english_while_the_same_finding_reads_german() -> (
    None
):
    i18n.set_language("de")
    with running_sandbox() as sandbox:
        status, answer = post(sandbox.url, BAD_GOAL)
        with urllib.request.urlopen(sandbox.url + "/sandbox/requests", timeout=10) as stored:
            records = json.loads(stored.read())
    assert status == 400
    assert answer["error"]["message"].startswith(ENGLISH)
    assert "Metadata values must be text, not a number." in answer["error"]["message"]
    recorded = [f["message"] for r in records["requests"] for f in r["verdict"]["findings"]]
    assert any(message.startswith("Goal names use only") for message in recorded)
    # The same body, checked here for the window: German.
    shown = contract.check_body(json.loads(BAD_GOAL)).findings[0].message
    assert shown.startswith(GERMAN)


def test_a_body_that_is_not_json_is_refused_in_english_by_a_german_sandbox() -> None:
    i18n.set_language("de")
    with running_sandbox() as sandbox:
        status, answer = post(sandbox.url, b'{"name": ')
    assert status == 400
    assert "This is not valid JSON" in answer["error"]["message"]


def test_the_cli_shows_the_finding_in_german_under_a_german_locale() -> None:
    environment = {"LANGUAGE": "", "LANG": "de_DE.UTF-8"}
    result = python_in(environment, "-m", "flowsery_gui.cli", "validate", stdin=BAD_GOAL.decode())
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"error name: {GERMAN}")  # path and severity word untouched
    assert '[fix: "newsletter_signup"]' in lines[0]
    german = "Metadaten-Werte müssen Text sein; angegeben ist eine Zahl."
    assert lines[1] == f'error metadata.plan: {german} [fix: "1"]'
