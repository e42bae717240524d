"""What the form shows and when: a cleared form is untouched until edited, its placeholder
never reads as a value, and every warning counted is shown at its field."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from flowsery_gui.contract import Draft, check_draft
from flowsery_gui.ui.form_model import GoalFormModel
from flowsery_gui.ui.form_panel import FormPanel
from tests.ui.fakes import ScriptedInteraction
from tests.ui.test_main_window import type_name

pytestmark = pytest.mark.slow


def test_after_new_goal_leaving_the_empty_name_marks_nothing_until_it_is_edited(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "first_goal")
    window.new_goal()
    name = window.form_panel.name_edit
    assert name.hasFocus()
    qtbot.keyClick(name, Qt.Key.Key_Tab)  # through the empty field without typing
    assert not window.form_panel.messages["name"].isVisible()
    assert name.property("finding") in (None, "")
    name.setFocus()
    qtbot.keyClicks(name, "x")
    qtbot.keyClick(name, Qt.Key.Key_Backspace)
    qtbot.keyClick(name, Qt.Key.Key_Tab)  # edited, then left empty: now it is pointed out
    assert window.form_panel.messages["name"].text() == "A goal name is required."
    assert name.property("finding") == "error"


def test_the_name_placeholder_reads_as_a_hint_never_as_a_value(qtbot: Any) -> None:
    panel = FormPanel(GoalFormModel())
    qtbot.addWidget(panel)
    placeholder = panel.name_edit.placeholderText()
    assert placeholder.startswith("required, e.g.")
    assert not check_draft(Draft(name=placeholder)).ok  # no one could take it for a name


def test_a_key_with_an_empty_value_is_pointed_out_once_its_row_is_left(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "empty_value")
    panel = window.form_panel
    panel.add_row()  # editing the new row's key, as a person would after Add row
    table = panel.table
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState, timeout=3000)
    editor = QApplication.focusWidget()
    assert editor is not None and table.isAncestorOf(editor)
    qtbot.keyClicks(editor, "plan")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # committed on the next turn of the loop
    qtbot.waitUntil(lambda: window.form.metadata.pairs() == (("plan", ""),), timeout=3000)
    # while the row is being filled in: not pointed out, and not counted either
    assert "warning" not in window.send_bar.reason.text()
    assert not [v for v in panel.metadata.finding_views if v.isVisible()]
    panel.visitor_edit.setFocus()  # the person moves on
    qtbot.waitUntil(lambda: "1 warning" in window.send_bar.reason.text(), timeout=3000)
    shown = [v.text() for v in panel.metadata.finding_views if v.isVisible()]
    assert shown == ["Metadata row 1, value: " + _empty_value_words()]


def test_every_warning_counted_is_on_screen_and_send_shows_any_not_yet_shown(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    type_name(qtbot, window, "counted")
    window.form.metadata.insert_rows_at(0, [("plan", "")], touched=False)
    window.form.metadata.setData(window.form.metadata.index(0, 0), "plan")
    assert "warning" not in window.send_bar.reason.text()  # not shown, so not counted
    window.send_flow.send()  # a Send puts every finding where it is
    qtbot.waitUntil(lambda: not window.sending.busy, timeout=10000)
    visible = window.form.visible_findings()
    assert [f.path for f in visible] == ["metadata[0].value"]
    assert "1 warning" in window.send_bar.reason.text()


def _empty_value_words() -> str:
    [finding] = check_draft(Draft(name="a", metadata=(("plan", ""),))).findings
    return finding.message


def test_paste_rows_go_at_the_end_and_going_over_ten_keys_is_said_before_and_after(
    qtbot: Any, make_window: Any
) -> None:
    window = make_window()
    window.form.load(
        Draft(name="many", metadata=tuple((f"k{i}", "v") for i in range(8))), touched=True
    )
    table = window.form_panel.table
    table.setCurrentIndex(table.model().index(1, 0))  # a row in the middle is selected
    ask = window.ask
    assert isinstance(ask, ScriptedInteraction)
    ask.paste_texts.append("plan=pro\nseats=3\nsource=mail")
    window.paste_flow.paste_rows()
    pairs = window.form.metadata.pairs()
    assert pairs[-3:] == (("plan", "pro"), ("seats", "3"), ("source", "mail"))
    assert pairs[1] == ("k1", "v")  # nothing was put after the selected row
    usable, preview = ask.previews[-1]
    assert usable and "11 metadata keys" in preview and "10" in preview
    status = window.statusBar().currentMessage()
    assert "at the end" in status and "remove 1 before sending" in status
