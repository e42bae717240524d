"""The one rule set for a goal event: used by the window, the CLI and the sandbox alike.

Pure functions, no I/O: a draft goal (as a person typed it) or a raw JSON body in, a
report of findings and the exact JSON body to send out. Every decision the vendor's docs
leave open is named in the "Assumptions" block below, so one edit changes the validator,
the sandbox and the docs together.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flowsery_gui.i18n import _, ngettext, pgettext
from flowsery_gui.jsonread import NotJSON as NotJSON  # re-exported: callers catch it here
from flowsery_gui.jsonread import ParsedBody as ParsedBody
from flowsery_gui.jsonread import read_json

# --- The API, as documented ---------------------------------------------------------------
DEFAULT_BASE_URL = "https://analytics.flowsery.com"
GOALS_PATH = "/api/v1/goals"
METADATA_PATH = "/api/v1/metadata"
KEY_PREFIX = "flow_"
NAME_PATTERN = re.compile(r"[a-z0-9_-]{1,64}")  # used with fullmatch
METADATA_KEY_PATTERN = NAME_PATTERN
MAX_NAME_LENGTH = 64
MAX_METADATA_KEYS = 10
MAX_METADATA_VALUE_LENGTH = 255  # code points, counted before any stripping
KNOWN_FIELDS = ("name", "visitorUid", "sessionUid", "metadata", "timezone")
VISITOR_COOKIE = "_fs_vid"
SESSION_COOKIE = "_fs_sid"

# --- Assumptions (the vendor is silent; ours, named, in one place) -------------------------
#: The timezone is an IANA zone name (`Europe/Paris`, `UTC`); anything else is an error.
ASSUME_TIMEZONE_IS_IANA = True
#: A metadata value that is not a string (number, bool, null, object) is invalid.
ASSUME_NON_STRING_METADATA_VALUE_INVALID = True
#: `metadata: null` means no metadata; `""` for an optional string field means "not sent".
ASSUME_NULL_METADATA_IS_NONE = True
ASSUME_EMPTY_OPTIONAL_STRING_IS_NONE = True
#: Unknown top-level fields are accepted and ignored by the server: a warning here, not an error.
ASSUME_UNKNOWN_FIELDS_IGNORED = True
#: What the server stores for a value with markup: tags removed, <script>/<style> removed
#: with their content, and the remaining text kept as typed (no entity encoding or decoding).
STRIPPED_WITH_CONTENT = frozenset({"script", "style"})

ERROR = "error"
WARNING = "warning"

#: Every code a finding of this module can carry. Stable: scripts match on them
#: (`flowsery-goal validate --json`), so a code is added, never renamed or reused. Each is
#: explained in docs/finding-codes.md; tests/test_finding_codes.py holds the code, this list
#: and that page together.
FINDING_CODES = (
    "body.type",
    "body.duplicate_key",
    "body.unknown_field",
    "name.missing",
    "name.type",
    "name.whitespace",
    "name.too_long",
    "name.pattern",
    "id.type",
    "id.whitespace",
    "id.looks_like_cookie",
    "timezone.type",
    "timezone.unknown",
    "metadata.type",
    "metadata.too_many",
    "metadata.key.missing",
    "metadata.key.pattern",
    "metadata.key.too_long",
    "metadata.key.duplicate",
    "metadata.value.type",
    "metadata.value.too_long",
    "metadata.value.markup",
    "metadata.value.empty",
    "key.missing",
    "key.whitespace",
    "key.prefix",
    "paste.type",
    "paste.value_type",
    "paste.metadata_type",
    "paste.unknown_field",
)


@dataclass(frozen=True)
class Finding:
    """One thing wrong (error) or worth knowing (warning) about one field.

    `message` and `fix_label` are in the language active where the finding was made (the
    sandbox makes its findings in English, see `i18n.source_language`); `path`, `code`,
    `severity` and `fix` are never translated."""

    path: str
    code: str
    message: str
    severity: str = ERROR
    fix: str | None = None
    #: How to name the fix on a button or a line, when the fix's value itself would not do
    #: (a 255-character cut value reads as "cut to 255 characters"). None: show `fix`.
    fix_label: str | None = None

    @property
    def fix_text(self) -> str | None:
        """What a button or a CLI line shows for the fix: its label, else the value itself."""
        return self.fix_label if self.fix_label is not None else self.fix

    @property
    def is_error(self) -> bool:
        """True when this finding blocks sending."""
        return self.severity == ERROR

    def as_json(self, source: str = "api") -> dict[str, str | None]:
        """The finding for scripts and the sandbox's verdicts (`validate --json`,
        `/sandbox/requests`): `source` says whose rule it is, "api" or "plan"."""
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
            "source": source,
        }


@dataclass(frozen=True)
class Report:
    """All findings for one goal, and the exact body to send when nothing blocks it."""

    findings: tuple[Finding, ...] = ()
    body: dict[str, Any] | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that block sending."""
        return tuple(f for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings that do not block sending."""
        return tuple(f for f in self.findings if f.severity == WARNING)

    @property
    def ok(self) -> bool:
        """True when nothing blocks sending."""
        return not any(f.severity == ERROR for f in self.findings)

    def at(self, path: str) -> tuple[Finding, ...]:
        """Findings for one field path."""
        return tuple(f for f in self.findings if f.path == path)


@dataclass(frozen=True)
class Draft:
    """A goal as a person typed it: metadata as ordered rows that may hold blanks and duplicates."""

    name: str = ""
    visitor_uid: str = ""
    session_uid: str = ""
    timezone: str = ""
    metadata: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# --- Small helpers --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    """Every IANA zone name this system (or the tzdata package) knows."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


@functools.lru_cache(maxsize=1)
def _timezones_by_lower() -> dict[str, str]:
    return {z.lower(): z for z in timezones()}


def suggest_name(text: str) -> str | None:
    """A valid name or key close to what was typed (`Newsletter Signup` -> `newsletter_signup`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    candidate = re.sub(r"[^a-z0-9_-]+", "_", ascii_text.strip().lower())
    candidate = re.sub(r"_{2,}", "_", candidate).strip("_")[:MAX_NAME_LENGTH].strip("_")
    if not candidate or candidate == text:
        return None
    return candidate


def _describe_type(value: Any) -> str:
    """A JSON value's kind in words, to end "must be text, not ..."."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return pgettext("JSON type", "a number")
    if isinstance(value, dict):
        return pgettext("JSON type", "an object")
    if isinstance(value, list):
        return pgettext("JSON type", "a list")
    return type(value).__name__


def _key_path(key: str) -> str:
    """`metadata.plan` for a plain key, `metadata["Bad Key"]` for anything else."""
    if METADATA_KEY_PATTERN.fullmatch(key):
        return f"metadata.{key}"
    return f"metadata[{json.dumps(key, ensure_ascii=False)}]"


def stored_value(value: str) -> str:
    """What the server will store for a metadata value: markup removed with a real sanitizer."""
    if "<" not in value and "&" not in value:
        return value
    import html

    import nh3  # loaded on first use: most values hold no markup

    # Escape "&" first so that decoding afterwards undoes only what the sanitizer escaped:
    # entities the person typed (`&lt;b&gt;`) stay as typed and never turn into markup.
    cleaned = nh3.clean(
        value.replace("&", "&amp;"), tags=set(), clean_content_tags=set(STRIPPED_WITH_CONTENT)
    )
    return html.unescape(cleaned)


def stored_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """A metadata object as the server will store it."""
    return {k: stored_value(v) for k, v in metadata.items()}


# --- Field rules (shared by drafts and raw bodies) -------------------------------------------


def _check_name(value: Any, path: str = "name") -> list[Finding]:
    if value is None or value == "":
        return [Finding(path, "name.missing", _("A goal name is required."), ERROR)]
    if not isinstance(value, str):
        return [
            Finding(
                path,
                "name.type",
                _("The goal name must be text, not {type}.", type=_describe_type(value)),
                ERROR,
            )
        ]
    if NAME_PATTERN.fullmatch(value):
        return []
    fix = suggest_name(value)
    if value.strip() != value and NAME_PATTERN.fullmatch(value.strip()):
        message = _("The goal name has spaces before or after it.")
        code = "name.whitespace"
    elif len(value) > MAX_NAME_LENGTH:
        message = ngettext(
            "The goal name is {length} character long; the limit is {limit}.",
            "The goal name is {length} characters long; the limit is {limit}.",
            len(value),
            length=len(value),
            limit=MAX_NAME_LENGTH,
        )
        code = "name.too_long"
    else:
        message = _(
            "Goal names use only lowercase letters a-z, digits 0-9, underscores (_) "
            "and hyphens (-)."
        )
        code = "name.pattern"
    return [Finding(path, code, message, ERROR, fix)]


def _check_id(value: Any, path: str, cookie: str) -> list[Finding]:
    if value is None or (ASSUME_EMPTY_OPTIONAL_STRING_IS_NONE and value == ""):
        return []
    if not isinstance(value, str):
        words = _("This ID must be text, not {type}.", type=_describe_type(value))
        return [Finding(path, "id.type", words)]
    stripped = value.strip()
    if stripped != value:
        return [
            Finding(
                path,
                "id.whitespace",
                _("This ID has spaces or line breaks around it; they would be sent as typed."),
                WARNING,
                stripped or None,
            )
        ]
    if "=" in value or ";" in value or " " in value:
        return [
            Finding(
                path,
                "id.looks_like_cookie",
                _(
                    "This looks like a whole cookie string, not just the {cookie} value.",
                    cookie=cookie,
                ),
                WARNING,
                cookie_value(value, cookie),
            )
        ]
    return []


def cookie_value(text: str, cookie: str) -> str | None:
    """The value of one cookie in a `a=1; b=2` string, or None."""
    for part in text.split(";"):
        name, sep, val = part.strip().partition("=")
        if sep and name.strip() == cookie and val.strip():
            return val.strip()
    return None


def _check_timezone(value: Any, path: str = "timezone") -> list[Finding]:
    if value is None or (ASSUME_EMPTY_OPTIONAL_STRING_IS_NONE and value == ""):
        return []
    if not isinstance(value, str):
        return [
            Finding(
                path,
                "timezone.type",
                _("The timezone must be text, not {type}.", type=_describe_type(value)),
            )
        ]
    if not ASSUME_TIMEZONE_IS_IANA or value in timezones():
        return []
    fix = _timezones_by_lower().get(value.strip().lower())
    if fix is None:
        import difflib

        close = difflib.get_close_matches(value.strip(), timezones(), n=1, cutoff=0.8)
        fix = close[0] if close else None
    return [
        Finding(
            path,
            "timezone.unknown",
            _("Use a time zone name such as Europe/Paris, America/New_York or UTC."),
            ERROR,
            fix,
        )
    ]


def _check_key(key: str, path: str) -> list[Finding]:
    if key == "":
        return [Finding(path, "metadata.key.missing", _("This metadata row needs a key."))]
    if METADATA_KEY_PATTERN.fullmatch(key):
        return []
    if len(key) > MAX_NAME_LENGTH:
        message = ngettext(
            "Metadata keys are at most {limit} characters; this one has {length}.",
            "Metadata keys are at most {limit} characters; this one has {length}.",
            len(key),
            limit=MAX_NAME_LENGTH,
            length=len(key),
        )
        code = "metadata.key.too_long"
    else:
        message = _(
            "Metadata keys use only lowercase letters a-z, digits 0-9, underscores (_) "
            "and hyphens (-)."
        )
        code = "metadata.key.pattern"
    return [Finding(path, code, message, ERROR, suggest_name(key))]


def _check_value(value: Any, path: str) -> list[Finding]:
    if not isinstance(value, str):
        if not ASSUME_NON_STRING_METADATA_VALUE_INVALID:
            return []
        fix = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            fix = json.dumps(value)
        elif isinstance(value, bool):
            fix = "true" if value else "false"
        return [
            Finding(
                path,
                "metadata.value.type",
                _("Metadata values must be text, not {type}.", type=_describe_type(value)),
                ERROR,
                fix,
            )
        ]
    findings = []
    if len(value) > MAX_METADATA_VALUE_LENGTH:
        findings.append(
            Finding(
                path,
                "metadata.value.too_long",
                ngettext(
                    "Metadata values are at most {limit} characters; this one has {length}.",
                    "Metadata values are at most {limit} characters; this one has {length}.",
                    len(value),
                    limit=MAX_METADATA_VALUE_LENGTH,
                    length=len(value),
                ),
                ERROR,
                value[:MAX_METADATA_VALUE_LENGTH],
                ngettext(
                    "cut to {limit} character",
                    "cut to {limit} characters",
                    MAX_METADATA_VALUE_LENGTH,
                    limit=MAX_METADATA_VALUE_LENGTH,
                ),
            )
        )
    stored = stored_value(value)
    if stored != value:
        shown = stored if stored else _("(nothing: an empty value)")
        findings.append(
            Finding(
                path,
                "metadata.value.markup",
                _("The server strips HTML from values and will store: {stored}", stored=shown),
                WARNING,
                stored,
            )
        )
    return findings


def _too_many_keys(count: int, path: str = "metadata") -> Finding:
    return Finding(
        path,
        "metadata.too_many",
        ngettext(
            "At most {limit} metadata keys are allowed; there is {count}. Remove some rows.",
            "At most {limit} metadata keys are allowed; there are {count}. Remove some rows.",
            count,
            limit=MAX_METADATA_KEYS,
            count=count,
        ),
        ERROR,
    )


def _build_body(
    name: Any, visitor: Any, session: Any, timezone: Any, metadata: dict[str, Any] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if visitor not in (None, ""):
        body["visitorUid"] = visitor
    if session not in (None, ""):
        body["sessionUid"] = session
    if metadata:
        body["metadata"] = metadata
    if timezone not in (None, ""):
        body["timezone"] = timezone
    return body


def _report(findings: Iterable[Finding], body: dict[str, Any] | None) -> Report:
    found = tuple(findings)
    if any(f.severity == ERROR for f in found):
        body = None
    return Report(found, body)


# --- Public entry points ----------------------------------------------------------------------


def check_draft(draft: Draft) -> Report:
    """Check a goal as typed in the form; rows are addressed as `metadata[i].key` / `.value`."""
    findings: list[Finding] = []
    findings += _check_name(draft.name)
    findings += _check_id(draft.visitor_uid, "visitorUid", VISITOR_COOKIE)
    findings += _check_id(draft.session_uid, "sessionUid", SESSION_COOKIE)
    findings += _check_timezone(draft.timezone)

    metadata: dict[str, str] = {}
    first_row: dict[str, int] = {}
    used = 0
    for index, (key, value) in enumerate(draft.metadata):
        if key == "" and value == "":
            continue  # a blank row is not sent and not a mistake
        used += 1
        key_path = f"metadata[{index}].key"
        key_findings = _check_key(key, key_path)
        if not key_findings and key in first_row:
            key_findings = [
                Finding(
                    key_path,
                    "metadata.key.duplicate",
                    _(
                        "The key {key} is used twice (also in row {row}); "
                        "JSON would keep only one of them.",
                        key=key,
                        row=first_row[key] + 1,
                    ),
                )
            ]
        findings += key_findings
        findings += _check_value(value, f"metadata[{index}].value")
        if value == "":
            findings.append(
                Finding(
                    f"metadata[{index}].value",
                    "metadata.value.empty",
                    _("This value is empty; the key will be sent with an empty value."),
                    WARNING,
                )
            )
        first_row.setdefault(key, index)
        metadata.setdefault(key, value)
    if used > MAX_METADATA_KEYS:
        findings.append(_too_many_keys(used))
    body = _build_body(draft.name, draft.visitor_uid, draft.session_uid, draft.timezone, metadata)
    return _report(findings, body)


def check_body(value: Any, duplicate_keys: tuple[str, ...] = ()) -> Report:
    """Check a raw JSON body (already parsed); paths are `metadata.plan` style."""
    if not isinstance(value, dict):
        return Report(
            (
                Finding(
                    "",
                    "body.type",
                    _("The body must be a JSON object, not {type}.", type=_describe_type(value)),
                ),
            )
        )
    findings: list[Finding] = []
    raw_metadata = value.get("metadata")
    metadata_keys: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    for key in duplicate_keys:
        if key in value:
            path = key
        elif key in metadata_keys:
            path = _key_path(key)
        else:
            path = ""
        findings.append(
            Finding(
                path,
                "body.duplicate_key",
                _(
                    'The key "{key}" appears twice in the JSON; the server keeps only the last '
                    "one.",
                    key=key,
                ),
                WARNING,
            )
        )
    findings += _check_name(value.get("name"))
    findings += _check_id(value.get("visitorUid"), "visitorUid", VISITOR_COOKIE)
    findings += _check_id(value.get("sessionUid"), "sessionUid", SESSION_COOKIE)
    findings += _check_timezone(value.get("timezone"))

    metadata = value.get("metadata")
    if metadata is None and ASSUME_NULL_METADATA_IS_NONE:
        metadata = {}
    if not isinstance(metadata, dict):
        findings.append(
            Finding(
                "metadata",
                "metadata.type",
                _(
                    "Metadata must be a JSON object of key/value pairs, not {type}.",
                    type=_describe_type(metadata),
                ),
            )
        )
        metadata = {}
    for key, item in metadata.items():
        path = _key_path(key)
        findings += _check_key(key, path)
        findings += _check_value(item, path)
    if len(metadata) > MAX_METADATA_KEYS:
        findings.append(_too_many_keys(len(metadata)))

    extra: dict[str, Any] = {}
    for key, item in value.items():
        if key in KNOWN_FIELDS:
            continue
        extra[key] = item
        close = _closest_field(key)
        if close:
            words = _(
                "The API does not know the field {field!r}; the server ignores it. "
                "Did you mean {suggestion}?",
                field=key,
                suggestion=close,
            )
        else:
            words = _(
                "The API does not know the field {field!r}; the server ignores it.", field=key
            )
        findings.append(Finding(key, "body.unknown_field", words, WARNING, close))
    body = _build_body(
        value.get("name"),
        value.get("visitorUid"),
        value.get("sessionUid"),
        value.get("timezone"),
        metadata,
    )
    body.update(extra)
    return _report(findings, body)


def _closest_field(key: str) -> str | None:
    lowered = {f.lower(): f for f in KNOWN_FIELDS}
    if key.lower() in lowered:
        return lowered[key.lower()]
    import difflib

    close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1, cutoff=0.75)
    return close[0] if close else None


def parse_body(raw: str | bytes) -> ParsedBody:
    """Parse a body as JSON, noting duplicated object keys; raise NotJSON in plain words.

    The app's one JSON reader (`jsonread.read_json`) under the name the sandbox calls."""
    return read_json(raw)


def check_body_text(raw: str | bytes) -> Report:
    """Parse and check a raw body; raises NotJSON when it is not JSON at all."""
    parsed = parse_body(raw)
    return check_body(parsed.value, parsed.duplicate_keys)


def check_api_key(key: str) -> tuple[Finding, ...]:
    """Warn before sending a key the server will refuse for its form alone."""
    if not key:
        words = _("No API key is set for this profile.")
        return (Finding("apiKey", "key.missing", words, WARNING),)
    if key != key.strip():
        return (
            Finding(
                "apiKey",
                "key.whitespace",
                _("The API key has spaces or line breaks around it."),
                WARNING,
                key.strip(),
            ),
        )
    if not key.startswith(KEY_PREFIX):
        return (
            Finding(
                "apiKey",
                "key.prefix",
                _(
                    "Flowsery API keys start with {prefix}; the server will reject this one (401).",
                    prefix=KEY_PREFIX,
                ),
                WARNING,
            ),
        )
    return ()


def draft_from_body(value: Any) -> tuple[Draft, tuple[Finding, ...]]:
    """Fill a form from a pasted body; findings name whatever does not map onto the form."""
    if not isinstance(value, dict):
        return Draft(), (
            Finding(
                "",
                "paste.type",
                _("Expected a JSON object, not {type}.", type=_describe_type(value)),
            ),
        )
    findings: list[Finding] = []

    def text_of(key: str) -> str:
        item = value.get(key)
        if item is None:
            return ""
        if isinstance(item, str):
            return item
        findings.append(
            Finding(
                key,
                "paste.type",
                _(
                    "{field} is {type}, not text; it was converted.",
                    field=key,
                    type=_describe_type(item),
                ),
                WARNING,
            )
        )
        return json.dumps(item, ensure_ascii=False)

    rows: list[tuple[str, str]] = []
    metadata = value.get("metadata")
    if isinstance(metadata, dict):
        for key, item in metadata.items():
            if isinstance(item, str):
                rows.append((key, item))
            else:
                rows.append((key, json.dumps(item, ensure_ascii=False)))
                findings.append(
                    Finding(
                        _key_path(key),
                        "paste.value_type",
                        _(
                            "The value was {type}; it was turned into text.",
                            type=_describe_type(item),
                        ),
                        WARNING,
                    )
                )
    elif metadata is not None:
        findings.append(
            Finding(
                "metadata",
                "paste.metadata_type",
                _(
                    "metadata was {type}, not an object; it was left out.",
                    type=_describe_type(metadata),
                ),
                WARNING,
            )
        )
    for key in value:
        if key not in KNOWN_FIELDS:
            close = _closest_field(key)
            if close:
                words = _(
                    "The field {field!r} has no place in the form and was left out. "
                    "Did you mean {suggestion}?",
                    field=key,
                    suggestion=close,
                )
            else:
                words = _(
                    "The field {field!r} has no place in the form and was left out.", field=key
                )
            findings.append(Finding(key, "paste.unknown_field", words, WARNING))
    draft = Draft(
        name=text_of("name"),
        visitor_uid=text_of("visitorUid"),
        session_uid=text_of("sessionUid"),
        timezone=text_of("timezone"),
        metadata=tuple(rows),
    )
    return draft, tuple(findings)
