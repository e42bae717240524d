"""Help text laid out for every language: paragraphs and lists of terms wrapped to the
terminal, wide (CJK) characters counted as two columns, lines broken between them.

argparse wraps with `textwrap`, which counts characters and breaks only at spaces: a
Japanese help line comes out twice as wide as the terminal. `HelpFormatter` wraps option
help and one-paragraph descriptions here instead; a text with line breaks is taken as laid
out already (by `paragraph`, `entries` and `blocks`). `HelpParser` builds a description or
an epilog given as a function only when help is shown, so a command that runs does not
pay for laying out help it never prints.
"""

from __future__ import annotations

import argparse
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

#: Characters a line must not start with (closing marks, small kana, the long-vowel
#: mark), and the opening marks it must not end with.
_NO_BREAK_BEFORE = frozenset(
    "、。，．,.)）」』】〕〉》!?！？:：;；ー…・々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
_NO_BREAK_AFTER = frozenset("(（「『【〔〈《")
MAX_WIDTH = 100


def columns() -> int:
    """The width help is laid out in: the terminal's, as argparse takes it, at most 100."""
    return max(40, min(shutil.get_terminal_size().columns - 2, MAX_WIDTH))


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def display_width(text: str) -> int:
    """How many terminal columns a text takes (a CJK character two, an accent none)."""
    return sum(0 if unicodedata.combining(ch) else 2 if _wide(ch) else 1 for ch in text)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """The text as units, each with whether a line may break before it: a space, a word
    of narrow characters, or one wide character (Japanese breaks between any two, but not
    before a closing mark nor after an opening one)."""
    out: list[tuple[str, bool]] = []
    previous = ""
    for char in text:
        if char == " ":
            out.append((" ", True))
        elif not out or previous == " " or _wide(char) or _wide(previous):
            breakable = (
                previous not in ("", " ")
                and char not in _NO_BREAK_BEFORE
                and previous not in _NO_BREAK_AFTER
            )
            out.append((char, breakable))
        else:
            out[-1] = (out[-1][0] + char, out[-1][1])
        previous = char
    return out


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """`text` as lines of at most `width` columns (a word longer than a line stays whole),
    each starting with `indent` (the first with `first` when given)."""
    lead = indent if first is None else first
    lines: list[str] = []
    line = ""
    used = display_width(lead)
    pending_space = False
    for unit, breakable in _pieces(" ".join(text.split())):
        if unit == " ":
            pending_space = True
            continue
        size = display_width(unit) + (1 if pending_space else 0)
        if line and used + size > width and (breakable or pending_space):
            lines.append(lead + line)
            lead = indent
            line, used = unit, display_width(indent) + display_width(unit)
        else:
            line += (" " if pending_space and line else "") + unit
            used += size
        pending_space = False
    if line or not lines:
        lines.append(lead + line)
    return lines


def paragraph(text: str, indent: int = 0, width: int | None = None) -> str:
    """One paragraph wrapped to the help's width, indented by `indent` spaces."""
    pad = " " * indent
    return "\n".join(wrap(text, width or columns(), pad))


def entries(
    items: Sequence[tuple[str, str]], indent: int = 2, gap: int = 2, width: int | None = None
) -> str:
    """A list of terms and their explanations, the explanations aligned after the widest
    term and wrapped under themselves: `  0  done`, `  FLOWSERY_API_KEY  the key`."""
    width = width or columns()
    term_width = max(display_width(term) for term, _text in items)
    column = indent + term_width + gap
    lines: list[str] = []
    for term, text in items:
        head = " " * indent + term + " " * (term_width - display_width(term) + gap)
        lines += wrap(text, width, " " * column, head)
    return "\n".join(lines)


def section(title: str, body: str) -> str:
    """A titled block of help: `title:` then its lines."""
    return f"{title}\n{body}"


def blocks(*parts: str) -> str:
    """Blocks of help separated by blank lines (empty ones left out)."""
    return "\n\n".join(part for part in parts if part)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, wrapping by display width: option help and a one-paragraph
    description are wrapped here; a text with line breaks is kept as it is laid out."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return super()._fill_text(text, width, indent)
        return "\n".join(wrap(text, width, indent))


LazyText = Callable[[], str]


class HelpParser(argparse.ArgumentParser):
    """An ArgumentParser whose description and epilog may be functions, called only when
    help is shown; its formatter (and its subcommands') is `HelpFormatter`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        """The help, with a description or an epilog given as a function made now."""
        if callable(self.description):
            self.description = self.description()
        if callable(self.epilog):
            self.epilog = self.epilog()
        return super().format_help()
