"""The local sandbox: a contract-faithful Flowsery API server and collector (no Qt).

Modules, one job each: `wire` (limits, bodies, shapes, times), `faults` (the fault header),
`store` (the bounded goal store and log), `collector` (received requests, masked, with
verdicts), `access` (loopback, Host, key), `inspection` (paged answers), `httpd` (the
threading server: slots, deadlines), `handler` (one connection's plumbing), `routes` (the
routes), `server` (`SandboxServer`), `cli` (`flowsery-sandbox`).
"""

from __future__ import annotations

from flowsery_gui.sandbox.server import (
    ERROR_SHAPES,
    FAULT_HEADER,
    MAX_BODY_BYTES,
    FaultError,
    Faults,
    SandboxServer,
    error_body,
    parse_faults,
)

__all__ = [
    "ERROR_SHAPES",
    "FAULT_HEADER",
    "MAX_BODY_BYTES",
    "FaultError",
    "Faults",
    "SandboxServer",
    "error_body",
    "parse_faults",
]
