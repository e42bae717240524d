"""Pseudo-translations: every string made longer and accented, or right-to-left.

They need no catalogue: the text is transformed when it is asked for, so they always cover
every marked string. Placeholders (`{name}`, `{count:,}`, `%(count)d`, `%s`) and the
`{{` / `}}` escapes are kept exactly as they are, so formatting still works.

- `en_XA` ("long"): letters accented, the text padded by about 40% (in words, so it can
  still wrap) and bracketed, `[Ŝéñđ ~~]`, so a clipped label shows a missing bracket.
- `ar_XB` ("right to left"): letters swapped for Arabic ones, so the text runs right to left.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A placeholder of str.format or of %-formatting, or a doubled brace: never changed.
PLACEHOLDER = re.compile(
    r"\{\{|\}\}|\{[^{}]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifreExXgGo%]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifreExXgGo%]"
)

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöƥǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖƤǪŔŠŢÛṼŴẊÝŽ",
)
_ARABIC_LETTERS = "ابچدعفگهیجکلمنوپقرستۇڤۋخيز"  # one for each of a-z
_ARABIC = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", _ARABIC_LETTERS * 2)
#: How much longer a pseudo-long string is than its source, as a fraction of its length.
EXPANSION = 0.4


def _outside_placeholders(text: str, change: Callable[[str], str]) -> str:
    """`change` applied to the text between placeholders; placeholders kept as they are."""
    out: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(change(text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(change(text[position:]))
    return "".join(out)


def long_text(text: str) -> str:
    """The pseudo-long version: accented, about 40% longer, bracketed (`[Ŝéñđ ~~]`)."""
    if not text:
        return text
    body = _outside_placeholders(text, lambda part: part.translate(_ACCENTED))
    padding = max(1, round(len(text) * EXPANSION) - 3)  # the brackets and space count too
    # Words of at most six, as a real translation's: a label may still wrap between them.
    words = " ".join("~" * min(6, padding - start) for start in range(0, padding, 7))
    return f"[{body} {words}]"


def rtl_text(text: str) -> str:
    """The pseudo right-to-left version: Latin letters swapped for Arabic ones."""
    if not text:
        return text
    return _outside_placeholders(text, lambda part: part.translate(_ARABIC))


class PseudoCatalogue:
    """A catalogue that transforms the source text itself (the gettext call names it uses)."""

    def __init__(self, transform: Callable[[str], str]) -> None:
        self._transform = transform

    def gettext(self, message: str) -> str:
        """The transformed message."""
        return str(self._transform(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The transformed form for `n`, by the English rule."""
        return str(self._transform(singular if n == 1 else plural))

    def pgettext(self, context: str, message: str) -> str:
        """The transformed message (the context changes nothing here)."""
        return self.gettext(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        """The transformed form for `n` (the context changes nothing here)."""
        return self.ngettext(singular, plural, n)


PSEUDO_TRANSFORMS = {"en_XA": long_text, "ar_XB": rtl_text}
