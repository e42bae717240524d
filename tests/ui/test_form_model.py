"""The form's view model on its own: what it shows when, fixes, loading, and its table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from flowsery_gui.contract import Draft
from flowsery_gui.ui.form_model import GoalFormModel, describe_path
from flowsery_gui.ui.metadata_model import parse_rows_text, row_of


def model_with_changes(qapp: Any) -> tuple[GoalFormModel, list[int]]:
    model = GoalFormModel()
    changes: list[int] = []
    model.changed.connect(lambda: changes.append(1))
    return model, changes


def test_a_finding_shows_only_once_the_field_was_left_then_follows_each_edit(qapp: Any) -> None:
    model, changes = model_with_changes(qapp)
    model.set_value("name", "Newsletter Signup")
    assert not model.report.ok  # Send is blocked at once...
    assert model.findings_at("name") == ()  # ...but nothing is said while typing
    model.touch("name")
    (finding,) = model.findings_at("name")
    assert finding.is_error and finding.fix == "newsletter_signup"
    model.set_value("name", "newsletter_signup")
    assert model.findings_at("name") == () and model.report.ok
    assert len(changes) == 3


def test_an_unchanged_value_re_runs_nothing(qapp: Any) -> None:
    model, changes = model_with_changes(qapp)
    model.set_value("name", "goal")
    model.set_value("name", "goal")
    model.touch("name")
    model.touch("name")
    assert len(changes) == 2


def test_a_fix_goes_into_its_field_or_its_metadata_cell(qapp: Any) -> None:
    model, _changes = model_with_changes(qapp)
    model.load(Draft(name="Bad Name", metadata=(("Plan", "pro"),)), touched=True)
    by_path = {f.path: f for f in model.visible_findings() if f.fix is not None}
    assert model.apply_fix(by_path["name"]) and model.value("name") == "bad_name"
    assert model.apply_fix(by_path["metadata[0].key"])
    assert model.metadata.pairs() == (("plan", "pro"),)
    assert model.report.ok


def test_a_metadata_value_is_not_called_empty_while_its_key_is_being_typed(qapp: Any) -> None:
    model, _changes = model_with_changes(qapp)
    model.metadata.insert_rows_at(0, [("", "")], touched=False)
    model.metadata.setData(model.metadata.index(0, 0), "plan")
    assert model.is_touched("metadata[0].key")
    assert not model.is_touched("metadata[0].value")
    assert all(f.path != "metadata[0].value" for f in model.visible_findings())
    model.touch_all()  # a send attempt shows everything
    assert model.is_touched("metadata[0].value")


def test_loading_marks_filled_fields_as_left_and_empty_ones_as_untouched(qapp: Any) -> None:
    model, _changes = model_with_changes(qapp)
    model.load(Draft(name="Bad Name", visitor_uid=""), touched=True)
    assert model.is_touched("name") and not model.is_touched("visitorUid")
    model.load(Draft(name="Bad Name"), touched=False)
    assert model.findings_at("name") == ()


def test_cells_with_a_visible_finding_are_marked_for_the_table(qapp: Any) -> None:
    model, _changes = model_with_changes(qapp)
    made: list[int] = []
    model.metadata.set_style(
        lambda: made.append(1) or ("error-brush", "warning-brush", "error-icon", "warning-icon")
    )
    model.load(Draft(name="ok", metadata=(("Bad Key", "v"), ("fine", "v"))), touched=True)
    table = model.metadata
    assert table.data(table.index(0, 0), Qt.ItemDataRole.BackgroundRole) == "error-brush"
    assert table.data(table.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    tip = table.data(table.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>")
    assert made == [1]  # made once, when a cell was first marked


def test_the_draft_is_the_form_as_typed(qapp: Any) -> None:
    model, _changes = model_with_changes(qapp)
    draft = Draft("signup", "vid", "sid", "Europe/Paris", (("plan", "pro"),))
    model.load(draft, touched=False)
    assert model.draft() == draft
    assert model.report.body == {
        "name": "signup",
        "visitorUid": "vid",
        "sessionUid": "sid",
        "timezone": "Europe/Paris",
        "metadata": {"plan": "pro"},
    }


def test_pasted_rows_take_tabs_equals_and_colons_and_skip_blank_lines() -> None:
    text = "plan=pro\nsource\tfooter\n\nseats: 3\nlonely"
    assert parse_rows_text(text) == [
        ("plan", "pro"),
        ("source", "footer"),
        ("seats", "3"),
        ("lonely", ""),
    ]


def test_paths_are_said_in_words() -> None:
    assert describe_path("metadata[2].key") == "Metadata row 3, key"
    assert describe_path("visitorUid") == "Visitor ID"
    assert describe_path("") == "Body"
    assert row_of("metadata[0].value") == (0, 1)
    assert row_of("name") is None
