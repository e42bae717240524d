"""The record of one HTTP exchange: what was sent, what came back or why nothing did.

Shared by the client (which makes them), the CLI and the window (which show them) and the
history (which stores them). Plain frozen dataclasses, no I/O, JSON-friendly both ways.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from flowsery_gui.jsonread import loads_or_none
from flowsery_gui.masking import mask_authorization as mask_authorization  # re-exported
from flowsery_gui.masking import mask_key as mask_key  # re-exported

#: The classes an exchange falls in, for history filters and the CLI's `--status`.
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "failure")


def status_class(status: int | None) -> str:
    """'2xx'-style class of a status, or 'failure' when no response came."""
    return "failure" if status is None else f"{status // 100}xx"


class FailureKind(str, enum.Enum):
    """Why no response came back. Values are stable: they are stored in history."""

    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    RESET = "reset"  # a TCP reset (the other side aborted the connection)
    DROPPED = "dropped"  # closed by the server before a complete answer (none, or cut short)
    TOO_MANY_REDIRECTS = "too_many_redirects"
    INVALID_URL = "invalid_url"
    REFUSED_BY_APP = "refused_by_app"
    CANCELLED = "cancelled"
    OTHER = "other"


@dataclass(frozen=True)
class SentRequest:
    """The request exactly as sent, with the Authorization header masked."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str | None = None

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass(frozen=True)
class ReceivedResponse:
    """The response as received: status, headers and body text (capped)."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str
    body_bytes: int
    truncated: bool = False
    url: str = ""

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def json(self) -> Any | None:
        """The body parsed as JSON, or None when it is not JSON (never raises)."""
        return loads_or_none(self.body)


@dataclass(frozen=True)
class Failure:
    """A classified reason why no response came, in plain words."""

    kind: FailureKind
    message: str
    detail: str = ""


@dataclass(frozen=True)
class Exchange:
    """One whole exchange: request, then a response or a failure, and its timing."""

    request: SentRequest
    started_at: float  # seconds since the epoch, UTC
    elapsed_ms: float
    response: ReceivedResponse | None = None
    failure: Failure | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status(self) -> int | None:
        """The HTTP status, or None when no response came."""
        return self.response.status if self.response else None

    @property
    def ok(self) -> bool:
        """True for a 2xx response."""
        return self.response is not None and 200 <= self.response.status < 300

    @property
    def status_class(self) -> str:
        """'2xx'-style class of this exchange, or 'failure' when no response came."""
        return status_class(self.status)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (history, `--json` output, exports)."""
        data = asdict(self)
        if self.failure is not None:
            data["failure"]["kind"] = self.failure.kind.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exchange:
        """The inverse of `to_dict`."""
        req = data["request"]
        request = SentRequest(
            method=req["method"],
            url=req["url"],
            headers=tuple((str(k), str(v)) for k, v in req.get("headers", ())),
            body=req.get("body"),
        )
        response = None
        if data.get("response"):
            r = data["response"]
            response = ReceivedResponse(
                status=int(r["status"]),
                reason=r.get("reason", ""),
                headers=tuple((str(k), str(v)) for k, v in r.get("headers", ())),
                body=r.get("body", ""),
                body_bytes=int(r.get("body_bytes", 0)),
                truncated=bool(r.get("truncated", False)),
                url=r.get("url", ""),
            )
        failure = None
        if data.get("failure"):
            f = data["failure"]
            failure = Failure(FailureKind(f["kind"]), f.get("message", ""), f.get("detail", ""))
        return cls(
            request=request,
            started_at=float(data["started_at"]),
            elapsed_ms=float(data["elapsed_ms"]),
            response=response,
            failure=failure,
            notes=tuple(data.get("notes", ())),
        )
