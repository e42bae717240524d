"""How a plan's constraints are run: JSON Schema 2020-12 with real format checks, and
patterns on a linear-time engine so that no pattern can hang the window or a CI job.

Patterns: JSON Schema's `pattern` is run with RE2 (google-re2), which never backtracks:
`^(a+)+$` against a long string takes microseconds, not years. RE2 has no look-around
(`(?=`, `(?!`, `(?<=`, `(?<!`) and no back-references (`\\1`); a plan that uses them is
refused at load with that reason, so a pattern that loads is a pattern that is safe to run.

Formats: `email` is checked by this module (RFC 5321 mailbox syntax; jsonschema's own check
only looks for an "@"); `uri` needs rfc3986-validator and `date-time`/`time` need
rfc3339-validator, both dependencies; `uuid`, `date`, `ipv4`, `ipv6` are built in. A format
that cannot really be checked here is refused at load, never silently passed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

import re2
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from flowsery_gui.i18n import N_, _, ngettext

MAX_PATTERN_LENGTH = 1000
#: The formats a plan may use, and how a message names a value of that format (msgids:
#: shown as `_(FORMATS[name])`).
FORMATS: dict[str, str] = {
    "email": N_("an email address (such as name@example.com)"),
    "uri": N_("a full URI (such as https://example.com/page)"),
    "uuid": N_("a UUID (such as 123e4567-e89b-12d3-a456-426614174000)"),
    "date": N_("a real calendar date written YYYY-MM-DD (such as 2024-05-01)"),
    "date-time": N_("a date and time with its offset (such as 2024-05-01T10:30:00Z)"),
    "time": N_("a time with its offset (such as 10:30:00Z)"),
    "ipv4": N_("an IPv4 address (such as 192.0.2.10)"),
    "ipv6": N_("an IPv6 address (such as 2001:db8::1)"),
}

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    rf"(?:{_ATEXT}+(?:\.{_ATEXT}+)*|\"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*\")"
    rf"@(?:{_LABEL}(?:\.{_LABEL})*|\[(?:[0-9]{{1,3}}(?:\.[0-9]{{1,3}}){{3}}|IPv6:[0-9A-Fa-f:.]+)\])"
)


class PatternError(ValueError):
    """A pattern cannot be used; the message says why in plain words."""


def is_email(value: object) -> bool:
    """True for an RFC 5321 mailbox (`local@domain`), ASCII only, within the length limits."""
    if not isinstance(value, str):
        return True  # formats only judge text; the type is another keyword's business
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        return False
    return len(value.rpartition("@")[0]) <= 64


@functools.cache
def format_checker() -> FormatChecker:
    """The format checker every plan uses: the formats above that can really be checked.

    Taken from the 2020-12 checker on purpose: jsonschema's global registry keeps the
    last definition of a name, and for `time` that is draft 3's (no offset allowed).
    """
    official = Draft202012Validator.FORMAT_CHECKER.checkers
    checker = FormatChecker(formats=())
    checker.checkers = {name: official[name] for name in FORMATS if name in official}
    checker.checks("email")(is_email)
    return checker


@functools.cache
def unavailable_formats() -> dict[str, str]:
    """Formats a plan may name but this installation cannot check, with the missing package."""
    needs = {
        "uri": "rfc3986-validator",
        "date-time": "rfc3339-validator",
        "time": "rfc3339-validator",
    }
    present = format_checker().checkers
    return {name: needs.get(name, "a validator") for name in FORMATS if name not in present}


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Any:
    """A compiled RE2 pattern (cached); PatternError in plain words when it cannot be used."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(
            ngettext(
                "The pattern is {length} character long; the limit is {limit}.",
                "The pattern is {length} characters long; the limit is {limit}.",
                len(pattern),
                length=len(pattern),
                limit=MAX_PATTERN_LENGTH,
            )
        )
    options = re2.Options()
    options.log_errors = False
    options.never_capture = True  # only "is there a match" is ever asked: faster
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else b""
        text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        raise PatternError(_pattern_words(text)) from None


def _well_formed(value: str) -> str:
    """The text with lone surrogates (possible in JSON) replaced, so RE2 can encode it."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def pattern_test(pattern: str) -> Callable[[str], bool]:
    """True when the value contains a match (JSON Schema's unanchored search), on RE2.

    Calls RE2's matcher directly when this google-re2 exposes it (about 10 times faster
    than the `search()` wrapper, which also builds a match object); `search()` otherwise.
    """
    compiled = compile_pattern(pattern)
    matcher = getattr(getattr(compiled, "_regexp", None), "Match", None)
    unanchored = getattr(getattr(getattr(re2, "_re2", None), "RE2", None), "Anchor", None)
    if matcher is None or unanchored is None:
        search = compiled.search
        return lambda value: search(_well_formed(value)) is not None
    anchor = unanchored.UNANCHORED

    def test(value: str) -> bool:
        data = value.encode("utf-8", "surrogatepass")
        return bool(matcher(anchor, data, 0, len(data))[0][0] != -1)

    return test


def _pattern_words(detail: str) -> str:
    if "invalid perl operator: (?" in detail:
        return _(
            "The pattern uses look-ahead or look-behind ((?=, (?!, (?<=, (?<!), which this app "
            "does not run: only patterns that cannot backtrack are allowed. Rewrite it without."
        )
    if "invalid escape sequence: \\" in detail and detail[-1:].isdigit():
        return _(
            "The pattern uses a back-reference (\\1), which this app does not run: only "
            "patterns that cannot backtrack are allowed. Rewrite it without."
        )
    if "pattern too large" in detail or "bad repetition" in detail:
        return _("The pattern is too large or repeats a repetition ({detail}).", detail=detail)
    return _("The pattern does not compile: {detail}.", detail=detail)


def _pattern_keyword(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema's `pattern`, run on RE2 (an unanchored search, as the spec says)."""
    if isinstance(instance, str) and not _cached_test(pattern)(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_cached_test = functools.lru_cache(maxsize=4096)(pattern_test)

#: A 2020-12 validator whose `pattern` keyword runs on RE2.
PlanValidator = validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})


def validator_for(schema: dict[str, Any]) -> Any:
    """A ready validator for one goal's schema (format checks on)."""
    return PlanValidator(schema, format_checker=format_checker())


def value_test(
    enum: tuple[str, ...] | None,
    const: str | None,
    pattern: str | None,
    min_length: int | None,
    max_length: int | None,
    fmt: str | None,
) -> Callable[[str], bool] | None:
    """One key's string keywords as a single predicate (None when the key allows any text).

    The same meaning as the schema's keywords, on the same engines (the RE2 pattern, the
    format checker), so that a value it passes is a value the JSON Schema passes.
    """
    tests: list[Callable[[str], bool]] = []
    if enum is not None:
        allowed = frozenset(enum)
        tests.append(allowed.__contains__)
    if const is not None:
        tests.append(const.__eq__)
    if pattern is not None:
        tests.append(pattern_test(pattern))
    if min_length is not None:
        low = min_length
        tests.append(lambda value: len(value) >= low)
    if max_length is not None:
        high = max_length
        tests.append(lambda value: len(value) <= high)
    if fmt is not None:
        check, raises = format_checker().checkers[fmt]

        def conforms(value: str) -> bool:
            try:
                return bool(check(value))
            except raises:
                return False

        tests.append(conforms)
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda value: all(test(value) for test in tests)
