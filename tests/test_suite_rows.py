"""CSV rows for data-driven goals: what spreadsheets write, and clear words for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowsery_gui.suites.loader import load_suite
from flowsery_gui.suites.model import SuiteError


def suite_with_rows(folder: Path, data: bytes, rows: str = "rows.csv") -> Path:
    (folder / "rows.csv").write_bytes(data)
    path = folder / "r.suite.yaml"
    path.write_text(
        f"goals:\n  - name: checkout\n    metadata: {{ value: '1.00' }}\n    rows: {rows}\n",
        encoding="utf-8",
    )
    return path


def drafts(path: Path) -> list:
    return [case.draft for case in load_suite(path, {}).cases]


def refusal(path: Path) -> SuiteError:
    with pytest.raises(SuiteError) as caught:
        load_suite(path, {})
    return caught.value


def test_a_column_named_like_a_field_fills_it_and_others_fill_metadata(tmp_path: Path) -> None:
    found = drafts(suite_with_rows(tmp_path, b"visitorUid,currency,value\nv1,EUR,2.00\n"))
    assert found[0].visitor_uid == "v1"
    assert found[0].metadata == (("value", "2.00"), ("currency", "EUR"))


def test_each_row_is_its_own_case_named_with_its_row_number(tmp_path: Path) -> None:
    path = suite_with_rows(tmp_path, b"currency\nEUR\nUSD\n")
    assert [c.label for c in load_suite(path, {}).cases] == ["checkout (row 1)", "checkout (row 2)"]


def test_an_empty_cell_keeps_the_goals_own_value(tmp_path: Path) -> None:
    found = drafts(suite_with_rows(tmp_path, b"value,currency\n,EUR\n"))
    assert dict(found[0].metadata)["value"] == "1.00"


def test_a_byte_order_mark_and_semicolons_are_read_as_a_spreadsheet_writes_them(
    tmp_path: Path,
) -> None:
    found = drafts(suite_with_rows(tmp_path, "\ufeffcurrency;note\nEUR;a,b\n".encode()))
    assert dict(found[0].metadata) == {"value": "1.00", "currency": "EUR", "note": "a,b"}


def test_a_quoted_cell_keeps_its_line_break(tmp_path: Path) -> None:
    found = drafts(suite_with_rows(tmp_path, b'note,currency\n"two\nlines",EUR\nx,USD\n'))
    assert dict(found[0].metadata)["note"] == "two\nlines"
    assert dict(found[1].metadata)["currency"] == "USD"


def test_tab_separated_utf16_from_a_spreadsheet_is_read(tmp_path: Path) -> None:
    found = drafts(suite_with_rows(tmp_path, "currency\tnote\r\nEUR\tété\r\n".encode("utf-16")))
    assert dict(found[0].metadata)["note"] == "été"


def test_ten_thousand_rows_make_ten_thousand_cases(tmp_path: Path) -> None:
    data = "currency\n" + "EUR\n" * 10_000
    assert len(drafts(suite_with_rows(tmp_path, data.encode()))) == 10_000


def test_more_than_ten_thousand_rows_are_refused_naming_the_limit(tmp_path: Path) -> None:
    data = "currency\n" + "EUR\n" * 10_001
    assert "10,000" in str(refusal(suite_with_rows(tmp_path, data.encode())))


def test_a_row_missing_a_column_is_refused_naming_the_row_and_the_column(tmp_path: Path) -> None:
    error = refusal(suite_with_rows(tmp_path, b"currency,value\nEUR,1\nUSD\n"))
    assert error.key == "rows" and error.line == 4
    assert "row 2 (line 3)" in str(error) and "missing: value" in str(error)


def test_a_file_not_in_utf8_is_refused_naming_the_line_and_byte(tmp_path: Path) -> None:
    error = refusal(suite_with_rows(tmp_path, "currency,note\nEUR,été\n".encode("latin-1")))
    assert "not UTF-8" in str(error) and "0xE9 at line 2" in str(error)


def test_a_rows_file_that_is_missing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.suite.yaml"
    path.write_text("goals:\n  - name: a\n    rows: nope.csv\n", encoding="utf-8")
    assert "nope.csv: the file does not exist" in str(refusal(path))


def test_a_header_with_a_repeated_column_is_refused(tmp_path: Path) -> None:
    assert "appears twice" in str(refusal(suite_with_rows(tmp_path, b"a,a\n1,2\n")))


def test_a_rows_file_outside_the_suites_folder_is_allowed_and_shown(tmp_path: Path) -> None:
    inner = tmp_path / "suites"
    inner.mkdir()
    (tmp_path / "shared.csv").write_text("currency\nEUR\n", encoding="utf-8")
    path = inner / "s.suite.yaml"
    path.write_text("goals:\n  - name: a\n    rows: ../shared.csv\n", encoding="utf-8")
    suite = load_suite(path, {})
    assert len(suite.cases) == 1
    assert any("outside the suite's folder" in note for note in suite.notes)
