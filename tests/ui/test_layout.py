"""The window's layout at small and medium sizes: the form first, never cut off, its messages
readable, and nothing jumping when a message appears."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from flowsery_gui.contract import Draft
from flowsery_gui.ui.window_layout import fit_form_first, form_first_sizes
from tests.ui.test_main_window import type_name

pytestmark = pytest.mark.slow

BROKEN = Draft(
    name="Newsletter Signup",
    visitor_uid="_fs_vid=3f1c9a0e-8d2b-4c55-9a1e-2b7d4f6a8c10; _fs_sid=x",
    timezone="europe/paris",
    metadata=(("plan", "pro"), ("Email", "ada@example.com"), ("note", "<b>VIP</b>")),
)


def at_size(qtbot: Any, make_window: Any, width: int, height: int) -> Any:
    """A window as a first run on a screen this size lays it out."""
    window = make_window()
    window.resize(width, height)
    fit_form_first(window.splitter, width)
    qtbot.waitUntil(lambda: window.width() == width, timeout=3000)
    return window


def right_edge_in(widget: QWidget, ancestor: QWidget) -> int:
    return widget.mapTo(ancestor, QPoint(widget.width(), 0)).x()


def test_the_form_gets_what_it_needs_first_and_the_answer_the_rest() -> None:
    assert form_first_sizes(795, 480, 360, 280) == [480, 315]
    assert form_first_sizes(795, 600, 360, 280) == [515, 280]  # the answer keeps its minimum
    assert form_first_sizes(1395, 480, 360, 280) == [558, 837]  # a wide window: 40 %
    assert form_first_sizes(600, 480, 360, 280) == [360, 240]  # never under the form's minimum


@pytest.mark.parametrize(("width", "height"), [(800, 600), (1024, 768)])
def test_no_control_of_a_form_full_of_fixes_is_cut_off(
    qtbot: Any, make_window: Any, width: int, height: int
) -> None:
    window = at_size(qtbot, make_window, width, height)
    window.form.load(BROKEN, touched=True)
    qtbot.waitUntil(lambda: window.form_panel.messages["name"].isVisible(), timeout=3000)
    assert window.width() == width  # the window's minimum fits the screen
    viewport = window.form_scroll.viewport()
    visible_right = viewport.width()
    controls = [
        w
        for w in window.form_panel.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit) and w.isVisible()
    ]
    assert len(controls) >= 12
    for control in controls:
        assert right_edge_in(control, viewport) <= visible_right, control.text()
    # the form is as wide as its content needs, and the answer side still has its minimum
    assert window.form_scroll.width() >= window.form_panel.minimumSizeHint().width()
    assert window.tabs.width() >= window.tabs.minimumSizeHint().width()
    assert window.form_scroll.width() > window.tabs.width() * 0.9 or width > 800


def test_at_1024_no_message_is_squeezed_into_a_narrow_column(qtbot: Any, make_window: Any) -> None:
    window = at_size(qtbot, make_window, 1024, 768)
    window.form.load(BROKEN, touched=True)
    views = [v for v in window.form_panel.messages.values() if v.finding() is not None]
    views += [v for v in window.form_panel.metadata.finding_views if v.finding() is not None]
    assert len(views) >= 5

    def lines(view: Any) -> int:
        words = view.words()
        return round(words.height() / words.fontMetrics().lineSpacing())

    def readable(view: Any) -> bool:  # was seven lines tall beside a long Fix
        return view.isVisible() and lines(view) <= 3 and view.words().width() >= view.width() * 0.45

    for view in views:
        qtbot.waitUntil(lambda v=view: readable(v), timeout=3000)


def test_a_one_line_message_does_not_move_the_form_down(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    visitor = window.form_panel.visitor_edit
    before = visitor.mapTo(window, QPoint(0, 0)).y()
    type_name(qtbot, window, "x")
    window.form_panel.name_edit.clear()  # "A goal name is required.", one line
    message = window.form_panel.messages["name"]
    qtbot.waitUntil(message.isVisible, timeout=3000)
    assert message.text() == "A goal name is required."
    assert visitor.mapTo(window, QPoint(0, 0)).y() == before


def test_a_fix_sits_beside_its_words_when_there_is_room_and_under_them_when_not(
    qtbot: Any,
) -> None:
    from flowsery_gui.contract import check_draft
    from flowsery_gui.ui.finding_view import FindingView

    [finding] = check_draft(Draft(name="Bad Name")).findings
    view = FindingView(show_path=False)
    qtbot.addWidget(view)
    view.set_finding(finding)
    view.resize(900, 60)
    view.show()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    assert view.fix_is_beside()
    view.resize(200, 160)  # beside, the words would be a column of a word or two
    qtbot.waitUntil(lambda: view.words().width() > view.fix_button().width(), timeout=3000)
    assert not view.fix_is_beside()
    assert view.minimumSizeHint().width() < 200  # narrow enough to move the fix down
    assert view.words().textFormat() == Qt.TextFormat.PlainText
