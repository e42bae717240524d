"""Planning a cleanup as pure functions: grouping, windows, risks, what is left out, and
properties that hold for any selection (hypothesis)."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowsery_gui.cleanup.model import (
    CLOCK_SKEW_MARGIN_S,
    WIDE_MARGIN_S,
    PlannedCall,
    PlanOptions,
    Reason,
    Risk,
)
from flowsery_gui.cleanup.planner import plan_cleanup, send_span
from flowsery_gui.cleanup.since import parse_since
from flowsery_gui.cleanup.words import describe, left_summary, margin_words, risk_words
from flowsery_gui.history.cleaned import SentRecord

PROFILE = "Production"
TEST_VID = "test-visitor-1"
T0 = 1_714_557_723.0  # 2024-05-01 10:02:03 UTC
URL = "https://analytics.flowsery.com/api/v1/goals"


def sent(
    record_id: int,
    *,
    at: float = T0,
    elapsed_ms: float = 200.0,
    name: str = "signup",
    visitor: str | None = TEST_VID,
    status: int | None = 200,
    failure: str | None = None,
    profile: str = PROFILE,
    source: str = "window",
    method: str = "POST",
    url: str = URL,
    cleaned: bool = False,
) -> SentRecord:
    return SentRecord(
        id=record_id,
        started_at=at,
        elapsed_ms=elapsed_ms,
        profile=profile,
        source=source,
        method=method,
        url=url,
        goal_name=name,
        visitor_uid=visitor,
        session_uid=None,
        status=status,
        failure_kind=failure,
        cleaned_by=7 if cleaned else None,
        cleaned_at=T0 + 60 if cleaned else None,
    )


def plan(*records: SentRecord, **options: bool):  # type: ignore[no-untyped-def]
    return plan_cleanup(
        records, profile=PROFILE, test_visitor_id=TEST_VID, options=PlanOptions(**options)
    )


# --- windows and grouping ---------------------------------------------------------------------


def test_a_send_gets_a_window_of_five_seconds_around_its_own_span_on_whole_seconds() -> None:
    (call,) = plan(sent(1, at=T0, elapsed_ms=200)).calls
    assert CLOCK_SKEW_MARGIN_S == 5.0
    assert call.start == math.floor(T0 - 5) and call.end == math.ceil(T0 + 0.2 + 5)
    query = call.filter.query()
    assert query == {
        "name": "signup",
        "visitorId": TEST_VID,
        "startAt": "2024-05-01T10:01:58Z",
        "endAt": "2024-05-01T10:02:09Z",
    }


def test_sends_of_one_name_and_visitor_close_together_are_one_call() -> None:
    (call,) = plan(sent(1, at=T0), sent(2, at=T0 + 4), sent(3, at=T0 + 9)).calls
    assert call.send_ids == (1, 2, 3)
    assert call.start == math.floor(T0 - 5) and call.end == math.ceil(T0 + 9.2 + 5)


def test_sends_far_apart_stay_separate_calls_so_nothing_between_them_is_deleted() -> None:
    calls = plan(sent(1, at=T0), sent(2, at=T0 + 3600)).calls
    assert [c.send_ids for c in calls] == [(1,), (2,)]
    assert calls[0].end < calls[1].start


def test_different_names_and_visitors_are_different_calls() -> None:
    calls = plan(
        sent(1, name="signup"), sent(2, name="purchase"), sent(3, visitor="someone-else")
    ).calls
    assert {(c.name, c.visitor_id, c.send_ids) for c in calls} == {
        ("signup", TEST_VID, (1,)),
        ("purchase", TEST_VID, (2,)),
        ("signup", "someone-else", (3,)),
    }


# --- risks -----------------------------------------------------------------------------------


def test_the_profiles_test_visitor_id_reaches_only_test_goals() -> None:
    (call,) = plan(sent(1)).calls
    assert call.risk is Risk.TEST_ONLY and not call.needs_acknowledgement
    assert risk_words(call, timezone.utc) == "Only your test goals."


def test_no_visitor_id_reaches_anyone_and_must_be_acknowledged() -> None:
    (call,) = plan(sent(1, visitor=None)).calls
    assert call.risk is Risk.ANYONE and call.needs_acknowledgement
    assert call.visitor_id == "" and "visitorId" not in call.filter.query()
    assert risk_words(call, timezone.utc) == (
        "Any goal named signup from anyone between 10:01:58\u202fAM and 10:02:09\u202fAM on "
        "May 1, 2024 (UTC) "
        "is deleted, real visitors' goals included."
    )


def test_another_visitor_id_may_be_a_real_person_and_must_be_acknowledged() -> None:
    (call,) = plan(sent(1, visitor="3f6c1e0a")).calls
    assert call.risk is Risk.ONE_VISITOR and call.needs_acknowledgement
    assert "not this profile's test visitor ID" in risk_words(call, timezone.utc)


def test_without_a_test_id_on_the_profile_every_visitor_id_is_a_risk() -> None:
    records = [sent(1)]
    (call,) = plan_cleanup(records, profile=PROFILE, test_visitor_id="").calls
    assert call.risk is Risk.ONE_VISITOR


def test_test_only_calls_come_first() -> None:
    calls = plan(sent(1, visitor=None, at=T0 - 600), sent(2, at=T0)).calls
    assert [c.risk for c in calls] == [Risk.TEST_ONLY, Risk.ANYONE]


def test_describe_says_what_goes_and_how_many_sends_from_here() -> None:
    (call,) = plan(sent(1), sent(2, at=T0 + 1)).calls
    assert describe(call, timezone.utc) == (
        f"Delete your test goals named signup (test visitor ID {TEST_VID}) received between "
        "10:01:58\u202fAM and 10:02:10\u202fAM on May 1, 2024 (UTC): covers 2 sends from here."
    )


def test_a_window_over_midnight_names_both_dates() -> None:
    midnight = 1_714_608_000.0  # 2024-05-02 00:00:00 UTC
    (call,) = plan(sent(1, at=midnight - 1)).calls
    said = describe(call, timezone.utc)  # times as the reader's language writes them
    assert "May 1, 2024, 11:59:54\u202fPM and May 2, 2024, 12:00:05\u202fAM (UTC)" in said


# --- what is left out ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (sent(1, status=400), Reason.NOT_STORED),
        (sent(1, status=401), Reason.NOT_STORED),
        (sent(1, status=429), Reason.NOT_STORED),
        (sent(1, status=None, failure="refused_by_app"), Reason.NOT_SENT),
        (sent(1, status=None, failure="dns"), Reason.NOT_SENT),
        (sent(1, status=None, failure="connect_timeout"), Reason.NOT_SENT),
        (sent(1, status=None, failure="read_timeout"), Reason.UNANSWERED),
        (sent(1, status=None, failure="dropped"), Reason.UNANSWERED),
        (sent(1, status=503), Reason.UNANSWERED),
        (sent(1, method="DELETE"), Reason.NOT_A_GOAL),
        (sent(1, method="GET", url=URL.replace("goals", "metadata")), Reason.NOT_A_GOAL),
        (sent(1, name=""), Reason.NOT_A_GOAL),
        (sent(1, profile="Staging"), Reason.OTHER_PROFILE),
        (sent(1, cleaned=True), Reason.ALREADY_CLEANED),
        (sent(1, source="import"), Reason.INEXACT),
        (sent(1, elapsed_ms=3_600_000), Reason.INEXACT),
        (sent(1, elapsed_ms=math.nan), Reason.INEXACT),
        (sent(1, at=0.0), Reason.NO_TIME),
        (sent(1, at=math.nan), Reason.NO_TIME),
    ],
)
def test_records_that_need_no_exact_call_are_left_out_with_their_reason(
    record: SentRecord, reason: Reason
) -> None:
    result = plan(record)
    assert result.calls == ()
    assert [(item.record.id, item.reason) for item in result.left] == [(1, reason)]
    assert len(left_summary(result)) == 1


def test_unanswered_sends_are_planned_when_asked_and_counted_as_maybe() -> None:
    records = [sent(1), sent(2, at=T0 + 1, status=None, failure="read_timeout")]
    assert plan(*records).left_for(Reason.UNANSWERED) == (records[1],)
    (call,) = plan(*records, include_unanswered=True).calls
    assert call.send_ids == (1, 2) and call.unanswered_ids == (2,) and call.expected == 1
    assert "1 of them unanswered" in describe(call, timezone.utc)


def test_inexact_sends_with_no_visitor_id_get_a_wide_bounded_window_only_when_asked() -> None:
    imported = sent(1, visitor=None, source="import")
    assert plan(imported).left_for(Reason.INEXACT) == (imported,)
    (call,) = plan(imported, wide_window=True).calls
    assert call.wide and call.needs_acknowledgement and call.risk is Risk.ANYONE
    assert call.start == math.floor(T0 - WIDE_MARGIN_S)
    assert call.end == math.ceil(T0 + 0.2 + WIDE_MARGIN_S)
    assert call.filter.bounded
    assert "The window is wide" in risk_words(call)


def test_even_a_test_id_send_in_a_wide_window_needs_acknowledging() -> None:
    (call,) = plan(sent(1, source="import"), wide_window=True).calls
    assert call.risk is Risk.TEST_ONLY and call.wide and call.needs_acknowledgement


def test_a_record_selected_twice_is_planned_once() -> None:
    (call,) = plan(sent(1), sent(1)).calls
    assert call.send_ids == (1,)


def test_margin_words_state_the_margin() -> None:
    assert margin_words(plan(sent(1))) == (
        "Each window runs from 5 s before a send to 5 s after its answer, for a difference "
        "between this computer's clock and the server's."
    )


def test_a_call_cannot_be_made_without_both_bounds_or_a_name() -> None:
    with pytest.raises(ValueError, match="both ends"):
        PlannedCall("signup", "", math.nan, T0, Risk.ANYONE, (1,))
    with pytest.raises(ValueError, match="before its start"):
        PlannedCall("signup", "", T0, T0 - 1, Risk.ANYONE, (1,))
    with pytest.raises(ValueError, match="goal name"):
        PlannedCall("", "", T0, T0, Risk.ANYONE, (1,))


# --- properties ------------------------------------------------------------------------------

names = st.sampled_from(["signup", "purchase", "trial-start"])
visitors = st.sampled_from([TEST_VID, "real-visitor", "", None])
statuses = st.sampled_from([200, 201, 400, 429, 500, None])
failures = st.sampled_from(["read_timeout", "dns", "refused_by_app", "dropped"])


@st.composite
def records(draw: st.DrawFn) -> list[SentRecord]:
    count = draw(st.integers(0, 40))
    found = []
    for index in range(count):
        status = draw(statuses)
        found.append(
            sent(
                index + 1,
                at=T0 + draw(st.floats(0, 7200, allow_nan=False)),
                elapsed_ms=draw(
                    st.one_of(st.floats(0, 30_000, allow_nan=False), st.just(5_000_000.0))
                ),
                name=draw(names),
                visitor=draw(visitors),
                status=status,
                failure=draw(failures) if status is None else None,
                profile=draw(st.sampled_from([PROFILE, PROFILE, PROFILE, "Staging"])),
                source=draw(st.sampled_from(["window", "cli", "cli", "import"])),
                cleaned=draw(st.booleans()) and draw(st.booleans()),
            )
        )
    return found


plan_options = st.builds(
    PlanOptions,
    include_unanswered=st.booleans(),
    wide_window=st.booleans(),
    margin_s=st.sampled_from([0.0, 2.5, 5.0, 30.0]),
)


@settings(max_examples=120, deadline=None)
@given(records(), plan_options)
def test_every_call_is_bounded_and_every_record_is_covered_once_or_left_out(
    chosen: list[SentRecord], options: PlanOptions
) -> None:
    result = plan_cleanup(chosen, profile=PROFILE, test_visitor_id=TEST_VID, options=options)
    covered = [i for call in result.calls for i in call.send_ids]
    left = [item.record.id for item in result.left]
    assert sorted(covered + left) == sorted({r.id for r in chosen})  # a partition
    for call in result.calls:
        query = call.filter.query()
        assert call.filter.bounded and "startAt" in query and "endAt" in query
        assert math.isfinite(call.start) and call.start <= call.end
        assert call.start == int(call.start) and call.end == int(call.end)


@settings(max_examples=120, deadline=None)
@given(records(), plan_options)
def test_every_covered_send_lies_inside_its_calls_window_whatever_the_clock_skew(
    chosen: list[SentRecord], options: PlanOptions
) -> None:
    result = plan_cleanup(chosen, profile=PROFILE, test_visitor_id=TEST_VID, options=options)
    by_id = {r.id: r for r in chosen}
    for call in result.calls:
        for send_id in call.send_ids:
            record = by_id[send_id]
            assert record.goal_name == call.name
            assert (record.visitor_uid or "") == call.visitor_id
            assert record.profile == PROFILE and not record.cleaned
            span = send_span(record)
            assert span is not None
            first, last, exact = span
            margin = options.margin_s if exact else options.wide_margin_s
            # the server received it between first and last on our clock; its own clock
            # reads up to `margin` seconds off either way
            assert call.start <= first - margin and last + margin <= call.end


@settings(max_examples=120, deadline=None)
@given(records(), plan_options)
def test_calls_never_reach_beyond_their_own_sends_windows_nor_overlap_each_other(
    chosen: list[SentRecord], options: PlanOptions
) -> None:
    result = plan_cleanup(chosen, profile=PROFILE, test_visitor_id=TEST_VID, options=options)
    by_id = {r.id: r for r in chosen}
    groups: dict[tuple[str, str], list[PlannedCall]] = {}
    for call in result.calls:
        groups.setdefault((call.name, call.visitor_id), []).append(call)
        windows = []
        for send_id in call.send_ids:
            first, last, exact = send_span(by_id[send_id]) or (0, 0, True)
            margin = options.margin_s if exact else options.wide_margin_s
            windows.append((math.floor(first - margin), math.ceil(last + margin)))
        windows.sort()
        # the call is exactly the union of its sends' windows, with no gap inside it
        assert call.start == windows[0][0] and call.end == max(w[1] for w in windows)
        reach = windows[0][1]
        for start, end in windows[1:]:
            assert start <= reach
            reach = max(reach, end)
    for calls in groups.values():  # one name and visitor: calls apart, never overlapping
        calls.sort(key=lambda c: c.start)
        for before, after in itertools.pairwise(calls):
            assert before.end < after.start


@settings(max_examples=100, deadline=None)
@given(records())
def test_the_risk_follows_the_visitor_id_alone(chosen: list[SentRecord]) -> None:
    result = plan_cleanup(chosen, profile=PROFILE, test_visitor_id=TEST_VID)
    for call in result.calls:
        expected = {TEST_VID: Risk.TEST_ONLY, "": Risk.ANYONE}.get(call.visitor_id)
        assert call.risk is (expected or Risk.ONE_VISITOR)
        assert call.needs_acknowledgement == (call.risk is not Risk.TEST_ONLY or call.wide)


def test_changing_the_margin_changes_every_window() -> None:
    (narrow,) = plan(sent(1)).calls
    (wide,) = plan_cleanup(
        [sent(1)], profile=PROFILE, options=replace(PlanOptions(), margin_s=30.0)
    ).calls
    assert wide.start == narrow.start - 25 and wide.end == narrow.end + 25


# --- since when ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "back"),
    [("30m", 1800), ("2h", 7200), ("1d", 86400), ("1w", 604800), ("1h30m", 5400), (" 45S ", 45)],
)
def test_a_duration_counts_back_from_now(text: str, back: int) -> None:
    assert parse_since(text, T0) == T0 - back


def test_an_iso_time_with_an_offset_or_z_is_that_moment() -> None:
    assert parse_since("2024-05-01T10:00:00Z", T0) == 1_714_557_600.0
    assert parse_since("2024-05-01T12:00:00+02:00", T0) == 1_714_557_600.0


def test_an_iso_time_without_an_offset_is_local_time() -> None:
    local = datetime(2024, 5, 1, 9, 0, 0).timestamp()
    assert parse_since("2024-05-01T09:00", T0) == local


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "neither a duration"),
        ("yesterday", "neither a duration"),
        ("0h", "no time at all"),
        ("2024-05-02T00:00:00Z", "in the future"),
        ("3651d", "more than 3,650 days"),
        ("0001-01-01T00:00", "more than 3,650 days"),
        ("9" * 200, "neither a duration"),
    ],
)
def test_a_since_that_names_no_usable_moment_says_why(text: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_since(text, T0)
    assert words in str(caught.value) and len(str(caught.value)) < 300
