"""What every `flowsery-goal` command shares: names, exit codes, argument types, bounded
input reading and output that stays on one line per item.

No Qt and nothing slow to import here: every command imports this module.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from flowsery_gui import i18n  # its formatters load when first used
from flowsery_gui.contract import Finding, Report, check_body
from flowsery_gui.i18n import N_, _
from flowsery_gui.jsonread import NotJSON, ParsedBody

PROG = "flowsery-goal"
API_KEY_ENV = "FLOWSERY_API_KEY"
BASE_URL_ENV = "FLOWSERY_BASE_URL"
PROFILE_ENV = "FLOWSERY_PROFILE"
CUSTOM_PROFILE = "custom"  # the history's profile for a base URL given without a profile

EXIT_OK = 0
EXIT_FAILED = 1  # validation errors, or the server answered with an error status
EXIT_USAGE = 2  # bad arguments or input, no target, missing key, refused to send
EXIT_NO_RESPONSE = 3  # the request went out (or tried to) but no response came back
EXIT_KEYRING = 4  # the system keyring could not be used

MAX_INPUT_BYTES = 1024 * 1024  # a goal body is a few hundred bytes; 1 MiB is generous
MAX_TIMEOUT_S = 600.0  # the connect and read timeouts each; the client's deadline is their sum
FIX_SHOWN_MAX = 60  # a longer fix value is shortened on screen (it can be 255 characters)


# --- argument types ---------------------------------------------------------------------------


def seconds(text: str) -> float:
    """argparse type: a number of seconds above 0 and at most MAX_TIMEOUT_S."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a number of seconds: {given}", given=repr(text))
        ) from None
    if math.isnan(value):
        raise argparse.ArgumentTypeError(_("not a number of seconds: {given}", given=repr(text)))
    if value <= 0:
        raise argparse.ArgumentTypeError(
            _("must be more than 0 seconds: {given}", given=repr(text))
        )
    if value > MAX_TIMEOUT_S:
        raise argparse.ArgumentTypeError(
            _(
                "at most {limit} seconds, got {given}: a goal that takes longer than that is "
                "not coming back",
                limit=i18n.format_number(MAX_TIMEOUT_S),
                given=repr(text),
            )
        )
    return value


def meta_pair(text: str) -> tuple[str, str]:
    """argparse type: one KEY=VALUE metadata pair (the value may contain '=')."""
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(
            _("expected KEY=VALUE, got {given}", given=repr(one_line(text)))
        )
    return key, value


