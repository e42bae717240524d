"""Reading a tracking plan: what loads, and every bad plan refused with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowsery_gui.plan import GoalSpec, PlanError, load_plan, parse_plan
from flowsery_gui.plan.loader import default_plan_name

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.plan.yaml"


def problems_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "team.plan.yaml")
    return [(p.line, p.key, p.message) for p in caught.value.problems]


def only_problem(text: str) -> tuple[int | None, str, str]:
    found = problems_of(text)
    assert len(found) == 1, found
    return found[0]


def test_the_example_plan_loads_with_every_rule_of_the_format() -> None:
    plan = load_plan(EXAMPLE)
    assert plan.name == "acme-website"
    assert plan.names == ("newsletter_signup", "checkout_completed", "demo_requested")
    assert plan.expect == ("newsletter_signup", "checkout_completed")
    signup = plan.goal("newsletter_signup")
    assert isinstance(signup, GoalSpec)
    assert (signup.visitor, signup.session, signup.other_metadata) == (
        "required",
        "optional",
        "forbid",
    )
    assert signup.metadata["plan"].enum == ("free", "pro", "team")
    assert signup.required_keys == ("plan",)
    assert signup.personal_keys == ("email",)
    assert signup.line == 7
    assert plan.goal("demo_requested").other_metadata == "allow"  # type: ignore[union-attr]
    assert "Réserver une démo" in plan.goal("demo_requested").description  # type: ignore[union-attr]


def test_defaults_are_optional_ids_and_forbidden_other_keys() -> None:
    plan = parse_plan("goals:\n  signup:\n", "site.plan.yaml")
    goal = plan.goal("signup")
    assert goal is not None
    assert (goal.visitor, goal.session, goal.other_metadata) == ("optional", "optional", "forbid")
    assert plan.name == "site"  # the file's name when the plan does not give one


def test_the_plan_name_defaults_to_the_file_name() -> None:
    assert default_plan_name("plans/acme.plan.yaml") == "acme"
    assert default_plan_name("acme.yml") == "acme"


def test_a_plan_of_500_goals_with_unicode_descriptions_loads() -> None:
    lines = ["plan: big", "goals:"]
    for index in range(500):
        lines += [
            f"  goal_{index}:",
            f"    description: Objectif n°{index} — 訪問者が登録した ✓ 🎉",
            "    metadata:",
            "      plan: { required: true, enum: [free, pro, team] }",
            "      email: { format: email, personal: true }",
        ]
    plan = parse_plan("\n".join(lines))
    assert len(plan.goals) == 500
    assert plan.goal("goal_499").description == "Objectif n°499 — 訪問者が登録した ✓ 🎉"  # type: ignore[union-attr]


def test_an_unknown_keyword_is_refused_with_its_line_and_a_suggestion() -> None:
    line, key, message = only_problem(
        "goals:\n  signup:\n    metadata:\n      plan: { requried: true }\n"
    )
    assert line == 4
    assert key == "goals.signup.metadata.plan.requried"
    assert "Unknown keyword `requried`" in message and "Did you mean `required`?" in message


def test_an_unknown_top_level_or_goal_keyword_is_refused() -> None:
    found = problems_of("plan: x\ngoal:\n  a: {}\ngoals:\n  a: { visiter: required }\n")
    keys = {key for _, key, _ in found}
    assert keys == {"goal", "goals.a.visiter"}
    assert any("Did you mean `goals`?" in m for _, _, m in found)
    assert any("Did you mean `visitor`?" in m for _, _, m in found)


def test_a_goal_name_the_api_would_refuse_is_refused_with_a_fix() -> None:
    line, key, message = only_problem("goals:\n  ok: {}\n  Newsletter Signup: {}\n")
    assert (line, key) == (3, 'goals["Newsletter Signup"]')
    assert "Did you mean `newsletter_signup`?" in message


def test_a_goal_name_over_64_characters_is_refused() -> None:
    _, _, message = only_problem(f"goals:\n  {'a' * 65}: {{}}\n")
    assert "65 characters long; the limit is 64" in message


def test_a_metadata_key_the_api_would_refuse_is_refused() -> None:
    line, key, message = only_problem("goals:\n  a:\n    metadata:\n      Plan: {}\n")
    assert (line, key) == (4, "goals.a.metadata.Plan")
    assert "Did you mean `plan`?" in message


def test_more_than_ten_keys_is_refused() -> None:
    keys = "".join(f"      k{index}: {{}}\n" for index in range(11))
    line, key, message = only_problem("goals:\n  a:\n    metadata:\n" + keys)
    assert (line, key) == (3, "goals.a.metadata")
    assert "11 metadata keys" in message and "at most 10" in message


def test_a_pattern_that_does_not_compile_is_refused() -> None:
    line, key, message = only_problem("goals:\n  a:\n    metadata:\n      v: { pattern: '[' }\n")
    assert (line, key) == (4, "goals.a.metadata.v.pattern")
    assert "does not compile" in message


def test_a_lookahead_pattern_is_refused_with_the_reason() -> None:
    _, _, message = only_problem(
        "goals:\n  a:\n    metadata:\n      v: { pattern: '^(?=.*[0-9]).+$' }\n"
    )
    assert "look-ahead" in message and "cannot backtrack" in message


def test_a_backreference_pattern_is_refused() -> None:
    _, _, message = only_problem("goals:\n  a:\n    metadata:\n      v: { pattern: '(a)\\1' }\n")
    assert "back-reference" in message


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("enum: pro", "`enum` must be a list"),
        ("enum: []", "`enum` must be a list"),
        ("enum: [a, 2]", "`enum` values must be text"),
        ("enum: [a, a]", "listed twice"),
        ("const: 3", "`const` must be text"),
        ("const: x, enum: [a, b]", "not one of its `enum` values"),
        ("minLength: -1", "whole number from 0 to 255"),
        ("maxLength: 300", "whole number from 0 to 255"),
        ("maxLength: 2.5", "whole number from 0 to 255"),
        ("minLength: 5, maxLength: 2", "over `maxLength`"),
        ("format: e-mail", "Did you mean `email`?"),
        ("format: color", "not one this app checks"),
        ("required: yes", "must be true or false, not `yes`"),
        ("personal: 1", "must be true or false"),
        ("description: [a]", "must be text"),
    ],
)
def test_a_bad_key_rule_is_refused_in_plain_words(rule: str, words: str) -> None:
    line, key, message = only_problem(f"goals:\n  a:\n    metadata:\n      k: {{ {rule} }}\n")
    assert line == 4
    assert key.startswith("goals.a.metadata.k")
    assert words in message


@pytest.mark.parametrize(
    ("goal", "words"),
    [
        ("visitor: always", "`visitor` must be required or optional"),
        ("session: true", "`session` must be required or optional"),
        ("other_metadata: deny", "`other_metadata` must be allow or forbid"),
        ("metadata: [plan]", "`metadata` must be a mapping"),
    ],
)
def test_a_bad_goal_rule_is_refused(goal: str, words: str) -> None:
    _, _, message = only_problem(f"goals:\n  a:\n    {goal}\n")
    assert words in message


def test_a_plan_without_goals_is_refused() -> None:
    assert "no goals" in only_problem("plan: x\n")[2]
    assert "no goals" in only_problem("plan: x\ngoals: {}\n")[2]
    assert "not a mapping" in only_problem("- a\n- b\n")[2]
    assert "empty" in only_problem("")[2]


def test_an_expected_goal_must_be_in_the_plan() -> None:
    line, key, message = only_problem("goals:\n  signup: {}\nexpect: [signup, sigup]\n")
    assert (line, key) == (3, "expect[1]")
    assert "Did you mean `signup`?" in message


def test_an_expected_goal_after_a_bad_goal_is_not_reported_twice() -> None:
    found = problems_of("goals:\n  Bad Name: {}\n  signup: {}\nexpect: [signup]\n")
    assert [key for _, key, _ in found] == ['goals["Bad Name"]']


def test_every_problem_is_listed_at_once() -> None:
    found = problems_of(
        "goals:\n"
        "  Bad Name: {}\n"
        "  b:\n"
        "    metadata:\n"
        "      v: { pattern: '(' , enum: x }\n"
        "      w: { format: nope }\n"
    )
    assert [line for line, _, _ in found] == [2, 5, 5, 6]


def test_the_error_text_names_file_line_and_key() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan("goals:\n  a:\n    metadata:\n      k: { enum: [1] }\n", "acme.plan.yaml")
    assert str(caught.value).startswith("acme.plan.yaml, line 4, goals.a.metadata.k.enum[0]:")


def test_a_yaml_bomb_is_refused_as_a_plan_problem() -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 8):
        bomb.append(f"a{index}: &a{index} [{', '.join([f'*a{index - 1}'] * 10)}]")
    with pytest.raises(PlanError) as caught:
        parse_plan("\n".join(bomb))
    assert "YAML bomb" in str(caught.value)


def test_a_deleted_plan_file_says_so_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "acme.plan.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    plan = load_plan(path)
    path.unlink()
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert "There is no such file." in str(caught.value)
    assert plan.goal("newsletter_signup") is not None  # the plan already loaded is kept
