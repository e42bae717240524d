"""The profile's test identity put into goals with empty IDs, and metadata keys that look
like a person's data (the warning before a send to Production)."""

from __future__ import annotations

import json

import pytest

from flowsery_gui import sending
from flowsery_gui.cleanup.identity import (
    Identity,
    apply_test_identity,
    fill_test_identity,
    identity_of,
    new_identity,
)
from flowsery_gui.cleanup.personal import looks_personal, personal_keys, production_warning
from flowsery_gui.contract import Draft
from flowsery_gui.profile_model import PRODUCTION, Profile
from flowsery_gui.sending import RawBody

PROD = Profile("Production", PRODUCTION.base_url, "production", "vid-test", "sid-test")
TARGET = sending.Target("Production", "production", PRODUCTION.base_url)


def planned_body(goal: sending.GoalInput) -> dict[str, object]:
    """The body the send pipeline would send for this goal."""
    options = sending.SendOptions(production_confirmed=True)
    plan = sending.plan_goal(TARGET, goal, sending.KeySource.ENVIRONMENT, options)
    assert isinstance(plan, sending.PlannedSend)
    body = json.loads(plan.request.body_text or "")
    assert isinstance(body, dict)
    return body


def test_empty_ids_are_filled_from_the_profile_and_the_form_can_say_so() -> None:
    filled = apply_test_identity(Draft(name="signup"), PROD)
    assert filled.fields == ("visitorUid", "sessionUid")
    assert filled.draft_fields() == ("visitor_uid", "session_uid")
    assert filled.labels == (
        "test visitor ID from this profile",
        "test session ID from this profile",
    )
    assert planned_body(filled.goal) == {
        "name": "signup",
        "visitorUid": "vid-test",
        "sessionUid": "sid-test",
    }


def test_an_id_the_person_typed_is_kept() -> None:
    filled = apply_test_identity(Draft(name="signup", visitor_uid="typed"), PROD)
    assert filled.fields == ("sessionUid",)
    assert planned_body(filled.goal)["visitorUid"] == "typed"


def test_no_test_ids_sends_the_goal_exactly_as_given() -> None:
    draft = Draft(name="signup")
    filled = apply_test_identity(draft, PROD, use=False)
    assert filled.goal is draft and filled.fields == ()
    assert planned_body(filled.goal) == {"name": "signup"}


def test_a_profile_without_a_test_identity_or_no_profile_fills_nothing() -> None:
    draft = Draft(name="signup")
    assert apply_test_identity(draft, PRODUCTION).fields == ()
    assert apply_test_identity(draft, None).fields == ()


def test_a_whole_json_body_without_ids_gets_them() -> None:
    filled = fill_test_identity(
        RawBody('{"name": "signup", "metadata": {"a": "1"}}'), identity_of(PROD)
    )
    assert filled.fields == ("visitorUid", "sessionUid")
    assert planned_body(filled.goal) == {
        "name": "signup",
        "metadata": {"a": "1"},
        "visitorUid": "vid-test",
        "sessionUid": "sid-test",
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json", "not JSON"),
        ('["a list"]', "not one plain JSON object"),
        ('{"name": "a", "name": "b"}', "not one plain JSON object"),
    ],
)
def test_a_body_that_is_not_one_plain_object_is_left_exactly_as_given(
    text: str, words: str
) -> None:
    goal = RawBody(text)
    filled = fill_test_identity(goal, Identity("vid", "sid"))
    assert filled.goal is goal and filled.fields == ()
    assert words in filled.skipped


def test_a_body_that_already_has_the_ids_is_untouched() -> None:
    goal = RawBody('{"name":"signup","visitorUid":"v","sessionUid":"s"}')
    assert fill_test_identity(goal, Identity("vid", "sid")).goal is goal


def test_a_new_identity_is_two_fresh_uuids() -> None:
    first, second = new_identity(), new_identity()
    assert first != second
    assert len(first.visitor_id) == 36 and len(first.session_id) == 36


# --- personal data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "word"),
    [
        ("email", "email"),
        ("customer_email", "email"),
        ("e-mail", "e_mail"),
        ("phone", "phone"),
        ("billing-phone", "phone"),
        ("name", "name"),
        ("first_name", "first_name"),
        ("customer-name", "customer_name"),
        ("address", "address"),
        ("ip", "ip"),
        ("client_ip", "ip"),
        ("ip_address", "ip_address"),
        ("zip_code", "zip_code"),
        ("birth_date", "birth_date"),
    ],
)
def test_keys_that_look_like_a_persons_data_are_named(key: str, word: str) -> None:
    assert looks_personal(key) == word


@pytest.mark.parametrize(
    "key", ["plan", "plan_name", "campaign_name", "hotel", "zipper", "shipping", "is_mobile", "tip"]
)
def test_keys_that_only_contain_such_letters_are_not(key: str) -> None:
    assert looks_personal(key) is None


def test_a_tracking_plans_personal_keys_count_whatever_they_are() -> None:
    assert looks_personal("customer_ref", extra={"customer_ref"}) == "customer_ref"
    found = personal_keys(["plan", "customer_ref", "email"], extra={"customer_ref"})
    assert [hit.key for hit in found] == ["customer_ref", "email"]


def test_the_warning_names_the_keys_and_says_what_to_do() -> None:
    assert production_warning(["plan", "source"]) is None
    warning = production_warning(["plan", "email", "phone"])
    assert warning is not None
    assert "email, phone" in warning and "made-up values" in warning
