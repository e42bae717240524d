"""Text from people or servers, made safe for the places Qt would read as rich text."""

from __future__ import annotations

import html


def tooltip(text: str) -> str:
    """A tooltip that shows `text` literally: Qt guesses rich text in tooltips from `<`."""
    if not text:
        return ""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
