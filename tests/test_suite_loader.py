"""Reading suite files: every key, ${VAR}, rows, and bad suites refused with file, line, key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flowsery_gui.suites.loader import load_suite
from flowsery_gui.suites.model import SuiteError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def write(folder: Path, text: str, name: str = "t.suite.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refusal(path: Path, environ: dict[str, str] | None = None) -> SuiteError:
    with pytest.raises(SuiteError) as caught:
        load_suite(path, environ or {})
    return caught.value


def test_the_example_suite_reads_into_one_case_per_goal_and_csv_row() -> None:
    suite = load_suite(EXAMPLES / "signup.suite.yaml", {"DEMO_VISITOR_ID": "v-1"})
    labels = [case.label for case in suite.cases]
    assert labels[:2] == ["newsletter_signup", "a known visitor signs up from the popup"]
    assert "checkout with each currency (row 3)" in labels
    assert suite.name == "signup flows" and suite.fresh_ids
    assert suite.cases[1].draft is not None and suite.cases[1].draft.visitor_uid == "v-1"


def test_a_goal_keeps_the_api_fields_in_the_order_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        goals:
          - name: signup
            visitorUid: v
            sessionUid: s
            timezone: UTC
            metadata: { b: "2", a: "1" }
        """,
    )
    draft = load_suite(path, {}).cases[0].draft
    assert draft is not None
    assert (draft.name, draft.visitor_uid, draft.session_uid, draft.timezone) == (
        "signup",
        "v",
        "s",
        "UTC",
    )
    assert draft.metadata == (("b", "2"), ("a", "1"))


def test_the_suite_is_named_after_its_file_when_it_does_not_say(tmp_path: Path) -> None:
    path = write(tmp_path, "goals: [{name: a}]\n", "checkout.suite.yaml")
    assert load_suite(path, {}).name == "checkout"


def test_an_unset_variable_is_refused_naming_it_the_line_and_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - name: a\n    visitorUid: ${TEST_VISITOR}\n")
    error = refusal(path)
    assert error.line == 3 and error.key == "visitorUid"
    assert "TEST_VISITOR" in str(error) and "t.suite.yaml" in str(error)


def test_a_doubled_dollar_keeps_the_variable_text_literally(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - name: a\n    metadata: { note: 'cost $${PRICE} $5' }\n")
    draft = load_suite(path, {}).cases[0].draft
    assert draft is not None and draft.metadata == (("note", "cost ${PRICE} $5"),)


def test_an_unknown_key_is_refused_with_the_key_it_resembles(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - name: a\n    visitorUID: v\n")
    error = refusal(path)
    assert (error.line, error.key) == (3, "visitorUID")
    assert "Did you mean visitorUid?" in str(error)


def test_an_unquoted_number_as_a_metadata_value_asks_for_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - name: a\n    metadata:\n      value: 49.00\n")
    error = refusal(path)
    assert error.line == 4 and error.key == "metadata.value"
    assert "quotes" in str(error)


def test_a_goal_with_neither_name_nor_body_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - title: nothing to send\n")
    error = refusal(path)
    assert error.line == 2 and "name" in str(error)


def test_a_raw_body_with_fields_beside_it_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - body: '{}'\n    name: a\n")
    assert refusal(path).key == "name"


def test_a_raw_body_written_as_yaml_mapping_asks_for_quoted_json(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - body: {name: a}\n")
    assert "single quotes" in str(refusal(path))


def test_a_suite_without_goals_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "suite: empty\ngoals: []\n")).key == "goals"


def test_a_file_that_is_not_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "goals:\n  - name: a\n   bad: [\n"))
    assert error.line is not None and "YAML" in str(error)


def test_a_missing_suite_file_is_refused_in_plain_words(tmp_path: Path) -> None:
    assert "no such file" in str(refusal(tmp_path / "nope.suite.yaml"))


@pytest.mark.parametrize(
    ("expect", "key"),
    [
        ("{ status: 700 }", "expect.status"),
        ("{ status: 2xy }", "expect.status"),
        ("{ refused: maybe }", "expect.refused"),
        ("{ refused: true, status: 400 }", "expect.refused"),
        ("{ plan: sometimes }", "expect.plan"),
        ("{ message: '' }", "expect.message"),
        ("{ sttus: 200 }", "sttus"),
    ],
)
def test_a_wrong_expectation_is_refused_naming_its_key(
    tmp_path: Path, expect: str, key: str
) -> None:
    error = refusal(write(tmp_path, f"goals:\n  - name: a\n    expect: {expect}\n"))
    assert error.key == key and error.line == 3


def test_status_takes_a_number_a_list_or_a_class(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        goals:
          - { name: a, expect: { status: 400 } }
          - { name: b, expect: { status: [400, 422] } }
          - { name: c, expect: { status: 4xx } }
        """,
    )
    shown = [case.expect.describe_status() for case in load_suite(path, {}).cases]
    assert shown == ["400", "400 or 422", "4xx"]


def test_plan_violations_without_a_plan_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "goals:\n  - name: a\n    expect: { plan: violations }\n"))
    assert error.key == "expect.plan" and "plan:" in str(error)


def test_a_suite_naming_itself_as_its_plan_is_refused_clearly(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "plan: t.suite.yaml\ngoals: [{name: a}]\n"))
    assert (error.line, error.key) == (1, "plan")
    assert "names itself as its plan" in str(error)


def test_a_plan_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "plan: gone.plan.yaml\ngoals: [{name: a}]\n"))
    assert error.key == "plan" and "does not exist" in str(error)


def test_ids_only_takes_fresh(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "ids: new\ngoals: [{name: a}]\n")).key == "ids"


def test_the_file_is_read_once_so_a_later_edit_changes_nothing_loaded(tmp_path: Path) -> None:
    path = write(tmp_path, "goals: [{name: first}]\n")
    suite = load_suite(path, {})
    path.write_text("goals: [{name: second}]\n", encoding="utf-8")
    assert suite.cases[0].label == "first"


def test_a_key_written_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "goals:\n  - name: a\n    name: b\n"))
    assert error.line == 3 and "name" in str(error)


def test_a_yaml_bomb_is_refused_before_it_grows(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)
    ]
    error = refusal(write(tmp_path, "\n".join(lines) + "\ngoals: [{name: a}]\n"))
    assert "bomb" in str(error)


def test_yes_and_no_stay_text_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, "goals:\n  - name: a\n    metadata: { newsletter: yes }\n")
    draft = load_suite(path, {}).cases[0].draft
    assert draft is not None and draft.metadata == (("newsletter", "yes"),)


def test_a_suite_names_the_rows_files_it_was_read_from_even_when_one_is_broken(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.csv").write_text("name\nx\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("name,name\nx,y\n", encoding="utf-8")
    suite_file = tmp_path / "s.suite.yaml"
    suite_file.write_text(
        "goals:\n  - name: g\n    rows: a.csv\n  - name: h\n    rows: a.csv\n", encoding="utf-8"
    )
    assert load_suite(suite_file, {}).data_files == ((tmp_path / "a.csv").resolve(),)
    suite_file.write_text(
        "goals:\n  - name: g\n    rows: a.csv\n  - name: h\n    rows: b.csv\n", encoding="utf-8"
    )
    with pytest.raises(SuiteError) as caught:
        load_suite(suite_file, {})
    assert caught.value.data_files == (
        (tmp_path / "a.csv").resolve(),
        (tmp_path / "b.csv").resolve(),
    )
