"""Who may talk to the sandbox: loopback or the network, the Host header, the key.

On loopback (the default) a web page must not read the sandbox through DNS rebinding, so the
Host header has to name this computer. Listening beyond loopback needs an explicit host;
then every route, the inspection routes included, needs the key.
"""

from __future__ import annotations

import hmac
import ipaddress

from flowsery_gui import contract

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})


def is_loopback(host: str) -> bool:
    """True for a loopback address or name (`127.0.0.1`, `::1`, `localhost`, `a.localhost`)."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES or name.endswith((".localhost", ".localhost.")):
        return True
    try:
        address = ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def host_name(header: str) -> str | None:
    """The name in a Host header (`[::1]:80` → `::1`), or None when it is malformed."""
    value = header.strip()
    if not value or len(value) > 260 or not value.isprintable() or " " in value:
        return None
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
        return name
    name, colon, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if colon and not _is_port(":" + port):
        return None
    return name or None


def _is_port(text: str) -> bool:
    digits = text[1:]
    return text.startswith(":") and digits.isascii() and digits.isdigit() and len(digits) <= 5


def host_problem(header: str | None, request_version: str, network: bool) -> tuple[int, str] | None:
    """The status and plain words refusing a request's Host header, or None when it is fine.

    `header` is None when there is none, "" when there are several.
    """
    if network:
        return None  # beyond loopback the key guards every route: any name may reach it
    if header is None:
        if request_version == "HTTP/1.0":
            return None
        return 400, "A Host header is required (HTTP/1.1): send Host: 127.0.0.1 or localhost."
    name = host_name(header)
    if name is None:
        return 400, "The Host header is malformed: send one Host: 127.0.0.1:PORT or localhost:PORT."
    if not is_loopback(name):
        return 421, (
            f"This sandbox answers only requests addressed to this computer "
            f"(localhost, 127.0.0.1 or [::1]); Host {name[:80]!r} was refused, so a web page "
            "cannot read it through DNS rebinding. Start it with --host to serve other names."
        )
    return None


def api_key_problem(key: str) -> str | None:
    """Why a key cannot be the sandbox's key (in plain words, without the key), or None."""
    if not key.startswith(contract.KEY_PREFIX):
        return f"The key must start with {contract.KEY_PREFIX} (the server refuses other keys)."
    if not key.isascii() or not key.isprintable() or any(ch.isspace() for ch in key):
        return (
            "The key must be printable ASCII with no spaces or control characters "
            "(it travels in an HTTP header)."
        )
    return None


def authorization_problem(header: str | None, api_key: str) -> str | None:
    """Why an Authorization header does not carry this sandbox's key, or None when it does."""
    if header is None or not header.strip():
        return "Missing Authorization header: send 'Authorization: Bearer <API key>'."
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return "The Authorization header must be 'Bearer <API key>'."
    if not key.startswith(contract.KEY_PREFIX):
        return f"Invalid API key: Flowsery keys start with {contract.KEY_PREFIX}."
    if not hmac.compare_digest(key.encode("utf-8", "replace"), api_key.encode("utf-8")):
        return "Invalid API key: it is not the key this sandbox was started with."
    return None


def presented_key(header: str | None) -> str | None:
    """The key an Authorization header carries (so the collector can mask it), or None."""
    if not header:
        return None
    _, _, key = header.strip().partition(" ")
    return key.strip() or None
