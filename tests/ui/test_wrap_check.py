"""The wrapping check box: its words wrap, and it ticks like a check box's own text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from flowsery_gui.ui.wrap_check import WrappingCheckBox

LONG = "&Use this profile's test IDs when the IDs are empty, " + "and more words " * 8


def test_its_words_wrap_so_a_long_sentence_does_not_widen_the_window(qtbot: Any) -> None:
    plain = QCheckBox(LONG)
    wrapping = WrappingCheckBox(LONG)
    qtbot.addWidget(plain)
    qtbot.addWidget(wrapping)
    assert wrapping.minimumSizeHint().width() < plain.minimumSizeHint().width() / 2


def test_a_click_on_its_words_and_its_mnemonic_tick_the_box(qtbot: Any) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    row = WrappingCheckBox(LONG)
    other = QCheckBox("Other")
    layout.addWidget(other)
    layout.addWidget(row)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.mouseClick(row.words, Qt.MouseButton.LeftButton)
    assert row.box.isChecked()
    other.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert not row.box.isChecked() and row.box.hasFocus()
    assert row.box.accessibleName().startswith("Use this profile's test IDs")
