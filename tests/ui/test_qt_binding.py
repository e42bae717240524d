"""Guards against a Qt binding that would crash the app after enough edits."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal()
    carried = Signal(object)


def test_emitting_signals_leaves_true_and_false_alone() -> None:
    # PySide6 6.12.0 decrements True's reference count on every emit(): after some
    # thousands of keystrokes (each re-validates and emits) the interpreter aborts.
    emitter = _Emitter()
    emitter.changed.connect(lambda: None)
    emitter.carried.connect(lambda _value: None)
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(20):
        emitter.changed.emit()
        emitter.carried.emit(True)
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
