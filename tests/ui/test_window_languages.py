"""The window in each shipped language: its menus, its findings, its answers, its mnemonics;
and, in the pseudo-language that accents every marked string, no English left over."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from flowsery_gui import contract, i18n
from flowsery_gui.contract import Draft
from flowsery_gui.ui import language as window_language
from flowsery_gui.ui.actions import ACTIONS, MENU_TITLES, ActionId
from tests.ui.test_main_window import send_and_wait

LANGUAGES = ("de", "fr", "es", "pt_BR", "ja")
#: The right-hand views, each shown once the window has sent (lazy tabs are built then).
VIEWS = (
    ActionId.SHOW_REQUEST,
    ActionId.SHOW_HISTORY,
    ActionId.SHOW_SUITES,
    ActionId.SHOW_PLAN,
    ActionId.SHOW_RECEIVED,
)
EXAMPLE_PLAN = Path(__file__).resolve().parents[2] / "examples" / "acme.plan.yaml"


@pytest.fixture
def in_language(qapp: QApplication) -> Iterator[Any]:
    """Apply a language before the window is built (as start-up does); English after."""
    before = QLocale()

    def apply(code: str) -> None:
        window_language.apply_language(qapp, code)

    yield apply
    window_language.apply_language(qapp, "en")
    QLocale.setDefault(before)


def mnemonic(text: str) -> str | None:
    """The letter after a single `&` (lower case), or None."""
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_menu_and_action_of_the_window_comes_in_the_language(
    code: str, in_language: Any, make_window: Any
) -> None:
    in_language(code)
    window = make_window()
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == [i18n._(title) for title in MENU_TITLES.values()]
    assert titles != list(MENU_TITLES.values())  # a catalogue that lost the menus fails
    for action_id, spec in ACTIONS.items():
        assert window.actions_[action_id].text() == i18n._(spec.text)
    send = window.actions_[ActionId.SEND].text()
    assert send != ACTIONS[ActionId.SEND].text


@pytest.mark.parametrize("code", ("en", *LANGUAGES))
def test_mnemonics_are_unique_in_the_menu_bar_and_in_each_menu(
    code: str, in_language: Any, make_window: Any
) -> None:
    in_language(code)
    window = make_window()
    bar = [mnemonic(action.text()) for action in window.menuBar().actions()]
    assert None not in bar and len(set(bar)) == len(bar), bar
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        letters = [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        taken = [letter for letter in letters if letter]
        assert len(set(taken)) == len(taken), (top.text(), [a.text() for a in menu.actions()])


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_finding_in_the_form_and_the_send_bar_come_in_the_language(
    code: str, in_language: Any, make_window: Any, qtbot: Any
) -> None:
    in_language(code)
    window = make_window()
    window.form.load(Draft(name="Newsletter Signup"), touched=True)
    expected = contract.check_draft(Draft(name="Newsletter Signup")).findings[0].message
    with i18n.language_override("en"):
        english = contract.check_draft(Draft(name="Newsletter Signup")).findings[0].message
    shown = window.form_panel.messages["name"]
    qtbot.waitUntil(lambda: shown.text() == expected, timeout=3000)
    assert expected != english
    assert window.send_bar.reason.text() and english not in window.send_bar.reason.text()


@pytest.mark.parametrize("code", LANGUAGES)
def test_an_answer_is_explained_in_the_language(
    code: str, in_language: Any, make_window: Any, qtbot: Any
) -> None:
    in_language(code)
    window = make_window()
    window.form.load(Draft(name="newsletter_signup"), touched=True)
    qtbot.waitUntil(lambda: window.ctx.target.sandbox is not None, timeout=10000)
    window.sending.set_fault("status=503,retry-after=7")
    send_and_wait(qtbot, window)
    panel = window.tabs.response
    qtbot.waitUntil(lambda: bool(panel.title_label.text()), timeout=5000)
    title = panel.title_label.text()
    with i18n.language_override("en"):
        from flowsery_gui.explain import explain

        assert panel._exchange is not None
        english = explain(panel._exchange).title
    assert title and title != english
    assert "503" in panel.chip.text()  # the status code and reason phrase stay as sent


def model_texts(name: str, model: QAbstractItemModel) -> Iterator[tuple[str, str]]:
    """A table's headers and its first rows' cells, as shown."""
    display = Qt.ItemDataRole.DisplayRole
    for column in range(model.columnCount()):
        header = model.headerData(column, Qt.Orientation.Horizontal, display)
        yield f"{name} header {column}", str(header or "")
        for row in range(min(model.rowCount(), 20)):
            cell = model.data(model.index(row, column), display)
            yield f"{name} cell {row},{column}", cell if isinstance(cell, str) else ""


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person reads on the window as it is now."""
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield name, widget.text()
        if isinstance(widget, QLineEdit):
            yield name, widget.placeholderText()
        if isinstance(widget, QGroupBox):
            yield name, widget.title()
        if isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield f"{name} tab {index}", widget.tabText(index)
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            yield from model_texts(name, widget.model())
        yield f"{name} tooltip", widget.toolTip()
        yield f"{name} accessible name", widget.accessibleName()
    for action in root.findChildren(type(root.actions_[ActionId.SEND])):  # type: ignore[attr-defined]
        yield action.objectName(), action.text()
        yield f"{action.objectName()} tooltip", action.toolTip()


