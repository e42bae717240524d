"""Goals from text (log lines, settings, history records) and answers read once."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowsery_gui.contract import Draft
from flowsery_gui.exchange import STATUS_CLASSES, status_class
from flowsery_gui.explain import retry_after_text
from flowsery_gui.sending.answers import parse_retry_after, read_website
from flowsery_gui.sending.drafts import (
    TAKEN_OUT_NOTE,
    draft_from_dict,
    draft_from_record,
    draft_from_text,
    draft_to_dict,
    json_object_in_text,
)

NOW = 1_700_000_000.0


def test_a_log_line_gives_up_its_json_object() -> None:
    line = '2024-05-01 12:00:01 INFO sent goal {"name": "signup", "metadata": {"plan": "pro"}} ok'
    parsed, taken_out = json_object_in_text(line)
    assert taken_out and parsed.value == {"name": "signup", "metadata": {"plan": "pro"}}
    pasted = draft_from_text(line)
    assert pasted.draft == Draft(name="signup", metadata=(("plan", "pro"),))
    assert pasted.summary.splitlines() == ["Goal signup with 1 metadata row.", TAKEN_OUT_NOTE]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("no json here", "not valid JSON"),
        ("[1, 2]", "Expected a JSON object"),
        ("{}", "empty"),
        ('{"n": ' + "1" * 5000 + "}", "digits"),
    ],
)
def test_text_that_holds_no_goal_says_why(text: str, words: str) -> None:
    pasted = draft_from_text(text)
    assert pasted.draft is None and words in pasted.summary


def test_fields_the_form_cannot_hold_are_listed() -> None:
    pasted = draft_from_text('{"name": "a", "visitorUID": "x"}')
    assert pasted.draft is not None
    assert "• visitorUID:" in pasted.summary and "visitorUid" in pasted.summary


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        Draft,
        name=st.text(),
        visitor_uid=st.text(),
        session_uid=st.text(),
        timezone=st.text(),
        metadata=st.lists(st.tuples(st.text(), st.text()), max_size=12).map(tuple),
    )
)
def test_a_draft_survives_the_trip_through_plain_json(draft: Draft) -> None:
    assert draft_from_dict(json.loads(json.dumps(draft_to_dict(draft)))) == draft


@pytest.mark.parametrize("data", [None, [], "x", {"metadata": "x"}, {"metadata": [[1]]}])
def test_a_damaged_saved_draft_reads_as_none(data: object) -> None:
    assert draft_from_dict(data) is None


def test_a_history_body_rebuilds_the_form_and_a_bodyless_record_does_not() -> None:
    draft, findings = draft_from_record('{"name":"a","metadata":{"k":"v"},"timezone":"UTC"}')
    assert draft == Draft(name="a", timezone="UTC", metadata=(("k", "v"),))
    assert findings == ()
    assert draft_from_record(None) == (None, ())
    assert draft_from_record("<html>") == (None, ())


@pytest.mark.parametrize(
    ("value", "seconds", "is_date"),
    [
        ("30", 30.0, False),
        (" 0 ", 0.0, False),
        ("Tue, 14 Nov 2023 22:14:20 GMT", 60.0, True),
        ("Tue, 14 Nov 2023 22:13:00 GMT", -20.0, True),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(
    value: str, seconds: float, is_date: bool
) -> None:
    retry = parse_retry_after(value, NOW)
    assert retry is not None
    assert (retry.seconds, retry.is_date, retry.at) == (seconds, is_date, NOW + seconds)


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "²", "9" * 5000, "x" * 500])
def test_an_unreadable_retry_after_is_none_never_an_error(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None
    assert retry_after_text(value, NOW) is None


def test_the_metadata_answer_names_the_website() -> None:
    site = read_website(
        {"status": "success", "data": [{"domain": "shop.example", "name": "Shop", "timezone": 3}]}
    )
    assert site is not None
    assert (site.domain, site.title, site.timezone) == ("shop.example", "Shop", "")
    for other in (None, {"data": []}, {"data": [1]}, {"data": [{"logo": "x"}]}, [1]):
        assert read_website(other) is None


def test_status_classes_are_named_once() -> None:
    assert [status_class(s) for s in (101, 200, 302, 404, 503, None)] == list(STATUS_CLASSES)
