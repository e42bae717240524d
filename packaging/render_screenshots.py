"""Render the window's main states to PNG files, for review and for the README/AppStream.

    python packaging/render_screenshots.py [OUT_DIR] [--dark]

Runs offscreen against the embedded sandbox (no network, no display). Writes empty.png,
errors.png, success.png, server-error.png, no-response.png and history.png; main.png is the
success state, the one the README and the AppStream metainfo show. Then, with the example
tracking plan open, at 800x600 and 1400x1000: plan-form-*.png (the form with the plan's
findings), plan-view-*.png (coverage) and received-view-*.png (what the sandbox received).
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

    _plan_views(window, ctx, shot, settle, wait_sent)
    window.close()
    return 0


def _plan_views(window, ctx, shot, settle, wait_sent) -> None:  # type: ignore[no-untyped-def]
    """The plan-aware form, the Plan view and the Received view, at two window sizes."""
    import http.client
    import json

    from flowsery_gui.contract import Draft

    ctx.plans.open(str(Path(__file__).resolve().parent.parent / "examples" / "acme.plan.yaml"))
    for _ in range(100):
        if ctx.plans.plan is not None:
            break
        settle(50)
    sent = (
        Draft(name="newsletter_signup", visitor_uid="v-1", metadata=(("plan", "pro"),)),
        Draft(name="checkout_completed", visitor_uid="v-1", metadata=(("value", "49.00"),)),
    )
    for number, draft in enumerate(sent):
        window.sending.set_fault("status=500" if number else "")
        window.form.load(draft, touched=True)
        window.send_flow.send()
        wait_sent()
    window.sending.set_fault("")
    server = ctx.target.sandbox
    host, port = server.address
    connection = http.client.HTTPConnection(host, port, timeout=10)
    for goal in (
        {"name": "newsletter_signup", "visitorUid": "3f1c9a0e", "metadata": {"plan": "team"}},
        {"name": "newsletter_signup", "visitorUid": "3f1c9a0e", "metadata": {"plan": "Pro"}},
        {"name": "Checkout Completed", "metadata": {"value": "49"}},
        {"name": "demo_requested", "metadata": {"company": "Acme", "page": "not a url"}},
        {"name": "checkout_completed", "visitorUid": "77ab", "metadata": {"value": "12.5"}},
    ):
        headers = {"Authorization": f"Bearer {server.api_key}", "Content-Type": "application/json"}
        connection.request("POST", "/api/v1/goals", body=json.dumps(goal), headers=headers)
        connection.getresponse().read()
    connection.close()
    form = Draft(
        name="newsletter_signup",
        metadata=(("plan", "Pro"), ("source", "footer"), ("emial", "ada@example.com")),
    )
    for width, height in ((800, 600), (1400, 1000)):
        window.resize(width, height)
        window.form.load(form, touched=True)
        window.tabs.show_request()
        window.form_panel.table.setCurrentIndex(window.form.metadata.index(0, 1))
        shot(f"plan-form-{width}")
        window.plan_flow.show_plan()
        settle(400)
        shot(f"plan-view-{width}")
        window.plan_flow.show_received()
        settle(300)
        panel = window.plan_flow.received_panel()
        panel.table.selectRow(1)
        shot(f"received-view-{width}")


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
