"""Render the window's main states to PNG files, for review and for the README/AppStream.

    python packaging/render_screenshots.py [OUT_DIR] [--dark] [--sizes 800x600,1400x1000]
                                           [--language de]

Runs offscreen against the embedded sandbox (no network, no display). For each size
(800x600, 1024x768 and 1400x1000 unless told) it writes `<state>-<width>.png` for the
states empty, errors (with a Fix), success, server-error, no-response and history;
`main.png` is the success state at 1180x760, the one the README and the AppStream
metainfo show. Each state is reached through the window's own paths (the form model, Send,
the History tab), on one window per size. Then the test IDs and Delete from analytics
views (`shots_cleanup.py`): profiles-test-ids, form-test-ids, cleanup-safe, cleanup-risky
and cleanup-failed, each -800 and -1400; and the Suites tab (`render_suite_screenshots.py`):
suites-idle, suites-running, suites-failures, each -800 and -1400, and suites-past-runs-1400;
and, with the example tracking plan open (`render_plan_screenshots.py`): plan-form,
plan-view and received-view, each -800 and -1400. `--language CODE` renders the window
in that language (or pseudo-language: `en_XA`, `ar_XB`) as Preferences would start it;
`render_languages.py` does it for every language.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = tempfile.mkdtemp(prefix="flowsery-shots-")
os.environ["FLOWSERY_GUI_DATA_DIR"] = os.path.join(_TMP, "data")
os.environ["FLOWSERY_GUI_CONFIG_DIR"] = os.path.join(_TMP, "config")
os.environ.pop("FLOWSERY_API_KEY", None)

SIZES = ((800, 600), (1024, 768), (1400, 1000))
MAIN_SIZE = (1180, 760)


def main(argv: list[str]) -> int:
    """Render every state at every size; returns 0 when all files were written."""
    dark = "--dark" in argv
    sizes = list(SIZES)
    language = "en"
    args: list[str] = []
    rest = iter(argv)
    for arg in rest:
        if arg == "--sizes":
            sizes = [_size(text) for text in next(rest, "").split(",") if text]
        elif arg == "--language":
            language = next(rest, "en")
        elif not arg.startswith("--"):
            args.append(arg)
    out = Path(args[0]) if args else Path(__file__).parent / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    from flowsery_gui.ui.language import apply_language

    apply_language(app, language)  # before any widget, as start-up does
    if dark:
        app.setPalette(_dark_palette(QPalette, QColor))
    suffix = "-dark" if dark else ""
    written = 0
    for index, (width, height) in enumerate(sizes):
        names = {state: f"{state}-{width}{suffix}.png" for state in STATES}
        written += _render(out, (width, height), names, index)
    written += _render(out, MAIN_SIZE, {"success": f"main{suffix}.png"}, len(sizes), suffix)
    return 0 if written else 1


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


STATES = ("empty", "errors", "success", "server-error", "no-response", "history")


def _render(
    out: Path, size: tuple[int, int], names: dict[str, str], run: int, features: str | None = None
) -> int:
    """One window at one size, taken through every state; the named states are saved. With
    `features` (the name suffix), the feature views are rendered after, on the same window."""
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from flowsery_gui.contract import Draft
    from flowsery_gui.profiles import ProfileStore
    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow
    from flowsery_gui.ui.window_layout import fit_form_first

    folder = Path(_TMP) / f"run-{run}"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["FLOWSERY_GUI_DATA_DIR"] = str(folder / "data")  # a history of its own
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(settings, profiles=ProfileStore(folder / "profiles.json"))
    window = MainWindow(ctx)
    window.restore_state()
    window.resize(*size)
    fit_form_first(window.splitter, size[0])  # as a first run on a screen of this size
    ctx.target.set_profile("Sandbox")
    window.show()
    window.focus_name()
    window._after_show()
    written = 0

    def settle(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(condition: Callable[[], Any], limit_ms: int = 10000) -> None:
        for _ in range(limit_ms // 50):
            if condition():
                return
            settle(50)

    def shot(state: str) -> None:
        nonlocal written
        settle()
        name = names.get(state)
        if name is None:
            return
        path = out / name
        window.grab().save(str(path))
        written += 1
        print(path)

    def send() -> None:
        until(lambda: ctx.target.sandbox is not None)
        window.send_flow.send()
        until(lambda: not window.sending.busy)
        settle(200)

    shot("empty")

    window.form.load(
        Draft(
            name="Newsletter Signup",
            visitor_uid="_fs_vid=3f1c9a0e-8d2b-4c55-9a1e-2b7d4f6a8c10; _fs_sid=x",
            timezone="europe/paris",
            metadata=(("plan", "pro"), ("Email", "ada@example.com"), ("note", "<b>VIP</b>")),
        ),
        touched=True,
    )
    shot("errors")

    good = Draft(
        name="newsletter_signup",
        visitor_uid="3f1c9a0e-8d2b-4c55-9a1e-2b7d4f6a8c10",
        session_uid="9b2e7c44-1a3f-4e8d-b6c5-0d9f8e7a6b21",
        timezone="Europe/Paris",
        metadata=(("plan", "pro"), ("source", "spring_campaign"), ("email", "ada@example.com")),
    )
    window.form.load(good, touched=True)
    send()
    shot("success")

    window.sending.set_fault("status=503,retry-after=7")  # as the Sandbox Fault menu sets it
    send()
    shot("server-error")

    window.sending.set_fault("drop")
    send()
    shot("no-response")
    for fault in ("status=401", "status=404", ""):  # a fuller history: one icon per status
        window.sending.set_fault(fault)
        send()

    window.tabs.show_history()
    panel = window.history_panel
    until(lambda: panel is not None and panel.model.rowCount() >= 6)
    if panel is not None and panel.model.rowCount():
        panel.table.selectRow(0)
    shot("history")

    if features is not None:  # once, on the last window: they size the window themselves
        # The Suites tab (issue 12): idle, running, finished with failures; 800x600, 1400x1000.
        from render_suite_screenshots import render as render_suites

        render_suites(window, out, settle, features)

        # The test IDs and Delete from analytics, each at 800x600 and 1400x1000.
        from shots_cleanup import render as render_cleanup  # this folder: sys.path[0]

        render_cleanup(window, out, settle, features)

        # The tracking plan in the form, the Plan view and the Received view (issue 11).
        from render_plan_screenshots import render as render_plans

        render_plans(window, out, settle, features)

    window.close()
    _KEPT.append(window)  # deleted with the app: a window deleted mid-run trips late signals
    return written


_KEPT: list[Any] = []


def _dark_palette(QPalette, QColor):  # type: ignore[no-untyped-def]
    palette = QPalette()
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, "#1f2329"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#16191d"),
        (role.AlternateBase, "#22262b"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#2a2f36"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#3d7bd9"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#2a2f36"),
        (role.ToolTipText, "#e6e6e6"),
        (role.PlaceholderText, "#8a9099"),
    ):
        palette.setColor(r, QColor(c))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, QColor("#6b7280"))
    palette.setColor(disabled, role.Button, QColor("#23272d"))
    return palette


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
