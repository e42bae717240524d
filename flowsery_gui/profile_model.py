"""What a profile is: a named target for sending (production, the built-in sandbox, or a
custom base URL) with its optional test identity, and the rules its name, base URL and test
IDs follow.

Apart from `profiles` (the store: the profiles file, read and written) so that a send with
a base URL alone checks that URL without loading the file's code.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from flowsery_gui.i18n import _

try:
    from flowsery_gui.contract import DEFAULT_BASE_URL
except ImportError:  # pragma: no cover - the contract module ships with the app
    DEFAULT_BASE_URL = "https://analytics.flowsery.com"

ProfileKind = Literal["production", "sandbox", "custom"]
MAX_NAME_LENGTH = 64
MAX_TEST_ID_LENGTH = 128
#: Characters a test ID cannot hold: it is a cookie's value alone, never a cookie string.
_NOT_IN_TEST_ID = frozenset(' ;=,"\\')


@dataclass(frozen=True)
class Profile:
    """A named target: where requests go. `base_url` "" means the embedded sandbox."""

    name: str
    base_url: str
    kind: ProfileKind
    test_visitor_id: str = ""  # filled into goals sent with an empty visitor ID
    test_session_id: str = ""  # filled into goals sent with an empty session ID

    @property
    def builtin(self) -> bool:
        """True for Production and Sandbox, which cannot be removed."""
        return self.kind != "custom"

    @property
    def has_test_identity(self) -> bool:
        """True when goals sent here get a test visitor ID (a session ID alone is not one:
        a cleanup deletes by visitor ID)."""
        return bool(self.test_visitor_id)


PRODUCTION = Profile("Production", DEFAULT_BASE_URL, "production")
SANDBOX = Profile("Sandbox", "", "sandbox")  # resolved at run time to the local sandbox
BUILTINS: tuple[Profile, ...] = (PRODUCTION, SANDBOX)


def validate_name(name: str) -> str:
    """The name, trimmed, or ValueError saying what is wrong with it."""
    name = name.strip()
    if not name:
        raise ValueError(_("A profile needs a name."))
    if len(name) > MAX_NAME_LENGTH:
        said = _("A profile name can have at most {limit} characters.", limit=MAX_NAME_LENGTH)
        raise ValueError(said)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValueError(_("A profile name cannot contain control characters."))
    return name


def validate_test_id(value: str, what: str = "test visitor ID") -> str:
    """A test ID, trimmed ("" clears it), or ValueError saying what is wrong with it; `what`
    is "test visitor ID" or "test session ID"."""
    value = value.strip()
    session = what == "test session ID"
    limit = MAX_TEST_ID_LENGTH
    if len(value) > limit:
        if session:
            raise ValueError(
                _("A test session ID can have at most {limit} characters.", limit=limit)
            )
        raise ValueError(_("A test visitor ID can have at most {limit} characters.", limit=limit))
    if any(not 33 <= ord(ch) <= 126 or ch in _NOT_IN_TEST_ID for ch in value):
        if session:
            raise ValueError(
                _(
                    "A test session ID is the cookie's value alone, such as 3f6c1e0a-…: "
                    'printable ASCII without spaces, ";", "=", ",", quotes or backslashes.'
                )
            )
        raise ValueError(
            _(
                "A test visitor ID is the cookie's value alone, such as 3f6c1e0a-…: printable "
                'ASCII without spaces, ";", "=", ",", quotes or backslashes.'
            )
        )
    return value


def validate_base_url(url: str) -> str:
    """The base URL, trimmed and without a trailing slash, or ValueError saying why not."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(_("{url} is not a valid URL.", url=repr(url))) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(_("The base URL must start with http:// or https://."))
    if not parts.hostname:
        raise ValueError(_("The base URL must name a host, as in https://analytics.example.com."))
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            _("The base URL must not contain a user name or password: keys go in the keyring.")
        )
    if parts.query or parts.fragment:
        raise ValueError(_("The base URL cannot have a query (?…) or a fragment (#…)."))
    if "/api/" in parts.path.rstrip("/") + "/":
        raise ValueError(
            _(
                "Leave the path out (just the server, as in https://staging.example.com): the "
                "app adds /api/v1/goals itself."
            )
        )
    from flowsery_gui.netsafety import is_loopback_host

    if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(
            _(
                "Use https:// for a server that is not this computer: the API key is never "
                "sent over plain http:// to another machine."
            )
        )
    return url.rstrip("/")
