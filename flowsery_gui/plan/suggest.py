""" "Did you mean ...?": the nearest of a few known words to a near-miss (case, a typo)."""

from __future__ import annotations

import difflib
from collections.abc import Collection

from flowsery_gui.contract import suggest_name

CUTOFF = 0.75  # difflib's ratio: `newsleter_signup` ~ `newsletter_signup` is 0.97


def closest(word: str, choices: Collection[str], cutoff: float = CUTOFF) -> str | None:
    """The choice a person most likely meant: same letters in another case, the same name
    written the API's way (`Newsletter Signup`), or a close spelling; None when none is close."""
    if not choices or not isinstance(word, str):
        return None
    lowered = word.lower()
    for choice in choices:
        if choice.lower() == lowered:
            return choice
    normal = suggest_name(word)
    if normal is not None and normal in choices:
        return normal
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    if not found and lowered != word:
        found = difflib.get_close_matches(lowered, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None
