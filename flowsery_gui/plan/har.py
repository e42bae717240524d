"""A HAR 1.2 file read entry by entry, so a 50 MB capture never sits whole in memory.

HAR is one JSON object (`{"log": {"entries": [...]}}`); the standard library only parses
whole documents. This reader walks the two outer objects and the `entries` array itself and
hands each entry (and each value it skips) to the C JSON decoder, so memory holds about one
entry and one read chunk. An entry over `MAX_ENTRY_BYTES` is refused in plain words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from flowsery_gui.i18n import _
from flowsery_gui.plan.capture import (
    CaptureError,
    Received,
    Tally,
    header_pairs,
    open_capture,
    positive_int,
    url_path,
)

CHUNK_CHARS = 1 << 20
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_SPACE = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class _Stream:
    """A window on the file's text, refilled as the walk needs more."""

    def __init__(self, handle: TextIO, path: Path) -> None:
        self.handle = handle
        self.path = path
        self.buf = ""
        self.pos = 0
        self.eof = False

    def fill(self, at_least: int = CHUNK_CHARS) -> None:
        try:
            chunk = self.handle.read(max(at_least, 1))
        except UnicodeDecodeError:
            raise CaptureError(_("{file} is not UTF-8 text.", file=self.path)) from None
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        if not chunk:
            self.eof = True

    def peek(self) -> str:
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos : self.pos + 1]
            self.fill()

    def take(self, expected: str) -> str:
        found = self.peek()
        if found not in expected or not found:
            if found:
                said = _(
                    "{file} is not a HAR file: expected one of {expected}, found {found}.",
                    file=self.path,
                    expected=repr(expected),
                    found=repr(found),
                )
            else:
                said = _(
                    "{file} is not a HAR file: expected one of {expected}, found the end of the "
                    "file.",
                    file=self.path,
                    expected=repr(expected),
                )
            raise CaptureError(said)
        self.pos += 1
        return found

    def value(self) -> Any:
        """The next JSON value, decoded whole (one entry, one key, one skipped value)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                end = -1
            except RecursionError:
                said = _("{file}: an entry is nested too deeply.", file=self.path)
                raise CaptureError(said) from None
            # A value that ends exactly at the end of the buffer may continue in the file.
            if end != -1 and (end < len(self.buf) or self.eof):
                self.pos = end
                return value
            if self.eof:
                said = _("{file} is not a HAR file: its JSON is broken or cut.", file=self.path)
                raise CaptureError(said)
            held = len(self.buf) - self.pos
            if held > MAX_ENTRY_BYTES:
                raise CaptureError(
                    _(
                        "{file}: one entry is over {mb} MB; it is not read.",
                        file=self.path,
                        mb=MAX_ENTRY_BYTES // (1024 * 1024),
                    )
                )
            self.fill(at_least=min(held, MAX_ENTRY_BYTES + 1 - held))  # about double


def _members(stream: _Stream) -> Iterator[str]:
    """The keys of the object that starts here; the caller reads or skips each value."""
    stream.take("{")
    if stream.peek() == "}":
        stream.pos += 1
        return
    while True:
        key = stream.value()
        if not isinstance(key, str):
            raise CaptureError(_("{file} is not a HAR file: a key is not text.", file=stream.path))
        stream.take(":")
        yield key
        if stream.take(",}") == "}":
            return


def _entries(stream: _Stream) -> Iterator[Any]:
    found = False
    for key in _members(stream):
        if key != "log":
            stream.value()
            continue
        if stream.peek() != "{":
            said = _("{file} is not a HAR file: `log` is not an object.", file=stream.path)
            raise CaptureError(said)
        for inner in _members(stream):
            if inner != "entries":
                stream.value()
                continue
            found = True
            stream.take("[")
            if stream.peek() == "]":
                stream.pos += 1
                continue
            while True:
                yield stream.value()
                if stream.take(",]") == "]":
                    break
    if not found:
        said = _("{file} is not a HAR file: it has no log.entries list.", file=stream.path)
        raise CaptureError(said)


def _received(entry: Any, index: int) -> Received | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
        return None
    request = entry["request"]
    response = entry.get("response")
    status = None
    answer = ""
    if isinstance(response, dict):
        status = positive_int(response.get("status"))
        content = response.get("content")
        if isinstance(content, dict) and isinstance(content.get("text"), str):
            if content.get("encoding") == "base64":
                answer = _("(a base64-encoded body, not shown)")
            else:
                answer = content["text"]
        elif isinstance(response.get("_error"), str):
            answer = response["_error"]
    post = request.get("postData")
    body = post.get("text") if isinstance(post, dict) else None
    url = str(request.get("url") or "")
    elapsed = entry.get("time")
    return Received(
        ref=f"entry {index + 1}",
        method=str(request.get("method") or ""),
        path=url_path(url),
        body=body if isinstance(body, str) else None,
        status=status,
        time=str(entry.get("startedDateTime") or ""),
        url=url,
        headers=header_pairs(request.get("headers")),
        response=answer,
        elapsed_ms=float(elapsed) if isinstance(elapsed, (int, float)) else 0.0,
    )


def read_har(path: Path, tally: Tally) -> Iterator[Received]:
    """Every request of a HAR 1.2 file, in file order, one entry in memory at a time."""
    with open_capture(path) as handle:
        stream = _Stream(handle, path)
        if stream.peek() != "{":
            said = _(
                "{file} is not a HAR file: it does not start with {brace}.", file=path, brace="{"
            )
            raise CaptureError(said)
        for index, entry in enumerate(_entries(stream)):
            received = _received(entry, index)
            if received is None:
                note = _("Entry {number} has no request; it was skipped.", number=index + 1)
                tally.notes.append(note)
                continue
            yield received
