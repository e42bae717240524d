""" "Did you mean ...?": the nearest of a few known words to a near-miss (case, a typo)."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

from flowsery_gui.contract import suggest_name

CUTOFF = 0.75  # difflib's ratio: `newsleter_signup` ~ `newsletter_signup` is 0.97
SHORTLIST = 12  # names sharing the most trigrams with the word, compared in full


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
    return _close(word, list(choices), cutoff)


def _close(word: str, candidates: list[str], cutoff: float) -> str | None:
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    if not found and word.lower() != word:
        found = difflib.get_close_matches(word.lower(), candidates, n=1, cutoff=cutoff)
    return found[0] if found else None


def _trigrams(word: str) -> set[str]:
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """Many names (a plan's goals), indexed so that a miss is answered in well under a
    millisecond: only the names sharing the most trigrams with the word are compared."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self._lower = {name.lower(): name for name in self.names}
        self._set = frozenset(self.names)
        self._grams: defaultdict[str, list[str]] = defaultdict(list)
        for name in self.names:
            for gram in _trigrams(name):
                self._grams[gram].append(name)

    def closest(self, word: str, cutoff: float = CUTOFF) -> str | None:
        """As `closest()`, over the indexed names."""
        if not isinstance(word, str) or not self.names:
            return None
        same = self._lower.get(word.lower())
        if same is not None:
            return same
        normal = suggest_name(word)
        if normal is not None and normal in self._set:
            return normal
        shared: Counter[str] = Counter()
        for gram in _trigrams(word):
            shared.update(self._grams.get(gram, ()))
        shortlist = [name for name, _ in shared.most_common(SHORTLIST)]
        return _close(word, shortlist, cutoff) if shortlist else None
