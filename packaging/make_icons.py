"""Render the app icon SVG into the PNG, ICO and ICNS files the platforms need.

Run from anywhere: `python packaging/make_icons.py`. The outputs are committed, so run it
again after changing `flowsery_gui/resources/app-icon.svg`:
- flowsery_gui/resources/icons/hicolor/<N>x<N>/apps/com.flowsery.GoalTester.png (+ scalable SVG)
- packaging/windows/app.ico   (PNG entries 16..256, Windows Vista and later)
- packaging/macos/app.icns    (ic07..ic10: 128, 256, 512, 1024 PNG entries)
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # use the checkout's package, installed or not

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from flowsery_gui.ui.icons import APP_ICON_SIZES, APP_ICON_SVG, APP_ID, app_icon_png  # noqa: E402

RESOURCES = ROOT / "flowsery_gui" / "resources"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an ICO entry can declare
ICNS_TYPES = ((b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024))


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn on a transparent size x size canvas, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # PySide6 wants str here
        raise RuntimeError(f"Qt could not encode a {size}px PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows ICO holding one PNG-compressed entry per size."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """A macOS ICNS: 'icns' + total length, then type + length + PNG data per entry."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    """Write every derived icon file from the one SVG source."""
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = RESOURCES / APP_ICON_SVG
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        print(f"error: {svg} is not a valid SVG for Qt", file=sys.stderr)
        return 1
    wanted = set(APP_ICON_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = {size: render_png(renderer, size) for size in sorted(wanted)}

    written = []
    for size in APP_ICON_SIZES:
        target = RESOURCES / app_icon_png(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
        written.append(target)
    scalable = RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)

    ico = ROOT / "packaging" / "windows" / "app.ico"
    ico.parent.mkdir(parents=True, exist_ok=True)
    ico.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    written.append(ico)

    icns = ROOT / "packaging" / "macos" / "app.icns"
    icns.parent.mkdir(parents=True, exist_ok=True)
    icns.write_bytes(icns_bytes([(kind, pngs[size]) for kind, size in ICNS_TYPES]))
    written.append(icns)

    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
