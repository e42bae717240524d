"""Properties of the rule set: it never fails on any input, and the sandbox agrees with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowsery_gui.contract import (
    GOALS_PATH,
    KNOWN_FIELDS,
    NAME_PATTERN,
    Draft,
    NotJSON,
    ParsedBody,
    Report,
    check_body,
    check_body_text,
    check_draft,
    draft_from_body,
    parse_body,
)
from tests.sandbox_helpers import running_sandbox

# No example database: hypothesis would otherwise write a folder into the working tree.
FAST = settings(max_examples=100, deadline=None, database=None)
AGAINST_SANDBOX = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ALLOWED = "abcdefghijklmnopqrstuvwxyz0123456789_-"
BAD_CHARS = " A.é😀/\t<"
VALUE_CHARS = "abzé😀 <>&/"


# --- Strategies -----------------------------------------------------------------------------------


def json_like(finite: bool = False) -> st.SearchStrategy[Any]:
    """Any value JSON can carry (and, unless finite, the NaN/inf that Python's json reads)."""
    floats = st.floats(allow_nan=not finite, allow_infinity=not finite)
    scalars = st.none() | st.booleans() | st.integers() | floats | st.text(max_size=8)
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=8,
    )


def field_biased(finite: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Objects whose keys are mostly the known fields (and their likely typos)."""
    field_names = st.sampled_from((*KNOWN_FIELDS, "visitorUID", "Name", "metadata ", "extra"))
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=not finite)
    metadata = st.dictionaries(st.text(max_size=6), scalars | st.text(max_size=6), max_size=12)
    values = json_like(finite) | metadata | st.text(ALLOWED, min_size=1, max_size=6) | NAMES
    return st.dictionaries(field_names | st.text(max_size=4), values, max_size=6)


def allowed_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Text drawn only from the characters names and keys may use."""
    return st.text(ALLOWED, min_size=min_size, max_size=max_size)


def near_length(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    """Text of about `low`..`high` characters, cheap to draw: a run of one character, edited."""
    return st.tuples(
        allowed_text(0, 2), st.sampled_from(alphabet), st.integers(low, high), allowed_text(0, 2)
    ).map(lambda t: t[0] + t[1] * t[2] + t[3])


def with_bad_char() -> st.SearchStrategy[str]:
    """A name or key that is valid but for one character, sometimes near 64 characters long."""
    return st.tuples(
        allowed_text(0, 3) | near_length(ALLOWED, 56, 62),
        st.sampled_from(BAD_CHARS),
        allowed_text(0, 2),
    ).map("".join)


WRONG_TYPES = st.integers() | st.booleans() | st.none() | st.lists(st.text(max_size=2), max_size=2)
STR_NAMES = st.one_of(
    near_length(ALLOWED, 58, 64),  # the 64-character boundary: 58..68 characters
    allowed_text(1, 6),
    with_bad_char(),
    st.sampled_from(["", " signup", "Signup", "sign up"]),
)
NAMES = STR_NAMES | WRONG_TYPES
KEYS = st.one_of(allowed_text(1, 6), near_length(ALLOWED, 58, 64), with_bad_char(), st.just(""))
NEAR_LIMIT_VALUES = near_length(VALUE_CHARS, 249, 255)  # the 255 boundary: 249..259 characters
SHORT_VALUES = st.text(VALUE_CHARS, max_size=6)
WRONG_VALUES = st.one_of(
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=2), max_size=2),
    st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=2),
)
STR_TIMEZONES = st.sampled_from(["", "UTC", "Europe/Paris", "europe/paris", "Mars/Olympus"])
TIMEZONES = STR_TIMEZONES | st.sampled_from([None, 3])
IDS = st.one_of(
    st.just(""), st.text(max_size=8), st.just("_fs_vid=abc; _fs_sid=def"), st.none(), st.integers()
)


VALID_TIMEZONES = st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"])


