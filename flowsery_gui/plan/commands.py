"""`flowsery-goal plan check|schema|init` and `flowsery-goal verify`, as argparse subcommands.

`register(subparsers)` adds them to the CLI's parser, with their help; what each one does
is in `command_handlers`. `main(argv)` runs them on their own:
`python -m flowsery_gui.plan.commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from flowsery_gui.i18n import _
from flowsery_gui.plan.command_handlers import (
    PROG,
    cmd_plan_check,
    cmd_plan_init,
    cmd_plan_schema,
    cmd_verify,
)


def verify_epilog() -> str:
    """The examples and exit codes under `verify --help` (made when help is shown)."""
    from flowsery_gui.cli import helptext

    examples = "\n".join(
        [
            f"  {PROG} verify --plan acme.plan.yaml --sandbox http://127.0.0.1:8765 "
            "--junit junit.xml",
            f"  {PROG} verify --plan acme.plan.yaml capture.har --expect newsletter_signup "
            "--html report.html",
            f"  {PROG} history --json > goals.jsonl && {PROG} verify --plan acme.plan.yaml "
            "goals.jsonl",
        ]
    )
    return helptext.blocks(
        helptext.section(_("examples:"), examples),
        helptext.paragraph(
            _(
                "Every goal received (POST /api/v1/goals) is checked against the API's rules and "
                "the plan; every expected goal (--expect, and the plan's `expect:` list) must "
                "have arrived at least once."
            )
        ),
        helptext.section(
            _("exit codes:"),
            helptext.entries(
                [
                    ("0", _("all good")),
                    (
                        "1",
                        _("a goal broke a rule or the plan, or an expected goal never arrived"),
                    ),
                    (
                        "2",
                        _("the plan, the capture file, the URL or a report path cannot be used"),
                    ),
                ]
            ),
        ),
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        said = _("not a number of seconds: {given}", given=repr(text))
        raise argparse.ArgumentTypeError(said) from None
    if not 0 < value <= 600:
        said = _("must be between 0 and 600 seconds: {given}", given=repr(text))
        raise argparse.ArgumentTypeError(said)
    return value


def register(subparsers: Any) -> None:
    """Add `plan` (check, schema, init) and `verify` to a CLI's subparsers."""
    plan = subparsers.add_parser(
        "plan",
        help=_("check a tracking plan, export its JSON Schemas, or start one from history"),
        description=_(
            "Tracking plans (*.plan.yaml): the goals a website fires and what each must carry. "
            "The format: docs/plan-format.md."
        ),
    )
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        help=_("is the plan itself valid?"),
        epilog=_("exit codes: 0 valid, 1 the plan has problems, 2 the file cannot be read"),
    )
    check.add_argument("file", metavar="FILE")
    check.set_defaults(handler=cmd_plan_check)
    schema = actions.add_parser(
        "schema",
        help=_("export each goal's JSON Schema (2020-12)"),
        description=_(
            "Print every goal's JSON Schema as one JSON object, or write "
            "DIR/<goal>.schema.json with --out."
        ),
    )
    schema.add_argument("file", metavar="FILE")
    schema.add_argument("--out", metavar="DIR", help=_("write one file per goal into DIR"))
    schema.set_defaults(handler=cmd_plan_schema)
    init = actions.add_parser(
        "init",
        help=_("write a starter plan from the goals and keys seen in history"),
        description=_(
            "Write a starter plan from the accepted goals in the history, for the team to "
            "edit. Without --out it is printed."
        ),
    )
    init.add_argument(
        "--from-history", action="store_true", required=True, help=_("from the history")
    )
    init.add_argument("--out", metavar="FILE", help=_("write it to FILE (never overwritten)"))
    init.set_defaults(handler=cmd_plan_init)

    verify = subparsers.add_parser(
        "verify",
        help=_("check every goal a sandbox received (or a HAR / JSON Lines capture holds)"),
        description=_(
            "Check what reached a sandbox, or what a HAR file or the app's JSON Lines export "
            "holds, against the API's rules and a tracking plan."
        ),
        epilog=verify_epilog,
    )
    verify.add_argument("--plan", required=True, metavar="FILE", help=_("the tracking plan"))
    verify.add_argument("--sandbox", metavar="URL", help=_("a running sandbox's base URL"))
    verify.add_argument("capture", nargs="?", metavar="CAPTURE_FILE", help=_(".har or .jsonl"))
    verify.add_argument(
        "--expect", action="append", metavar="GOAL,...", help=_("goals that must have arrived")
    )
    verify.add_argument("--since", metavar="TIME", help=_("only requests from TIME (ISO 8601)"))
    verify.add_argument("--junit", metavar="PATH", help=_("write a JUnit XML report"))
    verify.add_argument("--html", metavar="PATH", help=_("write a self-contained HTML report"))
    verify.add_argument("--json", metavar="PATH", help=_("write a JSON report"))
    verify.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help=_("per sandbox call"),
    )
    verify.set_defaults(handler=cmd_verify)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `plan ...` or `verify ...` on their own (tests, until the CLI hooks them in)."""
    from flowsery_gui.cli import argparse_words, helptext

    argparse_words.install()
    parser = helptext.HelpParser(prog=PROG)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    register(subparsers)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
