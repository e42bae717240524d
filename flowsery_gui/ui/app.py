"""Start-up: command line, QApplication, the context and the window.

Only Qt and the app's own light modules load before the first paint; requests, keyring and
the zone database load after the window is shown (see `MainWindow.after_show`).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import TYPE_CHECKING

from flowsery_gui import APP_NAME
from flowsery_gui.i18n import _

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QApplication, QWidget

    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow


class StartArgs:
    """What the window's command line asks for (argparse fills one for the whole parser)."""

    def __init__(self) -> None:
        self.sandbox = False
        self.profile: str | None = None
        self.smoke_test = False
        self.idle_ms = 0
        self.version: object = None


def _plain_args(argv: list[str]) -> StartArgs | None:
    """The usual command lines (none; `--sandbox`, `--smoke-test`, `--profile NAME`,
    `--idle-ms N`) read without building the translated parser (about 5 ms of start-up);
    None for anything else, which `parse_args` reads with the whole parser (help, errors)."""
    found = StartArgs()
    words = iter(argv)
    for word in words:
        if word in ("--sandbox", "--smoke-test"):
            setattr(found, word[2:].replace("-", "_"), True)
        elif word == "--profile":
            name = next(words, None)
            if name is None or name.startswith("-"):
                return None
            found.profile = name
        elif word == "--idle-ms":
            value = next(words, "")
            if not value.isascii() or not value.isdigit():
                return None
            found.idle_ms = int(value)
        else:
            return None
    return found


def parse_args(argv: list[str] | None) -> StartArgs:
    """The window's command line (its help in the language of the environment, as the CLI's:
    the window's own language choice is read from its settings only after this)."""
    words = sys.argv[1:] if argv is None else argv
    plain = _plain_args(words)
    return plain if plain is not None else full_parser().parse_args(words, StartArgs())


def full_parser() -> argparse.ArgumentParser:
    """The whole translated parser: `--help`, `--version` and clear errors."""
    import argparse

    from flowsery_gui.cli import argparse_words, helptext

    argparse_words.install()  # argparse's "usage:", "options:"… in the user's language
    parser = helptext.HelpParser(
        prog="flowsery-gui",
        description=_(
            "Open the Flowsery Goal Tester window: compose, validate, send and inspect custom "
            "goal events."
        ),
        epilog=_(
            "The window opens on the profile used last time (or the one --profile names); the "
            "first time, on the built-in sandbox, so a first goal needs no account and no "
            "network. FLOWSERY_API_KEY never chooses the profile: it is only a key."
        ),
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help=_("start the built-in sandbox on a free loopback port and send there"),
    )
    parser.add_argument("--profile", metavar="NAME", help=_("open with this profile active"))
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_(
            "open the window, wait until it is shown and idle, print the milliseconds to first "
            "show, and exit 0 (for CI and packaging checks)"
        ),
    )
    # With --smoke-test: stay up this long after showing, deferred work included, as a person's
    # untouched window would (the benchmarks' idle memory). It skips the text check: drawing
    # Arabic, CJK and emoji loads fallback fonts an idle window has no need of.
    parser.add_argument("--idle-ms", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--version", action=_version_action(), nargs=0, help=_("show the version and exit")
    )
    return parser


def _version_action() -> type[argparse.Action]:
    """--version, reading the package metadata only when asked (it costs start-up time)."""
    import argparse

    class VersionAction(argparse.Action):
        def __call__(
            self,
            parser: argparse.ArgumentParser,
            namespace: argparse.Namespace,
            values: object,
            option_string: str | None = None,
        ) -> None:
            from flowsery_gui import version

            parser.exit(message=f"{parser.prog} {version()}\n")

    return VersionAction


def _headless() -> bool:
    """True on Linux/BSD with no X11 or Wayland display to open a window on."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def settings_file() -> str:
    """Where QSettings keeps window state and the last form (never secrets)."""
    from flowsery_gui import paths

    return str(paths.config_dir() / "settings.ini")


def _import_core_before_qt() -> None:
    """Import the Qt-free core the window needs before Qt: PySide6's import hook looks at
    every module imported after it (cheaply once `_import_qt` is done, but not for nothing)."""
    import flowsery_gui.contract
    import flowsery_gui.profiles
    import flowsery_gui.sending.drafts
    import flowsery_gui.sending.keys  # noqa: F401


def _import_qt() -> None:
    """Import Qt, then answer PySide6's question about each module imported after it the
    cheap way (`import_scan`), before any other module is imported."""
    # isort: off
    from flowsery_gui.ui import import_scan  # first: PySide6 would scan it too
    import PySide6.QtCore  # noqa: F401

    # isort: on
    import_scan.install()


def run(argv: list[str] | None = None, started: float | None = None) -> int:
    """Run the window until it is closed; returns the exit code."""
    started = time.perf_counter() if started is None else started
    # No garbage collection until the window is up: start-up makes little garbage, and the
    # collector would walk every object made so far, several times (~3 ms).
    gc.disable()
    args = parse_args(sys.argv[1:] if argv is None else argv)

    if _headless() and not os.environ.get("QT_QPA_PLATFORM"):
        if not args.smoke_test:
            print(
                _(
                    "flowsery-gui: no display found (DISPLAY and WAYLAND_DISPLAY are unset). "
                    "Run it in a desktop session, or use the headless CLI: flowsery-goal --help"
                ),
                file=sys.stderr,
            )
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    _import_core_before_qt()
    _import_qt()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from flowsery_gui.ui.icons import APP_ID

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # a widgets app, made here or by the caller
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Flowsery")
    app.setDesktopFileName(APP_ID)
    # The window's language before any widget exists: every text is made in it once.
    settings = QSettings(settings_file(), QSettings.Format.IniFormat)
    from flowsery_gui.ui.language import setup_window_language

    setup_window_language(app, settings)

    from flowsery_gui.ui.context import AppContext
    from flowsery_gui.ui.main_window import MainWindow
    from flowsery_gui.ui.tasks import forget_module_sources

    forget_module_sources()

    ctx = AppContext(settings)
    window = MainWindow(ctx)
    window.restore_state()
    choose_start_profile(ctx, args)
    window.render_profile()

    if args.smoke_test:
        return _smoke(app, window, started, args.idle_ms)
    window.show()
    window.focus_name()
    _after_first_paint(window)
    return int(app.exec())


def _after_first_paint(window: MainWindow) -> None:
    """The window's deferred start-up work, then the garbage collector back on."""
    from PySide6.QtCore import QTimer

    window.after_show()
    QTimer.singleShot(0, gc.enable)  # after that work (queued behind it)


