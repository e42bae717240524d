"""The local sandbox: a contract-faithful Flowsery API server on loopback (no Qt)."""

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