@st.composite
def valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A body the contract accepts, already close to its limits (64-char names, 255-char values)."""
    body: dict[str, Any] = {"name": draw(allowed_text(1, 8) | near_length(ALLOWED, 56, 60))}
    if draw(st.booleans()):
        body["visitorUid"] = draw(st.text(max_size=8))
    if draw(st.booleans()):
        body["sessionUid"] = draw(st.text(max_size=8))
    if draw(st.booleans()):
        count = draw(st.integers(min_value=0, max_value=10))
        metadata: dict[str, Any] = {f"k{i}": draw(SHORT_VALUES) for i in range(count)}
        if count:
            metadata["k0"] = draw(near_length(VALUE_CHARS, 249, 251))  # 249..255 characters
        body["metadata"] = metadata if count or draw(st.booleans()) else None
    if draw(st.booleans()):
        body["timezone"] = draw(VALID_TIMEZONES | st.just(""))
    return body


def _over_limit_metadata(draw: st.DrawFn, body: dict[str, Any]) -> None:
    metadata = body.get("metadata")
    if not isinstance(metadata, dict):
        metadata = body["metadata"] = {}
    while len(metadata) < draw(st.integers(min_value=11, max_value=12)):
        metadata[f"extra{len(metadata)}"] = draw(SHORT_VALUES)


def _mutate(draw: st.DrawFn, body: dict[str, Any]) -> None:
    """Push one field of a valid body over (or just up to) one limit, or give it a wrong type."""
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
    kind = draw(
        st.sampled_from(
            [
                "name",
                "name-near-limit",
                "no-name",
                "metadata-count",
                "metadata-value",
                "metadata-value",
                "metadata-value-type",
                "metadata-key",
                "metadata-shape",
                "timezone",
                "id-type",
                "unknown-field",
            ]
        )
    )
    if kind == "name":
        body["name"] = draw(NAMES)
    elif kind == "name-near-limit":
        body["name"] = draw(near_length(ALLOWED, 60, 64))  # 60..68 characters
    elif kind == "no-name":
        body.pop("name", None)
    elif kind == "metadata-count":
        _over_limit_metadata(draw, body)
    elif kind == "metadata-value":
        body["metadata"] = {**(metadata or {}), "v": draw(NEAR_LIMIT_VALUES)}
    elif kind == "metadata-value-type":
        body["metadata"] = {**(metadata or {}), "v": draw(WRONG_VALUES)}
    elif kind == "metadata-key":
        body["metadata"] = {**(metadata or {}), draw(KEYS): "x"}
    elif kind == "metadata-shape":
        body["metadata"] = draw(st.lists(st.text(max_size=3), max_size=2) | st.text(max_size=5))
    elif kind == "timezone":
        body["timezone"] = draw(TIMEZONES)
    elif kind == "id-type":
        body[draw(st.sampled_from(["visitorUid", "sessionUid"]))] = draw(WRONG_TYPES)
    else:
        body[draw(st.sampled_from(["visitorUID", "Name", "meta"]))] = draw(st.text(max_size=4))


@st.composite
def boundary_bodies(draw: st.DrawFn) -> Any:
    """Goal bodies biased toward every limit of the contract: valid ones, then 0-2 mutations."""
    if draw(st.integers(min_value=0, max_value=29)) == 0:
        return draw(WRONG_TYPES)  # not an object at all
    body = draw(valid_bodies())
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        _mutate(draw, body)
    return body


@st.composite
def raw_bodies(draw: st.DrawFn) -> bytes:
    """The bytes of a boundary body, sometimes with a duplicated name key written first."""
    body = draw(boundary_bodies())
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))
    if isinstance(body, dict) and body and draw(st.integers(min_value=0, max_value=4)) == 0:
        text = '{"name": ' + json.dumps(draw(NAMES)) + ", " + text[1:]
    return text.encode("utf-8")


DRAFTS = st.builds(
    Draft,
    name=st.text(max_size=8) | STR_NAMES,
    visitor_uid=st.text(max_size=8) | st.just("_fs_vid=abc; _fs_sid=def"),
    session_uid=st.text(max_size=8),
    timezone=st.text(max_size=8) | STR_TIMEZONES,
    metadata=st.lists(
        st.tuples(st.text(max_size=6) | KEYS, st.text(max_size=6) | NEAR_LIMIT_VALUES),
        max_size=12,
    ).map(tuple),
)


def _assert_well_formed(report: Report) -> None:
    assert isinstance(report, Report)
    for finding in report.findings:
        assert finding.severity in ("error", "warning")
        assert isinstance(finding.path, str)
        assert finding.code and finding.message
    assert report.ok == (report.body is not None)


# --- Never an exception ---------------------------------------------------------------------------


@FAST
@given(value=json_like() | field_biased(), duplicate_keys=st.lists(st.text(max_size=8), max_size=3))
def test_check_body_gives_a_report_for_any_json_like_value(
    value: Any, duplicate_keys: list[str]
) -> None:
    report = check_body(value, tuple(duplicate_keys))
    _assert_well_formed(report)
    if report.ok:
        assert report.body is not None
        json.dumps(report.body)
        again = check_body(report.body)
        assert again.ok, again.errors


@st.composite
def accepted_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """Bodies the contract accepts, warnings included: valid ones at every limit (64-character
    names, 10 keys, 255-character values), some with an unknown field, markup in a value,
    an empty value, or empty optional fields that are left out."""
    body = draw(valid_bodies())
    for extra in draw(st.sets(st.sampled_from(["unknown", "markup", "empty", "blank-ids"]))):
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        if extra == "unknown":
            body[draw(st.sampled_from(["visitorUID", "Name", "extra"]))] = draw(json_like(True))
        elif extra == "markup" and len(metadata) < 10:
            body["metadata"] = {**metadata, "m": draw(st.sampled_from(["<b>x</b>", "a <i>b"]))}
        elif extra == "empty" and len(metadata) < 10:
            body["metadata"] = {**metadata, "e": ""}
        elif extra == "blank-ids":
            body.update(visitorUid="", sessionUid="", timezone="")
    return body


@FAST
@given(value=accepted_bodies())
def test_an_accepted_body_is_accepted_again_unchanged_and_is_valid_json(value: Any) -> None:
    report = check_body(value)
    assert report.ok, report.errors  # every body drawn is one the contract must accept
    assert report.body is not None
    text = json.dumps(report.body, allow_nan=False)
    again = check_body(json.loads(text))
    assert again.ok, again.errors
    assert again.body == report.body
    assert list(again.body or {}) == list(report.body)


@FAST
@given(draft=DRAFTS)
def test_check_draft_gives_a_report_for_any_draft(draft: Draft) -> None:
    report = check_draft(draft)
    _assert_well_formed(report)
    if report.ok:
        assert report.body is not None
        again = check_body(json.loads(json.dumps(report.body, allow_nan=False)))
        assert again.ok, again.errors
        assert again.body == report.body


@FAST
@given(draft=DRAFTS)
def test_every_name_and_key_fix_offered_is_itself_valid(draft: Draft) -> None:
    for finding in check_draft(draft).findings:
        if finding.fix is not None and finding.code.startswith(("name.", "metadata.key.")):
            assert NAME_PATTERN.fullmatch(finding.fix), finding


@FAST
@given(raw=st.text() | st.binary() | st.text(alphabet='{}[]":,0123456789.eE+-tnrulsafN \\\n'))
def test_parse_body_either_parses_or_raises_not_json(raw: str | bytes) -> None:
    try:
        parsed = parse_body(raw)
    except NotJSON as exc:
        assert str(exc)
        return
    assert isinstance(parsed, ParsedBody)
    _assert_well_formed(check_body(parsed.value, parsed.duplicate_keys))


@FAST
@given(value=json_like(finite=True))
def test_parse_body_reads_back_whatever_json_writes(value: Any) -> None:
    parsed = parse_body(json.dumps(value))
    assert parsed.value == value
    assert parsed.duplicate_keys == ()


@FAST
@given(value=json_like() | field_biased() | boundary_bodies())
def test_draft_from_body_gives_a_draft_for_any_value(value: Any) -> None:
    draft, findings = draft_from_body(value)
    assert isinstance(draft, Draft)
    assert all(f.severity in ("error", "warning") for f in findings)
    _assert_well_formed(check_draft(draft))


# --- The sandbox agrees with the validator --------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_session() -> Iterator[tuple[requests.Session, str]]:
    """One running sandbox for the module, and a session that carries its key."""
    with running_sandbox() as sandbox, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {sandbox.api_key}"
        session.headers["Content-Type"] = "application/json"
        yield session, sandbox.url + GOALS_PATH


@AGAINST_SANDBOX
@given(raw=raw_bodies())
def test_sandbox_accepts_what_the_validator_accepts_and_rejects_the_rest_with_400(
    sandbox_session: tuple[requests.Session, str], raw: bytes
) -> None:
    session, url = sandbox_session
    report = check_body_text(raw)
    response = session.post(url, data=raw, timeout=5)
    if report.ok:
        assert response.status_code == 200, (report.findings, response.text)
    else:
        assert response.status_code == 400, (report.errors, response.text)
