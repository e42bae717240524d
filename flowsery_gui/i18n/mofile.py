"""A compiled catalogue (`.mo`) read the way a start-up wants it: only what is looked up.

`gettext.GNUTranslations` decodes every one of a catalogue's ~1,800 messages when it opens
(about 4 ms, plus 2 ms to import `gettext`), on every start of the window and of every
command in another language than English. This reader indexes the file's raw message IDs
(no decoding) and decodes a translation when it is asked for; the plural rule is compiled
(by `gettext.c2py`) on the first plural lookup. It answers exactly as GNUTranslations does
for this app's catalogues (UTF-8, as Babel writes them): `tests/test_i18n_mofile.py`
compares the two on every message of every language.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

_MAGIC_LE = 0x950412DE
_MAGIC_BE = 0xDE120495
_CONTEXT = b"\x04"


class MoCatalogue:
    """One language's translations, from the bytes of its `.mo` file."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 20 or len(data) > 16 * 1024 * 1024:
            raise ValueError("not a .mo file: too short or too long")
        (magic,) = struct.unpack_from("<I", data, 0)
        if magic == _MAGIC_LE:
            order = "<"
        elif magic == _MAGIC_BE:
            order = ">"
        else:
            raise ValueError("not a .mo file: bad magic number")
        _revision, count, originals, translations = struct.unpack_from(order + "4I", data, 4)
        if max(originals, translations) + 8 * count > len(data):
            raise ValueError("not a .mo file: its tables point past its end")
        pair = struct.Struct(order + "II")
        ids = pair.iter_unpack(data[originals : originals + 8 * count])
        strs = pair.iter_unpack(data[translations : translations + 8 * count])
        entries: dict[bytes, tuple[int, int]] = {}
        plurals: dict[bytes, tuple[int, int]] = {}
        for (id_length, id_offset), (str_length, str_offset) in zip(ids, strs, strict=True):
            if str_offset + str_length > len(data) or id_offset + id_length > len(data):
                raise ValueError("not a .mo file: an entry points past its end")
            key = data[id_offset : id_offset + id_length]
            singular, nul, _plural = key.partition(b"\x00")
            # A plural message is found by its singular, and only by the plural lookups.
            (plurals if nul else entries)[singular] = (str_offset, str_length)
        self._data = data
        self._entries = entries
        self._plurals = plurals
        self._plural: Callable[[int], int] | None = None

    def _translation(
        self, key: bytes, table: dict[bytes, tuple[int, int]] | None = None
    ) -> str | None:
        found = (self._entries if table is None else table).get(key)
        if found is None:
            return None
        offset, length = found
        return self._data[offset : offset + length].decode("utf-8")

    def _form_index(self, n: int) -> int:
        if self._plural is None:
            self._plural = _plural_rule(self._translation(b"") or "")
        return self._plural(n)

    def gettext(self, message: str) -> str:
        """The translation of `message`, or `message` itself."""
        text = self._translation(message.encode("utf-8"))
        return message if text is None else text

    def pgettext(self, context: str, message: str) -> str:
        """The translation of `message` in `context`, or `message` itself."""
        text = self._translation(context.encode("utf-8") + _CONTEXT + message.encode("utf-8"))
        return message if text is None else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form for `n`, or the English one (`singular` for 1, else `plural`)."""
        return self._plural_form(singular.encode("utf-8"), singular, plural, n)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        """`ngettext` in `context`."""
        key = context.encode("utf-8") + _CONTEXT + singular.encode("utf-8")
        return self._plural_form(key, singular, plural, n)

    def _plural_form(self, key: bytes, singular: str, plural: str, n: int) -> str:
        text = self._translation(key, self._plurals)
        forms = [] if text is None else text.split("\x00")
        index = self._form_index(n) if forms else -1
        if not 0 <= index < len(forms):  # as gettext: no such form, the English one
            return singular if n == 1 else plural
        return forms[index]


def _plural_rule(header: str) -> Callable[[int], int]:
    """The catalogue's `Plural-Forms` rule, as gettext compiles it (Germanic when absent)."""
    for line in header.split("\n"):
        name, _sep, value = line.partition(":")
        if name.strip().lower() == "plural-forms":
            parts = value.split(";")
            if len(parts) > 1 and "plural=" in parts[1]:
                import gettext

                return gettext.c2py(parts[1].split("plural=")[1])
    return lambda n: int(n != 1)
