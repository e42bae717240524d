"""The contract rule set against a table of boundary cases, for drafts and raw JSON bodies alike."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from flowsery_gui.contract import (
    Draft,
    Finding,
    NotJSON,
    Report,
    check_api_key,
    check_body,
    check_body_text,
    check_draft,
    draft_from_body,
    parse_body,
    stored_metadata,
    stored_value,
)

ERROR = "error"
WARNING = "warning"

# An expected finding: (path, code, severity, fix). `None` as the whole expectation means
# "no finding at all, and a body to send".
Expected = tuple[str, str, str, str | None] | None


def _rows(count: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"k{i}", f"v{i}") for i in range(count))


def _meta(count: int) -> dict[str, str]:
    return dict(_rows(count))


# --- The table: drafts (rows addressed as metadata[i].key / metadata[i].value) -----------------

DRAFT_CASES = [
    # names
    pytest.param(Draft(name="a"), None, id="name-1-char-ok"),
    pytest.param(Draft(name="a" * 64), None, id="name-64-chars-ok"),
    pytest.param(
        Draft(name="a" * 65), ("name", "name.too_long", ERROR, "a" * 64), id="name-65-chars"
    ),
    pytest.param(Draft(name="a-1_b"), None, id="name-digits-hyphen-underscore-ok"),
    pytest.param(Draft(name=""), ("name", "name.missing", ERROR, None), id="name-empty"),
    pytest.param(
        Draft(name="Signup"), ("name", "name.pattern", ERROR, "signup"), id="name-uppercase"
    ),
    pytest.param(
        Draft(name="sign up"), ("name", "name.pattern", ERROR, "sign_up"), id="name-inner-space"
    ),
    pytest.param(
        Draft(name=" signup "),
        ("name", "name.whitespace", ERROR, "signup"),
        id="name-surrounding-spaces",
    ),
    pytest.param(
        Draft(name="\tsignup\n"),
        ("name", "name.whitespace", ERROR, "signup"),
        id="name-surrounding-tab-newline",
    ),
    pytest.param(Draft(name="café"), ("name", "name.pattern", ERROR, "cafe"), id="name-non-ascii"),
    pytest.param(
        Draft(name="Newsletter Signup"),
        ("name", "name.pattern", ERROR, "newsletter_signup"),
        id="name-newsletter-signup",
    ),
    pytest.param(
        Draft(name="A" * 70), ("name", "name.too_long", ERROR, "a" * 64), id="name-70-uppercase"
    ),
    # metadata keys
    pytest.param(Draft(name="x", metadata=(("k" * 64, "v"),)), None, id="key-64-chars-ok"),
    pytest.param(
        Draft(name="x", metadata=(("k" * 65, "v"),)),
        ("metadata[0].key", "metadata.key.too_long", ERROR, "k" * 64),
        id="key-65-chars",
    ),
    pytest.param(
        Draft(name="x", metadata=(("Plan", "pro"),)),
        ("metadata[0].key", "metadata.key.pattern", ERROR, "plan"),
        id="key-uppercase",
    ),
    pytest.param(
        Draft(name="x", metadata=(("Bad Key", "v"),)),
        ("metadata[0].key", "metadata.key.pattern", ERROR, "bad_key"),
        id="key-with-space",
    ),
    pytest.param(
        Draft(name="x", metadata=(("café", "v"),)),
        ("metadata[0].key", "metadata.key.pattern", ERROR, "cafe"),
        id="key-non-ascii",
    ),
    pytest.param(
        Draft(name="x", metadata=(("plan", "pro"), ("", "orphan"))),
        ("metadata[1].key", "metadata.key.missing", ERROR, None),
        id="key-blank-with-value",
    ),
    # metadata counts, blanks and duplicates
    pytest.param(Draft(name="x", metadata=_rows(10)), None, id="10-keys-ok"),
    pytest.param(
        Draft(name="x", metadata=_rows(11)),
        ("metadata", "metadata.too_many", ERROR, None),
        id="11-keys",
    ),
    pytest.param(
        Draft(name="x", metadata=(("", ""), *_rows(10), ("", ""), ("", ""))),
        None,
        id="10-keys-plus-blank-rows-ok",
    ),
    pytest.param(
        Draft(name="x", metadata=(("plan", "a"), ("other", "b"), ("plan", "c"))),
        ("metadata[2].key", "metadata.key.duplicate", ERROR, None),
        id="duplicate-key-error-at-later-row",
    ),
    pytest.param(
        Draft(name="x", metadata=(("plan", ""),)),
        ("metadata[0].value", "metadata.value.empty", WARNING, None),
        id="value-empty-warns",
    ),
    # metadata values: length in code points, counted before stripping
    pytest.param(Draft(name="x", metadata=(("v", "x" * 255),)), None, id="value-255-ascii-ok"),
    pytest.param(
        Draft(name="x", metadata=(("v", "x" * 256),)),
        ("metadata[0].value", "metadata.value.too_long", ERROR, "x" * 255),
        id="value-256-ascii",
    ),
    pytest.param(Draft(name="x", metadata=(("v", "é" * 255),)), None, id="value-255-e-acute-ok"),
    pytest.param(
        Draft(name="x", metadata=(("v", "é" * 256),)),
        ("metadata[0].value", "metadata.value.too_long", ERROR, "é" * 255),
        id="value-256-e-acute",
    ),
    pytest.param(Draft(name="x", metadata=(("v", "😀" * 255),)), None, id="value-255-emoji-ok"),
    pytest.param(
        Draft(name="x", metadata=(("v", "😀" * 256),)),
        ("metadata[0].value", "metadata.value.too_long", ERROR, "😀" * 255),
        id="value-256-emoji",
    ),
    pytest.param(
        Draft(name="x", metadata=(("v", "e\u0301" * 128),)),
        ("metadata[0].value", "metadata.value.too_long", ERROR, ("e\u0301" * 128)[:255]),
        id="value-128-graphemes-256-code-points",
    ),
    pytest.param(
        Draft(name="x", metadata=(("v", "<b>" + "x" * 250 + "</b>"),)),
        ("metadata[0].value", "metadata.value.too_long", ERROR, "<b>" + "x" * 250 + "</"),
        id="value-length-counted-before-stripping",
    ),
    # markup
    pytest.param(
        Draft(name="x", metadata=(("plan", "<b>pro</b>"),)),
        ("metadata[0].value", "metadata.value.markup", WARNING, "pro"),
        id="value-bold-markup",
    ),
    pytest.param(
        Draft(name="x", metadata=(("plan", "<script>alert(1)</script>x"),)),
        ("metadata[0].value", "metadata.value.markup", WARNING, "x"),
        id="value-script-removed-with-content",
    ),
    pytest.param(Draft(name="x", metadata=(("plan", "a & b"),)), None, id="value-ampersand-ok"),
    pytest.param(Draft(name="x", metadata=(("plan", "1 < 2"),)), None, id="value-less-than-ok"),
    # timezone
    pytest.param(Draft(name="x", timezone="Europe/Paris"), None, id="timezone-europe-paris-ok"),
    pytest.param(Draft(name="x", timezone="UTC"), None, id="timezone-utc-ok"),
    pytest.param(
        Draft(name="x", timezone="europe/paris"),
        ("timezone", "timezone.unknown", ERROR, "Europe/Paris"),
        id="timezone-lowercase",
    ),
    pytest.param(
        Draft(name="x", timezone=" Europe/Paris"),
        ("timezone", "timezone.unknown", ERROR, "Europe/Paris"),
        id="timezone-leading-space",
    ),
    pytest.param(
        Draft(name="x", timezone="Mars/Olympus"),
        ("timezone", "timezone.unknown", ERROR, None),
        id="timezone-unknown",
    ),
    # visitor and session IDs
    pytest.param(Draft(name="x", visitor_uid="abc123", session_uid="def456"), None, id="ids-ok"),
    pytest.param(
        Draft(name="x", visitor_uid="_fs_vid=abc123; _fs_sid=def456"),
        ("visitorUid", "id.looks_like_cookie", WARNING, "abc123"),
        id="visitor-id-is-cookie-string",
    ),
    pytest.param(
        Draft(name="x", session_uid="_fs_vid=abc123; _fs_sid=def456"),
        ("sessionUid", "id.looks_like_cookie", WARNING, "def456"),
        id="session-id-is-cookie-string",
    ),
    pytest.param(
        Draft(name="x", visitor_uid=" abc123\n"),
        ("visitorUid", "id.whitespace", WARNING, "abc123"),
        id="visitor-id-surrounding-whitespace",
    ),
]


# --- The table: raw JSON bodies (paths metadata.plan) ----------------------------------------

BODY_CASES = [
    # names
    pytest.param({"name": "a"}, None, id="name-1-char-ok"),
    pytest.param({"name": "a" * 64}, None, id="name-64-chars-ok"),
    pytest.param(
        {"name": "a" * 65}, ("name", "name.too_long", ERROR, "a" * 64), id="name-65-chars"
    ),
    pytest.param(
        {"name": "Signup"}, ("name", "name.pattern", ERROR, "signup"), id="name-uppercase"
    ),
    pytest.param(
        {"name": " signup "}, ("name", "name.whitespace", ERROR, "signup"), id="name-whitespace"
    ),
    pytest.param({"name": "café"}, ("name", "name.pattern", ERROR, "cafe"), id="name-non-ascii"),
    pytest.param(
        {"name": "Newsletter Signup"},
        ("name", "name.pattern", ERROR, "newsletter_signup"),
        id="name-newsletter-signup",
    ),
    pytest.param({}, ("name", "name.missing", ERROR, None), id="name-absent"),
    pytest.param({"name": None}, ("name", "name.missing", ERROR, None), id="name-null"),
    pytest.param({"name": 5}, ("name", "name.type", ERROR, None), id="name-number"),
    pytest.param({"name": ["x"]}, ("name", "name.type", ERROR, None), id="name-list"),
    # metadata keys
    pytest.param({"name": "x", "metadata": {"k" * 64: "v"}}, None, id="key-64-chars-ok"),
    pytest.param(
        {"name": "x", "metadata": {"k" * 65: "v"}},
        (f'metadata["{"k" * 65}"]', "metadata.key.too_long", ERROR, "k" * 64),
        id="key-65-chars",
    ),
    pytest.param(
        {"name": "x", "metadata": {"Plan": "pro"}},
        ('metadata["Plan"]', "metadata.key.pattern", ERROR, "plan"),
        id="key-uppercase",
    ),
    pytest.param(
        {"name": "x", "metadata": {"Bad Key": "v"}},
        ('metadata["Bad Key"]', "metadata.key.pattern", ERROR, "bad_key"),
        id="key-with-space",
    ),
    pytest.param(
        {"name": "x", "metadata": {"café": "v"}},
        ('metadata["café"]', "metadata.key.pattern", ERROR, "cafe"),
        id="key-non-ascii",
    ),
    pytest.param(
        {"name": "x", "metadata": {"": "v"}},
        ('metadata[""]', "metadata.key.missing", ERROR, None),
        id="key-empty-string",
    ),
    # metadata shape and counts
    pytest.param({"name": "x", "metadata": _meta(10)}, None, id="10-keys-ok"),
    pytest.param(
        {"name": "x", "metadata": _meta(11)},
        ("metadata", "metadata.too_many", ERROR, None),
        id="11-keys",
    ),
    pytest.param({"name": "x", "metadata": None}, None, id="metadata-null-is-none"),
    pytest.param({"name": "x", "metadata": {}}, None, id="metadata-empty-object-ok"),
    pytest.param(
        {"name": "x", "metadata": [["plan", "pro"]]},
        ("metadata", "metadata.type", ERROR, None),
        id="metadata-list",
    ),
    pytest.param(
        {"name": "x", "metadata": "plan=pro"},
        ("metadata", "metadata.type", ERROR, None),
        id="metadata-string",
    ),
    # metadata values
    pytest.param({"name": "x", "metadata": {"plan": ""}}, None, id="value-empty-ok"),
    pytest.param({"name": "x", "metadata": {"v": "x" * 255}}, None, id="value-255-ascii-ok"),
    pytest.param(
        {"name": "x", "metadata": {"v": "x" * 256}},
        ("metadata.v", "metadata.value.too_long", ERROR, "x" * 255),
        id="value-256-ascii",
    ),
    pytest.param({"name": "x", "metadata": {"v": "é" * 255}}, None, id="value-255-e-acute-ok"),
    pytest.param(
        {"name": "x", "metadata": {"v": "é" * 256}},
        ("metadata.v", "metadata.value.too_long", ERROR, "é" * 255),
        id="value-256-e-acute",
    ),
    pytest.param({"name": "x", "metadata": {"v": "😀" * 255}}, None, id="value-255-emoji-ok"),
    pytest.param(
        {"name": "x", "metadata": {"v": "😀" * 256}},
        ("metadata.v", "metadata.value.too_long", ERROR, "😀" * 255),
        id="value-256-emoji",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": 3}},
        ("metadata.plan", "metadata.value.type", ERROR, "3"),
        id="value-int",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": 1.5}},
        ("metadata.plan", "metadata.value.type", ERROR, "1.5"),
        id="value-float",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": True}},
        ("metadata.plan", "metadata.value.type", ERROR, "true"),
        id="value-bool",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": None}},
        ("metadata.plan", "metadata.value.type", ERROR, None),
        id="value-null",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": {"tier": "pro"}}},
        ("metadata.plan", "metadata.value.type", ERROR, None),
        id="value-object",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": ["pro"]}},
        ("metadata.plan", "metadata.value.type", ERROR, None),
        id="value-list",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": "<b>pro</b>"}},
        ("metadata.plan", "metadata.value.markup", WARNING, "pro"),
        id="value-bold-markup",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": "<script>alert(1)</script>x"}},
        ("metadata.plan", "metadata.value.markup", WARNING, "x"),
        id="value-script-removed-with-content",
    ),
    pytest.param(
        {"name": "x", "metadata": {"plan": "&lt;b&gt;pro&lt;/b&gt;"}},
        None,
        id="value-entity-encoded-text-is-stored-as-typed",
    ),
    pytest.param({"name": "x", "metadata": {"plan": "a & b"}}, None, id="value-ampersand-ok"),
    # optional strings
    pytest.param({"name": "x", "visitorUid": "", "sessionUid": ""}, None, id="ids-empty-omitted"),
    pytest.param({"name": "x", "visitorUid": None}, None, id="visitor-id-null-omitted"),
    pytest.param(
        {"name": "x", "visitorUid": 123},
        ("visitorUid", "id.type", ERROR, None),
        id="visitor-id-number",
    ),
    pytest.param(
        {"name": "x", "visitorUid": "_fs_vid=abc123; _fs_sid=def456"},
        ("visitorUid", "id.looks_like_cookie", WARNING, "abc123"),
        id="visitor-id-is-cookie-string",
    ),
    pytest.param(
        {"name": "x", "sessionUid": "_fs_vid=abc123; _fs_sid=def456"},
        ("sessionUid", "id.looks_like_cookie", WARNING, "def456"),
        id="session-id-is-cookie-string",
    ),
    pytest.param({"name": "x", "timezone": "Europe/Paris"}, None, id="timezone-ok"),
    pytest.param({"name": "x", "timezone": ""}, None, id="timezone-empty-omitted"),
    pytest.param(
        {"name": "x", "timezone": "europe/paris"},
        ("timezone", "timezone.unknown", ERROR, "Europe/Paris"),
        id="timezone-lowercase",
    ),
    pytest.param(
        {"name": "x", "timezone": "Mars/Olympus"},
        ("timezone", "timezone.unknown", ERROR, None),
        id="timezone-unknown",
    ),
    pytest.param(
        {"name": "x", "timezone": 2},
        ("timezone", "timezone.type", ERROR, None),
        id="timezone-number",
    ),
    # unknown fields
    pytest.param(
        {"name": "x", "visitorUID": "abc"},
        ("visitorUID", "body.unknown_field", WARNING, "visitorUid"),
        id="unknown-field-visitorUID-typo",
    ),
    pytest.param(
        {"name": "x", "session_uid": "abc"},
        ("session_uid", "body.unknown_field", WARNING, "sessionUid"),
        id="unknown-field-snake-case-typo",
    ),
    pytest.param(
        {"name": "x", "zzz": 1},
        ("zzz", "body.unknown_field", WARNING, None),
        id="unknown-field-no-likely-match",
    ),
    # not an object at all
    pytest.param([], ("", "body.type", ERROR, None), id="body-list"),
    pytest.param("signup", ("", "body.type", ERROR, None), id="body-string"),
    pytest.param(1, ("", "body.type", ERROR, None), id="body-number"),
    pytest.param(None, ("", "body.type", ERROR, None), id="body-null"),
    pytest.param(True, ("", "body.type", ERROR, None), id="body-bool"),
]


def _assert_expected(report: Report, expected: Expected) -> None:
    assert isinstance(report, Report)
    if expected is None:
        assert report.findings == ()
        assert report.ok
        assert report.body is not None
        return
    path, code, severity, fix = expected
    matches = [f for f in report.findings if f.path == path and f.code == code]
    assert matches, f"no {code} at {path!r} in {report.findings}"
    finding = matches[0]
    assert finding.severity == severity
    assert finding.fix == fix
    assert finding.message.strip(), "every finding needs a message in plain words"
    if severity == ERROR:
        assert not report.ok
        assert report.body is None
    else:
        assert report.ok
        assert report.body is not None


@pytest.mark.parametrize(("draft", "expected"), DRAFT_CASES)
def test_draft_boundary_case_reports_path_code_severity_and_fix(
    draft: Draft, expected: Expected
) -> None:
    _assert_expected(check_draft(draft), expected)


@pytest.mark.parametrize(("body", "expected"), BODY_CASES)
def test_body_boundary_case_reports_path_code_severity_and_fix(
    body: Any, expected: Expected
) -> None:
    _assert_expected(check_body(body), expected)


# --- Applying a fix clears the finding it was offered for ---------------------------------------

_DRAFT_FIELDS = {
    "name": "name",
    "visitorUid": "visitor_uid",
    "sessionUid": "session_uid",
    "timezone": "timezone",
}


def _apply_draft_fix(draft: Draft, finding: Finding) -> tuple[Draft, str]:
    assert finding.fix is not None
    if finding.path in _DRAFT_FIELDS:
        changes: dict[str, Any] = {_DRAFT_FIELDS[finding.path]: finding.fix}
        return replace(draft, **changes), finding.path
    assert finding.path.startswith("metadata["), finding.path
    index_text, _, part = finding.path[len("metadata[") :].partition("].")
    index = int(index_text)
    rows = list(draft.metadata)
    key, value = rows[index]
    rows[index] = (finding.fix, value) if part == "key" else (key, finding.fix)
    return replace(draft, metadata=tuple(rows)), finding.path


def _metadata_key_at(body: dict[str, Any], path: str) -> str:
    for key in body["metadata"]:
        if path in (f"metadata.{key}", f"metadata[{json.dumps(key, ensure_ascii=False)}]"):
            return str(key)
    raise AssertionError(f"no metadata key at {path!r}")


def _apply_body_fix(body: dict[str, Any], finding: Finding) -> tuple[dict[str, Any], str]:
    """The body with the fix applied, and the path the fixed field now has."""
    assert finding.fix is not None
    fixed = json.loads(json.dumps(body))
    if finding.code == "body.unknown_field":
        fixed[finding.fix] = fixed.pop(finding.path)
        return fixed, finding.fix
    if finding.path.startswith("metadata"):
        key = _metadata_key_at(fixed, finding.path)
        if finding.code.startswith("metadata.key."):
            metadata = {(finding.fix if k == key else k): v for k, v in fixed["metadata"].items()}
            fixed["metadata"] = metadata
            return fixed, f"metadata.{finding.fix}"
        fixed["metadata"][key] = finding.fix
        return fixed, finding.path
    fixed[finding.path] = finding.fix
    return fixed, finding.path


def _with_fix(cases: list[Any]) -> list[Any]:
    return [c for c in cases if c.values[1] is not None and c.values[1][3] is not None]


@pytest.mark.parametrize(("draft", "expected"), _with_fix(DRAFT_CASES))
def test_applying_a_draft_fix_clears_that_finding(draft: Draft, expected: Expected) -> None:
    assert expected is not None
    path, code, _, _ = expected
    (finding,) = [f for f in check_draft(draft).findings if f.path == path and f.code == code]
    fixed, new_path = _apply_draft_fix(draft, finding)
    again = check_draft(fixed)
    assert code not in {f.code for f in again.at(new_path)}, again.findings


@pytest.mark.parametrize(("body", "expected"), _with_fix(BODY_CASES))
def test_applying_a_body_fix_clears_that_finding(body: Any, expected: Expected) -> None:
    assert expected is not None
    path, code, _, _ = expected
    (finding,) = [f for f in check_body(body).findings if f.path == path and f.code == code]
    fixed, new_path = _apply_body_fix(body, finding)
    again = check_body(fixed)
    assert code not in {f.code for f in again.at(new_path)}, again.findings


def test_suggested_fixes_together_make_a_sendable_goal() -> None:
    draft = Draft(
        name="Newsletter Signup",
        timezone="europe/paris",
        metadata=(("Plan", "<b>pro</b>"), ("Referrer Site", "x" * 300)),
    )
    for _ in range(5):  # bounded: each round applies every fix offered
        report = check_draft(draft)
        fixable = [f for f in report.findings if f.fix is not None]
        if not fixable:
            break
        for finding in fixable:
            draft, _ = _apply_draft_fix(draft, finding)
    assert check_draft(draft).ok
    assert check_draft(draft).body == {
        "name": "newsletter_signup",
        "metadata": {"plan": "pro", "referrer_site": "x" * 255},
        "timezone": "Europe/Paris",
    }


# --- Drafts: rows, duplicates, blanks ---------------------------------------------------------


def test_duplicate_key_is_reported_only_at_the_later_row() -> None:
    report = check_draft(Draft(name="x", metadata=(("plan", "a"), ("plan", "b"))))
    assert [f.code for f in report.at("metadata[0].key")] == []
    assert [f.code for f in report.at("metadata[1].key")] == ["metadata.key.duplicate"]
    assert "row 1" in report.at("metadata[1].key")[0].message


def test_blank_rows_are_neither_sent_nor_reported() -> None:
    report = check_draft(Draft(name="x", metadata=(("", ""), ("plan", "pro"), ("", ""))))
    assert report.findings == ()
    assert report.body == {"name": "x", "metadata": {"plan": "pro"}}


def test_draft_of_only_blank_rows_sends_no_metadata() -> None:
    report = check_draft(Draft(name="x", metadata=(("", ""), ("", ""))))
    assert report.body == {"name": "x"}


def test_eleven_filled_rows_among_blanks_are_too_many() -> None:
    rows = tuple(row for pair in zip(_rows(11), [("", "")] * 11, strict=True) for row in pair)
    report = check_draft(Draft(name="x", metadata=rows))
    assert [f.code for f in report.errors] == ["metadata.too_many"]


def test_empty_value_warns_but_is_sent_as_empty_string() -> None:
    report = check_draft(Draft(name="x", metadata=(("plan", ""),)))
    assert report.ok
    assert report.body == {"name": "x", "metadata": {"plan": ""}}


# --- The exact body -----------------------------------------------------------------------------


def test_full_draft_body_has_exact_key_order_and_json_text() -> None:
    draft = Draft(
        name="signup",
        visitor_uid="vid",
        session_uid="sid",
        timezone="Europe/Paris",
        metadata=(("plan", "pro"), ("seats", "3")),
    )
    report = check_draft(draft)
    assert report.body is not None
    assert list(report.body) == ["name", "visitorUid", "sessionUid", "metadata", "timezone"]
    assert json.dumps(report.body) == (
        '{"name": "signup", "visitorUid": "vid", "sessionUid": "sid", '
        '"metadata": {"plan": "pro", "seats": "3"}, "timezone": "Europe/Paris"}'
    )


def test_body_keys_come_out_in_contract_order_whatever_order_they_came_in() -> None:
    raw = {"timezone": "UTC", "metadata": {"b": "2", "a": "1"}, "sessionUid": "s", "name": "x"}
    report = check_body(raw)
    assert report.body is not None
    assert list(report.body) == ["name", "sessionUid", "metadata", "timezone"]
    assert list(report.body["metadata"]) == ["b", "a"], "metadata keeps the order typed"


def test_name_alone_is_a_valid_goal() -> None:
    assert check_body({"name": "x"}) == Report((), {"name": "x"})
    assert check_draft(Draft(name="x")) == Report((), {"name": "x"})


def test_empty_optional_fields_are_left_out_of_the_body() -> None:
    report = check_body(
        {"name": "x", "visitorUid": "", "sessionUid": "", "metadata": None, "timezone": ""}
    )
    assert report.body == {"name": "x"}
    report = check_draft(Draft(name="x", visitor_uid="", session_uid="", timezone=""))
    assert report.body == {"name": "x"}


def test_unknown_fields_are_kept_after_the_known_ones_in_the_body() -> None:
    report = check_body({"visitorUID": "v", "name": "x"})
    assert report.body == {"name": "x", "visitorUID": "v"}
    assert list(report.body) == ["name", "visitorUID"]


def test_markup_value_is_sent_as_typed_and_the_warning_shows_what_is_stored() -> None:
    report = check_draft(Draft(name="x", metadata=(("plan", "<b>pro</b>"),)))
    assert report.body == {"name": "x", "metadata": {"plan": "<b>pro</b>"}}
    (warning,) = report.warnings
    assert "pro" in warning.message


def test_markup_that_strips_to_nothing_says_so() -> None:
    report = check_draft(Draft(name="x", metadata=(("plan", "<script>alert(1)</script>"),)))
    (warning,) = report.warnings
    assert warning.fix == ""
    assert "empty" in warning.message


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param("<b>pro</b>", "pro", id="bold"),
        pytest.param("<script>alert(1)</script>x", "x", id="script-with-content"),
        pytest.param("<style>p{}</style>x", "x", id="style-with-content"),
        pytest.param("a & b", "a & b", id="ampersand-unchanged"),
        pytest.param("1 < 2", "1 < 2", id="less-than-unchanged"),
        pytest.param("plain", "plain", id="plain"),
    ],
)
def test_stored_value_is_what_the_server_keeps(value: str, stored: str) -> None:
    assert stored_value(value) == stored
    assert stored_metadata({"k": value}) == {"k": stored}


def test_stored_value_never_contains_a_script_tag() -> None:
    assert "<script" not in stored_value("&lt;script&gt;alert(1)&lt;/script&gt;")


# --- Raw text: parse_body and check_body_text --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param(b'{"name": "caf\xe9"}', "UTF-8", id="invalid-utf8-bytes"),
        pytest.param(b"", "empty", id="empty-bytes"),
        pytest.param("", "empty", id="empty-text"),
        pytest.param("  \n\t", "empty", id="whitespace-only"),
        pytest.param('{"name": "x"} trailing', "line 1", id="trailing-garbage"),
        pytest.param('{"name": "x"}{}', "line 1", id="two-documents"),
        pytest.param('{"name": "x",}', "line 1", id="trailing-comma"),
        pytest.param("{'name': 'x'}", "line 1", id="single-quotes"),
        pytest.param('{\n"name": x\n}', "line 2, column 9", id="syntax-error-says-line-and-column"),
        pytest.param("[" * 100_000, "", id="nested-too-deep"),
    ],
)
def test_parse_body_raises_not_json_in_plain_words(raw: str | bytes, words: str) -> None:
    with pytest.raises(NotJSON) as caught:
        parse_body(raw)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(NotJSON):
        check_body_text(raw)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_parse_body_rejects_non_json_constants(constant: str) -> None:
    with pytest.raises(NotJSON):
        parse_body(f'{{"name": "x", "extra": {constant}}}')


def test_parse_body_accepts_bytes_text_and_a_byte_order_mark() -> None:
    assert parse_body(b'{"name": "caf\xc3\xa9"}').value == {"name": "café"}
    assert parse_body('\ufeff{"name": "x"}').value == {"name": "x"}
    assert parse_body(b'\xef\xbb\xbf{"name": "x"}').value == {"name": "x"}


def test_duplicate_top_level_key_is_a_warning_and_the_last_value_wins() -> None:
    report = check_body_text('{"name": "first", "name": "second"}')
    assert report.ok
    assert report.body == {"name": "second"}
    (warning,) = report.warnings
    assert (warning.path, warning.code, warning.severity) == (
        "name",
        "body.duplicate_key",
        WARNING,
    )


def test_duplicate_metadata_key_is_a_warning_at_its_metadata_path() -> None:
    parsed = parse_body('{"name": "x", "metadata": {"plan": "a", "plan": "b"}}')
    assert parsed.duplicate_keys == ("plan",)
    report = check_body(parsed.value, parsed.duplicate_keys)
    assert [(f.path, f.code) for f in report.warnings] == [("metadata.plan", "body.duplicate_key")]
    assert report.body == {"name": "x", "metadata": {"plan": "b"}}


def test_check_body_text_reports_like_check_body() -> None:
    raw = '{"name": "Signup", "metadata": {"plan": 3}}'
    assert check_body_text(raw) == check_body(json.loads(raw))
    assert check_body_text(raw.encode()) == check_body(json.loads(raw))


# --- API keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "code", "fix"),
    [
        pytest.param("", "key.missing", None, id="missing"),
        pytest.param("sk_live_abcdef1234", "key.prefix", None, id="no-flow-prefix"),
        pytest.param("FLOW_sk_live_abcd", "key.prefix", None, id="uppercase-prefix"),
        pytest.param(
            " flow_sk_test_abcd\n", "key.whitespace", "flow_sk_test_abcd", id="surrounding-space"
        ),
    ],
)
def test_api_key_of_the_wrong_form_is_warned_about(key: str, code: str, fix: str | None) -> None:
    (finding,) = check_api_key(key)
    assert (finding.path, finding.code, finding.severity, finding.fix) == (
        "apiKey",
        code,
        WARNING,
        fix,
    )
    if key.strip():
        assert key.strip() not in finding.message, "a key must never appear in a message"


def test_api_key_with_flow_prefix_has_no_warning() -> None:
    assert check_api_key("flow_sk_test_abcdef1234") == ()


# --- Pasting a body into the form ---------------------------------------------------------------


def test_draft_from_body_round_trips_a_full_valid_body() -> None:
    body = {
        "name": "signup",
        "visitorUid": "vid",
        "sessionUid": "sid",
        "metadata": {"plan": "pro", "seats": "3"},
        "timezone": "Europe/Paris",
    }
    draft, findings = draft_from_body(body)
    assert findings == ()
    assert draft == Draft("signup", "vid", "sid", "Europe/Paris", (("plan", "pro"), ("seats", "3")))
    assert check_draft(draft).body == body
    assert list(check_draft(draft).body or {}) == list(body)


def test_draft_from_body_reports_every_field_it_cannot_map() -> None:
    body = {"name": "x", "visitorUID": "v", "metadata": {"seats": 3, "plan": "pro"}, "foo": 1}
    draft, findings = draft_from_body(body)
    assert draft.metadata == (("seats", "3"), ("plan", "pro"))
    assert draft.visitor_uid == ""
    by_path = {f.path: f for f in findings}
    assert by_path["visitorUID"].code == "paste.unknown_field"
    assert "visitorUid" in by_path["visitorUID"].message
    assert by_path["foo"].code == "paste.unknown_field"
    assert by_path["metadata.seats"].code == "paste.value_type"
    assert all(f.severity == WARNING for f in findings)
    assert len(findings) == 3


def test_draft_from_body_converts_wrong_types_and_says_so() -> None:
    draft, findings = draft_from_body({"name": 5, "metadata": ["plan"]})
    assert draft.name == "5"
    assert draft.metadata == ()
    assert {(f.path, f.code) for f in findings} == {
        ("name", "paste.type"),
        ("metadata", "paste.metadata_type"),
    }


@pytest.mark.parametrize("value", [[], "x", 3, None], ids=["list", "string", "number", "null"])
def test_draft_from_body_of_a_non_object_gives_an_empty_form_and_an_error(value: Any) -> None:
    draft, findings = draft_from_body(value)
    assert draft == Draft()
    assert [(f.path, f.code, f.severity) for f in findings] == [("", "paste.type", ERROR)]


def test_the_fix_for_an_over_long_value_is_labelled_by_what_it_does() -> None:
    from flowsery_gui.contract import Draft, check_draft

    report = check_draft(Draft(name="a", metadata=(("note", "x" * 300),)))
    [finding] = [f for f in report.findings if f.code == "metadata.value.too_long"]
    assert finding.fix == "x" * 255  # the value the fix puts in
    assert finding.fix_text == "cut to 255 characters"  # what a button or a line shows
    [name] = check_draft(Draft(name="Sign Up")).findings
    assert name.fix_text == name.fix == "sign_up"
