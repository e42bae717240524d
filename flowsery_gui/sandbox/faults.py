"""Fault injection: reading the `X-Sandbox-Fault` header into what one request asked for.

A request to an /api/v1 route may carry `X-Sandbox-Fault` with comma-separated tokens
(combinable; a fault answers *instead of* processing, before the key check, and no goal is
stored; the collector still records the request):
  delay=SECONDS     wait that long before answering (a number, at most 60; other
                    connections are served meanwhile)
  status=CODE       answer CODE (200-599) with an error body in the current shape; a 2xx
                    code gets the route's success body (nothing is stored)
  retry-after=N     add `Retry-After: N` (whole seconds) to the answer, e.g. with status=429
  drop              close the connection without any answer
  reset             abort the connection with a TCP reset (SO_LINGER 0)
  garbage           200, Content-Type application/json, a malformed body: {"status": "succ
                    It imitates something other than the API answering (a proxy, a captive
                    portal, a wrong base URL), so no goal is stored.
  html              502 with an HTML error page (text/html)
  text              500 with a plain-text body
  empty             200 with an empty body
  partial           200 whose Content-Length is larger than the body sent, then close
  redirect=URL      307 to URL (http://, https:// or /path; no commas)
  redirect-loop     307 to /sandbox/redirect-loop, which redirects to itself forever
  shape=nest|envelope   the error shape for this request
`status=` also sets the status of garbage, html, text, empty and partial, and must be a 3xx
code with redirect=; it cannot be combined with drop, reset or redirect-loop. Give at most
one of drop, reset, garbage, html, text, empty, partial, redirect, redirect-loop. An unknown
or malformed token (a number of more than 18 digits included) gets a 400 that names it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flowsery_gui.sandbox.wire import ERROR_SHAPES, bounded_int

FAULT_HEADER = "X-Sandbox-Fault"
MAX_FAULT_DELAY_SECONDS = 60.0
_MAX_DELAY_TEXT = 32  # "0.000…1" of 5,000 characters is refused, not read as a float

ACTIONS = (
    "drop",
    "reset",
    "garbage",
    "html",
    "text",
    "empty",
    "partial",
    "redirect",
    "redirect-loop",
)
DEFAULT_ACTION_STATUS = {"garbage": 200, "html": 502, "text": 500, "empty": 200, "partial": 200}
_NO_STATUS_ACTIONS = frozenset({"drop", "reset", "redirect-loop"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FaultError(ValueError):
    """The fault header holds a token the sandbox does not know or cannot honour."""


@dataclass(frozen=True)
class Faults:
    """What one request asked the sandbox to do wrong (see the module docstring)."""

    delay: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    action: str | None = None
    redirect_to: str | None = None
    shape: str | None = None

    @property
    def replaces_processing(self) -> bool:
        """True when the fault answers instead of the route."""
        return self.action is not None or self.status is not None


def parse_faults(header: str) -> Faults:
    """Parse an `X-Sandbox-Fault` value; raise FaultError naming the offending token."""
    values: dict[str, Any] = {}
    actions: list[str] = []
    for raw in header.split(","):
        token = raw.strip()
        if not token:
            continue
        name, has_value, value = token.partition("=")
        name, value = name.strip().lower(), value.strip()
        if name in ACTIONS and name != "redirect":
            if has_value:
                raise FaultError(f"Fault token {_shown(token)} takes no value.")
            actions.append(name)
        elif name == "redirect":
            values["redirect_to"] = _redirect_target(token, value)
            actions.append(name)
        elif name == "delay":
            values["delay"] = _delay(token, value)
        elif name == "status":
            values["status"] = _int_in(token, value, 200, 599)
        elif name == "retry-after":
            values["retry_after"] = _int_in(token, value, 0, 10**9)
        elif name == "shape":
            if value not in ERROR_SHAPES:
                raise FaultError(f"Fault token {_shown(token)}: shape is nest or envelope.")
            values["shape"] = value
        else:
            raise FaultError(
                f"Unknown fault token {_shown(token)}. Known: delay=, status=, retry-after=, "
                "shape=, " + ", ".join(a if a != "redirect" else "redirect=" for a in ACTIONS) + "."
            )
    if len(set(actions)) > 1:
        raise FaultError(f"Choose one of these faults, not several: {', '.join(actions)}.")
    action = actions[0] if actions else None
    status = values.get("status")
    if status is not None and action in _NO_STATUS_ACTIONS:
        raise FaultError(f"The fault {action} sends no status; leave out status=.")
    if status is not None and action == "redirect" and status not in _REDIRECT_STATUSES:
        raise FaultError("redirect= needs a redirect status: 301, 302, 303, 307 or 308.")
    return Faults(action=action, **values)


def _shown(token: str) -> str:
    """A token as quoted in a message, shortened: an error answer stays small."""
    return repr(token if len(token) <= 60 else token[:57] + "...")


def _delay(token: str, value: str) -> float:
    message = f"Fault token {_shown(token)}: delay is a number of seconds (at most 60)."
    if len(value) > _MAX_DELAY_TEXT:
        raise FaultError(message)
    try:
        seconds = float(value)
    except ValueError:
        raise FaultError(message) from None
    if math.isnan(seconds) or seconds < 0:
        raise FaultError(f"Fault token {_shown(token)}: delay must be 0 or more seconds.")
    return min(seconds, MAX_FAULT_DELAY_SECONDS)


def _int_in(token: str, value: str, low: int, high: int) -> int:
    if not value.isascii() or not value.isdigit():
        raise FaultError(f"Fault token {_shown(token)}: expected a whole number.")
    number = bounded_int(value, high)
    if number is None or number < low:
        raise FaultError(f"Fault token {_shown(token)}: expected a number from {low} to {high}.")
    return number


def _redirect_target(token: str, value: str) -> str:
    if not value.startswith(("http://", "https://", "/")) or any(
        ch.isspace() or not ch.isprintable() for ch in value
    ):
        raise FaultError(
            f"Fault token {_shown(token)}: redirect= needs http://, https:// or /path."
        )
    return value
