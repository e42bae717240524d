"""Every icon the app shows, named in one place and loaded from the package's resources."""

from __future__ import annotations

import atexit
import contextlib
import functools
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QIcon

APP_ID = "com.flowsery.GoalTester"
APP_ICON_SVG = "app-icon.svg"
APP_ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


class Icon(str, Enum):
    """The name of each action and status icon; the value is the SVG file's stem."""

    SEND = "send"
    CANCEL = "cancel"
    ADD_ROW = "add-row"
    REMOVE_ROW = "remove-row"
    MOVE_UP = "move-up"
    MOVE_DOWN = "move-down"
    PASTE = "paste"
    COPY = "copy"
    KEY = "key"
    HISTORY = "history"
    REFRESH = "refresh"
    NEW_IDS = "new-ids"
    PROFILE = "profile"
    DELETE = "delete"
    EXPORT = "export"
    SETTINGS = "settings"
    WARNING = "warning"
    ERROR = "error"
    SUCCESS = "success"
    INFO = "info"
    SANDBOX = "sandbox"

    @property
    def relative_path(self) -> str:
        """Where the icon's SVG lives, relative to the package's resources folder."""
        return f"icons/actions/{self.value}.svg"


def app_icon_png(size: int) -> str:
    """Where the app icon rendered at size x size pixels lives, relative to resources."""
    return f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"


_ON_DISK = Path(__file__).resolve().parent.parent / "resources"  # flowsery_gui/resources


def resource_path(relative: str) -> Path:
    """A real file path for a resource, whether installed from a wheel, a checkout or a bundle."""
    direct = _ON_DISK.joinpath(*relative.split("/"))
    if direct.exists():  # the usual case, and cheap: no importlib.resources at start-up
        return direct
    from importlib.resources import as_file, files

    resource = files("flowsery_gui").joinpath("resources", *relative.split("/"))
    if isinstance(resource, Path):  # a package on disk: wheel install, checkout, PyInstaller
        return resource
    # A zipped package: extract once, keep the copy until the process ends.
    return _extracted.enter_context(as_file(resource))


def icon(name: Icon | str) -> QIcon:
    """The icon for an action or status, drawn from its SVG so it stays sharp at any scale."""
    return _load(Icon(name))  # an unknown name raises ValueError


#: The dynamic property that remembers which icon `set_icon` gave a button or an action.
ICON_PROPERTY = "flowseryIcon"


def set_icon(target: QObject, name: Icon | str) -> None:
    """Give a button or action its icon, remembered so `retint` can redraw it for a new palette."""
    target.setProperty(ICON_PROPERTY, Icon(name).value)
    target.setIcon(icon(name))  # type: ignore[attr-defined]


def retint(root: QObject) -> None:
    """Redraw, for the current palette, every icon `set_icon` gave to root or its children.

    The action icons are drawn in a grey chosen for the palette (lighter on dark ones): when
    the system switches between light and dark while the app runs, they follow.
    """
    for target in (root, *root.findChildren(QObject)):
        name = target.property(ICON_PROPERTY)
        if name:
            target.setIcon(icon(name))  # type: ignore[attr-defined]


#: The stroke colour the action icons are drawn with, and the one used on dark palettes.
LIGHT_STROKE = "#4b5563"
DARK_STROKE = "#d1d5db"


def _dark_palette() -> bool:
    from PySide6.QtGui import QGuiApplication, QPalette

    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


@functools.cache
def _dark_copy(relative: str) -> str:
    """A recoloured copy of an action SVG for dark palettes (still vector: sharp on HiDPI)."""
    import tempfile

    folder = Path(_extracted.enter_context(tempfile.TemporaryDirectory(prefix="flowsery-icons-")))
    source = resource_path(relative)
    target = folder / source.name
    target.write_text(source.read_text(encoding="utf-8").replace(LIGHT_STROKE, DARK_STROKE))
    return str(target)


@functools.cache
def _load_for(name: Icon, dark: bool) -> QIcon:
    path = str(resource_path(name.relative_path))
    if dark:
        path = _dark_copy(name.relative_path)
    return QIcon(path)


def _load(name: Icon) -> QIcon:
    return _load_for(name, _dark_palette())


@functools.cache
def app_icon() -> QIcon:
    """The window and taskbar icon, from PNGs pre-rendered at every size the platforms ask for.

    Built from the PNGs rather than the SVG: Qt's SVG icon engine keeps only one added pixmap
    and reports no available sizes, whereas X11 and Windows pick window icons from those sizes.
    """
    result = QIcon()
    for size in APP_ICON_SIZES:
        result.addFile(str(resource_path(app_icon_png(size))), QSize(size, size))
    return result
