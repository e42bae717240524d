"""Where a key may be sent: one rule, light enough to run on the GUI thread (no requests).

A key never travels over plain http:// to a host that is not this computer, proxies
included, and never sits in a URL. Two facts make that hold on every route:

- a loopback target never goes through a proxy (`proxy_for` answers None for it, and the
  transport sends exactly where `proxy_for` says), so an `HTTP_PROXY` or `ALL_PROXY` naming
  another machine never sees a key meant for the local sandbox;
- any other plain-http target is refused when a key would go with it (`check_url_safety`),
  whether the route is direct or through a proxy. An https target through a proxy is a TLS
  tunnel: the proxy sees only the host name, never the key.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from flowsery_gui.i18n import _, sentences

__all__ = ["check_url_safety", "is_loopback_host", "proxy_for", "url_problem"]

_SCHEMES = ("http", "https")


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


def url_problem(url: str) -> str | None:
    """Why `url` is not an address the app can send to (in plain words), or None."""

    def with_example(problem: str) -> str:
        return sentences(problem, _("It should look like https://analytics.flowsery.com."))

    if not url.strip():
        return with_example(_("No base URL is set."))
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url.strip()):
        return with_example(_("The base URL contains a space or a control character."))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return with_example(
            _("The base URL {url!r} is not a valid address.", url=url.strip()[:200])
        )
    if parts.scheme.lower() not in _SCHEMES:
        return with_example(_("The base URL must start with http:// or https://."))
    if not parts.hostname:
        return _("The base URL must name a host, as in https://analytics.flowsery.com.")
    if port == 0:
        return _("The base URL's port must be between 1 and 65535.")
    return None


def check_url_safety(url: str, has_key: bool) -> str | None:
    """Why the app refuses to send to this URL ("Not sent: …", in plain words), or None
    when it may send."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None  # malformed: `url_problem` (or the request itself) reports it
    if parts.username is not None or parts.password is not None:
        return _(
            "Not sent: the base URL contains a user name or password. Remove the part before "
            "'@': the API key is sent in a header, never in the URL."
        )
    if has_key and parts.scheme.lower() == "http" and host and not is_loopback_host(host):
        return _(
            "Not sent: the API key would travel unencrypted over http:// to {host}. Use an "
            "https:// base URL, or a loopback address (127.0.0.1, localhost) for the local "
            "sandbox.",
            host=host,
        )
    return None


def _env(environ: Mapping[str, str], name: str) -> str:
    """An environment proxy setting: the lowercase name wins, as in curl and urllib."""
    value = environ.get(name.lower()) or ""
    if not value and not (name.lower() == "http_proxy" and "REQUEST_METHOD" in environ):
        value = environ.get(name.upper()) or ""  # HTTP_PROXY is ignored under CGI (httpoxy)
    return value.strip()


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """True when `no_proxy` (comma-separated hosts, domains, IP networks, `*`) covers host."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry.strip("[]"), strict=False):
                    return True
            except ValueError:
                pass
        name = entry.removeprefix("*").lstrip(".")
        if host == name or host.endswith("." + name) or f"{host}:{port}" == name:
            return True
    return False


def proxy_for(
    url: str,
    environ: Mapping[str, str] | None = None,
    is_loopback: Callable[[str], bool] = is_loopback_host,
) -> str | None:
    """The proxy a request to `url` goes through, from the environment, or None for direct.

    Loopback targets are always direct. Otherwise `{scheme}_proxy`, else `all_proxy`, unless
    `no_proxy` covers the host. The transport sends exactly where this says.
    """
    env = os.environ if environ is None else environ
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return None
    if not host or is_loopback(host):
        return None
    scheme = parts.scheme.lower()
    proxy = _env(env, f"{scheme}_proxy") or _env(env, "all_proxy")
    if not proxy or _bypassed(host, port, _env(env, "no_proxy")):
        return None
    return proxy if "://" in proxy else "http://" + proxy
