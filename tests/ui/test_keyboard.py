"""Keyboard only: Tab reaches every control of the window in visual order (Shift+Tab back),
leaves every table, and Enter on a history row loads it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from flowsery_gui import paths
from flowsery_gui.contract import Draft
from tests.ui.test_main_window import send_and_wait
from tests.ui.test_suite_window import open_suite, write_suite
from tests.ui.test_suite_window import suite_window as suite_window  # the fixture, used below

pytestmark = pytest.mark.slow

ROW_TOLERANCE = 10  # px: controls whose centres are this close in height share a row


@pytest.fixture(autouse=True)
def fresh_data_dir(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))


def _box(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def reachable(window: Any) -> list[QWidget]:
    """Every control a person could Tab to now: shown, enabled, taking Tab focus itself."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    found = []
    for widget in window.findChildren(QWidget):
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
            and widget.window() is window
        ):
            found.append(widget)
    return found


def visual_order(window: Any, widgets: list[QWidget]) -> list[QWidget]:
    """Reading order: the toolbar, then the form column, then the answer column; in each,
    top to bottom by rows, left to right within a row."""
    left = window.splitter.widget(0)

    def region(widget: QWidget) -> int:
        if window.toolbar.isAncestorOf(widget):
            return 0
        return 1 if left.isAncestorOf(widget) else 2

    ordered = sorted(widgets, key=lambda w: (region(w), _box(window, w).center().y()))
    rows: list[list[QWidget]] = []
    for widget in ordered:
        centre = _box(window, widget).center().y()
        if rows and region(rows[-1][0]) == region(widget):
            last = _box(window, rows[-1][0]).center().y()
            if abs(centre - last) <= ROW_TOLERANCE:
                rows[-1].append(widget)
                continue
        rows.append([widget])
    return [w for row in rows for w in sorted(row, key=lambda w: _box(window, w).x())]


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    name = widget.accessibleName() or widget.objectName() or getattr(widget, "text", str)()
    return f"{type(widget).__name__}({name})"


