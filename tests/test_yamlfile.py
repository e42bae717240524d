"""The safe YAML reader: plain data, line numbers, and every refusal in plain words."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import pytest

from flowsery_gui import yamlfile
from flowsery_gui.yamlfile import YamlError, key_path_text, load, load_for_edit, loads

PLAN = """\
plan: acme-website
goals:
  newsletter_signup:
    description: Été — a visitor subscribed ✓
    metadata:
      plan: { required: true, enum: [free, pro, team] }
      source: { enum: [footer, popup] }
  checkout_completed:
    metadata:
      value: { required: true, pattern: '^[0-9]+$' }
"""


def refusal(text: str | bytes, **kwargs: int) -> yamlfile.Problem:
    with pytest.raises(YamlError) as caught:
        loads(text, "x.yaml", **kwargs)
    return caught.value.problem


def test_a_plan_reads_as_plain_dicts_lists_and_text() -> None:
    doc = loads(PLAN, "acme.plan.yaml")
    goal = doc.data["goals"]["newsletter_signup"]
    assert type(doc.data) is dict and type(goal["metadata"]["plan"]["enum"]) is list
    assert goal["metadata"]["plan"] == {"required": True, "enum": ["free", "pro", "team"]}
    assert goal["description"] == "Été — a visitor subscribed ✓"
    assert list(doc.data["goals"]) == ["newsletter_signup", "checkout_completed"]


def test_every_key_path_knows_the_line_it_was_written_on() -> None:
    doc = loads(PLAN)
    assert doc.line(("goals", "newsletter_signup")) == 3
    assert doc.line(("goals", "newsletter_signup", "metadata", "plan", "enum")) == 6
    assert doc.line(("goals", "newsletter_signup", "metadata", "plan", "enum", 2)) == 6
    assert doc.line(("goals", "checkout_completed", "metadata", "value")) == 10
    # a path that was never written answers with its nearest written parent
    assert doc.line(("goals", "checkout_completed", "nothing", "here")) == 8


def test_yaml_1_2_rules_keep_yes_no_and_dates_as_text() -> None:
    doc = loads("a: yes\nb: NO\nc: 2024-05-01\nd: on\ne: 012\nf: 0x1f\ng: 1.5\nh: ~\ni: true\n")
    assert doc.data == {
        "a": "yes",
        "b": "NO",
        "c": "2024-05-01",
        "d": "on",
        "e": 12,
        "f": 31,
        "g": 1.5,
        "h": None,
        "i": True,
    }
    assert math.isinf(loads("x: -.inf").data["x"])


def test_keys_that_look_like_numbers_are_read_as_written() -> None:
    assert loads("1: a\ntrue: b\nnull: c\n").data == {"1": "a", "true": "b", "null": "c"}


def test_quoted_and_explicitly_tagged_values_follow_their_tags() -> None:
    doc = loads("a: '12'\nb: !!str 12\nc: !!int '12'\nd: !!float 3\n")
    assert doc.data == {"a": "12", "b": "12", "c": 12, "d": 3.0}
    assert "!!int" in refusal("a: !!int twelve\n").message


def test_a_python_object_tag_is_refused_with_its_line_and_key() -> None:
    problem = refusal("ok: 1\nboom: !!python/object/apply:os.system ['echo hi']\n")
    assert problem.line == 2
    assert problem.key == "boom"
    assert "!!python/object/apply:os.system" in problem.message
    assert "not allowed" in problem.message


def test_a_custom_tag_is_refused() -> None:
    assert "!custom" in refusal("a: !custom x\n").message


def test_a_billion_laughs_yaml_bomb_is_refused_before_it_expands() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    problem = refusal("\n".join(lines) + "\n")
    assert "YAML bomb" in problem.message
    assert problem.line is not None and problem.line <= 9


def test_a_few_aliases_are_fine() -> None:
    doc = loads("base: &b {required: true}\nplan: *b\nsource:\n  <<: *b\n  enum: [a]\n")
    assert doc.data["plan"] == {"required": True}
    assert doc.data["source"] == {"enum": ["a"], "required": True}


def test_an_explicit_key_wins_over_a_merged_one() -> None:
    doc = loads("base: &b {required: true, enum: [x]}\nk:\n  required: false\n  <<: *b\n")
    assert doc.data["k"] == {"required": False, "enum": ["x"]}


def test_an_alias_that_refers_to_itself_is_refused() -> None:
    assert "refers to itself" in refusal("a: &x [1, *x]\n").message


def test_an_alias_with_no_anchor_is_refused() -> None:
    assert "no anchor" in refusal("a: *nowhere\n").message


def test_a_duplicate_key_is_refused_naming_both_lines() -> None:
    problem = refusal("goals:\n  signup: {}\n  other: {}\n  signup: {}\n")
    assert problem.line == 4
    assert problem.key == "goals.signup"
    assert "lines 2 and 4" in problem.message


def test_deep_nesting_is_refused_without_crashing_the_parser() -> None:
    problem = refusal("a: " + "[" * 1_000_000 + "]" * 1_000_000)
    assert "levels deep" in problem.message


def test_a_mapping_used_as_a_key_is_refused() -> None:
    assert "plain text" in refusal("? [1, 2]\n: x\n").message


def test_a_syntax_error_names_its_line_in_plain_words() -> None:
    problem = refusal("plan: x\ngoals:\n  a: [1, 2\n  b: 3\n")
    assert problem.line is not None and problem.line >= 3
    assert problem.message.startswith("This is not valid YAML:")


def test_a_tab_used_for_indentation_gets_a_hint() -> None:
    problem = refusal("goals:\n\tsignup: {}\n")
    assert problem.line == 2
    assert "tabs" in problem.message


def test_a_control_character_is_refused_with_its_line() -> None:
    problem = refusal("a: 1\nb: bell\x07\n")
    assert problem.line == 2
    assert "U+0007" in problem.message


def test_two_documents_in_one_file_are_refused() -> None:
    assert "more than one YAML document" in refusal("a: 1\n---\nb: 2\n").message


def test_bytes_that_are_not_utf8_are_refused_with_their_line() -> None:
    problem = refusal("a: 1\nb: caf\xe9\n".encode("latin-1"))
    assert problem.line == 2
    assert "not UTF-8" in problem.message


def test_a_utf16_file_is_told_to_be_saved_as_utf8() -> None:
    assert "UTF-16" in refusal("a: 1\n".encode("utf-16")).message


def test_a_utf8_bom_is_accepted() -> None:
    assert loads("\ufeffa: 1\n".encode()).data == {"a": 1}


def test_an_empty_file_reads_as_nothing() -> None:
    assert loads("").data is None
    assert loads("# only a comment\n").data is None


def test_a_file_over_the_size_cap_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(YamlError) as caught:
        load(path, max_bytes=1000)
    assert "the limit is 1,000 bytes" in caught.value.problem.message


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as caught:
        load(tmp_path / "gone.plan.yaml")
    assert "no such file" in str(caught.value)
    assert "gone.plan.yaml" in str(caught.value)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_says_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    with pytest.raises(YamlError) as caught:
        load(path)
    assert "permission denied" in str(caught.value)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as caught:
        load(tmp_path)
    assert "folder" in str(caught.value)


def test_the_error_text_names_file_line_and_key() -> None:
    with pytest.raises(YamlError) as caught:
        loads("a:\n  b: !!binary aGk=\n", "team/acme.plan.yaml")
    assert str(caught.value).startswith("team/acme.plan.yaml, line 2, a.b: The tag !!binary")


def test_key_paths_are_written_like_the_contracts_paths() -> None:
    assert key_path_text(("goals", "newsletter_signup", "metadata")) == (
        "goals.newsletter_signup.metadata"
    )
    assert key_path_text(("goals", 2, "name")) == "goals[2].name"
    assert key_path_text(("goals", "Bad Name")) == 'goals["Bad Name"]'


def test_a_rewritten_file_keeps_its_comments_and_order(tmp_path: Path) -> None:
    path = tmp_path / "s.suite.yaml"
    path.write_text("suite: one  # the name\ngoals:\n  - name: b\n  - name: a\n")
    data, _doc = load_for_edit(path)
    data["goals"].append({"name": "c"})
    yamlfile.write_for_edit(data, path)
    text = path.read_text()
    assert "# the name" in text
    assert [g["name"] for g in load(path).data["goals"]] == ["b", "a", "c"]


def test_editing_refuses_what_reading_refuses(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: !!python/name:os.system\n")
    with pytest.raises(YamlError):
        load_for_edit(path)