def limit(text: str) -> int:
    """argparse type: how many records, 0 for all."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {given}", given=repr(text[:40]))
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("cannot be negative: {given}", given=repr(text)))
    return value


# --- output -----------------------------------------------------------------------------------

_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps tab and line feed
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def one_line(text: str) -> str:
    """Text with line breaks and control characters shown as escapes (\\n, \\x1b): it stays on
    one line and cannot drive the terminal."""
    return _LINE_BREAKING.sub(_escape, text)


def printable(text: str) -> str:
    """Text from elsewhere (a server, a file) with control characters other than tab and line
    feed shown as escapes, so it cannot drive the terminal."""
    return _CONTROL.sub(_escape, text)


def fail(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"{PROG}: {message}", file=sys.stderr)


def error_line(command: str, message: str) -> str:
    """`flowsery-goal COMMAND: error: message`, as argparse says a usage error."""
    return _("{prog} {command}: error: {message}", prog=PROG, command=command, message=message)


def usage_error(command: str, message: str) -> int:
    """Say what is wrong with how the command was called; exit 2."""
    print(error_line(command, message), file=sys.stderr)
    return EXIT_USAGE


def fix_shown(fix: str) -> str:
    """A fix's replacement value, quoted; shortened when long (a value with markup can be
    255 characters long, too long to read on a terminal)."""
    if len(fix) <= FIX_SHOWN_MAX:
        return json.dumps(fix, ensure_ascii=False)
    head = json.dumps(fix[: FIX_SHOWN_MAX - 20], ensure_ascii=False)
    return _('{start}…" ({count} characters)', start=head[:-1], count=i18n.format_number(len(fix)))


def finding_line(finding: Finding, source: str = "api") -> str:
    """One finding on one line: `severity path: message [fix: "value"]`, or the fix's label
    when it has one (`[fix: cut to 255 characters]`); a plan's finding says so after its
    severity (`warning (plan) metadata.plan: …`)."""
    marker = " (plan)" if source == "plan" else ""
    line = f"{finding.severity}{marker} {finding.path or '(body)'}: {finding.message}"
    if finding.fix_label is not None:
        line += f" [fix: {finding.fix_label}]"
    elif finding.fix is not None:
        line += f" [fix: {fix_shown(finding.fix)}]"
    return one_line(line)


def print_findings(findings: Sequence[Finding], out: TextIO, source: str = "api") -> None:
    """One line per finding, its fix (if any) at the end of that line."""
    for finding in findings:
        print(finding_line(finding, source), file=out)


def columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines of left-aligned columns two spaces apart (the last one not padded)."""
    if not rows:
        return []
    rows = [[one_line(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def shell_word(text: str) -> str:
    """Text quoted for a shell command line the user may copy."""
    import shlex

    return shlex.quote(text)


def needs_action(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """A handler for a command group given no action: its help on stderr, exit 2."""

    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return handler


# --- input ------------------------------------------------------------------------------------


class InputTooLarge(Exception):
    """The file or stdin holds more than MAX_INPUT_BYTES."""


def read_input(source: str) -> bytes:
    """The bytes of a file, or of stdin for '-', reading at most MAX_INPUT_BYTES (one byte
    more tells "too large"). Raises OSError or InputTooLarge."""
    if source == "-":
        stream = sys.stdin
        if stream is None:
            return b""
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            data: bytes = binary.read(MAX_INPUT_BYTES + 1)
        else:  # a text stream (tests, embedding): bound it in characters
            data = stream.read(MAX_INPUT_BYTES + 1).encode("utf-8", "surrogateescape")
    else:
        with open(source, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputTooLarge(source)
    return data


def source_name(source: str) -> str:
    """How messages name an input: a file's name, or stdin."""
    return "stdin" if source == "-" else one_line(source)  # the stream's name, as typed


def read_bounded(source: str, command: str) -> bytes | int:
    """The bytes of a file or stdin, or exit 2 after saying why they cannot be read (too
    large, missing, not a file)."""
    name = source_name(source)
    try:
        return read_input(source)
    except InputTooLarge:
        return usage_error(
            command,
            _(
                "{name} holds more than {mib} MiB; a goal body is a few hundred bytes. Check "
                "that this is the right file.",
                name=name,
                mib=MAX_INPUT_BYTES // 1024 // 1024,
            ),
        )
    except OSError as exc:
        fail(_("cannot read {name}: {reason}", name=name, reason=exc.strerror or exc))
        return EXIT_USAGE


#: Plain words for whatever reading a body can raise besides the reader's own NotJSON.
UNREADABLE_JSON = N_(
    "This JSON holds something that cannot be read, such as a number thousands of digits "
    "long. Write such a value as a string."
)


def body_in_text(raw: bytes) -> tuple[ParsedBody, bytes | str]:
    """The JSON body in what was read, and its exact text: the whole input, or the JSON
    object inside a pasted log line or request dump, read the way the window reads a paste
    (`sending.drafts.json_object_in_text`; a note on stderr says so). Raises NotJSON."""
    from flowsery_gui.sending.drafts import TAKEN_OUT_NOTE, json_object_in_text

    parsed, taken_out = json_object_in_text(raw)
    if not taken_out:
        return parsed, raw
    print(_("note: {note}", note=_(TAKEN_OUT_NOTE)), file=sys.stderr)
    text = raw.decode("utf-8")  # it was decoded to be taken out: it is UTF-8
    return parsed, text[text.find("{") : text.rfind("}") + 1]  # the span it was taken from


def not_json(reason: str) -> str:
    """The line for input that is not a JSON body: `not JSON: the reader's reason`."""
    return one_line(_("not JSON: {reason}", reason=reason))


def read_body(source: str, command: str) -> tuple[Any, Report] | int:
    """Read and check a JSON goal body (or a log line holding one) from a file or stdin: the
    body as read and its report, or exit 2 after saying in plain words why the input cannot
    be used. Never raises for any input."""
    raw = read_bounded(source, command)
    if isinstance(raw, int):
        return raw
    try:
        parsed, _text = body_in_text(raw)
        return parsed.value, check_body(parsed.value, parsed.duplicate_keys)
    except NotJSON as exc:
        reason = str(exc)
    except UnicodeDecodeError:
        reason = _("The body is not valid UTF-8 text.")
    except RecursionError:
        reason = _("This JSON is nested too deeply to read.")
    except ValueError:  # a limit of this Python the reader did not turn into NotJSON
        reason = _(UNREADABLE_JSON)
    fail(not_json(reason))
    return EXIT_USAGE
