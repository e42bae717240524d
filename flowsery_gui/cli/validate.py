"""`flowsery-goal validate`: check a JSON goal body offline against the API's rules (and a
tracking plan with --plan), one line per finding or one JSON object for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from flowsery_gui.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    MAX_INPUT_BYTES,
    print_findings,
    read_body,
)
from flowsery_gui.cli.plan_option import add_plan_options, load_plan_option, plan_findings
from flowsery_gui.contract import ERROR, Finding
from flowsery_gui.i18n import _

if TYPE_CHECKING:
    from flowsery_gui.plan import Plan


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a JSON body offline and list the findings: the API's, then the plan's."""
    plan = load_plan_option(args, "validate")
    if isinstance(plan, int):
        return plan
    checked = read_body(args.file, "validate")
    if isinstance(checked, int):
        return checked
    body, report = checked
    planned: tuple[Finding, ...] = ()
    if plan is not None:
        planned = plan_findings(plan, body, args.strict_plan)
    ok = report.ok and not any(f.severity == ERROR for f in planned)
    if args.json:
        _print_json(report.findings, planned, plan, args.strict_plan, ok)
    else:
        print_findings(report.findings, sys.stdout)
        print_findings(planned, sys.stdout, "plan")
        if not report.findings and not planned:
            if plan is None:
                print(_("ok: valid goal body"))
            else:
                print(_("ok: valid goal body; it meets the plan {plan}", plan=plan.name))
    return EXIT_OK if ok else EXIT_FAILED


def _print_json(
    api: tuple[Finding, ...],
    planned: tuple[Finding, ...],
    plan: Plan | None,
    strict: bool,
    ok: bool,
) -> None:
    findings = [f.as_json("api") for f in api] + [f.as_json("plan") for f in planned]
    errors = sum(f["severity"] == ERROR for f in findings)
    result: dict[str, Any] = {
        "ok": ok,
        "errors": errors,
        "warnings": len(findings) - errors,
        "plan": None if plan is None else {"name": plan.name, "file": plan.file, "strict": strict},
        "findings": findings,
    }
    # ASCII only: a value's control characters (C1 included) cannot reach the terminal.
    print(json.dumps(result, indent=2))


def register(subparsers: Any) -> None:
    """Add `validate` to the command line."""
    parser = subparsers.add_parser(
        "validate",
        help=_("check a JSON goal body offline"),
        description=_(
            "Check a JSON goal body against the API rules (and a tracking plan with --plan). "
            "Nothing is sent. A pasted log line or request dump is read as the JSON object "
            "inside it (a note says so). Prints one line per finding (`error PATH: message [fix: "
            '"value"]`; a plan\'s finding reads `warning (plan) PATH: …`), or `{ok}` when there '
            "is none; with --json, one JSON object instead.",
            ok=_("ok: valid goal body"),
        ),
        epilog=_(
            "--json prints {json}; the codes are listed in docs/finding-codes.md. exit codes: "
            "0 valid (warnings allowed; plan violations too, unless --strict-plan), 1 errors "
            "found (a plan violation with --strict-plan), 2 not JSON, unreadable, larger than "
            "{mib} MiB, or a plan that cannot be used (its file, line and key are named; "
            "nothing is printed on stdout)",
            json='{"ok": true|false, "errors": N, "warnings": N, "plan": {"name", "file", '
            '"strict"} or null, "findings": [{"path", "code", "severity", "message", "fix", '
            '"source": "api"|"plan"}]}',
            mib=MAX_INPUT_BYTES // 1024 // 1024,
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help=_("the JSON body, or a log line with the JSON object in it; '-' reads stdin"),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=_("print every finding, the API's and the plan's, as one JSON object (for scripts)"),
    )
    add_plan_options(parser, _("the exit code is then 1"))
    parser.set_defaults(handler=cmd_validate)