def choose_start_profile(ctx: AppContext, args: StartArgs) -> None:
    """--sandbox, then --profile, then the last profile used; else the sandbox (never
    Production because $FLOWSERY_API_KEY is set)."""
    names = [p.name for p in ctx.profiles.list()]
    sandbox = next(p.name for p in ctx.profiles.list() if p.kind == "sandbox")
    if args.sandbox:
        ctx.target.set_profile(sandbox)
        return
    wanted = args.profile or ctx.settings.value("profile")
    if isinstance(wanted, str) and wanted in names:
        ctx.target.set_profile(wanted)
        return
    if args.profile:
        print(_("flowsery-gui: no profile named {name}.", name=repr(args.profile)), file=sys.stderr)
    # Never Production because of the environment alone: $FLOWSERY_API_KEY is a key (often
    # the sandbox's own, as the README shows), not a wish to send real goals.
    ctx.target.set_profile(sandbox)


def _smoke(app: QApplication, window: MainWindow, started: float, idle_ms: int = 0) -> int:
    """Show, wait for the event loop to go idle, report the time to first show."""
    from PySide6.QtCore import QTimer

    from flowsery_gui.ui import icons

    shown_at: list[float] = []
    shown_epoch: list[float] = []
    visible: list[bool] = []

    def idle() -> None:
        shown_at.append(time.perf_counter())
        shown_epoch.append(time.time())
        visible.append(window.isVisible() and (idle_ms > 0 or _text_round_trip(window)))
        if idle_ms:
            _after_first_paint(window)
            QTimer.singleShot(idle_ms, lambda: app.exit(0))
        else:
            app.exit(0)

    window.show()
    window.focus_name()
    QTimer.singleShot(0, idle)
    app.exec()
    ok = bool(visible and visible[0]) and not icons.app_icon().isNull()
    ms = ((shown_at[0] if shown_at else time.perf_counter()) - started) * 1000
    # The wall-clock moment too, so a benchmark can count from the process's spawn. A line for
    # machines (benchmarks and CI read it), the same in every language: never translated.
    at = shown_epoch[0] if shown_epoch else time.time()
    print(f"first show: {ms:.0f} ms (at {at:.3f})")
    if not ok:
        print(_("smoke test failed: window not shown or resources missing"), file=sys.stderr)
    history_trouble = _history_round_trip()
    if history_trouble:
        print(_("smoke test failed: history: {why}", why=history_trouble), file=sys.stderr)
    window.close()
    return 0 if ok and not history_trouble else 1


def _history_round_trip() -> str | None:
    """Open a history in a temp folder, store and read back one record, close it: a bundle
    whose SQLite is missing or broken fails here. None when all went well, else why not."""
    import tempfile
    from pathlib import Path

    try:
        from flowsery_gui.exchange import Exchange, SentRequest
        from flowsery_gui.history import History, HistoryError

        with tempfile.TemporaryDirectory(prefix="flowsery-smoke-") as folder:
            store, message = History.open(Path(folder) / "history.sqlite3", check="full")
            if store is None:
                return message or _("the history could not be opened")
            with store:
                probe = SentRequest("POST", "http://127.0.0.1:9/api/v1/goals", (), "{}")
                store.append(Exchange(probe, time.time(), 0.0), profile="Sandbox", source="cli")
                if store.count() != 1:
                    return _("a record written to the history could not be read back")
    except (ImportError, OSError) as exc:  # no sqlite3 module, or its library cannot load
        return f"{type(exc).__name__}: {exc}"
    except HistoryError as exc:  # (an import failure is caught above, before this name)
        return exc.message
    return None


#: Typed and drawn by the smoke test (several scripts and an emoji): a probe, never shown.
SMOKE_SAMPLE = "Café 東京 🎉 مرحبا"


def _text_round_trip(window: QWidget) -> bool:
    """Type and draw text from several scripts: a bundle missing text support fails here.

    A field of its own, not the form's: the check must not count as an edit.
    """
    from PySide6.QtWidgets import QLineEdit

    probe = QLineEdit(window)
    probe.setText(SMOKE_SAMPLE)
    probe.resize(400, 30)
    drawn = not probe.grab().isNull()
    ok = probe.text() == SMOKE_SAMPLE and drawn
    probe.deleteLater()
    return ok
