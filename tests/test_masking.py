"""Masking sees a key through JSON escapes and percent-encoding, in any text."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowsery_gui.client import GoalsClient
from flowsery_gui.masking import mask_authorization, mask_key, scrub, scrub_value
from tests.test_client import Recorder, answer

KEY = "flow_sk_fake_8f3a2b7c9d1e0f45"
MASKED = mask_key(KEY)


def spell(key: str, choices: list[int], upper: list[bool]) -> str:
    """The key with each character as typed (0), \\uXXXX (1), %XX (2) or \\\\uXXXX (3)."""
    out = []
    for index, char in enumerate(key):
        choice, big = choices[index % len(choices)], upper[index % len(upper)]
        code = f"{ord(char):04x}"
        if big:
            code = code.upper()
        if choice == 1:
            out.append("\\u" + code)
        elif choice == 2:
            out.append("%" + code[2:])
        elif choice == 3:
            out.append("\\\\u" + code)
        else:
            out.append(char)
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(
    choices=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=30),
    upper=st.lists(st.booleans(), min_size=1, max_size=5),
    before=st.text(max_size=30),
    after=st.text(max_size=30),
)
def test_any_mix_of_escapes_is_masked(
    choices: list[int], upper: list[bool], before: str, after: str
) -> None:
    spelled = spell(KEY, choices, upper)
    scrubbed = scrub(before + spelled + after, [KEY])
    assert spelled not in scrubbed or spelled == MASKED
    assert MASKED in scrubbed
    assert json.loads(json.dumps(scrubbed)).find(KEY) == -1


@pytest.mark.parametrize(
    "spelled",
    [
        "flow\\u005fsk\\u005ffake\\u005f8f3a2b7c9d1e0f45",
        "flow\\u005Fsk\\u005Ffake\\u005F8f3a2b7c9d1e0f45",
        quote(KEY, safe=""),
        "flow%5fsk%5Ffake%5F8f3a2b7c9d1e0f45",
        "flow%255Fsk_fake_8f3a2b7c9d1e0f45",
        "".join(f"\\u{ord(c):04x}" for c in KEY),
    ],
)
def test_known_spellings_of_an_echoed_key_are_masked(spelled: str) -> None:
    assert scrub(f'{{"echo":"{spelled}"}}', [KEY]) == f'{{"echo":"{MASKED}"}}'


def test_ordinary_text_and_short_secrets_are_left_alone() -> None:
    text = "flow_sk_live is a prefix; 100% sure \\u0041"
    assert scrub(text, [KEY, "abc", None, ""]) == text


def test_nested_values_are_scrubbed_keys_included() -> None:
    value = {"a": [f"x{KEY}", {KEY: "flow\\u005f" + KEY[5:]}], "n": 3}
    assert scrub_value(value, [KEY]) == {"a": [f"x{MASKED}", {MASKED: MASKED}], "n": 3}


def test_authorization_is_masked_to_the_last_four() -> None:
    assert mask_authorization(f"Bearer {KEY}") == "Bearer …0f45"


def test_a_server_echoing_the_key_json_escaped_gets_it_masked_in_the_exchange() -> None:
    echoed = "flow\\u005fsk\\u005ffake\\u005f8f3a2b7c9d1e0f45"
    body = ('{"message": "bad key ' + echoed + '"}').encode()
    with (
        Recorder(answer(401, body, X_Echo=quote(KEY, safe=""))) as server,
        GoalsClient(server.url, KEY) as client,
    ):
        exchange = client.send_goal({"name": "signup"})
    stored = json.dumps(exchange.to_dict())
    assert echoed not in stored and quote(KEY, safe="") not in stored
    assert exchange.response is not None
    assert KEY not in str(exchange.response.json())  # decoded, it is still masked
    assert any("masked" in note for note in exchange.notes)
