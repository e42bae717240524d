"""Finding codes are stable and documented: scripts match on them (`validate --json`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flowsery_gui import contract, plan
from flowsery_gui.plan import verify

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "flowsery_gui"
DOC = ROOT / "docs" / "finding-codes.md"

#: The API's codes as released. Adding one means adding it here and to the page; removing or
#: renaming one breaks every script that matches on it: don't.
STABLE_API_CODES = {
    "body.type",
    "body.duplicate_key",
    "body.unknown_field",
    "name.missing",
    "name.type",
    "name.whitespace",
    "name.too_long",
    "name.pattern",
    "id.type",
    "id.whitespace",
    "id.looks_like_cookie",
    "timezone.type",
    "timezone.unknown",
    "metadata.type",
    "metadata.too_many",
    "metadata.key.missing",
    "metadata.key.pattern",
    "metadata.key.too_long",
    "metadata.key.duplicate",
    "metadata.value.type",
    "metadata.value.too_long",
    "metadata.value.markup",
    "metadata.value.empty",
    "key.missing",
    "key.whitespace",
    "key.prefix",
    "paste.type",
    "paste.value_type",
    "paste.metadata_type",
    "paste.unknown_field",
}
STABLE_PLAN_CODES = {
    "plan.unplanned_goal",
    "plan.missing_metadata",
    "plan.unplanned_metadata",
    "plan.bad_value",
    "plan.missing_visitor",
    "plan.missing_session",
}

#: The modules that make findings, and so the codes a person or a script can meet.
PRODUCERS = (
    "contract.py",
    "plan/check.py",
    "plan/verify.py",
    "sandbox/collector.py",
)


def _strings_assigned(tree: ast.AST) -> dict[str, set[str]]:
    """Every name in the module assigned a string literal (anywhere), with those strings."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found.setdefault(target.id, set()).add(node.value.value)
    return found


def _code_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def codes_made_in(relative: str) -> set[str]:
    """The codes of every `Finding(...)` made in one module, read from its source: a literal,
    or a name assigned literals in that module. Anything else fails: a code made at run time
    could not be documented."""
    source = (PACKAGE / relative).read_text(encoding="utf-8")
    tree = ast.parse(source)
    assigned = _strings_assigned(tree)
    codes: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name != "Finding":
            continue
        argument = _code_argument(node)
        where = f"{relative}:{node.lineno}"
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            codes.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id in assigned:
            codes |= assigned[argument.id]
        else:
            raise AssertionError(f"{where}: a finding's code must be a literal or a constant")
    return codes


def documented_codes() -> list[str]:
    """The codes in the first column of the tables of docs/finding-codes.md, in page order."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z_.]+)` \|", text, re.MULTILINE)


def test_every_code_a_finding_can_carry_is_documented_and_every_documented_one_is_made() -> None:
    made = set().union(*(codes_made_in(module) for module in PRODUCERS))
    made |= {verify.EXPECTED_MISSING, verify.NOT_JSON, verify.NOT_TEXT}
    made |= {verify.HTTP_STATUS, verify.NO_ANSWER}  # report failures, not Finding objects
    documented = set(documented_codes())
    assert made - documented == set(), "made but not in docs/finding-codes.md"
    assert documented - made == set(), "documented but nothing makes them any more"


def test_no_code_is_documented_twice() -> None:
    codes = documented_codes()
    assert len(codes) == len(set(codes))


def test_the_contracts_code_list_is_exactly_what_the_contract_makes() -> None:
    assert set(contract.FINDING_CODES) == codes_made_in("contract.py")
    assert len(contract.FINDING_CODES) == len(set(contract.FINDING_CODES))


def test_the_api_codes_are_the_released_ones() -> None:
    assert set(contract.FINDING_CODES) == STABLE_API_CODES


def test_the_plan_codes_are_the_released_ones() -> None:
    assert set(plan.CODES) == STABLE_PLAN_CODES


def test_the_code_reader_sees_codes_given_through_a_variable() -> None:
    # _check_name picks its code in a branch: the reader must still find all three.
    assert {"name.whitespace", "name.too_long", "name.pattern"} <= codes_made_in("contract.py")


def test_checking_real_bodies_only_ever_gives_listed_codes() -> None:
    bodies: list[object] = [
        [],
        {"name": ""},
        {"name": 5},
        {"name": " signup "},
        {"name": "x" * 70},
        {"name": "Sign Up", "visitorUID": "v", "timezone": "europe/paris"},
        {"name": "a", "visitorUid": 1, "sessionUid": "_fs_sid=abc; x=1", "timezone": 3},
        {"name": "a", "metadata": []},
        {"name": "a", "metadata": {f"k{i}": "v" for i in range(11)}},
        {"name": "a", "metadata": {"Bad Key": 1, "k" * 70: "<b>x</b>", "n": "y" * 300}},
    ]
    seen = {f.code for body in bodies for f in contract.check_body(body).findings}
    draft = contract.Draft(name="a", metadata=(("", "v"), ("k", ""), ("k", "x")))
    seen |= {f.code for f in contract.check_draft(draft).findings}
    for key in ("", " flow_x ", "sk_live_x"):
        seen |= {f.code for f in contract.check_api_key(key)}
    for pasted in ([], {"name": 1, "metadata": {"a": 2}, "extra": 1}, {"metadata": 3}):
        seen |= {f.code for f in contract.draft_from_body(pasted)[1]}
    assert seen <= set(contract.FINDING_CODES)
    assert len(seen) >= 25  # the bodies above reach most rules: the list is really used