def tab_walk(qtbot: Any, start: QWidget, steps: int, back: bool = False) -> list[QWidget]:
    """Press Tab (or Shift+Tab) `steps` times from `start`; where the focus was each time."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=3000)
    seen: list[QWidget] = []
    modifier = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
    for _ in range(steps):
        focused = QApplication.focusWidget()
        assert focused is not None
        seen.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab, modifier)
    return seen


def assert_tab_follows_visual_order(qtbot: Any, window: Any) -> list[QWidget]:
    expected = visual_order(window, reachable(window))
    assert len(expected) >= 12
    forward = tab_walk(qtbot, expected[0], len(expected) + 1)
    walked, wanted = [describe(w) for w in forward], [describe(w) for w in expected]
    assert walked == [*wanted, wanted[0]], "\n".join(
        f"{a:50} {b}" for a, b in zip(walked, wanted, strict=False)
    )
    assert forward == [*expected, expected[0]]  # every control once, in order, then round
    backward = tab_walk(qtbot, expected[0], len(expected) + 1, back=True)
    assert backward == [expected[0], *reversed(expected)]
    return expected


def window_with(make_window: Any, qtbot: Any, draft: Draft, size: tuple[int, int]) -> Any:
    window = make_window()
    window.resize(*size)
    window.tabs.build_panels()
    window.form.load(draft, touched=True)
    table = window.form_panel.table  # a current row, as focusing the table would give it
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.waitUntil(lambda: window.target.sandbox is not None, timeout=5000)
    return window


BROKEN = Draft(
    name="Newsletter Signup",
    visitor_uid="_fs_vid=abc; _fs_sid=def",
    timezone="europe/paris",
    metadata=(("plan", "pro"), ("Email", "a@b.c")),
)
GOOD = Draft(name="keyboard_goal", metadata=(("plan", "pro"), ("source", "mail")))


@pytest.mark.parametrize("size", [(1400, 1000), (800, 600)])
def test_tab_reaches_every_control_of_a_form_with_fixes_in_visual_order(
    qtbot: Any, make_window: Any, size: tuple[int, int]
) -> None:
    window = window_with(make_window, qtbot, BROKEN, size)
    reached = assert_tab_follows_visual_order(qtbot, window)
    names = [describe(w) for w in reached]
    # the name's Fix right after the name, a row's Fix after the row tools, no dead stops
    assert (
        names.index("QPushButton(Apply fix newsletter_signup)")
        == names.index("QLineEdit(Goal name)") + 1
    )
    assert names.index("QPushButton(Apply fix email)") > names.index(
        "QToolButton(Move the selected row down)"
    )
    assert "QScrollArea(form_scroll)" not in names


def test_tab_reaches_every_control_of_an_answer_in_visual_order(
    qtbot: Any, make_window: Any
) -> None:
    window = window_with(make_window, qtbot, GOOD, (1400, 1000))
    send_and_wait(qtbot, window)
    reached = assert_tab_follows_visual_order(qtbot, window)
    assert window.send_bar.button in reached
    assert window.tabs.response.copy_body_button in reached


def test_tab_goes_through_the_history_panel_in_visual_order(qtbot: Any, make_window: Any) -> None:
    window = window_with(make_window, qtbot, GOOD, (1400, 1000))
    send_and_wait(qtbot, window)
    window.sending.set_fault("status=401")
    send_and_wait(qtbot, window)
    window.tabs.show_history()
    panel = window.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    panel.table.selectRow(0)
    reached = assert_tab_follows_visual_order(qtbot, window)
    table_at = reached.index(panel.table)
    assert reached[table_at + 1] is panel.detail.tabs.tabBar()  # out of the list, onwards
    for button in panel.buttons.values():
        assert button in reached  # Load into form … Keep: all reachable by keyboard


def test_tab_and_shift_tab_leave_every_table(qtbot: Any, make_window: Any) -> None:
    window = window_with(make_window, qtbot, GOOD, (1400, 1000))
    send_and_wait(qtbot, window)
    window.tabs.show_history()
    panel = window.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    panel.table.selectRow(0)
    response = window.tabs.response
    tables = [window.form_panel.table, panel.table, panel.detail.headers_table]
    window.tabs.show_response()
    response.tabs.setCurrentWidget(response.headers_table)
    tables.append(response.headers_table)
    for table in tables:
        if not table.isVisible():
            window.tabs.show_history() if table is not response.headers_table else None
            if table is panel.detail.headers_table:
                panel.detail.tabs.setCurrentWidget(table)
        assert table.model().rowCount() > 0, table.accessibleName()
        for back in (False, True):
            table.setFocus(Qt.FocusReason.TabFocusReason)
            table.setCurrentIndex(table.model().index(0, 0))
            qtbot.waitUntil(lambda t=table: QApplication.focusWidget() is t, timeout=3000)
            key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
            modifier = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
            qtbot.keyClick(table, key, modifier)
            now = QApplication.focusWidget()
            assert now is not table and not table.isAncestorOf(now), table.accessibleName()
        if table is response.headers_table:
            window.tabs.show_history()


def test_tab_in_a_metadata_cell_goes_from_key_to_value_then_out_of_the_table(
    qtbot: Any, make_window: Any
) -> None:
    window = window_with(make_window, qtbot, GOOD, (1400, 1000))
    table = window.form_panel.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    table.edit(table.currentIndex())
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState, timeout=3000)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "tier")  # replaces the key, as typing over a selection does
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert table.currentIndex().column() == 1  # on to the value, still editing
    assert window.form.metadata.rows[0].key == "tier"
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.form_panel.row_buttons["add"]  # out
    assert table.state() != QAbstractItemView.State.EditingState


def test_enter_on_a_history_row_loads_it_into_the_form(qtbot: Any, make_window: Any) -> None:
    window = window_with(make_window, qtbot, GOOD, (1400, 1000))
    send_and_wait(qtbot, window)
    window.new_goal()
    window.tabs.show_history()
    panel = window.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    panel.table.setFocus()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.load_requested, timeout=3000):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.form.value("name") == "keyboard_goal"


def test_tab_goes_through_the_suites_tab_in_the_windows_visual_order(
    qtbot: Any, suite_window: Any, tmp_path: Any
) -> None:
    window, prompts = suite_window
    window.resize(1400, 1000)
    panel = open_suite(qtbot, window, prompts, write_suite(tmp_path, 3))
    panel.table.selectRow(0)
    reached = assert_tab_follows_visual_order(qtbot, window)
    assert panel.table in reached
