"""Dates, numbers and durations in the reader's language; files for machines stay ISO 8601."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import babel.dates as babel_dates  # the test extra has Babel: these checks must not skip
import babel.numbers as babel_numbers
import pytest

from flowsery_gui import i18n
from flowsery_gui.i18n import (
    format_date,
    format_datetime,
    format_duration,
    format_number,
    format_seconds,
    format_time,
)
from tests.i18n_tools import load_tool

LANGUAGES = ["en", "de", "fr", "es", "pt_BR", "ja"]
MOMENTS = [
    datetime(2025, 3, 7, 14, 5, 9),
    datetime(1999, 12, 31, 0, 0, 0),
    datetime(2031, 1, 1, 12, 30, 45),
    datetime(2024, 2, 29, 23, 59, 1),
]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("code", LANGUAGES)
def test_dates_and_times_read_as_the_unicode_cldr_writes_them_in_each_language(code: str) -> None:
    for moment in MOMENTS:
        for length in ("short", "medium"):
            assert format_datetime(moment, length, code) == babel_dates.format_datetime(
                moment, length, locale=code
            )
            assert format_date(moment, length, code) == babel_dates.format_date(
                moment, length, locale=code
            )
            assert format_time(moment, length, code) == babel_dates.format_time(
                moment, length, locale=code
            )


@pytest.mark.parametrize("code", LANGUAGES)
def test_numbers_read_as_the_unicode_cldr_writes_them_in_each_language(code: str) -> None:
    for value in (0, 7, 999, 1204, 1_000_000, -4300, 2.5, 0.125, 1234.5678, -0.5):
        assert format_number(value, language=code) == babel_numbers.format_decimal(
            value, locale=code
        ), value


def test_counts_durations_and_dates_follow_the_active_language() -> None:
    moment = datetime(2025, 3, 7, 14, 5, 9)
    shown = {}
    for code in ("en", "de", "fr", "ja"):
        i18n.set_language(code)
        shown[code] = (
            format_number(1204),
            format_duration(143.4),
            format_duration(2500),
            format_datetime(moment),
        )
    assert shown["en"] == ("1,204", "143 ms", "2.5 s", "Mar 7, 2025, 2:05:09\u202fPM")
    assert shown["de"] == ("1.204", "143 ms", "2,5 Sek.", "07.03.2025, 14:05:09")
    assert shown["fr"] == ("1\u202f204", "143\u202fms", "2,5\u202fs", "7 mars 2025, 14:05:09")
    assert shown["ja"] == ("1,204", "143 ms", "2.5 秒", "2025/03/07 14:05:09")


def test_a_duration_just_under_a_second_rounds_up_to_seconds_not_to_1000_ms() -> None:
    assert format_duration(999.6, "en") == "1 s"
    assert format_duration(999.4, "en") == "999 ms"
    assert format_seconds(0.3, "de") == "0,3 Sek."


def test_an_epoch_time_is_shown_in_local_time_like_the_same_moment_as_a_datetime() -> None:
    epoch = 1_741_356_309.0
    aware = datetime.fromtimestamp(epoch, tz=timezone.utc)
    assert format_datetime(epoch, language="de") == format_datetime(aware, language="de")
    assert format_datetime(aware + timedelta(hours=1), language="de") != format_datetime(
        epoch, language="de"
    )


def test_the_committed_cldr_data_is_what_the_installed_babel_gives() -> None:
    assert load_tool("i18n").cldr_is_current(), "run: python tools/i18n.py cldr"


# --- files for machines --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["de", "ja", "ar_XB"])
def test_history_exports_keep_iso_times_and_plain_numbers_in_any_language(
    code: str, tmp_path: Path
) -> None:
    from flowsery_gui.history import History, export_har, export_jsonl
    from tests.history_helpers import goal_exchange

    i18n.set_language(code)
    history, message = History.open(tmp_path / "h.sqlite3")
    assert history is not None, message
    exchange, goal = goal_exchange(metadata={"plan": "pro"})
    history.append(exchange, profile="Sandbox", source="window", goal=goal)
    records = list(history.iter_records(history.ids()))
    lines, har = io.StringIO(), io.StringIO()
    export_jsonl(records, lines)
    export_har(records, har)
    history.close()
    record = json.loads(lines.getvalue().splitlines()[0])
    assert ISO.match(record["time"]), record["time"]
    assert isinstance(record["elapsed_ms"], (int, float))
    entry = json.loads(har.getvalue())["log"]["entries"][0]
    assert ISO.match(entry["startedDateTime"]), entry["startedDateTime"]
    assert isinstance(entry["time"], (int, float))
    i18n.set_language("en")
    english = io.StringIO()
    export_jsonl(records, english)
    assert english.getvalue() == lines.getvalue()


@pytest.mark.parametrize("code", ["de", "ja"])
def test_a_junit_report_keeps_iso_timestamps_and_dot_decimal_times_in_any_language(
    code: str,
) -> None:
    from flowsery_gui.reports import Case, Outcome, Run, Suite, render_junit

    i18n.set_language(code)
    suite = Suite("s", (Case("goal", "s.goals", 1234.5, Outcome.PASSED),), file="s.suite.yaml")
    run = Run("plan", (suite,), target="http://127.0.0.1:9", started=1_741_356_309.0)
    root = ET.fromstring(render_junit(run))
    suites = [root, *root.iter("testsuite")]
    stamps = [e.get("timestamp") for e in suites if e.get("timestamp")]
    assert stamps and all(ISO.match(s) or re.match(r"^\d{4}-\d\d-\d\dT[\d:]+$", s) for s in stamps)
    assert [case.get("time") for case in root.iter("testcase")] == ["1234.500"]


@pytest.mark.parametrize("code", ["en", "de", "fr", "es", "pt_BR", "ja", "en_XA", "ar_XB"])
def test_the_quick_path_for_small_counts_reads_as_the_formats_do(code: str) -> None:
    import flowsery_gui.i18n as package
    from flowsery_gui.i18n import formats

    with package.language_override(code):
        for value in (0, 1, 7, 10, 99, 999, 1000, 1204, -1, 2.5, True):
            assert package.format_number(value) == formats.format_number(value), value
