"""Where a key may be sent: one rule, light enough to run on the GUI thread (no requests).

A key never travels over plain http:// to a host that is not this computer, and never sits
in a URL.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["check_url_safety", "is_loopback_host"]


def is_loopback_host(host: str) -> bool:
    """True for a host that never leaves this machine: 127.0.0.0/8, ::1 or localhost."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def check_url_safety(url: str, has_key: bool) -> str | None:
    """Why the app refuses to send to this URL (in plain words), or None when it may send."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None  # malformed: the request itself reports INVALID_URL
    if parts.username is not None or parts.password is not None:
        return (
            "The base URL contains a user name or password. Remove the part before '@': "
            "the API key is sent in a header, never in the URL."
        )
    if has_key and parts.scheme.lower() == "http" and host and not is_loopback_host(host):
        return (
            f"Not sent: the API key would travel unencrypted over http:// to {host}. "
            "Use an https:// base URL, or a loopback address (127.0.0.1, localhost) "
            "for the local sandbox."
        )
    return None
