"""Counted words as whole phrases (`1 goal`, `3 goals`), never a letter appended, so the
translation pass can hand each pair to `ngettext` as it is."""

from __future__ import annotations


def counted(count: int, one: str, other: str, **fields: object) -> str:
    """`one` when `count` is 1, else `other`, with `{n}` the count (1,204) and the other
    placeholders filled from `fields`."""
    return (one if count == 1 else other).format(n=f"{count:,}", **fields)
