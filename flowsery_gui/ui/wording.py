"""Counted words as whole phrases (`1 goal`, `3 goals`), never a letter appended, so the
translation pass can hand each pair to `ngettext` as it is.

Being replaced: a translated count is `ngettext(one, other, n, count=format_number(n))` at
its use (a msgid must be a literal there); this stays until its last callers are marked."""

from __future__ import annotations


def counted(count: int, one: str, other: str, **fields: object) -> str:
    """`one` when `count` is 1, else `other`, with `{n}` the count (1,204) and the other
    placeholders filled from `fields`."""
    from flowsery_gui.i18n import format_number

    return (one if count == 1 else other).format(n=format_number(count), **fields)
