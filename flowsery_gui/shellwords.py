"""Split a command line copied from a browser's devtools into words, as the shell would.

"Copy as cURL" gives a bash command line (Chrome writes `$'...'` strings for values with an
apostrophe, `!` or a control character) or a Windows cmd one (with `^` escapes). Reading it
is a job of its own, apart from finding the cookies in it (`cookie_formats`).
"""

from __future__ import annotations

import re

_CMD_CARET = re.compile(r"\^(\r?\n|.)", re.DOTALL)
_ANSI_C_SIMPLE = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
    "E": "\x1b",
}
_ANSI_C_NUMERIC = re.compile(r"x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}")


def _ansi_c(text: str, start: int) -> tuple[str, int] | None:
    """Read bash `$'...'` from the quote at `start`; the text and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "'":
            return "".join(out), i + 1
        if char != "\\" or i + 1 >= len(text):
            out.append(char)
            i += 1
            continue
        nxt = text[i + 1]
        numeric = _ANSI_C_NUMERIC.match(text, i + 1)
        if nxt in _ANSI_C_SIMPLE:
            out.append(_ANSI_C_SIMPLE[nxt])
            i += 2
        elif numeric:
            digits = numeric.group()
            code = int(digits, 8) if digits[0] in "01234567" else int(digits[1:], 16)
            out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
            i = numeric.end()
        else:
            out.append(nxt)  # \\ \' \" \? and anything else: the character itself
            i += 2
    return None


def shell_words(text: str) -> list[str] | None:
    """Split a bash command line into words the way bash would (no expansion); None if unclosed.

    `shlex` is not enough here: Chrome's "Copy as cURL (bash)" writes `$'...'` strings
    whenever a value holds an apostrophe, `!` or a control character, and shlex cannot read them.
    """
    words: list[str] = []
    current: list[str] = []
    in_word = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("\n", "\r"):
            i += 3 if text[i + 1 : i + 3] == "\r\n" else 2  # a line continuation
            continue
        if char in " \t\r\n":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            i += 1
            continue
        in_word = True
        if char == "\\":
            current.append(text[i + 1 : i + 2])
            i += 2
        elif char == "'":
            end = text.find("'", i + 1)
            if end < 0:
                return None
            current.append(text[i + 1 : end])
            i = end + 1
        elif char == "$" and text[i + 1 : i + 2] == "'":
            read = _ansi_c(text, i + 1)
            if read is None:
                return None
            current.append(read[0])
            i = read[1]
        elif char == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                if text[i] == "\\" and text[i + 1 : i + 2] in ('"', "\\", "$", "`", "\n"):
                    if text[i + 1] != "\n":
                        current.append(text[i + 1])
                    i += 2
                else:
                    current.append(text[i])
                    i += 1
            if i >= len(text):
                return None
            i += 1
        else:
            current.append(char)
            i += 1
    if in_word:
        words.append("".join(current))
    return words


def from_windows_cmd(text: str) -> str:
    """Undo cmd.exe caret escapes (`^"`, `^%`, `^` line ends) so the bash reader can follow."""
    return _CMD_CARET.sub(lambda m: "" if m.group(1) in ("\n", "\r\n") else m.group(1), text)
