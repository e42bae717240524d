"""The one JSON reader: any input gives a value or its own NotJSON, never another exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowsery_gui import contract
from flowsery_gui.exchange import ReceivedResponse
from flowsery_gui.jsonread import MAX_INT_DIGITS, NotJSON, loads_or_none, read_json


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1" * 5000, "5,000 digits"),
        ('{"name": "a", "n": -' + "9" * 4301 + "}", "4,301 digits"),
        ("[" * 200_000, "nested too deeply"),
        ('{"a": NaN}', "NaN is not allowed"),
        ("[Infinity]", "Infinity is not allowed"),
        ("[1e400]", "too large"),
        ("", "empty"),
        (b"\xff\xfe", "not valid UTF-8"),
        ("{'a': 1}", "not valid JSON"),
        ('{"k": "<b>\\ud800</b>"}', "half of a character"),
        ('{"\\udc00": "key"}', "half of a character"),
    ],
)
def test_what_python_cannot_read_becomes_plain_words(text: str | bytes, words: str) -> None:
    with pytest.raises(NotJSON, match=words):
        read_json(text)


def test_a_surrogate_pair_escape_is_read_as_its_one_character() -> None:
    assert read_json('{"k": "\\ud83d\\ude00"}').value == {"k": "\U0001f600"}


def test_an_integer_at_the_limit_is_still_read() -> None:
    assert read_json("7" * MAX_INT_DIGITS).value == int("7" * MAX_INT_DIGITS)


def test_duplicate_keys_are_noted_and_a_bom_is_skipped() -> None:
    parsed = read_json('\ufeff{"a": 1, "a": 2, "b": {"c": 1, "c": 2}}')
    assert parsed.value == {"a": 2, "b": {"c": 2}}
    assert parsed.duplicate_keys == ("c", "a")


def test_contract_parse_body_is_the_same_reader_under_its_stable_name() -> None:
    with pytest.raises(contract.NotJSON):
        contract.parse_body("1" * 5000)
    assert contract.NotJSON is NotJSON


def test_a_lenient_reader_answers_none_for_anything_unreadable() -> None:
    assert loads_or_none("9" * 5000) is None
    assert loads_or_none(None) is None
    response = ReceivedResponse(200, "OK", (), '{"n": ' + "1" * 6000 + "}", 6006)
    assert response.json() is None


finite = st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | finite | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _hostile_texts() -> st.SearchStrategy[str]:
    long_number = st.integers(min_value=4000, max_value=9000).map(lambda n: "1" * n)
    deep = st.integers(min_value=500, max_value=50_000).flatmap(
        lambda n: st.sampled_from(["[" * n, '{"a":' * n, "[" * n + "]" * n])
    )
    wrapped = long_number.map(lambda digits: '{"name": "x", "metadata": {"a": ' + digits + "}}")
    exponent = st.integers(min_value=300, max_value=10**6).map(lambda e: f"[1e{e}]")
    return st.one_of(st.text(), long_number, deep, wrapped, exponent)


@settings(max_examples=150, deadline=None)
@given(_hostile_texts())
def test_the_reader_never_raises_anything_but_its_own_error(text: str) -> None:
    try:
        read_json(text)
    except NotJSON as exc:
        assert str(exc)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_whatever_json_writes_the_reader_reads_back(value: Any) -> None:
    assert read_json(json.dumps(value)).value == value


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_read_or_refused_in_plain_words(raw: bytes) -> None:
    try:
        read_json(raw)
    except NotJSON as exc:
        assert str(exc)
