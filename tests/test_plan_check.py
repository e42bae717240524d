"""Checking goals against a plan: every violation code, its path, words and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from flowsery_gui import contract
from flowsery_gui.contract import Draft, Finding
from flowsery_gui.plan import (
    BAD_VALUE,
    MISSING_METADATA,
    MISSING_SESSION,
    MISSING_VISITOR,
    UNPLANNED_GOAL,
    UNPLANNED_METADATA,
    check_draft,
    check_goal,
    load_plan,
    parse_plan,
    personal_keys_in,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.plan.yaml"
PLAN = load_plan(EXAMPLE)
GOOD_SIGNUP = {
    "name": "newsletter_signup",
    "visitorUid": "v-1",
    "metadata": {"plan": "pro", "source": "footer", "email": "ana@example.com"},
}


def one(body: object) -> Finding:
    found = check_goal(PLAN, body)
    assert len(found) == 1, found
    return found[0]


def test_a_goal_that_follows_the_plan_has_no_findings() -> None:
    assert check_goal(PLAN, GOOD_SIGNUP) == ()
    assert check_goal(PLAN, {"name": "demo_requested", "metadata": {"company": "Acme"}}) == ()


def test_every_finding_is_a_warning_with_a_plan_code() -> None:
    body = {"name": "newsletter_signup", "metadata": {"plan": "Pro", "Plan": "x"}}
    found = check_goal(PLAN, body)
    assert found
    assert all(f.severity == contract.WARNING and f.code.startswith("plan.") for f in found)
    assert not any(f.is_error for f in found)  # a plan violation never blocks a send


def test_an_unplanned_goal_suggests_the_near_miss() -> None:
    finding = one({"name": "newsleter_signup"})
    assert (finding.path, finding.code) == ("name", UNPLANNED_GOAL)
    assert finding.message == (
        "`newsleter_signup` is not in the plan. Did you mean `newsletter_signup`?"
    )
    assert finding.fix == "newsletter_signup"


def test_an_unplanned_goal_far_from_any_name_has_no_fix() -> None:
    finding = one({"name": "page_scrolled"})
    assert finding.message == "`page_scrolled` is not in the plan."
    assert finding.fix is None


def test_a_missing_required_key_is_named_with_its_goal() -> None:
    finding = one({"name": "newsletter_signup", "visitorUid": "v", "metadata": {}})
    assert (finding.path, finding.code) == ("metadata.plan", MISSING_METADATA)
    assert finding.message == "`plan` is required for `newsletter_signup`."


def test_no_metadata_at_all_misses_every_required_key() -> None:
    found = check_goal(PLAN, {"name": "checkout_completed", "visitorUid": "v"})
    assert [(f.path, f.code) for f in found] == [
        ("metadata.value", MISSING_METADATA),
        ("metadata.currency", MISSING_METADATA),
    ]
    assert check_goal(PLAN, {**GOOD_SIGNUP, "metadata": None})[0].code == MISSING_METADATA


def test_an_unplanned_key_is_reported_with_the_planned_key_it_resembles() -> None:
    body = {**GOOD_SIGNUP, "metadata": {"plan": "pro", "sorce": "footer"}}
    finding = one(body)
    assert (finding.path, finding.code) == ("metadata.sorce", UNPLANNED_METADATA)
    assert "Did you mean `source`?" in finding.message
    assert finding.fix == "source"


def test_other_keys_are_fine_where_the_plan_allows_them() -> None:
    assert (
        check_goal(PLAN, {"name": "demo_requested", "metadata": {"company": "Acme", "x": "1"}})
        == ()
    )


def test_a_value_outside_the_enum_suggests_the_same_word_in_the_right_case() -> None:
    finding = one({**GOOD_SIGNUP, "metadata": {"plan": "Pro"}})
    assert (finding.path, finding.code) == ("metadata.plan", BAD_VALUE)
    assert finding.message == "`plan` must be one of free, pro, team; got `Pro`."
    assert finding.fix == "pro"


def test_a_misspelt_enum_value_gets_the_closest_value() -> None:
    assert one({**GOOD_SIGNUP, "metadata": {"plan": "teem"}}).fix == "team"
    assert one({**GOOD_SIGNUP, "metadata": {"plan": "enterprise"}}).fix is None


@pytest.mark.parametrize(
    ("metadata", "words"),
    [
        ({"value": "49.999", "currency": "EUR"}, "must match the pattern"),
        ({"value": "", "currency": "EUR"}, "got an empty value"),
        ({"value": "12", "currency": "EUR", "order_id": "42"}, "must be a UUID"),
    ],
)
def test_pattern_and_format_failures_are_bad_values(metadata: dict[str, str], words: str) -> None:
    finding = one({"name": "checkout_completed", "visitorUid": "v", "metadata": metadata})
    assert finding.code == BAD_VALUE
    assert words in finding.message


def test_length_and_const_failures_say_the_limit_and_fix_what_they_can() -> None:
    plan = parse_plan(
        "goals:\n  g:\n    metadata:\n"
        "      short: { maxLength: 3 }\n      long: { minLength: 4 }\n      fixed: { const: v1 }\n"
    )
    found = {
        f.path: f
        for f in check_goal(
            plan, {"name": "g", "metadata": {"short": "abcdef", "long": "ab", "fixed": "v2"}}
        )
    }
    assert found["metadata.short"].message == "`short` must be at most 3 characters; got `abcdef`."
    assert found["metadata.short"].fix == "abc"
    assert found["metadata.long"].message == "`long` must be at least 4 characters; got `ab`."
    assert found["metadata.fixed"].message == "`fixed` must be `v1`; got `v2`."
    assert found["metadata.fixed"].fix == "v1"


def test_missing_visitor_and_session_ids_are_reported_when_required() -> None:
    plan = parse_plan("goals:\n  g: { visitor: required, session: required }\n")
    found = check_goal(plan, {"name": "g", "visitorUid": "", "sessionUid": None})
    assert [(f.path, f.code) for f in found] == [
        ("visitorUid", MISSING_VISITOR),
        ("sessionUid", MISSING_SESSION),
    ]
    assert found[0].message == "A visitor ID (visitorUid) is required for `g`."
    assert check_goal(plan, {"name": "g", "visitorUid": "v", "sessionUid": "s"}) == ()


def test_what_the_api_rules_already_report_is_not_reported_twice() -> None:
    assert check_goal(PLAN, {"metadata": {}}) == ()  # no name: the contract's error
    assert check_goal(PLAN, {"name": 5}) == ()
    assert check_goal(PLAN, ["not", "a", "goal"]) == ()
    body = {**GOOD_SIGNUP, "metadata": {"plan": 1}}  # not text: the contract's error
    assert check_goal(PLAN, body) == ()
    assert check_goal(PLAN, {**GOOD_SIGNUP, "metadata": "plan=pro"}) == ()


def test_a_key_that_is_not_a_plain_name_gets_a_quoted_path() -> None:
    finding = one({**GOOD_SIGNUP, "metadata": {"plan": "pro", "Bad Key": "x"}})
    assert finding.path == 'metadata["Bad Key"]'


def test_a_catastrophic_pattern_answers_at_once() -> None:
    # On a backtracking engine this would take longer than the age of the universe.
    plan = parse_plan("goals:\n  g:\n    metadata:\n      v: { pattern: '^(a+)+$' }\n")
    assert one_of(plan, {"name": "g", "metadata": {"v": "a" * 250 + "!"}}).code == BAD_VALUE
    assert check_goal(plan, {"name": "g", "metadata": {"v": "a" * 250}}) == ()


def one_of(plan: object, body: object) -> Finding:
    found = check_goal(plan, body)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def test_a_pattern_searches_anywhere_as_json_schema_says() -> None:
    plan = parse_plan("goals:\n  g:\n    metadata:\n      v: { pattern: 'b' }\n")
    assert check_goal(plan, {"name": "g", "metadata": {"v": "abc"}}) == ()


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("email", "ana.maria+news@example.co.uk", "ana@"),
        ("email", "o'brien@example.com", "two@@example.com"),
        ("email", "ana@example.com", "ana maria@example.com"),
        ("uri", "https://example.com/pricing?plan=pro", "example.com/pricing"),
        ("uri", "mailto:ana@example.com", "https://exa mple.com"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"),
        ("date", "2024-02-29", "2023-02-29"),
        ("date", "2024-05-01", "01/05/2024"),
        ("date-time", "2024-05-01T10:30:00Z", "2024-05-01 10:30"),
        ("date-time", "2024-05-01T10:30:00+02:00", "2024-05-01T10:30:00"),
        ("time", "10:30:00Z", "10:30"),
        ("time", "10:30:00.5+02:00", "25:30:00Z"),
        ("ipv4", "192.0.2.10", "192.0.2.300"),
        ("ipv6", "2001:db8::1", "2001:db8:::1"),
    ],
)
def test_each_format_is_really_checked(fmt: str, good: str, bad: str) -> None:
    plan = parse_plan(f"goals:\n  g:\n    metadata:\n      v: {{ format: {fmt} }}\n")
    assert check_goal(plan, {"name": "g", "metadata": {"v": good}}) == ()
    finding = one_of(plan, {"name": "g", "metadata": {"v": bad}})
    assert finding.code == BAD_VALUE and "`v` must be" in finding.message


def test_a_draft_from_the_form_gets_row_paths() -> None:
    draft = Draft(
        name="newsletter_signup",
        visitor_uid="v",
        metadata=(("source", "Footer"), ("", ""), ("emial", "a@b.co")),
    )
    found = {(f.path, f.code) for f in check_draft(PLAN, draft)}
    assert found == {
        ("metadata", MISSING_METADATA),
        ("metadata[0].value", BAD_VALUE),
        ("metadata[2].key", UNPLANNED_METADATA),
    }


def test_personal_keys_are_known_for_a_production_warning() -> None:
    assert PLAN.personal_keys("newsletter_signup") == ("email",)
    assert personal_keys_in(PLAN, GOOD_SIGNUP) == ("email",)
    assert personal_keys_in(PLAN, {**GOOD_SIGNUP, "metadata": {"plan": "pro"}}) == ()
    assert personal_keys_in(PLAN, {"name": "unknown"}) == ()


def test_every_compiled_schema_is_a_valid_2020_12_schema() -> None:
    for name, schema in PLAN.schemas().items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["properties"]["name"] == {"const": name}


def test_the_compiled_schema_states_the_plan() -> None:
    schema = PLAN.schema("newsletter_signup")
    assert schema is not None
    assert schema["required"] == ["name", "visitorUid", "metadata"]
    metadata = schema["properties"]["metadata"]
    assert metadata["required"] == ["plan"]
    assert metadata["additionalProperties"] is False
    assert metadata["properties"]["plan"] == {"type": "string", "enum": ["free", "pro", "team"]}
    assert metadata["properties"]["email"] == {
        "type": "string",
        "format": "email",
        "x-personal": True,
    }
    assert "additionalProperties" not in PLAN.schemas()["demo_requested"]["properties"]["metadata"]


def test_a_standard_validator_agrees_with_the_plan_on_the_exported_schema() -> None:
    schema = PLAN.schema("checkout_completed")
    assert schema is not None
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    good = {
        "name": "checkout_completed",
        "visitorUid": "v",
        "metadata": {"value": "9.50", "currency": "EUR"},
    }
    bad = {
        "name": "checkout_completed",
        "visitorUid": "v",
        "metadata": {"value": "9.5.0", "currency": "EUR"},
    }
    assert validator.is_valid(good) and check_goal(PLAN, good) == ()
    assert not validator.is_valid(bad) and check_goal(PLAN, bad)


def test_did_you_mean_over_a_big_plan_finds_what_a_full_search_finds() -> None:
    from flowsery_gui.plan.suggest import NameIndex, closest

    words = ["newsletter", "signup", "checkout", "trial", "demo", "invite", "upgrade", "share"]
    names = [f"{a}_{b}" for a in words for b in words if a != b] + [f"goal_{i}" for i in range(450)]
    index = NameIndex(names)
    typos = []
    for name in names[::7]:
        typos += [
            name[:3] + name[4:],
            name.upper(),
            name.replace("_", " "),
            name[::-1][:2] + name[2:],
        ]
    typos += ["nothing_like_it", "x", "sign_up_newsletter"]
    for word in typos:
        assert index.closest(word) == closest(word, names), word
