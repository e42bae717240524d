"""Writing goals into suite files: the rest of the file stays as written, and what is written
reads back as the same goal."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowsery_gui.contract import Draft
from flowsery_gui.suites.editing import SuiteEditError, append_goal, write_new_suite
from flowsery_gui.suites.entries import goal_from_draft, goal_from_request
from flowsery_gui.suites.loader import load_suite

HAND_WRITTEN = """\
# Checked by QA before every campaign. Keep the popup goal first!
suite: signup flows
goals:
  - name: newsletter_signup        # the popup
    metadata: { plan: pro, source: popup }

  - title: the server rejects a number
    body: '{"name": "raw_case", "metadata": {"n": 1}}'
    expect: { status: 400, message: "metadata" }
"""


def write(folder: Path, text: str, name: str = "t.suite.yaml") -> Path:
    path = folder / name
    path.write_bytes(textwrap.dedent(text).encode("utf-8"))
    return path


def added_lines(before: str, after: str) -> list[str]:
    """The lines `after` has beyond `before`, checking every line of `before` is still there,
    in order and unchanged."""
    old, new = before.splitlines(), after.splitlines()
    extra, position = [], 0
    for line in new:
        if position < len(old) and line == old[position]:
            position += 1
        else:
            extra.append(line)
    assert position == len(old), "a line of the original file changed or went missing"
    return extra


def test_an_added_goal_keeps_every_hand_written_line_and_comment(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    goal = goal_from_draft(Draft(name="checkout_completed", metadata=(("value", "49.00"),)))
    assert append_goal(path, goal) == 3
    after = path.read_text(encoding="utf-8")
    assert after.startswith(HAND_WRITTEN)
    assert added_lines(HAND_WRITTEN, after) == [
        "",
        "  - name: checkout_completed",
        "    metadata: {value: '49.00'}",
    ]
    suite = load_suite(path, {})
    assert suite.cases[-1].draft == Draft(name="checkout_completed", metadata=(("value", "49.00"),))


def test_a_goal_goes_after_the_last_goal_when_other_keys_follow_the_list(tmp_path: Path) -> None:
    text = """\
    goals:
    - name: first_goal
      metadata:
        plan: pro
    # where the goals go
    profile: Sandbox
    """
    path = write(tmp_path, text)
    append_goal(path, goal_from_draft(Draft(name="second_goal"), title="the second one"))
    after = path.read_text(encoding="utf-8")
    assert after == textwrap.dedent(
        """\
        goals:
        - name: first_goal
          metadata:
            plan: pro
        - title: the second one
          name: second_goal
        # where the goals go
        profile: Sandbox
        """
    )
    assert [c.label for c in load_suite(path, {}).cases] == ["first_goal", "the second one"]


def test_a_flow_list_of_goals_is_rewritten_keeping_its_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "# keep me\nsuite: s   # the name\ngoals: [{name: a}]\n")
    append_goal(path, {"name": "b"})
    after = path.read_text(encoding="utf-8")
    assert "# keep me" in after and "# the name" in after
    assert [c.label for c in load_suite(path, {}).cases] == ["a", "b"]


def test_a_windows_file_keeps_its_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.suite.yaml"
    path.write_bytes(b"goals:\r\n  - name: a  # one\r\n")
    append_goal(path, {"name": "b", "metadata": {"plan": "pro"}})
    raw = path.read_bytes()
    assert raw.startswith(b"goals:\r\n  - name: a  # one\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert [c.label for c in load_suite(path, {}).cases] == ["a", "b"]


def test_a_file_that_is_not_a_suite_is_left_alone_with_a_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "plan: acme\ngoals: {a: 1}\n")
    with pytest.raises(SuiteEditError, match="not a goal suite"):
        append_goal(path, {"name": "b"})
    assert path.read_text(encoding="utf-8") == "plan: acme\ngoals: {a: 1}\n"


def test_a_broken_file_is_left_alone_and_its_line_named(tmp_path: Path) -> None:
    text = "goals:\n  - name: a\n  - name: [unclosed\n"
    path = write(tmp_path, text)
    with pytest.raises(SuiteEditError, match="line"):
        append_goal(path, {"name": "b"})
    assert path.read_text(encoding="utf-8") == text


def test_the_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    os.chmod(path, 0o664)
    append_goal(path, {"name": "b"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_a_new_suite_from_history_reads_back_with_its_heading(tmp_path: Path) -> None:
    path = tmp_path / "from-history.suite.yaml"
    goals = [
        goal_from_request('{"name": "newsletter_signup", "metadata": {"plan": "pro"}}', 200),
        goal_from_request('{"name": "raw_case", "metadata": {"n": 1}}', 400),
        goal_from_request('{"name": "slow_goal"}', None),
    ]
    write_new_suite(path, "from history", goals, heading="Saved from the history.\nEdit freely.")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Saved from the history.\n# Edit freely.\nsuite: from history\n")
    suite = load_suite(path, {})
    assert [c.label for c in suite.cases] == ["newsletter_signup", "raw_case", "slow_goal"]
    assert suite.cases[0].draft == Draft(name="newsletter_signup", metadata=(("plan", "pro"),))
    raw = suite.cases[1]
    assert raw.raw_body == '{"name": "raw_case", "metadata": {"n": 1}}'
    assert [str(rule) for rule in raw.expect.status] == ["400"]
    assert [str(rule) for rule in suite.cases[2].expect.status] == ["2xx"]


def test_a_request_the_form_could_not_have_made_is_kept_as_its_raw_body() -> None:
    for body in (
        '{"name": "a", "visitorUid": ""}',  # the rules would leave the empty ID out
        '{"name": "Bad Name"}',
        '{"name": "a", "extra": "x"}',
        "not json at all",
        "",
    ):
        assert goal_from_request(body, 200) == {"body": body}


def test_a_form_the_rules_refuse_is_saved_as_a_goal_that_must_be_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    draft = Draft(name="Newsletter Signup", metadata=(("", ""), ("plan", "pro"), ("plan", "x")))
    append_goal(path, goal_from_draft(draft, refused=True))
    case = load_suite(path, {}).cases[-1]
    assert case.expect.refused
    assert case.draft == Draft(name="Newsletter Signup", metadata=(("plan", "pro"),))


def test_a_value_yaml_would_misread_on_one_line_gets_a_line_of_its_own(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    draft = Draft(name="odd_values", metadata=(("a", "0?"), ("b", "?x"), ("c", "x: y")))
    append_goal(path, goal_from_draft(draft))
    assert "    metadata:\n      a: " in path.read_text(encoding="utf-8")
    assert load_suite(path, {}).cases[-1].draft == draft


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=_TEXT.filter(bool),
    visitor=_TEXT,
    timezone=_TEXT,
    rows=st.lists(st.tuples(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _TEXT), max_size=5),
    title=_TEXT,
)
def test_any_form_comes_back_from_the_file_exactly_as_typed(
    tmp_path: Path, name: str, visitor: str, timezone: str, rows: list, title: str
) -> None:
    path = write(tmp_path, HAND_WRITTEN)
    first: dict[str, str] = {}
    for key, value in rows:
        first.setdefault(key, value)
    draft = Draft(name=name, visitor_uid=visitor, timezone=timezone, metadata=tuple(first.items()))
    append_goal(path, goal_from_draft(draft, title=title))
    case = load_suite(path, {}).cases[-1]
    assert case.draft == draft
    assert case.label == (title.strip() or name)
