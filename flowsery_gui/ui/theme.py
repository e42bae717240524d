"""Status and syntax colours that read on both light and dark palettes, chosen in one place.

Light or dark is decided from the palette actually painted (its window colour), not from
`QStyleHints.colorScheme()` alone: an app or platform theme can set a palette that disagrees
with the scheme hint, and contrast depends on what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

TONES = ("success", "client_error", "auth", "server_error", "failure", "info")

# Icon shown beside each tone, so colour is never the only cue.
TONE_ICONS = {
    "success": "success",
    "client_error": "warning",
    "auth": "error",
    "server_error": "error",
    "failure": "error",
    "info": "info",
}


@dataclass(frozen=True)
class ToneColors:
    """The fill, text and outline colours of a status chip or banner."""

    background: QColor
    foreground: QColor
    border: QColor


@dataclass(frozen=True)
class JsonColors:
    """Foreground colours for JSON tokens in the viewer."""

    key: QColor
    string: QColor
    number: QColor
    literal: QColor


# tone -> (background, foreground, border); every pair checked for >= 4.5:1 in the tests.
_LIGHT = {
    "success": ("#dcfce7", "#14532d", "#16a34a"),
    "client_error": ("#fef3c7", "#78350f", "#d97706"),
    "auth": ("#fee2e2", "#991b1b", "#dc2626"),
    "server_error": ("#b91c1c", "#ffffff", "#7f1d1d"),
    "failure": ("#e5e7eb", "#1f2937", "#6b7280"),
    "info": ("#dbeafe", "#1e3a8a", "#3b82f6"),
}
_DARK = {
    "success": ("#14532d", "#bbf7d0", "#22c55e"),
    "client_error": ("#713f12", "#fde68a", "#f59e0b"),
    "auth": ("#7f1d1d", "#fecaca", "#f87171"),
    "server_error": ("#b91c1c", "#ffffff", "#f87171"),
    "failure": ("#374151", "#e5e7eb", "#9ca3af"),
    "info": ("#1e3a8a", "#dbeafe", "#60a5fa"),
}
_JSON_LIGHT = JsonColors(QColor("#0451a5"), QColor("#a31515"), QColor("#097450"), QColor("#0000ff"))
_JSON_DARK = JsonColors(QColor("#9cdcfe"), QColor("#ce9178"), QColor("#b5cea8"), QColor("#569cd6"))


def current_palette() -> QPalette:
    """The application palette (the one widgets paint with unless told otherwise)."""
    return QGuiApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette paints light text on a dark window."""
    pal = palette if palette is not None else current_palette()
    window = pal.color(QPalette.ColorRole.Window)
    text = pal.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def tone_colors(tone: str, palette: QPalette | None = None) -> ToneColors:
    """The chip colours for an explanation tone; unknown tones look like "info"."""
    table = _DARK if is_dark(palette) else _LIGHT
    background, foreground, border = table.get(tone, table["info"])
    return ToneColors(QColor(background), QColor(foreground), QColor(border))


def chip_style_sheet(tone: str, palette: QPalette | None = None) -> str:
    """A style sheet for a QLabel drawn as a rounded status chip in the tone's colours."""
    c = tone_colors(tone, palette)
    return (
        f"color: {c.foreground.name()}; background-color: {c.background.name()};"
        f" border: 1px solid {c.border.name()}; border-radius: 4px; padding: 2px 8px;"
    )


def banner_style_sheet(tone: str, palette: QPalette | None = None) -> str:
    """A style sheet for a full-width notice (e.g. why a request is blocked)."""
    c = tone_colors(tone, palette)
    return (
        f"color: {c.foreground.name()}; background-color: {c.background.name()};"
        f" border: 1px solid {c.border.name()}; border-radius: 4px; padding: 4px 8px;"
    )


def json_colors(palette: QPalette | None = None) -> JsonColors:
    """Token colours for the JSON viewer, readable on the palette's base colour."""
    return _JSON_DARK if is_dark(palette) else _JSON_LIGHT


def contrast_ratio(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio between two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = channel(c.redF()), channel(c.greenF()), channel(c.blueF())
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)
