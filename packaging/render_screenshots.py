"""Render the window's main states to PNG files, for review and for the README/AppStream.

    python packaging/render_screenshots.py [OUT_DIR] [--dark]

Runs offscreen against the embedded sandbox (no network, no display). Writes empty.png,
errors.png, success.png, server-error.png, no-response.png and history.png; main.png is the
success state, the one the README and the AppStream metainfo show. Then the test IDs and
Delete from analytics views (`shots_cleanup.py`): profiles-test-ids, form-test-ids,
cleanup-safe, cleanup-risky and cleanup-failed, each -800 and -1400; and the Suites tab
(`render_suite_screenshots.py`): suites-idle, suites-running, suites-failures, each -800 and
-1400, and suites-past-runs-1400; and, with the example tracking plan open
(`render_plan_screenshots.py`): plan-form, plan-view and received-view, each -800 and -1400.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = tempfile.mkdtemp(prefix="flowsery-shots-")
os.environ["FLOWSERY_GUI_DATA_DIR"] = os.path.join(_TMP, "data")
os.environ["FLOWSERY_GUI_CONFIG_DIR"] = os.path.join(_TMP, "config")

SIZE = (1180, 760)


def main(argv: list[str]) -> int:
    """Render every state; returns 0 when all files were written."""
    dark = "--dark" in argv
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else Path(__file__).parent / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    if dark:
        app.setPalette(_dark_palette(QPalette, QColor))

    from flowsery_gui.contract import Draft
    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow

    settings = QSettings(os.path.join(_TMP, "settings.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(settings)
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.restore_state()
    window.resize(*SIZE)
    ctx.target.set_profile("Sandbox")
    window.show()
    window.focus_name()
    window._after_show()

    def settle(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_sent() -> None:
        for _ in range(200):
            if not window.sending.busy:
                break
            settle(50)
        settle(200)

    def shot(name: str) -> None:
        settle()
        path = out / (f"{name}-dark.png" if dark else f"{name}.png")
        window.grab().save(str(path))
        print(path)

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
    window.send_flow.send()
    wait_sent()
    shot("success")
    shot("main")

    window.sending.set_fault("status=503,retry-after=30")
    window.send_flow.send()
    wait_sent()
    shot("server-error")

    window.sending.set_fault("drop")
    window.send_flow.send()
    wait_sent()
    shot("no-response")
    window.sending.set_fault("")

    window.tabs.show_history()
    settle(600)
    panel = window.history_panel
    if panel is not None and panel.model.rowCount():
        panel.table.selectRow(0)
    shot("history")

    # The Suites tab (issue 12): idle, running, finished with failures; 800x600 and 1400x1000.
    from render_suite_screenshots import render as render_suites

    render_suites(window, out, settle, "-dark" if dark else "")

    # The test IDs and Delete from analytics, each at 800x600 and 1400x1000.
    from shots_cleanup import render as render_cleanup  # this folder: a script's sys.path[0]

    render_cleanup(window, out, settle, "-dark" if dark else "")

    # The tracking plan in the form, the Plan view and the Received view (issue 11).
    from render_plan_screenshots import render as render_plans

    render_plans(window, out, settle, "-dark" if dark else "")

    window.close()
    return 0


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
