"""The suite files open in the window: read off the GUI thread, followed on disk, remembered.

Each file is read whole (its CSV rows and tracking plan too) on the task runner. A file that
changes on disk, or one of its CSV rows files or its tracking plan, is read again a moment
later; while a run goes on, that waits for the run to end (the run keeps the version it
started with). A file that became unreadable keeps its last good version on show, with what
is wrong, and cannot be run until it is fixed. The last opened files are remembered as
"recent suites". A service: no widget in here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from flowsery_gui.i18n import _
from flowsery_gui.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtCore import QFileSystemWatcher

    from flowsery_gui.suites import Suite, SuiteError
    from flowsery_gui.suites.runner import PlanCheck

RECENT_KEY = "suites/recent"
RECENT_MAX = 8
SETTLE_MS = 250  # editors write a file in several steps: read it once they are done


class OpenSuite:
    """One open suite file: its last good version, and what is wrong with it now, if anything."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.suite: Suite | None = None  # the last version read without a problem
        self.checks: dict[Path, PlanCheck] = {}  # its tracking plan's check, when it names one
        self.error: SuiteError | None = None  # why the file cannot be run as it is now
        self.changed_during_run = False
        #: The other files it is made from (CSV rows files, its tracking plan): followed too.
        self.data_files: tuple[Path, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        """The suite file and the files it is made from: what is followed on disk."""
        return (self.path, *self.data_files)

    @property
    def name(self) -> str:
        """The suite's name (its file name until it has been read)."""
        return self.suite.name if self.suite is not None else self.path.name

    @property
    def runnable(self) -> bool:
        """True when the file as it is now was read without a problem."""
        return self.suite is not None and self.error is None


def read_suite(path: Path) -> tuple[Suite | None, dict[Path, PlanCheck], SuiteError | None]:
    """Read a suite and its plan (on a worker): the suite and its plan check, or the error."""
    # Here, off the GUI thread and before any run: what a run needs (the HTTP stack, the run
    # log), so that neither the Run click nor the run's first goals wait on imports.
    import flowsery_gui.sending.transport
    import flowsery_gui.suites.recording
    import flowsery_gui.suites.runner  # noqa: F401
    from flowsery_gui.suites import SuiteError, load_suite
    from flowsery_gui.suites.plans import plan_checks

    try:
        suite = load_suite(path)
        return suite, plan_checks([suite]), None
    except SuiteError as exc:
        return None, {}, exc


class SuiteFiles(QObject):
    """The open suite files, in the order they were opened."""

    changed = Signal()  # a file was opened, read again or closed
    failed = Signal(object)  # a SuiteError from a file the person just asked to open
    recent_changed = Signal()

    def __init__(self, settings: QSettings, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.tasks = tasks
        self.suites: list[OpenSuite] = []
        self._watcher: QFileSystemWatcher | None = None  # made when a first file is open
        self._due: set[Path] = set()
        self._settle: QTimer | None = None
        self._held = False
        self.reader: Callable[[Path], Any] = read_suite  # tests may slow it down

    # Opening and closing ------------------------------------------------------------------
    def find(self, path: Path | str) -> OpenSuite | None:
        """The open suite of this file, if it is open."""
        wanted = Path(path).resolve()
        return next((s for s in self.suites if s.path == wanted), None)

    def open(self, paths: Sequence[Path | str]) -> None:
        """Open these files (reading each off the GUI thread); a file already open is read
        again. A file that cannot be used is reported by `failed` and not added."""
        for given in paths:
            self._read(Path(given).resolve(), asked=True)

    def close(self, path: Path | str) -> None:
        """Close one open file."""
        found = self.find(path)
        if found is None:
            return
        self.suites.remove(found)
        if self._watcher is not None:
            still = {p for other in self.suites for p in other.files}
            for gone in set(found.files) - still:
                self._watcher.removePath(str(gone))
        self.changed.emit()

    def hold(self, held: bool) -> None:
        """While a run goes on (held), files changed on disk are read again only after it."""
        self._held = held
        if not held:
            for suite in self.suites:
                if suite.changed_during_run:
                    suite.changed_during_run = False
                    self._read(suite.path, asked=False)

    def _read(self, path: Path, *, asked: bool) -> None:
        reader = self.reader
        self.tasks.run(
            lambda: reader(path),
            lambda result: self._have(path, result, asked),
            lambda text: self._crashed(path, text, asked),
        )

    def _have(self, path: Path, result: tuple[Any, Any, Any], asked: bool) -> None:
        suite, checks, error = result
        found = self.find(path)
        if error is not None:
            if found is not None:
                found.error = error  # the last good version stays on show
                # Followed: the files read before it failed (a broken rows file among them)
                # and those of the last good version.
                found.data_files = tuple(dict.fromkeys((*found.data_files, *error.data_files)))
                self._watch(found)
                self.changed.emit()
            if asked:
                self.failed.emit(error)
            return
        if found is None:
            found = OpenSuite(path)
            self.suites.append(found)
        found.suite, found.checks, found.error = suite, checks, None
        plan = (suite.plan_path,) if suite.plan_path is not None else ()
        found.data_files = (*suite.data_files, *plan)
        self._watch(found)
        if asked:
            self._remember(path)  # only files that opened are offered again
        self.changed.emit()

    def _crashed(self, path: Path, text: str, asked: bool) -> None:
        from flowsery_gui.suites import SuiteError

        # Translators: what is wrong with a suite file; {problem} is a Python exception's name.
        problem = _("it could not be read ({problem}).", problem=text)
        error = SuiteError(path, None, None, problem)
        self._have(path, (None, {}, error), asked)

    # Following the disk -------------------------------------------------------------------
    def _watch(self, found: OpenSuite) -> None:
        if self._watcher is None:
            # Deferred: made when a first suite is open, not at start-up.
            from PySide6.QtCore import QFileSystemWatcher

            self._watcher = QFileSystemWatcher(self)
            self._watcher.fileChanged.connect(self._disk_changed)
            self._watcher.directoryChanged.connect(self._folder_changed)
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        for path in found.files:
            for item in (str(path), str(path.parent)):
                if item not in watched and Path(item).exists():
                    self._watcher.addPath(item)
                    watched.add(item)

    def _folder_changed(self, folder: str) -> None:
        # An editor that saves by writing a new file and renaming it over the old one leaves
        # the watcher without the file: its folder says when it is back.
        watched = set(self._watcher.files()) if self._watcher is not None else set()
        for suite in self.suites:
            for path in suite.files:
                if str(path.parent) == folder and str(path) not in watched:
                    self._disk_changed(str(path))

    def _disk_changed(self, name: str) -> None:
        self._due.add(Path(name))
        if self._settle is None:
            self._settle = QTimer(self)
            self._settle.setSingleShot(True)
            self._settle.setInterval(SETTLE_MS)
            self._settle.timeout.connect(self._read_due)
        self._settle.start()

    def _read_due(self) -> None:
        due, self._due = self._due, set()
        for found in [suite for suite in self.suites if due.intersection(suite.files)]:
            if self._held:
                found.changed_during_run = True
                self.changed.emit()
            else:
                self._read(found.path, asked=False)

    # Recent files -------------------------------------------------------------------------
    def recent(self) -> list[str]:
        """The last suite files opened, newest first."""
        value = self.settings.value(RECENT_KEY, [])
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        return [str(item) for item in items if item][:RECENT_MAX]

    def _remember(self, path: Path) -> None:
        items = [str(path), *(p for p in self.recent() if p != str(path))][:RECENT_MAX]
        self.settings.setValue(RECENT_KEY, items)
        self.recent_changed.emit()
