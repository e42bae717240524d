"""The icons and desktop files ship complete, render in Qt and pass the freedesktop validators."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

import flowsery_gui
from flowsery_gui import APP_NAME
from flowsery_gui.ui import icons
from flowsery_gui.ui.icons import APP_ICON_SIZES, APP_ID, Icon, app_icon_png, resource_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project runs on 3.11; 3.10 only needs the stdlib-less path
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO_FILE = LINUX / f"{APP_ID}.metainfo.xml"
ACTION_STROKE = "#4b5563"
STATUS_ICONS = {Icon.WARNING, Icon.ERROR, Icon.SUCCESS, Icon.INFO}


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _all_svgs() -> list[Path]:
    return sorted(resource_path("").rglob("*.svg"))


def _opaque_fraction(renderer: QSvgRenderer, size: int) -> float:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    drawn = sum(1 for y in range(size) for x in range(size) if image.pixelColor(x, y).alpha() > 0)
    return drawn / (size * size)


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.parametrize("name", list(Icon), ids=lambda name: name.value)
def test_every_named_icon_has_its_svg_inside_the_package(name: Icon) -> None:
    path = resource_path(name.relative_path)
    assert path.is_file(), f"{name} has no file at {name.relative_path}"
    assert flowsery_gui.__file__ is not None
    assert Path(flowsery_gui.__file__).parent in path.parents


def test_every_action_svg_on_disk_is_named_in_the_icons_module() -> None:
    on_disk = {path.stem for path in resource_path("icons/actions").glob("*.svg")}
    assert on_disk == {name.value for name in Icon}


@pytest.mark.parametrize("path", _all_svgs(), ids=lambda path: path.name)
def test_every_svg_parses_and_renders_visible_pixels_in_qt(qapp, path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    assert _opaque_fraction(renderer, 48) > 0.03, f"{path.name} draws (almost) nothing"


@pytest.mark.parametrize("name", list(Icon), ids=lambda name: name.value)
def test_action_icons_are_24px_with_explicit_colours_qt_can_draw(name: Icon) -> None:
    text = resource_path(name.relative_path).read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.get("viewBox") == "0 0 24 24"
    assert "currentcolor" not in text.lower(), "Qt's SVG renderer does not resolve currentColor"
    if name not in STATUS_ICONS:
        assert f'stroke="{ACTION_STROKE}"' in text


@pytest.mark.parametrize("name", list(Icon), ids=lambda name: name.value)
def test_icon_loads_a_usable_cached_qicon_by_enum_or_name(qapp, name: Icon) -> None:
    loaded = icons.icon(name)
    assert not loaded.isNull()
    assert loaded is icons.icon(name.value)
    assert not loaded.pixmap(QSize(32, 32)).isNull()


def test_icon_rejects_a_name_that_is_not_in_the_table(qapp) -> None:
    with pytest.raises(ValueError):
        icons.icon("no-such-icon")


def test_app_icon_offers_every_prerendered_size(qapp) -> None:
    sizes = {(size.width(), size.height()) for size in icons.app_icon().availableSizes()}
    assert sizes == {(size, size) for size in APP_ICON_SIZES}


@pytest.mark.parametrize("size", APP_ICON_SIZES)
def test_app_icon_png_has_the_size_its_folder_declares(qapp, size: int) -> None:
    image = QImage(str(resource_path(app_icon_png(size))))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_scalable_app_icon_in_the_icon_theme_is_the_source_svg() -> None:
    scalable = resource_path(f"icons/hicolor/scalable/apps/{APP_ID}.svg")
    assert scalable.read_bytes() == resource_path(icons.APP_ICON_SVG).read_bytes()


def test_windows_ico_holds_a_png_for_each_size_up_to_256(qapp) -> None:
    data = (ROOT / "packaging" / "windows" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        blob = data[offset : offset + length]
        assert blob.startswith(b"\x89PNG\r\n\x1a\n")
        image = QImage.fromData(blob)
        side = width or 256
        assert (image.width(), image.height()) == (side, height or 256)
        sizes.append(side)
    assert {16, 32, 48, 256} <= set(sizes)


def test_macos_icns_holds_png_entries_from_128_to_1024(qapp) -> None:
    data = (ROOT / "packaging" / "macos" / "app.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    expected = {b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024}
    found = {}
    offset = 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        assert length > 8
        blob = data[offset + 8 : offset + length]
        assert blob.startswith(b"\x89PNG\r\n\x1a\n")
        image = QImage.fromData(blob)
        found[kind] = image.width()
        assert image.height() == image.width()
        offset += length
    assert found == expected


def test_metainfo_release_version_is_the_package_version() -> None:
    root = ET.parse(METAINFO_FILE).getroot()
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.get("version") == _pyproject()["project"]["version"]


def test_metainfo_names_the_app_id_its_desktop_file_and_every_installed_command() -> None:
    root = ET.parse(METAINFO_FILE).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    project = _pyproject()["project"]
    commands = set(project.get("scripts", {})) | set(project.get("gui-scripts", {}))
    assert {el.text for el in root.findall("provides/binary")} == commands


def test_desktop_entry_starts_the_gui_command_with_the_themed_app_icon() -> None:
    entry = _desktop_entry()
    assert entry["Exec"] in _pyproject()["project"]["gui-scripts"]
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == APP_NAME
    assert entry["StartupWMClass"] == APP_NAME  # Qt's X11 WM class is the application name


def _run_validator(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (Debian: desktop-file-utils / appstream)")
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_desktop_file_passes_desktop_file_validate() -> None:
    result = _run_validator("desktop-file-validate", str(DESKTOP_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower() + result.stderr.lower()


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = _run_validator("appstreamcli", "validate", "--no-net", str(METAINFO_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
