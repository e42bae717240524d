"""`flowsery-goal validate`: check a JSON goal body offline, one line per finding."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from flowsery_gui.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    MAX_INPUT_BYTES,
    print_findings,
    read_body,
)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a JSON body offline and list the findings."""
    report = read_body(args.file, "validate")
    if isinstance(report, int):
        return report
    print_findings(report.findings, sys.stdout)
    if not report.findings:
        print("ok: valid goal body")
    return EXIT_OK if report.ok else EXIT_FAILED


def register(subparsers: Any) -> None:
    """Add `validate` to the command line."""
    parser = subparsers.add_parser(
        "validate",
        help="check a JSON goal body offline",
        description="Check a JSON goal body against the API rules. Nothing is sent. A pasted "
        "log line or request dump is read as the JSON object inside it (a note says so). Prints "
        'one line per finding (`error PATH: message [fix: "value"]`), or `ok: valid goal '
        "body` when there is none.",
        epilog="exit codes: 0 valid (warnings allowed), 1 errors found, 2 not JSON, "
        f"unreadable, or larger than {MAX_INPUT_BYTES // 1024 // 1024} MiB",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="the JSON body, or a log line with the JSON object in it; '-' reads stdin",
    )
    parser.set_defaults(handler=cmd_validate)