#: Text that is data, not words of the app: stays as it is in every language.
DATA = re.compile(
    r"Sandbox|Production|127\.0\.0\.1(:\d+)?|Ctrl|Shift|Return|Enter|Esc|Up|Down|"
    r"_fs_vid|_fs_sid|UTC|[A-Z][a-z]+/[A-Za-z_]+|flowsery-\w+|https?://\S+|"
    r"Flowsery Goal Tester|Flowsery|JSON|cURL|API|HTTP|URL|ID|OK|</?qt>|"
    r"\b[a-z0-9]+(_[a-z0-9]+)+\b|"  # goal names and metadata keys: snake_case data
    r"\"[^\"]*\"|\d{3}( [A-Z][A-Za-z-]+)+|application/\w+|\$[A-Z_]+|"  # the server's words
    r"The sandbox was asked to answer \d+ \(fault [^)]*\)\.|"
    r"Node fetch|Python requests|"  # the snippets' names
    r"(POST|DELETE|GET) /\S+"  # a request line as received
)


def english_words(text: str) -> list[str]:
    """Runs of plain ASCII letters (3 or more) left once data is taken out: in `en_XA`
    every marked string's letters are accented, so these were never translated."""
    return re.findall(r"[A-Za-z]{3,}", DATA.sub(" ", text))


def test_in_the_pseudo_language_no_english_words_are_left_on_the_window(
    in_language: Any, make_window: Any, qtbot: Any
) -> None:
    in_language("en_XA")
    window = make_window()
    left: set[str] = set()

    def look(state: str) -> None:
        for where, text in visible_texts(window):
            if text and english_words(text):
                left.add(f"{state}: {where}: {text!r}")

    window.form.load(Draft(name="Newsletter Signup", timezone="europe/paris"), touched=True)
    look("errors")
    window.form.load(
        Draft(name="newsletter_signup", metadata=(("plan_tier", "pro_yearly"),)), touched=True
    )
    qtbot.waitUntil(lambda: window.ctx.target.sandbox is not None, timeout=10000)
    send_and_wait(qtbot, window)
    look("sent")
    window.sending.set_fault("status=503,retry-after=7")
    send_and_wait(qtbot, window)
    look("server error")
    for view in VIEWS:
        window.actions_[view].trigger()
        look(view.value)
    assert not left, "\n".join(sorted(left))


@pytest.mark.parametrize("code", ("en", *LANGUAGES, "en_XA", "ar_XB"))
def test_the_window_still_fits_800_pixels_in_every_language_and_view(
    code: str, in_language: Any, make_window: Any, qtbot: Any
) -> None:
    """A label that cannot wrap or shrink sets the whole window's minimum width: in a
    longer language the window would no longer fit a small screen."""
    in_language(code)
    window = make_window()
    window.ctx.test_ids.save("Sandbox", "3f1c9a0e-8d2b-4c55-9a1e-2b7d4f6a8c10", "")
    window.ctx.plans.open(str(EXAMPLE_PLAN))
    qtbot.waitUntil(lambda: window.ctx.plans.plan is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.ctx.target.sandbox is not None, timeout=10000)

    def width() -> int:
        """The window's minimum width once its layouts took in the change."""
        for _ in range(3):
            QApplication.processEvents()
        return int(window.minimumSizeHint().width())

    window.form.load(Draft(name="Newsletter Signup", timezone="europe/paris"), touched=True)
    widths = {"errors": width()}
    window.form.load(Draft(name="newsletter_signup"), touched=True)
    window.sending.set_fault("status=503,retry-after=7")
    send_and_wait(qtbot, window)
    widths["server error"] = width()
    for view in VIEWS:
        window.actions_[view].trigger()
        widths[view.value] = width()
    assert max(widths.values()) <= 800, widths


def test_the_history_date_range_is_in_the_languages_date_format(
    in_language: Any, make_window: Any
) -> None:
    in_language("de")
    window = make_window()
    window.actions_[ActionId.SHOW_HISTORY].trigger()
    panel = window.history_panel
    assert panel is not None
    shown = panel.filter_bar.from_date.text()
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{2,4}", shown), shown  # 22.11.26, not 11/22/26
